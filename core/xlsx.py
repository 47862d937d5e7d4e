"""The one XLSX writer: sheets of rows into a constant-memory workbook, laid out for reading
and printing.

Text is written as text, never a formula, under core.csv's injection rule; text that xlsxwriter
would copy into the sheet as its own rich-text XML (<r>...</r>) gets the apostrophe too.

A sheet is a (name, rows) pair, or (name, rows, Layout). A table (the default layout) gets a
bold header row that stays in view, an autofilter over its data rows, columns as wide as their
content, number and date formats, and a print set-up: A4, landscape when wide, one page wide,
the header row on every page, and the layout's page footer. Native charts drawn from a table's
own columns go below it. A cover (`Layout(cover=True)`) is a title, then label and value rows.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
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
A4 = 9  # Excel's paper size code
# Wider tables print across the page.
LANDSCAPE_FROM_COLUMNS = 7
# Column widths are fitted to the first rows (a records sheet has a hundred thousand).
WIDTH_SAMPLE_ROWS = 500
MAX_COLUMN_WIDTH = 60
HEADER_WIDTH_SHARE = 24  # a long header wraps rather than widen a column of short numbers
CHART_ROWS = 16  # a chart's height in rows, below its table
DATE_FORMAT = "yyyy-mm-dd"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"


@dataclass
class Chart:
    """A native chart of a table's columns: `categories` names the bars, each of `values` is a
    series named by its header cell; `first_rows` draws only the first rows (largest first)."""

    kind: str  # "column", "bar" or "line"
    title: str
    categories: int
    values: list[int]
    first_rows: int | None = None


@dataclass
class Layout:
    cover: bool = False
    footer_rows: int = 0  # the table's last rows (totals), left out of the filter and charts
    plain_number_columns: frozenset[int] = frozenset()  # numbers without thousands separators
    charts: list[Chart] = field(default_factory=list)
    page_footer: str = ""  # Excel's header/footer codes (&L &C &R &P &N); & in text as &&


def page_footer_text(text: str) -> str:
    """Text as it goes into a page footer: Excel reads & as the start of a code."""
    return text.replace("&", "&&")


def sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = str(name).translate(SHEET_NAME_FORBIDDEN).strip("' ")[:31] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


class _Formats:
    def __init__(self, workbook):
        self.header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.integer = workbook.add_format({"num_format": INTEGER_FORMAT})
        self.plain = workbook.add_format({"num_format": "0"})
        self.decimal = workbook.add_format({"num_format": DECIMAL_FORMAT})
        self.title = workbook.add_format({"bold": True, "font_size": 16})
        self.subtitle = workbook.add_format({"bold": True, "font_size": 13})
        self.label = workbook.add_format({"bold": True})


def write(target, sheets: Iterable[tuple]) -> None:
    """Write (name, rows[, layout]) sheets to a workbook; row by row, so memory stays constant."""
    workbook = xlsxwriter.Workbook(target, OPTIONS)
    formats = _Formats(workbook)
    taken: set[str] = set()
    try:
        for name, rows, *rest in sheets:
            layout = rest[0] if rest else Layout()
            title = sheet_name(name, taken)
            worksheet = workbook.add_worksheet(title)
            if layout.cover:
                _write_cover(worksheet, rows, layout, formats)
            else:
                _write_table(workbook, worksheet, title, rows, layout, formats)
    finally:
        workbook.close()


# A text cell starting with one of these is looked at closely (_xlsx_text); any other is written
# as it is. Most cells are text, so the check is one set lookup.
XLSX_SUSPECT_FIRST_CHARACTERS = frozenset("=+-@|%\t\r<")


def _write_table(workbook, worksheet, title: str, rows, layout: Layout, formats) -> None:
    widths: dict[int, int] = {}
    last_row, last_column = _write_rows(worksheet, rows, layout, formats, widths)
    for column, width in widths.items():
        worksheet.set_column(column, column, min(width + 2, MAX_COLUMN_WIDTH))
    columns = last_column + 1
    last_data_row = last_row - layout.footer_rows
    worksheet.freeze_panes(1, 0)
    if columns:
        worksheet.autofilter(0, 0, max(last_data_row, 0), last_column)
    _set_up_printing(worksheet, layout, landscape=columns >= LANDSCAPE_FROM_COLUMNS)
    if last_data_row >= 1:
        for number, chart in enumerate(layout.charts):
            _insert_chart(
                workbook, worksheet, title, chart, last_data_row, last_row + 2 + 16 * number
            )


def _set_up_printing(worksheet, layout: Layout, *, landscape: bool) -> None:
    worksheet.set_paper(A4)
    if landscape:
        worksheet.set_landscape()
    worksheet.fit_to_pages(1, 0)  # one page wide, as many long as it takes
    worksheet.repeat_rows(0)
    if layout.page_footer:
        worksheet.set_footer(layout.page_footer)


def _insert_chart(workbook, worksheet, title: str, spec: Chart, last_data_row: int, at_row: int):
    chart = workbook.add_chart({"type": spec.kind})
    last = last_data_row if spec.first_rows is None else min(last_data_row, spec.first_rows)
    for column in spec.values:
        chart.add_series(
            {
                "name": [title, 0, column],
                "categories": [title, 1, spec.categories, last, spec.categories],
                "values": [title, 1, column, last, column],
            }
        )
    chart.set_title({"name": spec.title, "name_font": {"size": 12}})
    chart.set_legend({"position": "bottom"})
    if spec.kind == "bar":
        chart.set_x_axis({"reverse": True})  # the largest on top, as in the table
    chart.set_size({"width": 720, "height": 300})
    worksheet.insert_chart(at_row, 0, chart)


def _write_rows(worksheet, rows: Iterable[list], layout: Layout, formats, widths) -> tuple:
    # The innermost loop of a workbook, two million cells for 120,000 records: the common types
    # are told apart by their class, everything else goes the long way.
    write_string, write_number = worksheet.write_string, worksheet.write_number
    integer, decimal, plain = formats.integer, formats.decimal, formats.plain
    plain_columns = layout.plain_number_columns
    row_number, last_column = -1, -1
    for row_number, row in enumerate(rows):
        if row_number < WIDTH_SAMPLE_ROWS:
            last_column = max(last_column, len(row) - 1)
            _measure(row, widths, header=row_number == 0)
        for column, value in enumerate(row):
            kind = value.__class__
            if kind is str:
                if value:
                    if value[:1] in XLSX_SUSPECT_FIRST_CHARACTERS:
                        value = _xlsx_text(value)
                    # write_string, never write(): text stays text and never becomes a formula.
                    write_string(row_number, column, value)
            elif kind is int:
                write_number(
                    row_number, column, value, plain if column in plain_columns else integer
                )
            elif kind is float:
                write_number(row_number, column, value, decimal)
            elif value is not None:
                _write_other_cell(worksheet, row_number, column, value, formats)
        if row_number == 0:
            # constant_memory keeps a row until the next one starts: the header is still here.
            worksheet.set_row(0, None, formats.header)
    return row_number, last_column


def _measure(row: list, widths: dict[int, int], *, header: bool) -> None:
    for column, value in enumerate(row):
        if value is None:
            continue
        if isinstance(value, datetime.date):
            length = 10
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            length = len(f"{value:,}")
        else:
            length = max((len(line) for line in str(value).splitlines()), default=0)
        if header:
            length = min(length, HEADER_WIDTH_SHARE)
        widths[column] = max(widths.get(column, 0), length)


def _write_cover(worksheet, rows: Iterable[list], layout: Layout, formats) -> None:
    """A title, a subtitle, then rows of a label and its value."""
    widths: dict[int, int] = {}
    for row_number, row in enumerate(rows):
        style = {0: formats.title, 1: formats.subtitle}.get(row_number)
        for column, value in enumerate(row):
            if style is not None and isinstance(value, str):
                worksheet.write_string(row_number, column, _xlsx_text(value), style)
            elif isinstance(value, str):
                fmt = formats.label if column == 0 and len(row) > 1 else None
                worksheet.write_string(row_number, column, _xlsx_text(value), fmt)
            elif value is not None:
                _write_other_cell(worksheet, row_number, column, value, formats)
        if style is None:
            _measure(row, widths, header=False)
    for column, width in widths.items():
        worksheet.set_column(column, column, min(width + 2, MAX_COLUMN_WIDTH))
    _set_up_printing(worksheet, layout, landscape=False)


def _xlsx_text(value: str) -> str:
    if not value or value[:1] not in XLSX_SUSPECT_FIRST_CHARACTERS:
        return value
    value = defuse(value)
    # xlsxwriter writes text that looks like its rich-text XML (<r>...</r>) into the sheet
    # unescaped, where it could carry a formula: such a cell gets the apostrophe as well.
    if value.startswith("<r>") and value.endswith("</r>"):
        return "'" + value
    return value


def _write_other_cell(worksheet, row: int, column: int, value, formats) -> None:
    if isinstance(value, bool):
        worksheet.write_boolean(row, column, value)
    elif isinstance(value, int):
        worksheet.write_number(row, column, value, formats.integer)
    elif isinstance(value, float | Decimal):
        worksheet.write_number(row, column, value, formats.decimal)
    elif isinstance(value, datetime.date):
        worksheet.write_datetime(row, column, value, formats.date)
    elif text := str(value):  # lazy translations, str subclasses
        worksheet.write_string(row, column, _xlsx_text(text))
