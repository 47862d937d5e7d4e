"""The annual report's figures: the year's mobility in numbers, computed by the database.

`build_annual_report(year, period=..., department=...)` returns an `AnnualReport` that the report
page, the summary CSV, the XLSX workbook and the `export_annual_report` command all share. It holds
numbers and the names the data gives (partners, departments, countries, choices), no text of its
own: a group without a name (no partner, no program) has an empty label, and titles, headers,
sheet names and those labels are reporting.tables' business.

Rules:
- a record counts in the period in which it starts; cancelled and archived records never count
  (`MobilityRecord.objects.counted().starting_between(first, last)`), and the report says how
  many archived records it left out;
- the period is the calendar year, or the academic year September-August that starts in `year`;
- the figures are a few grouped queries over the current and the previous period together
  (conditional counts), so the number of queries does not depend on the number of records;
- the queries read covering indexes made for them (MobilityRecord.Meta.indexes), never the
  table, and group the records before joining names to them;
- totals are sums of the few grouped rows the database returned, never loops over records.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear
from django.utils import timezone

from core.countries import country_names
from core.periods import (
    MAX_YEAR,
    MIN_YEAR,
    academic_year_bounds,
    academic_year_expression,
    academic_year_label,
    academic_year_of,
    calendar_year_bounds,
)
from exchanges.models import MobilityRecord
from partners.choices import Category, Direction, ProgramKind, Purpose
from partners.models import Agreement, Department, Partner

CALENDAR = "calendar"
ACADEMIC = "academic"
PERIODS = (CALENDAR, ACADEMIC)
# MIN_YEAR and MAX_YEAR (core.periods) are the years a report may be asked for.
__all__ = ["MAX_YEAR", "MIN_YEAR"]  # re-exported for the views and the command
TREND_YEARS = 10

OUT = Q(direction=Direction.OUTGOING)
IN = Q(direction=Direction.INCOMING)


def period_bounds(year: int, period: str = CALENDAR) -> tuple[datetime.date, datetime.date]:
    if period == ACADEMIC:
        return academic_year_bounds(year)
    if period == CALENDAR:
        return calendar_year_bounds(year)
    raise ValueError(f"Unknown report period: {period!r}")


def period_label(year: int, period: str = CALENDAR) -> str:
    return academic_year_label(year) if period == ACADEMIC else str(year)


def period_year_expression(period: str = CALENDAR):
    """The report year a record counts in, as a database expression on its start date."""
    if period == ACADEMIC:
        return academic_year_expression("start_date")
    return ExtractYear("start_date")


def department_ids(department) -> list[int] | None:
    """None (whole university), a Department, an id, or an iterable of either."""
    if department is None:
        return None
    if isinstance(department, Department):
        return [department.pk]
    if isinstance(department, int):
        return [department]
    return [item.pk if isinstance(item, Department) else int(item) for item in department]


def counted_records(
    first: datetime.date, last: datetime.date, *, department=None
) -> QuerySet[MobilityRecord]:
    records = MobilityRecord.objects.counted().starting_between(first, last)
    ids = department_ids(department)
    if ids is not None:
        records = records.filter(department_id__in=ids)
    return records


def archived_records(
    first: datetime.date, last: datetime.date, *, department=None
) -> QuerySet[MobilityRecord]:
    """The period's records that would count had the office not archived them."""
    records = MobilityRecord.objects.archived_from_count().starting_between(first, last)
    ids = department_ids(department)
    if ids is not None:
        records = records.filter(department_id__in=ids)
    return records


# --- what the report holds --------------------------------------------------------------------
#
# The rows are plain slotted dataclasses, not frozen ones: a frozen dataclass takes five times as
# long to create, and a report holds a row for each of thousands of partners and agreements.


@dataclass(slots=True)
class GroupRow:
    """Participants of one group (a country, a partner...) by direction, this and last period."""

    key: object
    label: str
    outgoing: int = 0
    incoming: int = 0
    previous_outgoing: int = 0
    previous_incoming: int = 0
    detail: str = ""  # a second label column where the table has one (a partner's country)

    @property
    def current(self) -> int:
        return self.outgoing + self.incoming

    @property
    def previous(self) -> int:
        return self.previous_outgoing + self.previous_incoming

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass(slots=True)
class DurationRow:
    label: str
    participants: int
    person_days: int
    previous_participants: int
    previous_person_days: int

    @property
    def average_days(self) -> float:
        return round(self.person_days / self.participants, 1) if self.participants else 0.0

    @property
    def previous_average_days(self) -> float:
        if not self.previous_participants:
            return 0.0
        return round(self.previous_person_days / self.previous_participants, 1)

    @property
    def change(self) -> int:
        return self.person_days - self.previous_person_days


