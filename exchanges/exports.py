"""Exports of the annual report: one generator per export, shared CSV and XLSX writers.

A generator yields the header row and then the data rows, with everything it needs fetched up
front (one query, joins done by the database, never a query per row). The writers turn rows
into a streamed CSV or a constant-memory XLSX workbook. The same generators serve the report
pages, the admin's "export selected" action and the `export_annual_report` command.

records.csv (`record_rows`), one row per counted mobility record, in this column order:

 1. year: the report year the record counts in (the year it starts; for the academic period
    the year the academic year starts in, 2025 meaning 2025/26), a number;
 2. direction: Outgoing or Incoming;
 3. category: undergraduate student, resident, PhD student, young scientist, academic staff;
 4. full name;
 5. department or home institution: the home institution of an incoming participant (or the
    host department when it is not known), our department for an outgoing one;
 6. partner institution (empty without a partner);
 7. partner country ISO code (ISO 3166-1 alpha-2);
 8. partner country name;
 9. program (its title, empty without one);
10. program kind;
11. purpose;
12. agreement reference;
13. start (ISO 8601 date);
14. end (ISO 8601 date);
15. days: from start to end, both days included, a number;
16. funding;
17. status.
Labels are translated into the active language; dates are ISO 8601.

Export rules: UTF-8 with a byte-order mark so that spreadsheets read Cyrillic and Polish names,
and the OWASP formula-injection rule on every text cell (defusedcsv's rule, plus a leading tab
or carriage return, which defusedcsv 3 leaves alone): such a cell gets a leading apostrophe.
Numbers stay numbers.
"""

import datetime
import operator
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

import xlsxwriter
from defusedcsv import csv
from django.contrib import admin
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from exchanges.models import MobilityRecord
from exchanges.reports import ACADEMIC, CALENDAR, AnnualReport, Table
from partners.choices import Category, Direction, ProgramKind, Purpose
from partners.periods import academic_year_of

BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Beyond this many records a workbook takes too long to write and to open: records.csv instead.
# Measured (bench/results.md) at about 4,000 rows/s on the 2-core target under load, so the
# limit keeps a download within about 15 seconds.
XLSX_MAX_RECORDS = 60_000
ITERATOR_CHUNK_SIZE = 2000
# Lines joined into one chunk of the streamed CSV: fewer, larger writes to the socket.
CSV_LINES_PER_CHUNK = 500
XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
SHEET_NAME_FORBIDDEN = str.maketrans({char: " " for char in "[]:*?/\\"})


# --- the injection rule ----------------------------------------------------------------------


def _defuse_whitespace(value):
    # A leading tab or carriage return hides a formula from the eye; defusedcsv 3 misses them.
    if isinstance(value, str) and value[:1] in ("\t", "\r"):
        return "'" + value
    return value


def defuse(value):
    """The OWASP rule for one text cell: defusedcsv's own, plus tab and carriage return."""
    # defusedcsv applies the rule inside its csv writer; the XLSX writer needs it per cell.
    return csv._escape(_defuse_whitespace(value))


# --- generators ------------------------------------------------------------------------------


def record_header() -> list[str]:
    return [
        _("Year"),
        _("Direction"),
        _("Category"),
        _("Full name"),
        _("Department or home institution"),
        _("Partner institution"),
        _("Partner country code"),
        _("Partner country"),
        _("Program"),
        _("Program kind"),
        _("Purpose"),
        _("Agreement reference"),
        _("Start"),
        _("End"),
        _("Days"),
        _("Funding"),
        _("Status"),
    ]


RECORD_FIELDS = (
    "direction",
    "category",
    "full_name",
    "department__name",
    "home_institution",
    "partner__name",
    "partner__country",
    "program__title",
    "program__kind",
    "purpose",
    "agreement__reference",
    "start_date",
    "end_date",
    "funding",
    "status",
)


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def record_rows(records: QuerySet, *, period: str = CALENDAR) -> Iterator[list]:
    """Header, then one row per record of the queryset, streamed from the database."""
    yield record_header()
    directions = _labels(Direction)
    categories = _labels(Category)
    kinds = _labels(ProgramKind)
    purposes = _labels(Purpose)
    fundings = _labels(MobilityRecord.Funding)
    statuses = _labels(MobilityRecord.Status)
    country_names = {code: str(name) for code, name in countries}
    # The year from the start date in Python: on SQLite a database expression would call a
    # Python function per row anyway, and it is the same rule as exchanges.reports uses.
    year_of = academic_year_of if period == ACADEMIC else operator.attrgetter("year")
    rows = (
        records.order_by("start_date", "full_name", "pk")
        .values_list(*RECORD_FIELDS)
        .iterator(chunk_size=ITERATOR_CHUNK_SIZE)
    )
    for (
        direction,
        category,
        full_name,
        department,
        home_institution,
        partner,
        country,
        program,
        kind,
        purpose,
        agreement,
        start,
        end,
        funding,
        status,
    ) in rows:
        if direction == Direction.INCOMING:
            affiliation = home_institution or department or ""
        else:
            affiliation = department or home_institution or ""
        yield [
            year_of(start),
            directions.get(direction, direction),
            categories.get(category, category),
            full_name,
            affiliation,
            partner or "",
            country or "",
            country_names.get(country, "") if country else "",
            program or "",
            kinds.get(kind, kind or ""),
            purposes.get(purpose, purpose),
            agreement or "",
            start.isoformat(),
            end.isoformat(),
            (end - start).days + 1,
            fundings.get(funding, funding),
            statuses.get(status, status),
        ]


