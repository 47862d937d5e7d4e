"""The one XLSX writer: (sheet name, rows) pairs into a constant-memory workbook.

Text is written as text, never a formula, under core.csv's injection rule; text that xlsxwriter
would copy into the sheet as its own rich-text XML (<r>...</r>) gets the apostrophe too.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

import xlsxwriter

from core.csv import defuse

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
SHEET_NAME_FORBIDDEN = str.maketrans({char: " " for char in "[]:*?/\\"})


def sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = str(name).translate(SHEET_NAME_FORBIDDEN).strip("' ")[:31] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def write(target, sheets: Iterable[tuple[str, Iterable[list]]]) -> None:
    """Write (sheet name, rows) pairs to a workbook; row by row, so memory stays constant."""
    workbook = xlsxwriter.Workbook(target, OPTIONS)
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    taken: set[str] = set()
    try:
        for name, rows in sheets:
            worksheet = workbook.add_worksheet(sheet_name(name, taken))
            _write_rows(worksheet, rows, bold, date_format)
    finally:
        workbook.close()


# A text cell starting with one of these is looked at closely (_xlsx_text); any other is written
# as it is. Most cells are text, so the check is one set lookup.
XLSX_SUSPECT_FIRST_CHARACTERS = frozenset("=+-@|%\t\r<")


def _write_rows(worksheet, rows: Iterable[list], bold, date_format) -> None:
    # The innermost loop of a workbook, two million cells for 120,000 records: the common types
    # are told apart by their class, everything else goes the long way.
    write_string, write_number = worksheet.write_string, worksheet.write_number
    for row_number, row in enumerate(rows):
        for column, value in enumerate(row):
            kind = value.__class__
            if kind is str:
                if value:
                    if value[:1] in XLSX_SUSPECT_FIRST_CHARACTERS:
                        value = _xlsx_text(value)
                    # write_string, never write(): text stays text and never becomes a formula.
                    write_string(row_number, column, value)
            elif kind is int or kind is float:
                write_number(row_number, column, value)
            elif value is not None:
                _write_other_cell(worksheet, row_number, column, value, date_format)
        if row_number == 0:
            # constant_memory keeps a row until the next one starts: the header is still here.
            worksheet.set_row(0, None, bold)


def _xlsx_text(value: str) -> str:
    value = defuse(value)
    # xlsxwriter writes text that looks like its rich-text XML (<r>...</r>) into the sheet
    # unescaped, where it could carry a formula: such a cell gets the apostrophe as well.
    if value.startswith("<r>") and value.endswith("</r>"):
        return "'" + value
    return value


def _write_other_cell(worksheet, row: int, column: int, value, date_format) -> None:
    if isinstance(value, bool):
        worksheet.write_boolean(row, column, value)
    elif isinstance(value, int | float | Decimal):
        worksheet.write_number(row, column, value)
    elif isinstance(value, datetime.date):
        worksheet.write_datetime(row, column, value, date_format)
    elif text := str(value):  # lazy translations, str subclasses
        worksheet.write_string(row, column, _xlsx_text(text))
