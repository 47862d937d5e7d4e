"""The one safe CSV writer: what a spreadsheet would run as a formula gets an apostrophe."""

import csv as stdlib_csv
import datetime
import io
from decimal import Decimal

import pytest

from core import csv


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("%0A=1", "'%0A=1"),
        ("=cmd|' /C calc'!A0", "'=cmd\\|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=cmd", "'\r=cmd"),
        ("\ttab first", "'\ttab first"),
        ("'already quoted", "'already quoted"),
        ("Białystok", "Białystok"),
        ("a=b", "a=b"),
        ("", ""),
        ("-1,5", "-1,5"),
        ("-12.5", "-12.5"),
        ("+", "'+"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(cell, written):
    assert csv.defuse(cell) == written


@pytest.mark.parametrize("value", [None, 0, -3, 2.5, Decimal("-1.5"), True])
def test_numbers_and_none_are_left_alone(value):
    assert csv.defuse(value) is value


def test_other_values_are_written_as_text_under_the_rule():
    assert csv.defuse(datetime.date(2026, 1, 31)) == "2026-01-31"


def test_the_writer_defuses_every_cell_and_hands_back_the_line():
    line = csv.writer(csv.Echo(), lineterminator="\n").writerow(["\r=cmd", "-1", 7, None, "ok"])
    assert line == '"\'\r=cmd",-1,7,,ok\n'
    assert next(stdlib_csv.reader(io.StringIO(line))) == ["'\r=cmd", "-1", "7", "", "ok"]


def test_writerows_writes_every_row_to_the_file():
    target = io.StringIO()
    csv.writer(target).writerows([["=a"], ["b"]])
    assert target.getvalue() == "'=a\r\nb\r\n"
