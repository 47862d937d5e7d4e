"""Folding for search: case and accents do not matter, in any script."""

import pytest

from core.search import fold_for_search, search_words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Białystok", "bialystok"),
        ("Łódź", "lodz"),
        ("БЕЛОРУССКИЙ", "белорусскии"),  # й loses its breve on both sides alike
        ("Белорусский", "белорусскии"),
        ("Straße", "strasse"),
        ("Ørebro", "orebro"),
        ("Đakovo", "dakovo"),
        ("Charité – Universitätsmedizin", "charite – universitatsmedizin"),
        ("İstanbul", "istanbul"),
        ("  PL   BIALYST02 ", "pl bialyst02"),
        ("ＵＭＢ", "umb"),  # full-width letters, as some keyboards type them
        ("", ""),
    ],
)
def test_fold_for_search(text, folded):
    assert fold_for_search(text) == folded


def test_search_words_are_folded_and_split_on_any_whitespace():
    assert search_words(" Bialystok\tMEDICAL\n") == ["bialystok", "medical"]
    assert search_words("   ") == []
