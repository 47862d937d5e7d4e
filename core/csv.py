"""The one CSV writer of the portal: every export that writes CSV goes through `writer`.

A spreadsheet runs a cell as a formula when its text starts with = + - @ (and, in some, | or %),
so such a cell gets a leading apostrophe (OWASP's rule against CSV injection), and a | in it a
backslash, unless the whole text is a number such as -1,5. A cell that starts with a tab or a
carriage return gets the apostrophe as well: the blank hides the formula from the eye, and some
spreadsheets strip it before they read the rest. Numbers and None are written as they are.

exchanges.exports writes the same rule in SQL for PostgreSQL's COPY (`defused_sql`); change both
together (tests/exchanges/test_exports_copy.py compares them).
"""

import csv
import re
from collections.abc import Iterable
from numbers import Number

WHITESPACE_TRIGGERS = frozenset("\t\r")
FORMULA_TRIGGERS = frozenset("=+-@|%")
# `$` also matches before a final newline: "-1\n" counts as a number, as it always has here.
NUMBER = re.compile(r"-?[0-9,.]+$")


def defuse(value):
    """One cell under the injection rule: text that a spreadsheet would run gets an apostrophe."""
    if value.__class__ is not str:  # text first: this runs for every cell of an export
        if value is None or isinstance(value, Number):
            return value
        value = str(value)
    first = value[:1]
    if first in WHITESPACE_TRIGGERS:
        return "'" + value
    if first in FORMULA_TRIGGERS and not NUMBER.match(value):
        return "'" + value.replace("|", "\\|")
    return value


class Echo:
    """A file that hands back what is written, so that a writer's rows can feed a stream."""

    def write(self, value):
        return value


class SafeWriter:
    """csv.writer with every cell defused; writerow returns what the file's write returned."""

    def __init__(self, file, **fmtparams):
        self._writer = csv.writer(file, **fmtparams)

    def writerow(self, row: Iterable):
        return self._writer.writerow([defuse(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file, **fmtparams) -> SafeWriter:
    return SafeWriter(file, **fmtparams)
