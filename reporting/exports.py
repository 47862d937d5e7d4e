"""Exports of the annual report: one generator per export, shared CSV and XLSX writers.

A generator yields the header row and then the data rows, with everything it needs fetched up
front (one query, joins done by the database, never a query per row). The writers turn rows
into CSV or a constant-memory XLSX workbook. The same exporters serve the report pages, the
admin's "export selected" action and the `export_annual_report` command.

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
and the OWASP formula-injection rule on every text cell (core.csv, the portal's one safe CSV
writer: a leading = + - @ | % tab or carriage return): such a cell gets a leading apostrophe.
Numbers stay numbers. In a workbook, text that xlsxwriter would copy into the sheet as its own
rich-text XML (<r>...</r>) gets the apostrophe too. Lines end in a bare newline, as PostgreSQL's
COPY writes them.

Two ways to records.csv, one output. On PostgreSQL the database writes the CSV itself: COPY of
`records_copy_query`, with labels, year, days and the injection rule in SQL, about ten times the
rows per second of Python (bench/results.md). Elsewhere `record_rows` and the csv module write
it; that way is the reference, and both give the same bytes (tests/exchanges/
test_exports_copy.py). The page, the admin action and the command all go through
`write_records_csv`; the workbook's records sheet reads COPY's output back (`record_sheet_rows`).
"""

import csv
import datetime
import io
import json
import operator
import tempfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

import xlsxwriter
from django.contrib import admin
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, F, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from core import csv as safe_csv
from core.periods import academic_year_of
from exchanges.models import MobilityRecord
from partners.choices import Category, Direction, ProgramKind, Purpose
from reporting.reports import ACADEMIC, CALENDAR, AnnualReport, Table, period_year_expression

BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Beyond this many records a workbook takes too long to write and to open: records.csv instead.
# Measured (bench/results.md) at about 9,000 records/s for the records sheet on the 2-core
# target under load (4,000 before it read COPY's output and the writer's loop was trimmed), and
# about 2 s for the figure sheets, so the limit keeps a download within about 15 seconds.
XLSX_MAX_RECORDS = 120_000
ITERATOR_CHUNK_SIZE = 2000
# Lines joined into one chunk of the streamed CSV: fewer, larger writes to the socket.
CSV_LINES_PER_CHUNK = 500
# records.csv is written whole before it is sent (COPY cannot hand over rows halfway): up to
# this size in memory, beyond it in a temporary file, so memory stays flat for any number of rows.
CSV_SPOOL_MAX_BYTES = 2 * 1024 * 1024
# The written records.csv goes to the socket in blocks of this size rather than FileResponse's 4 KB.
CSV_SEND_BLOCK_BYTES = 64 * 1024
XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
SHEET_NAME_FORBIDDEN = str.maketrans({char: " " for char in "[]:*?/\\"})


# --- the injection rule ----------------------------------------------------------------------


# The CSV writer applies the rule inside; the XLSX writer and the label maps need it per cell.
defuse = safe_csv.defuse


def defused_sql(column: str) -> str:
    """`defuse` as SQL over a text column of the COPY query (see records_copy_query).

    The steps of core.csv's `defuse`: a leading tab or carriage return gets an apostrophe;
    so does a leading = + - @ | %, unless the whole text is a number such as -1,5 (Python's `$`
    also matches before a final newline, hence `\\n?`), and then every | gets a backslash.
    The first character is told by its code, the cheapest test for the common case: tab 9,
    carriage return 13, then = + - @ | % (61 43 45 64 124 37). `%%` is one % once psycopg2 has
    bound the parameters.
    """
    return (
        f"CASE WHEN ascii({column}) NOT IN (9, 13, 61, 43, 45, 64, 124, 37) THEN {column} "
        f"WHEN ascii({column}) IN (9, 13) THEN '''' || {column} "
        f"WHEN {column} ~ E'^-?[0-9,.]+\\n?$' THEN {column} "
        f"ELSE '''' || replace({column}, '|', E'\\\\|') END"
    )


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


RECORD_ORDER = ("start_date", "full_name", "pk")


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def _country_names() -> dict[str, str]:
    return {code: str(name) for code, name in countries}