@dataclass(slots=True)
class AgreementRow:
    pk: int
    reference: str
    partner: str
    country: str
    signed_on: datetime.date | None
    current: int
    previous: int
    since_signed: int

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass(slots=True)
class TrendPoint:
    year: int
    label: str
    outgoing: int
    incoming: int

    @property
    def total(self) -> int:
        return self.outgoing + self.incoming


def sum_rows(rows: Iterable[GroupRow]) -> GroupRow:
    """The total of `rows`: a row without a key or a label."""
    rows = list(rows)
    return GroupRow(
        key=None,
        label="",
        outgoing=sum(row.outgoing for row in rows),
        incoming=sum(row.incoming for row in rows),
        previous_outgoing=sum(row.previous_outgoing for row in rows),
        previous_incoming=sum(row.previous_incoming for row in rows),
    )


@dataclass
class AnnualReport:
    year: int
    period: str
    first_day: datetime.date
    last_day: datetime.date
    previous_first_day: datetime.date
    departments: list[Department] | None
    by_category: list[GroupRow]
    by_country: list[GroupRow]
    by_partner: list[GroupRow]
    by_program_kind: list[GroupRow]
    by_purpose: list[GroupRow]
    by_department: list[GroupRow]
    durations: list[DurationRow]
    conference_trips: list[GroupRow]
    agreements: list[AgreementRow]
    trend: list[TrendPoint]
    archived: int = 0  # records of the period left out because the office archived them

    @property
    def label(self) -> str:
        return period_label(self.year, self.period)

    @property
    def previous_label(self) -> str:
        return period_label(self.year - 1, self.period)

    @property
    def is_academic(self) -> bool:
        return self.period == ACADEMIC

    @property
    def totals(self) -> GroupRow:
        return sum_rows(self.by_category)

    @property
    def total_duration(self) -> DurationRow:
        return self.durations[-1]

    @property
    def conference_trip_total(self) -> GroupRow:
        return sum_rows(self.conference_trips)


# --- the queries ------------------------------------------------------------------------------

COUNT_KEYS = ("outgoing", "incoming", "previous_outgoing", "previous_incoming")
SPAN_KEYS = ("span", "previous_span")


def _participants(condition: Q | None = None) -> Count:
    """The number of records that meet `condition`.

    It counts their start dates, which are never empty, rather than their ids: every index the
    report reads holds the start date and none holds the id, so the counts come from the index
    alone (Django's Count("*") takes no condition).
    """
    return Count("start_date", filter=condition)


def _count_aggregates(current: Q, previous: Q) -> dict:
    return {
        "outgoing": _participants(current & OUT),
        "incoming": _participants(current & IN),
        "previous_outgoing": _participants(previous & OUT),
        "previous_incoming": _participants(previous & IN),
    }


def _fetch_dicts(sql: str, params) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # nosec B608
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _left_join(rows: QuerySet, key: str, details: QuerySet, details_key: str) -> list[dict]:
    """Each of `rows` with the columns of its matching row of `details` (None where none matches).

    Django cannot join a queryset to a grouped one; this joins the names of partners, departments
    or agreements to the few rows of counts after grouping, instead of carrying them through every
    record's row before it. Both halves are the ORM's own SQL with their parameters kept apart;
    only the join is ours. The column names of the two halves must differ.
    """
    rows_sql, rows_params = rows.query.sql_with_params()
    details_sql, details_params = details.query.sql_with_params()
    quote = connection.ops.quote_name
    sql = (
        f"SELECT r.*, d.* FROM ({rows_sql}) r "  # noqa: S608  # nosec B608
        f"LEFT JOIN ({details_sql}) d ON d.{quote(details_key)} = r.{quote(key)}"
    )
    return _fetch_dicts(sql, (*rows_params, *details_params))


def _left_join_lateral(
    rows: QuerySet, key: str, records: QuerySet, records_field: str, aggregates: dict
) -> list[dict]:
    """Like `_left_join`, with the `aggregates` of the `records` whose `records_field` is the
    row's `key`, computed for each row apart (PostgreSQL's LATERAL join)."""
    quote = connection.ops.quote_name
    # The condition names a column of the outer query, which the records' own query cannot know.
    this_row = RawSQL(f"r.{quote(key)}", ())  # noqa: S611  # nosec B611
    details = records.filter(**{records_field: this_row}).annotate(**aggregates)
    rows_sql, rows_params = rows.query.sql_with_params()
    details_sql, details_params = details.query.sql_with_params()
    sql = (
        f"SELECT r.*, d.* FROM ({rows_sql}) r "  # noqa: S608  # nosec B608
        f"LEFT JOIN LATERAL ({details_sql}) d ON TRUE"
    )
    return _fetch_dicts(sql, (*rows_params, *details_params))