def table_rows(table: Table) -> Iterator[list]:
    """One figure table: header, rows, then its total row."""
    yield table.header
    yield from table.rows
    yield from table.footer


def summary_rows(report: AnnualReport) -> Iterator[list]:
    """Every figure table one after another, each with a title row and a header row."""
    yield [_("Annual mobility report"), report.label, report.department_label]
    for table in report.tables():
        yield []
        yield [table.title]
        yield from table_rows(table)


# --- writers ---------------------------------------------------------------------------------


class _Echo:
    """A file that hands back what is written, so that csv.writer can feed a stream."""

    def write(self, value):
        return value


def _csv_cell(value):
    if value.__class__ is str:  # the common case first: this runs for every cell
        return _defuse_whitespace(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """The BOM first, then the rows as CSV text in chunks of a few hundred lines."""
    writer = csv.writer(_Echo())
    yield BOM
    lines = []
    for row in rows:
        lines.append(writer.writerow([_csv_cell(value) for value in row]))
        if len(lines) >= CSV_LINES_PER_CHUNK:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def write_csv(rows: Iterable[list], stream) -> None:
    for chunk in csv_chunks(rows):
        stream.write(chunk)


def csv_response(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        csv_chunks(rows),
        content_type=CSV_CONTENT_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = str(name).translate(SHEET_NAME_FORBIDDEN).strip("' ")[:31] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def write_xlsx(target, sheets: Iterable[tuple[str, Iterable[list]]]) -> None:
    """Write (sheet name, rows) pairs to a workbook; row by row, so memory stays constant."""
    workbook = xlsxwriter.Workbook(target, XLSX_OPTIONS)
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    taken: set[str] = set()
    try:
        for name, rows in sheets:
            worksheet = workbook.add_worksheet(sheet_name(name, taken))
            for row_number, row in enumerate(rows):
                for column, value in enumerate(row):
                    _write_cell(worksheet, row_number, column, value, date_format)
                if row_number == 0:
                    worksheet.set_row(0, None, bold)
    finally:
        workbook.close()


def _write_cell(worksheet, row: int, column: int, value, date_format) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        worksheet.write_boolean(row, column, value)
    elif isinstance(value, int | float | Decimal):
        worksheet.write_number(row, column, value)
    elif isinstance(value, datetime.date):
        worksheet.write_datetime(row, column, value, date_format)
    else:
        # write_string, never write(): a string is stored as text and cannot become a formula.
        worksheet.write_string(row, column, defuse(str(value)))


def xlsx_response(sheets: Iterable[tuple[str, Iterable[list]]], filename: str) -> FileResponse:
    # A temporary file rather than memory: the workbook can hold a couple of hundred thousand rows.
    handle = tempfile.TemporaryFile()
    write_xlsx(handle, sheets)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def report_sheets(report: AnnualReport, records: QuerySet) -> Iterator[tuple[str, Iterable]]:
    """The workbook: a sheet of records, then one sheet per figure table."""
    yield _("Records"), record_rows(records, period=report.period)
    for table in report.tables():
        yield table.sheet_name, table_rows(table)


def export_file_name(kind: str, year: int, period: str, extension: str) -> str:
    suffix = "" if period == CALENDAR else f"-{period}"
    return f"mobility-{kind}-{year}{suffix}.{extension}"


# --- admin -----------------------------------------------------------------------------------


@admin.action(description=gettext_lazy("Export selected records as CSV"))
def export_records_csv_action(modeladmin, request, queryset):
    """The admin's "export selected": the same columns as the annual report's records.csv."""
    return csv_response(record_rows(queryset), "mobility-records-selected.csv")