def record_rows(records: QuerySet, *, period: str = CALENDAR) -> Iterator[list]:
    """Header, then one row per record of the queryset, streamed from the database."""
    yield record_header()
    directions = _labels(Direction)
    categories = _labels(Category)
    kinds = _labels(ProgramKind)
    purposes = _labels(Purpose)
    fundings = _labels(MobilityRecord.Funding)
    statuses = _labels(MobilityRecord.Status)
    country_names = _country_names()
    # The year from the start date in Python: on SQLite a database expression would call a
    # Python function per row anyway, and it is the same rule as exchanges.reports uses.
    year_of = academic_year_of if period == ACADEMIC else operator.attrgetter("year")
    rows = (
        records.order_by(*RECORD_ORDER)
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


def records_copy_query(records: QuerySet, *, period: str = CALENDAR) -> tuple[str, list]:
    """PostgreSQL's SELECT of records.csv's rows, as `record_rows` and the csv module write them.

    The ORM builds the inner query (the queryset's filters and joins, the report year, the
    affiliation rule); around it, labels come from JSON objects passed as parameters, text goes
    through `defused_sql`, and empty text becomes NULL, which COPY writes as nothing (an empty
    string it would quote). Returns the SQL with %s placeholders and its parameters.
    """
    inner_sql, inner_params = (
        _copy_source(records, period=period).query.get_compiler(using=records.db).as_sql()
    )
    columns = [
        ("record.report_year", []),
        _labelled("record.direction", _labels(Direction)),
        _labelled("record.category", _labels(Category)),
        _text("record.full_name"),
        _text("record.affiliation"),
        _text("record.partner_name"),
        _text("record.partner_country"),
        # No fallback: a code django-countries does not know has no name, as in record_rows.
        ("NULLIF(%s::jsonb ->> record.partner_country, '')", [_json(_defused(_country_names()))]),
        _text("record.program_title"),
        _labelled("record.program_kind", _labels(ProgramKind)),
        _labelled("record.purpose", _labels(Purpose)),
        _text("record.agreement_reference"),
        # COPY writes dates in the session's DateStyle: ISO 8601, the only style psycopg2 can
        # read dates in, so every working connection has it (to_char would be slower).
        ("record.start_date", []),
        ("record.end_date", []),
        ("record.end_date - record.start_date + 1", []),
        _labelled("record.funding", _labels(MobilityRecord.Funding)),
        _labelled("record.status", _labels(MobilityRecord.Status)),
    ]
    select = ",\n    ".join(sql for sql, _params in columns)
    # Sorted inside, on the narrow raw rows, so that PostgreSQL plans the inner query as it
    # would alone and computes the text after sorting. The outer ORDER BY (same keys) makes the
    # order certain and costs nothing: the planner knows the rows arrive sorted.
    # The SQL pieces are the ORM's and this module's own; every value is a bound parameter.
    sql = (
        f"SELECT\n    {select}\nFROM ({inner_sql}) AS record\n"  # nosec B608
        "ORDER BY record.start_date, record.full_name, record.id"
    )
    # Positional parameters in the order of their placeholders: the columns', then the query's.
    return sql, [param for _sql, params in columns for param in params] + list(inner_params)


def _copy_source(records: QuerySet, *, period: str) -> QuerySet:
    """records.csv's raw columns, under the names records_copy_query uses."""

    def non_empty(field):
        return NullIf(field, Value(""))

    return records.order_by(*RECORD_ORDER).values(
        "id",
        "direction",
        "category",
        "full_name",
        "purpose",
        "start_date",
        "end_date",
        "funding",
        "status",
        report_year=period_year_expression(period),
        affiliation=Case(
            When(
                direction=Direction.INCOMING,
                then=Coalesce(non_empty("home_institution"), non_empty("department__name")),
            ),
            default=Coalesce(non_empty("department__name"), non_empty("home_institution")),
        ),
        partner_name=F("partner__name"),
        partner_country=F("partner__country"),
        program_title=F("program__title"),
        program_kind=F("program__kind"),
        agreement_reference=F("agreement__reference"),
    )


def _defused(labels: dict[str, str]) -> dict[str, str]:
    return {value: defuse(label) for value, label in labels.items()}


def _json(labels: dict[str, str]) -> str:
    return json.dumps(labels, ensure_ascii=False)


def _text(column: str) -> tuple[str, list]:
    return f"NULLIF({defused_sql(column)}, '')", []


def _labelled(column: str, labels: dict[str, str]) -> tuple[str, list]:
    # A value without a label is written as it is (defused), as record_rows does.
    sql = f"NULLIF(COALESCE(%s::jsonb ->> {column}, {defused_sql(column)}), '')"
    return sql, [_json(_defused(labels))]


def table_rows(table: Table) -> Iterator[list]:
    """One figure table: header, rows, then its total row."""
    yield table.header
    yield from table.rows
    yield from table.footer


def summary_rows(report: AnnualReport) -> Iterator[list]:
    """Every figure table one after another, each with a title row and a header row."""
    yield [_("Annual mobility report"), report.label, report.department_label]
    yield [_("Archived mobility records (not counted)"), report.archived]
    for table in report.tables():
        yield []
        yield [table.title]
        yield from table_rows(table)


# --- writers ---------------------------------------------------------------------------------


def _csv_cell(value):
    if value.__class__ is str:  # the common case first: this runs for every cell
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """The BOM first, then the rows as CSV text in chunks of a few hundred lines."""
    # Lines end as COPY ends them, so that both ways to records.csv give the same bytes.
    writer = safe_csv.writer(safe_csv.Echo(), lineterminator="\n")
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


def write_records_csv(
    records: QuerySet,
    stream,
    *,
    period: str = CALENDAR,
    progress: Callable[[int], None] | None = None,
) -> int:
    """records.csv of the queryset into a binary stream; returns the number of records.

    PostgreSQL writes it with COPY, other databases through `record_rows`: the same bytes.
    `progress`, if given, is called after each record with the number written so far.
    """
    if connections[records.db].vendor == "postgresql":
        return _copy_records_csv(records, stream, period=period, progress=progress)
    written = 0

    def counted(rows):
        nonlocal written
        yield next(rows)  # the header
        for written, row in enumerate(rows, start=1):
            if progress:
                progress(written)
            yield row

    for chunk in csv_chunks(counted(record_rows(records, period=period))):
        stream.write(chunk.encode())
    return written


class _RecordCounter:
    """COPY's output passed on and counted: PostgreSQL sends each row in a message of its own,
    which psycopg2 hands to write() on its own."""

    def __init__(self, stream, progress: Callable[[int], None]):
        self.stream, self.progress, self.records = stream, progress, 0

    def write(self, row: bytes):
        self.records += 1
        self.progress(self.records)
        return self.stream.write(row)


def _copy_records_csv(records, stream, *, period, progress) -> int:
    stream.write("".join(csv_chunks([record_header()])).encode())
    try:
        sql, params = records_copy_query(records, period=period)
    except EmptyResultSet:  # a filter that can match nothing, such as department__in=[]
        return 0
    with connections[records.db].cursor() as cursor:
        # COPY takes no bind parameters: psycopg2 binds them into the text, quoted, as it does
        # for every query; the SQL around them is the ORM's and ours.
        copy = cursor.mogrify(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, ENCODING 'UTF8')", params)
        cursor.copy_expert(copy.decode(), _RecordCounter(stream, progress) if progress else stream)
        return cursor.rowcount


def records_csv_response(
    records: QuerySet, filename: str, *, period: str = CALENDAR
) -> FileResponse:
    """records.csv as a download: written whole into a spooled temporary file, then sent."""
    spool = tempfile.SpooledTemporaryFile(max_size=CSV_SPOOL_MAX_BYTES)  # the response closes it
    write_records_csv(records, spool, period=period)
    spool.seek(0)
    response = FileResponse(
        spool, as_attachment=True, filename=filename, content_type=CSV_CONTENT_TYPE
    )
    response.block_size = CSV_SEND_BLOCK_BYTES
    return response


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


def xlsx_response(sheets: Iterable[tuple[str, Iterable[list]]], filename: str) -> FileResponse:
    # A temporary file rather than memory: the workbook can hold a couple of hundred thousand rows.
    handle = tempfile.TemporaryFile()
    write_xlsx(handle, sheets)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def record_sheet_rows(records: QuerySet, *, period: str = CALENDAR) -> Iterator[list]:
    """The workbook's records: `record_rows`, or on PostgreSQL records.csv read back.

    COPY and the csv module's reader are several times faster than the ORM's iterator, whose
    server-side cursor PostgreSQL plans for reading only the first rows. The text comes defused;
    the XLSX writer's check leaves it as it is. Year and days become numbers again.
    """
    if connections[records.db].vendor != "postgresql":
        yield from record_rows(records, period=period)
        return
    with tempfile.SpooledTemporaryFile(max_size=CSV_SPOOL_MAX_BYTES) as spool:
        write_records_csv(records, spool, period=period)
        spool.seek(0)
        rows = csv.reader(io.TextIOWrapper(spool, encoding="utf-8-sig", newline=""))
        yield next(rows)  # the header
        for row in rows:
            row[0], row[14] = int(row[0]), int(row[14])
            yield row


def report_sheets(report: AnnualReport, records: QuerySet) -> Iterator[tuple[str, Iterable]]:
    """The workbook: a sheet of records, then one sheet per figure table."""
    yield _("Records"), record_sheet_rows(records, period=report.period)
    for table in report.tables():
        yield table.sheet_name, table_rows(table)


def export_file_name(kind: str, year: int, period: str, extension: str) -> str:
    suffix = "" if period == CALENDAR else f"-{period}"
    return f"mobility-{kind}-{year}{suffix}.{extension}"


# --- admin -----------------------------------------------------------------------------------


@admin.action(description=gettext_lazy("Export selected records as CSV"))
def export_records_csv_action(modeladmin, request, queryset):
    """The admin's "export selected": the same columns as the annual report's records.csv."""
    return records_csv_response(queryset, "mobility-records-selected.csv")