def _counts_by(records: QuerySet, current: Q, previous: Q, key: str, names: QuerySet) -> list[dict]:
    """One query: participants per value of the foreign key `key`, by direction, in this and the
    previous period, with the `names` (a values() queryset keyed by `name_key`) of each group."""
    counts = (
        records.order_by().values(group_key=F(key)).annotate(**_count_aggregates(current, previous))
    )
    return _left_join(counts, "group_key", names, "name_key")


def _figure_counts(records: QuerySet, current: Q, previous: Q) -> list[dict]:
    """One query for the small figures: participants and stay lengths per combination of
    direction, category, purpose and program kind, by period.

    The result is a few hundred grouped rows, whatever the number of records; each figure is a
    sum over them (`_rollup`). The departments are not in it: sixty of them would multiply the
    groups by sixty (tens of thousands of rows to sort and sum), so they have their own query.
    Conference trips abroad group by the record's country, which the other figures do not need:
    `conference_country` is empty except on outgoing conference records, so it splits only
    those groups.
    """
    # Date minus date is a DurationField on both PostgreSQL (interval) and SQLite (microseconds);
    # each record adds one day more than the difference, see _duration_rows.
    span = F("end_date") - F("start_date")
    return list(
        records.order_by()
        .annotate(
            conference_country=Case(
                When(OUT & Q(purpose=Purpose.CONFERENCE), then=F("country")),
                default=None,
                output_field=CharField(),
            )
        )
        .values(
            "direction",
            "category",
            "purpose",
            "program__kind",
            "conference_country",
        )
        .annotate(
            **_count_aggregates(current, previous),
            span=Sum(span, filter=current, output_field=DurationField()),
            previous_span=Sum(span, filter=previous, output_field=DurationField()),
        )
    )


def _rollup(rows: Iterable[dict], *fields: str, keys=COUNT_KEYS) -> list[dict]:
    """Sum grouped rows over every field but `fields`: the counts per group of those fields."""
    sums: dict[tuple, dict] = {}
    for row in rows:
        group = tuple([row[name] for name in fields])
        total = sums.get(group)
        if total is None:
            total = sums[group] = {name: row[name] for name in fields} | dict.fromkeys(keys)
        for key in keys:
            if row[key] is not None:
                total[key] = row[key] if total[key] is None else total[key] + row[key]
    return list(sums.values())


def _group_rows(counts: list[dict], key_field: str, label, detail=None) -> list[GroupRow]:
    rows = [
        GroupRow(
            key=item[key_field],
            label=label(item),
            detail=detail(item) if detail else "",
            outgoing=item["outgoing"],
            incoming=item["incoming"],
            previous_outgoing=item["previous_outgoing"],
            previous_incoming=item["previous_incoming"],
        )
        for item in counts
    ]
    # Largest first; groups without a name ("no partner") last among equals; two partners of the
    # same name in the order of their keys, whatever order the database grouped them in.
    return sorted(
        rows, key=lambda row: (-row.current, -row.previous, row.key is None, row.label, row.key)
    )


def _choice_rows(counts: list[dict], field_name: str, choices) -> list[GroupRow]:
    """Rows for a choice field in the choices' own order, every choice shown, even at zero."""
    found = {item[field_name]: item for item in counts}
    zero = {"outgoing": 0, "incoming": 0, "previous_outgoing": 0, "previous_incoming": 0}
    rows = [
        GroupRow(key=value, label=str(label), **{k: found.get(value, zero)[k] for k in zero})
        for value, label in choices.choices
    ]
    for value in found.keys() - set(choices.values):
        # A record without one (no program) or with a value no longer offered: its own row.
        item = found[value]
        label = "" if value in (None, "") else str(value)
        rows.append(GroupRow(key=value or None, label=label, **{k: item[k] for k in zero}))
    return rows


