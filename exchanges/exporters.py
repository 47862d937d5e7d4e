"""records.csv: one row per mobility record, the exporter the annual report and the admin share.

Columns, in this order:

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
 9. country code of where the mobility took place (the record's own country, never empty);
10. that country's name;
11. program (its title, empty without one);
12. program kind;
13. purpose;
14. agreement reference;
15. start (ISO 8601 date);
16. end (ISO 8601 date);
17. days: from start to end, both days included, a number;
18. funding;
19. status.
Labels are translated into the active language; dates are ISO 8601.

Two ways to the same bytes (core.exporters): on PostgreSQL the database writes the CSV itself,
COPY of `records_copy_query`, with labels, year, days and the injection rule in SQL, about ten
times the rows per second of Python (bench/results.md); elsewhere `record_rows` and core.csv
write it. `record_rows` is the reference (tests/reporting/test_exports_copy.py).
"""

import csv
import datetime
import io
import json
import operator
import tempfile
from collections.abc import Iterable, Iterator

from django.db import connections
from django.db.models import Case, F, QuerySet, Value, When
from django.db.models.functions import Coalesce, ExtractYear, NullIf
from django.utils.translation import gettext as _

from core.countries import country_names
from core.csv import defuse, defused_sql
from core.exporters import CopyCsvWriter, Exporter
from core.languages import in_active_language_sql
from core.periods import academic_year_expression, academic_year_of
from exchanges.choices import ProgramKind, Purpose
from exchanges.models import MobilityRecord
from partners.choices import Direction
from people.choices import Category

ITERATOR_CHUNK_SIZE = 2000
# The workbook's records sheet reads COPY's output back through a file this big in memory at most.
SPOOL_MAX_BYTES = 2 * 1024 * 1024


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
        _("Mobility country code"),
        _("Mobility country"),
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
    "country",
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
# Where records.csv has its dates and its days (see the module's docstring).
START_COLUMN, END_COLUMN, DAYS_COLUMN = 14, 15, 16

# Fields written in several languages (core.languages): exported in the exporter's language.
TRANSLATED_FIELDS = ("partner__name", "program__title")


def _in_active_language(fields):
    return [
        in_active_language_sql(field) if field in TRANSLATED_FIELDS else field for field in fields
    ]


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def record_rows(records: QuerySet, *, academic: bool = False) -> Iterator[list]:
    """Header, then one row per record of the queryset, streamed from the database."""
    yield record_header()
    directions = _labels(Direction)
    categories = _labels(Category)
    kinds = _labels(ProgramKind)
    purposes = _labels(Purpose)
    fundings = _labels(MobilityRecord.Funding)
    statuses = _labels(MobilityRecord.Status)
    countries = country_names()
    # The year from the start date in Python: on SQLite a database expression would call a
    # Python function per row anyway, and it is the same rule (core.periods).
    year_of = academic_year_of if academic else operator.attrgetter("year")
    rows = (
        records.order_by(*RECORD_ORDER)
        .values_list(*_in_active_language(RECORD_FIELDS))
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
        record_country,
        program,
        kind,
        purpose,
        agreement,
        start,
        end,
        funding,
        status,
    ) in rows:
        yield [
            year_of(start),
            directions.get(direction, direction),
            categories.get(category, category),
            full_name,
            _affiliation(direction, department, home_institution),
            partner or "",
            country or "",
            countries.get(country, "") if country else "",
            record_country or "",
            countries.get(record_country, "") if record_country else "",
            program or "",
            kinds.get(kind, kind or ""),
            purposes.get(purpose, purpose),
            agreement or "",
            start,  # a date: ISO 8601 in a CSV (core.csv), a date cell in a workbook
            end,
            (end - start).days + 1,
            fundings.get(funding, funding),
            statuses.get(status, status),
        ]


def _affiliation(direction: str, department: str | None, home_institution: str) -> str:
    """An incoming participant's home institution, an outgoing one's department, or the other."""
    if direction == Direction.INCOMING:
        return home_institution or department or ""
    return department or home_institution or ""


def records_copy_query(records: QuerySet, *, academic: bool = False) -> tuple[str, list]:
    """PostgreSQL's SELECT of records.csv's rows, as `record_rows` and the csv module write them.

    The ORM builds the inner query (the queryset's filters and joins, the report year, the
    affiliation rule); around it, labels come from JSON objects passed as parameters, text goes
    through `defused_sql`, and empty text becomes NULL, which COPY writes as nothing (an empty
    string it would quote). Returns the SQL with %s placeholders and its parameters.
    """
    inner_sql, inner_params = (
        _copy_source(records, academic=academic).query.get_compiler(using=records.db).as_sql()
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
        ("NULLIF(%s::jsonb ->> record.partner_country, '')", [_json(_defused(country_names()))]),
        _text("record.record_country"),
        ("NULLIF(%s::jsonb ->> record.record_country, '')", [_json(_defused(country_names()))]),
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


def _copy_source(records: QuerySet, *, academic: bool) -> QuerySet:
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
        report_year=academic_year_expression("start_date")
        if academic
        else ExtractYear("start_date"),
        affiliation=Case(
            When(
                direction=Direction.INCOMING,
                then=Coalesce(non_empty("home_institution"), non_empty("department__name")),
            ),
            default=Coalesce(non_empty("department__name"), non_empty("home_institution")),
        ),
        partner_name=in_active_language_sql("partner__name"),
        partner_country=F("partner__country"),
        record_country=F("country"),
        program_title=in_active_language_sql("program__title"),
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


class RecordsExporter(Exporter):
    """records.csv of a queryset of mobility records; `academic` counts years from September."""

    supports_copy = True

    def __init__(self, records: QuerySet, *, academic: bool = False):
        self.records, self.academic, self.using = records, academic, records.db

    @property
    def sheet_name(self) -> str:
        return _("Records")

    def header(self) -> list[str]:
        return record_header()

    def rows(self) -> Iterator[list]:
        return record_rows(self.records, academic=self.academic)

    def copy_query(self) -> tuple[str, list]:
        return records_copy_query(self.records, academic=self.academic)

    def sheets(self) -> Iterator[tuple[str, Iterable[list]]]:
        yield self.sheet_name, self.sheet_rows()

    def sheet_rows(self) -> Iterator[list]:
        """The workbook's records: `record_rows`, or on PostgreSQL records.csv read back.

        COPY and the csv module's reader are several times faster than the ORM's iterator, whose
        server-side cursor PostgreSQL plans for reading only the first rows. The text comes
        defused; the XLSX writer's check leaves it as it is. Year and days become numbers again,
        start and end dates.
        """
        if connections[self.using].vendor != "postgresql":
            yield from self.rows()
            return
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES) as spool:
            CopyCsvWriter().write(self, spool)
            spool.seek(0)
            rows = csv.reader(io.TextIOWrapper(spool, encoding="utf-8-sig", newline=""))
            yield next(rows)  # the header
            for row in rows:
                row[0], row[DAYS_COLUMN] = int(row[0]), int(row[DAYS_COLUMN])
                row[START_COLUMN] = datetime.date.fromisoformat(row[START_COLUMN])
                row[END_COLUMN] = datetime.date.fromisoformat(row[END_COLUMN])
                yield row
