"""Reading the office's spreadsheets: files, encodings, cells (core/imports)."""

import datetime
import io
import zipfile

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.csv import defuse
from core.imports import formats, widgets


def test_csv_in_utf8_with_and_without_bom_and_in_windows_1251():
    text = "name;country\nБелорусский университет;Беларусь\n"
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode(), text.encode("cp1251")):
        dataset = formats.read_rows(data, "csv")
        assert dataset.headers == ["name", "country"]
        assert dataset[0] == ("Белорусский университет", "Беларусь")


def test_comma_or_semicolon():
    assert formats.read_rows(b"a,b\n1,2\n", "csv")[0] == ("1", "2")
    assert formats.read_rows(b"a;b\n1,5;2\n", "csv")[0] == ("1,5", "2")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "The file is empty."),
        (b"\x00\x01\x02binary", "not a spreadsheet"),
        (b"PK\x03\x04 broken zip", "not a spreadsheet"),
    ],
)
def test_what_is_not_a_spreadsheet_is_refused(data, reason):
    with pytest.raises(formats.FileRefused, match=reason):
        formats.read_rows(data, "xlsx" if data.startswith(b"PK") else "csv")


def test_a_zip_bomb_posing_as_xlsx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(formats.FileRefused, match="unpacks to far more"):
        formats.read_rows(buffer.getvalue(), "xlsx")


def test_a_file_over_the_limit_is_refused():
    with pytest.raises(formats.FileRefused, match="larger than 1.0"):
        formats.read_rows(b"a\n" + b"x\n" * 600_000, "csv", max_size=1024 * 1024)


@pytest.mark.parametrize("text", ["=1+2", "+7 017 123", "-x", "@SUM(A1)", "\tlead", "a|b", "|x"])
def test_our_defused_cells_come_back_as_they_were(text):
    assert formats.undefuse(defuse(text)) == text


def test_an_apostrophe_of_the_person_stays():
    assert formats.undefuse("'quoted'") == "'quoted'"


@pytest.mark.parametrize("name", ["Poland", "Польша", "Польшча", "pl", "POL", " poland "])
def test_countries_by_name_in_any_language_or_code(name):
    assert widgets.CountryWidget().clean(name) == "PL"


def test_an_unknown_country_is_named_in_the_readers_language():
    with translation.override("en"), pytest.raises(ValueError, match="Unknown country “Polnad”"):
        widgets.CountryWidget().clean("Polnad")


@pytest.mark.parametrize(
    ("text", "order", "day"),
    [
        ("2019-02-28", None, datetime.date(2019, 2, 28)),
        ("28.02.2019", None, datetime.date(2019, 2, 28)),
        ("03/04/2019", "dmy", datetime.date(2019, 4, 3)),
        ("03/04/2019", "mdy", datetime.date(2019, 3, 4)),
        ("05/05/2019", None, datetime.date(2019, 5, 5)),
        (datetime.datetime(2019, 2, 28, tzinfo=datetime.UTC), None, datetime.date(2019, 2, 28)),
    ],
)
def test_dates(text, order, day):
    assert widgets.DateWidget(order=order).clean(text) == day


def test_a_day_not_in_the_calendar_is_refused():
    with translation.override("en"), pytest.raises(ValueError, match="not a day of the calendar"):
        widgets.DateWidget().clean("31.02.2019")


def test_an_ambiguous_slashed_date_without_an_order_is_refused_never_guessed():
    with translation.override("en"), pytest.raises(ValueError, match="day first or month first"):
        widgets.DateWidget().clean("03/04/2019")


def test_the_order_comes_from_the_whole_column():
    assert widgets.date_order_of_column(["03/04/2019", "25/04/2019"]) == "dmy"
    assert widgets.date_order_of_column(["03/04/2019", "04/25/2019"]) == "mdy"
    assert widgets.date_order_of_column(["03/04/2019", "04/05/2019"]) is None
    assert widgets.date_order_of_column(["13/04/2019", "04/25/2019"]) is None


def test_choices_by_code_or_label_in_any_language():
    # Labels are compared as the catalogues translate them.
    choice = widgets.ChoiceWidget([("outgoing", _("Outgoing")), ("incoming", _("Incoming"))])
    assert choice.clean("outgoing") == "outgoing"
    assert choice.clean("Outgoing") == "outgoing"
    assert choice.clean("Исходящая") == "outgoing"
    with translation.override("en"), pytest.raises(ValueError, match="is not one of"):
        choice.clean("sideways")