def _duration_rows(figures: list[dict]) -> list[DurationRow]:
    counts = {
        item["direction"]: item
        for item in _rollup(figures, "direction", keys=COUNT_KEYS + SPAN_KEYS)
    }

    def days(item: dict | None, span_key: str, participants: int) -> int:
        if not item:
            return 0
        total = item[span_key] or datetime.timedelta(0)
        return total.days + participants

    rows = []
    for direction in Direction:
        item = counts.get(direction.value)
        participants = item["outgoing"] + item["incoming"] if item else 0
        previous = item["previous_outgoing"] + item["previous_incoming"] if item else 0
        rows.append(
            DurationRow(
                label=str(direction.label),
                participants=participants,
                person_days=days(item, "span", participants),
                previous_participants=previous,
                previous_person_days=days(item, "previous_span", previous),
            )
        )
    rows.append(
        DurationRow(
            label="",  # the total
            participants=sum(row.participants for row in rows),
            person_days=sum(row.person_days for row in rows),
            previous_participants=sum(row.previous_participants for row in rows),
            previous_person_days=sum(row.previous_person_days for row in rows),
        )
    )
    return rows


def _agreement_rows(
    first: datetime.date,
    last: datetime.date,
    previous_first: datetime.date,
    ids: list[int] | None,
) -> list[AgreementRow]:
    """Active agreements on the period's last day (today for the running period), one query.

    Each agreement's records are counted on their own, never joined to the agreement's row: that
    would carry every record's row through the join. PostgreSQL counts them agreement by agreement
    (a LATERAL join: one range of the index on agreement and start date each, only for the active
    agreements); other databases count the records of all agreements grouped by agreement and join
    the counts to the active ones.
    """
    on = min(last, timezone.localdate())
    agreements = Agreement.objects.active(on=on)
    records = MobilityRecord.objects.counted().filter(start_date__lte=last)
    if ids is not None:
        records = records.filter(department_id__in=ids)
        with_department_records = MobilityRecord.objects.filter(
            department_id__in=ids, agreement__isnull=False
        ).values("agreement_id")
        agreements = agreements.filter(Q(department_id__in=ids) | Q(pk__in=with_department_records))
    agreements = agreements.order_by().values(
        agreement_key=F("pk"),
        agreement_reference=F("reference"),
        agreement_signed_on=F("signed_on"),
        partner_name=F("partner__name"),
        partner_country=F("partner__country"),
    )
    counts = {
        "current_count": _participants(Q(start_date__gte=first)),
        "previous_count": _participants(Q(start_date__gte=previous_first, start_date__lt=first)),
        "since_signed_count": _participants(),
    }
    records = records.order_by().values(counted_agreement=F("agreement_id"))
    if connection.vendor == "postgresql":
        found = _left_join_lateral(agreements, "agreement_key", records, "agreement_id", counts)
    else:
        active = Agreement.objects.active(on=on).values("pk")
        counted = records.filter(agreement__in=active).annotate(**counts)
        found = _left_join(agreements, "agreement_key", counted, "counted_agreement")
    signed_on_field = Agreement._meta.get_field("signed_on")
    country_name = country_names()
    rows = [
        AgreementRow(
            pk=row["agreement_key"],
            reference=row["agreement_reference"],
            partner=row["partner_name"],
            country=country_name.get(row["partner_country"], ""),
            signed_on=_as_date(row["agreement_signed_on"], signed_on_field),
            current=row["current_count"] or 0,
            previous=row["previous_count"] or 0,
            since_signed=row["since_signed_count"] or 0,
        )
        for row in found
    ]
    return sorted(rows, key=lambda row: (-row.current, -row.since_signed, row.reference))


def _as_date(value, field) -> datetime.date | None:
    """A raw cursor leaves SQLite's dates as text; the field's own converter makes them dates."""
    if value is None or isinstance(value, datetime.date):
        return value
    return field.to_python(value)


def participants_per_year(
    years: Iterable[int], period: str = CALENDAR, *, department=None
) -> dict[int, tuple[int, int]]:
    """Participants of each of `years`, as (outgoing, incoming), in one query.

    One count per year and direction, put together with UNION ALL: each is a range of the index
    on the counted records' start date and direction, read without touching the table. Grouping
    by an extracted year instead would compute it for every record (and call a Python function
    per row on SQLite); conditional counts would test every record against every year.
    """
    parts = [
        counted_records(*period_bounds(year, period), department=department)
        .filter(direction=direction)
        .order_by()
        .values(counted_year=Value(year), counted_direction=Value(direction))
        .annotate(participants=_participants())
        for year in years
        for direction in (Direction.OUTGOING, Direction.INCOMING)
    ]
    counts = {}
    if parts:
        counts = {
            (row["counted_year"], row["counted_direction"]): row["participants"]
            for row in parts[0].union(*parts[1:], all=True).order_by()
        }
    return {
        year: (counts.get((year, Direction.OUTGOING), 0), counts.get((year, Direction.INCOMING), 0))
        for year in years
    }


