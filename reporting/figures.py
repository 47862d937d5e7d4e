"""The annual report's figures: the year's mobility in numbers, computed by the database.

`build_annual_report(year, period=..., department=...)` returns an `AnnualReport` that the report
page, the summary CSV, the XLSX workbook and the `export_annual_report` command all share. It holds
numbers and the names the data gives (partners, departments, countries, choices), no text of its
own: a group without a name (no partner, no program) has an empty label, and titles, headers,
sheet names and those labels are reporting.tables' business.

Rules:
- countries are where the mobility took place (the record's own country, never empty), not the
  partner's; partners, countries and programs come from one grouped query, so each breakdown
  sums to the total;
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

from django.db.models import (
    Case,
    CharField,
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

from core.countries import country_names
from core.periods import (
    MAX_YEAR,
    MIN_YEAR,
    academic_year_of,
)
from exchanges.choices import ProgramKind, Purpose
from exchanges.models import MobilityRecord
from partners.choices import Direction
from partners.models import Department
from people.choices import Category
from reporting import summary
from reporting.agreements import agreement_rows
from reporting.joins import left_join, participants
from reporting.periods import (
    ACADEMIC,
    CALENDAR,
    PERIODS,
    period_bounds,
    period_label,
    period_year_expression,
)
from reporting.rollups import (
    choice_rows,
    duration_rows,
    group_rows,
    rollup,
)
from reporting.rows import (
    AnnualReport,
    DurationRow,
    GroupRow,
    TrendPoint,
    sum_rows,
)

# The report's periods and rows, importable from here with the figures that use them.
__all__ = [
    "ACADEMIC",
    "CALENDAR",
    "PERIODS",
    "AnnualReport",
    "DurationRow",
    "GroupRow",
    "sum_rows",
    "period_bounds",
    "period_year_expression",
    "build_annual_report",
    "counted_records",
    "participants_per_year",
    "trend",
    "years_with_records",
]

TREND_YEARS = 10

OUT = Q(direction=Direction.OUTGOING)
IN = Q(direction=Direction.INCOMING)


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


# --- the queries ------------------------------------------------------------------------------


def _count_aggregates(current: Q, previous: Q) -> dict:
    return {
        "outgoing": participants(current & OUT),
        "incoming": participants(current & IN),
        "previous_outgoing": participants(previous & OUT),
        "previous_incoming": participants(previous & IN),
    }


def _counts_by(records: QuerySet, current: Q, previous: Q, key: str, names: QuerySet) -> list[dict]:
    """One query: participants per value of the foreign key `key`, by direction, in this and the
    previous period, with the `names` (a values() queryset keyed by `name_key`) of each group."""
    counts = (
        records.order_by().values(group_key=F(key)).annotate(**_count_aggregates(current, previous))
    )
    return left_join(counts, "group_key", names, "name_key")


def _figure_counts(records: QuerySet, current: Q, previous: Q) -> list[dict]:
    """One query for the small figures: participants and stay lengths per combination of
    direction, category, purpose and program kind, by period.

    The result is a few hundred grouped rows, whatever the number of records; each figure is a
    sum over them (`rollup`). The departments are not in it: sixty of them would multiply the
    groups by sixty (tens of thousands of rows to sort and sum), so they have their own query.
    Conference trips abroad group by the record's country, which the other figures do not need:
    `conference_country` is empty except on outgoing conference records, so it splits only
    those groups.
    """
    # Date minus date is a DurationField on both PostgreSQL (interval) and SQLite (microseconds);
    # each record adds one day more than the difference, see duration_rows.
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
        .annotate(participants=participants())
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
    years = trend_years(year)
    counts = participants_per_year(
        [each for each in years if each not in known], period, department=department
    )
    counts |= known
    return _trend_points(years, period, counts)


def trend_years(year: int) -> range:
    return range(year - TREND_YEARS + 1, year + 1)


def _trend_points(years: Iterable[int], period: str, counts: dict) -> list[TrendPoint]:
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
    """Every year that has counted records, newest first, with its totals: the whole
    university's in one query of the summary, a department's in two.

    For departments, the first and last start dates (both ends of an index), then one count per
    year and direction in between (`participants_per_year`).
    """
    ids = department_ids(department)
    if ids is None:
        counts = summary.participants_per_year(period, MIN_YEAR, MAX_YEAR)
        return _trend_points(sorted(counts, reverse=True), period, counts)
    records = MobilityRecord.objects.counted().filter(department_id__in=ids)
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
    return _trend_points([each for each in reversed(years) if any(counts[each])], period, counts)


def build_annual_report(year: int, *, period: str = CALENDAR, department=None) -> AnnualReport:
    """All figures of one year (and of the year before, for the change) in six queries, five
    for the whole university.

    The small figures (categories, purposes, program kinds, durations, conference trips) share
    one grouped query, the partners, countries and programs another, the departments a third (the
    whole university's with the trend); then the agreements, the trend of a department's report,
    and the count of archived records, from a partial index that holds only them. A department
    filter adds a query for the departments' names.
    """
    first, last = period_bounds(year, period)
    previous_first, _unused = period_bounds(year - 1, period)
    ids = department_ids(department)
    departments = None if ids is None else list(Department.objects.filter(pk__in=ids))
    figures, (by_country, by_partner, by_program), by_department, trend_counts = _counts(
        year, period, ids
    )
    conference_trips = rollup(
        (row for row in figures if row["conference_country"] is not None), "conference_country"
    )
    by_category = choice_rows(rollup(figures, "category"), "category", Category)
    totals = sum_rows(by_category)
    country_name = country_names()
    return AnnualReport(
        year=year,
        period=period,
        first_day=first,
        last_day=last,
        previous_first_day=previous_first,
        departments=departments,
        by_category=by_category,
        by_country=by_country,
        by_partner=by_partner,
        by_program=by_program,
        by_program_kind=choice_rows(rollup(figures, "program__kind"), "program__kind", ProgramKind),
        by_purpose=choice_rows(rollup(figures, "purpose"), "purpose", Purpose),
        by_department=by_department,
        durations=duration_rows(figures),
        conference_trips=group_rows(
            conference_trips,
            "conference_country",
            lambda item: country_name.get(item["conference_country"], ""),
        ),
        agreements=agreement_rows(first, last, previous_first, ids, year=year, period=period),
        trend=(
            _trend_points(trend_years(year), period, trend_counts)
            if trend_counts is not None
            # This year and the last are in the totals already; the trend's query counts the rest.
            else trend(
                year,
                period,
                department=ids,
                known={
                    year: (totals.outgoing, totals.incoming),
                    year - 1: (totals.previous_outgoing, totals.previous_incoming),
                },
            )
        ),
        archived=archived_records(first, last, department=ids).count(),
    )


def _counts(year: int, period: str, ids: list[int] | None) -> tuple:
    """(figure rows, partner-country-program breakdowns, department rows, trend counts or None).

    The whole university's come from the summary that the records' triggers keep
    (reporting.summary: three small queries, the trend with the departments); a report narrowed
    to departments counts their records, and its trend is a query of its own.
    """
    if ids is None:
        department_counts, trend_counts = summary.department_counts_and_trend(
            year, period, trend_years(year)
        )
        return (
            summary.figure_counts(year, period),
            _where_rows_of(summary.where_counts(year, period)),
            _department_rows_of(department_counts),
            trend_counts,
        )
    first, last = period_bounds(year, period)
    previous_first, _unused = period_bounds(year - 1, period)
    records = counted_records(previous_first, last, department=ids)
    current = Q(start_date__gte=first)
    previous = Q(start_date__lt=first)
    return (
        _figure_counts(records, current, previous),
        _where_rows(records, current, previous),
        _department_rows(records, current, previous),
        None,
    )


def _where_rows(records, current: Q, previous: Q) -> tuple[list[GroupRow], ...]:
    """One query: participants per partner, country where the mobility took place and program;
    the three breakdowns are sums over its rows, so each adds up to the same total.

    The country is the record's own (required on every record), not its partner's: conference
    trips and other individual trips have no partner but always a country. The groups are few
    (a partner's records go to one or two countries under a few programs), and the names of
    partners and programs are joined to them after grouping.
    """
    return _where_rows_of(
        left_join(
            records.order_by()
            .values(
                group_key=F("partner_id"), record_country=F("country"), program_key=F("program_id")
            )
            .annotate(**_count_aggregates(current, previous)),
            "group_key",
            *summary.where_names(),
        )
    )


def _where_rows_of(groups: list[dict]) -> tuple[list[GroupRow], ...]:
    country_name = country_names()
    kinds = {value: str(label) for value, label in ProgramKind.choices}
    by_country = group_rows(
        rollup(groups, "record_country"),
        "record_country",
        lambda item: country_name.get(item["record_country"], ""),
    )
    by_partner = group_rows(
        rollup(groups, "group_key", "partner_name", "partner_country"),
        "group_key",
        lambda item: item["partner_name"] or "",
        detail=lambda item: country_name.get(item["partner_country"], ""),
    )
    by_program = group_rows(
        rollup(groups, "program_key", "program_title", "program_kind"),
        "program_key",
        lambda item: item["program_title"] or "",
        detail=lambda item: kinds.get(item["program_kind"], item["program_kind"] or ""),
    )
    return by_country, by_partner, by_program


def _department_rows(records, current: Q, previous: Q) -> list[GroupRow]:
    counts = _counts_by(
        records,
        current,
        previous,
        "department_id",
        Department.objects.order_by().values(name_key=F("pk"), department_name=F("name")),
    )
    return _department_rows_of(counts)


def _department_rows_of(counts: list[dict]) -> list[GroupRow]:
    return group_rows(counts, "group_key", lambda item: item["department_name"] or "")
