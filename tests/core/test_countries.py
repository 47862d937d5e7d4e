"""Country names in every language, Belarusian included (django-countries has none)."""

import pytest
from django.utils import translation

from core.countries import country_names


@pytest.mark.parametrize(
    ("language", "poland", "korea"),
    [
        ("en", "Poland", "South Korea"),
        ("ru", "Польша", "Южная Корея"),
        ("be", "Польшча", "Паўднёвая Карэя"),
    ],
)
def test_country_names_in_the_active_language(language, poland, korea):
    with translation.override(language):
        names = country_names()
    assert names["PL"] == poland
    assert names["KR"] == korea


def test_every_country_has_a_belarusian_name():
    with translation.override("en"):
        english = country_names()
    with translation.override("be"):
        belarusian = country_names()
    untranslated = sorted(code for code, name in belarusian.items() if name == english[code])
    assert untranslated == []
