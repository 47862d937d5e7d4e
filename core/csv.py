"""The one CSV writer of the portal: every export that writes CSV goes through `writer`.

A spreadsheet runs a cell as a formula when its text starts with = + - @ (and, in some, | or %),
so such a cell gets a leading apostrophe (OWASP's rule against CSV injection), and a | in it a
backslash, unless the whole text is a number such as -1,5. A cell that starts with a tab or a
carriage return gets the apostrophe as well: the blank hides the formula from the eye, and some
spreadsheets strip it before they read the rest. Numbers and None are written as they are.

`defused_sql` is the same rule in SQL, for PostgreSQL's COPY; change both together
(tests/reporting/test_exports_copy.py compares them). `chunks` writes whole exports: a byte-order
mark first, so that spreadsheets read Cyrillic and Polish names, and lines that end in a bare
newline, as COPY writes them.

Two forms: comma-separated with a decimal point (the default), and semicolon-separated with a
decimal comma, which spreadsheets set up for Russian, Belarusian, Polish or German expect; in
those a comma file lands in one column and 12.5 reads as a date. The semicolon form quotes every
cell that is not empty: LibreOffice's import dialog splits at commas as well as semicolons
unless told otherwise, and would cut "12,5" and "Institute, Minsk" in two; quoted numbers are
still numbers there and in Excel. PostgreSQL's COPY writes the same (FORCE_QUOTE *).
"""

import csv
import datetime
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from numbers import Number

BOM = "\ufeff"
COMMA, SEMICOLON = ",", ";"
DELIMITERS = (COMMA, SEMICOLON)
# Lines joined into one chunk of a streamed CSV: fewer, larger writes to the socket.
LINES_PER_CHUNK = 500

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


def defused_sql(column: str) -> str:
    """`defuse` as SQL over a text column, for exports that PostgreSQL's COPY writes.

    The steps of `defuse`: a leading tab or carriage return gets an apostrophe; so does a
    leading = + - @ | %, unless the whole text is a number such as -1,5 (Python's `$` also
    matches before a final newline, hence `\\n?`), and then every | gets a backslash. The first
    character is told by its code, the cheapest test for the common case: tab 9, carriage return
    13, then = + - @ | % (61 43 45 64 124 37). `%%` is one % once psycopg2 has bound the
    parameters.
    """
    return (
        f"CASE WHEN ascii({column}) NOT IN (9, 13, 61, 43, 45, 64, 124, 37) THEN {column} "
        f"WHEN ascii({column}) IN (9, 13) THEN '''' || {column} "
        f"WHEN {column} ~ E'^-?[0-9,.]+\\n?$' THEN {column} "
        f"ELSE '''' || replace({column}, '|', E'\\\\|') END"
    )


def _cell(value):
    if value.__class__ is str:  # the common case first: this runs for every cell
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _cell_with_decimal_comma(value):
    if value == "":
        return None  # left empty, not quoted: COPY writes NULL so
    if value.__class__ is float or isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return _cell(value)


def chunks(rows: Iterable[Iterable], *, delimiter: str = COMMA) -> Iterator[str]:
    """The BOM first, then the rows as CSV text in chunks of a few hundred lines; with the
    semicolon, fractions have a decimal comma."""
    if delimiter not in DELIMITERS:
        raise ValueError(f"A CSV is separated by one of {DELIMITERS}, not {delimiter!r}.")
    quoting = csv.QUOTE_MINIMAL if delimiter == COMMA else csv.QUOTE_NOTNULL
    out = writer(Echo(), lineterminator="\n", delimiter=delimiter, quoting=quoting)
    cell = _cell if delimiter == COMMA else _cell_with_decimal_comma
    yield BOM
    lines = []
    for row in rows:
        lines.append(out.writerow([cell(value) for value in row]))
        if len(lines) >= LINES_PER_CHUNK:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)