def trend(
    year: int, period: str = CALENDAR, *, department=None, known: dict | None = None
) -> list[TrendPoint]:
    """Participants per year by direction for the ten years up to `year`, in one query.

    `known` maps years already counted elsewhere (the report's own two) to (outgoing, incoming);
    the query leaves them out.
    """
    known = known or {}
    years = range(year - TREND_YEARS + 1, year + 1)
    counts = participants_per_year(
        [each for each in years if each not in known], period, department=department
    )
    counts |= known
    return [
        TrendPoint(
            year=each,
            label=period_label(each, period),
            outgoing=counts[each][0],
            incoming=counts[each][1],
        )
        for each in years
    ]


def _period_year(day: datetime.date, period: str = CALENDAR) -> int:
    return academic_year_of(day) if period == ACADEMIC else day.year


def years_with_records(period: str = CALENDAR, *, department=None) -> list[TrendPoint]:
    """Every year that has counted records, newest first, with its totals: two queries.

    The first and last start dates (both ends of an index), then one count per year and
    direction in between (`participants_per_year`).
    """
    records = MobilityRecord.objects.counted()
    ids = department_ids(department)
    if ids is not None:
        records = records.filter(department_id__in=ids)
    span = records.aggregate(first=Min("start_date"), last=Max("start_date"))
    if span["first"] is None:
        return []
    # Only years a report can be asked for: a mistyped date centuries off would add a count for
    # each year in between, and its report page does not exist.
    years = range(
        max(_period_year(span["first"], period), MIN_YEAR),
        min(_period_year(span["last"], period), MAX_YEAR) + 1,
    )
    counts = participants_per_year(years, period, department=ids)
    return [
        TrendPoint(
            year=each,
            label=period_label(each, period),
            outgoing=counts[each][0],
            incoming=counts[each][1],
        )
        for each in reversed(years)
        if any(counts[each])
    ]


def build_annual_report(year: int, *, period: str = CALENDAR, department=None) -> AnnualReport:
    """All figures of one year (and of the year before, for the change) in six queries.

    The small figures (categories, purposes, program kinds, durations, conference trips) share
    one grouped query, the partners and their countries another, the departments a third; then
    the agreements and the trend; and the count of archived records, from a partial index that
    holds only them. A department filter adds a query for the departments' names.
    """
    first, last = period_bounds(year, period)
    previous_first, _unused = period_bounds(year - 1, period)
    ids = department_ids(department)
    departments = None if ids is None else list(Department.objects.filter(pk__in=ids))
    records = counted_records(previous_first, last, department=ids)
    current = Q(start_date__gte=first)
    previous = Q(start_date__lt=first)

    country_name = country_names()
    figures = _figure_counts(records, current, previous)
    partners = _counts_by(
        records,
        current,
        previous,
        "partner_id",
        Partner.objects.order_by().values(
            name_key=F("pk"), partner_name=F("name"), partner_country=F("country")
        ),
    )
    conference_trips = _rollup(
        (row for row in figures if row["conference_country"] is not None), "conference_country"
    )
    by_category = _choice_rows(_rollup(figures, "category"), "category", Category)
    totals = sum_rows(by_category)
    return AnnualReport(
        year=year,
        period=period,
        first_day=first,
        last_day=last,
        previous_first_day=previous_first,
        departments=departments,
        by_category=by_category,
        by_country=_group_rows(
            _rollup(partners, "partner_country"),
            "partner_country",
            lambda item: country_name.get(item["partner_country"], ""),
        ),
        by_partner=_group_rows(
            partners,
            "group_key",
            lambda item: item["partner_name"] or "",
            detail=lambda item: country_name.get(item["partner_country"], ""),
        ),
        by_program_kind=_choice_rows(
            _rollup(figures, "program__kind"), "program__kind", ProgramKind
        ),
        by_purpose=_choice_rows(_rollup(figures, "purpose"), "purpose", Purpose),
        by_department=_group_rows(
            _counts_by(
                records,
                current,
                previous,
                "department_id",
                Department.objects.order_by().values(name_key=F("pk"), department_name=F("name")),
            ),
            "group_key",
            lambda item: item["department_name"] or "",
        ),
        durations=_duration_rows(figures),
        conference_trips=_group_rows(
            conference_trips,
            "conference_country",
            lambda item: country_name.get(item["conference_country"], ""),
        ),
        agreements=_agreement_rows(first, last, previous_first, ids),
        # This year and the last are in the totals already; the trend's query counts the rest.
        trend=trend(
            year,
            period,
            department=ids,
            known={
                year: (totals.outgoing, totals.incoming),
                year - 1: (totals.previous_outgoing, totals.previous_incoming),
            },
        ),
        archived=archived_records(first, last, department=ids).count(),
    )
