"""The whole-university report's counts, read from the summary (reporting.models.RecordSummary).

Each function returns the rows reporting.figures would get from the records, in the same shape
and with the same numbers, from a few thousand summary rows instead of a hundred thousand
records: the figures, the partners-countries-programs, the departments with the trend, and the
agreements. A report narrowed to departments reads the records (the summary has no department
in most of its keys; a department's records are few).
"""

import datetime

from django.db.models import F, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce

from core.languages import in_active_language_sql
from exchanges.models import Program
from partners.choices import Direction
from partners.models import Department, Partner
from reporting.joins import fetch_dicts, left_join
from reporting.models import AGREEMENT, ALL_YEARS, DEPARTMENT, FIGURES, WHERE, RecordSummary

OUTGOING, INCOMING = Direction.OUTGOING.value, Direction.INCOMING.value


def _sum(condition: Q) -> Coalesce:
    return Coalesce(Sum("participants", filter=condition), Value(0), output_field=IntegerField())


def _counts(year: int) -> dict:
    """Participants by direction in `year` and the year before: the records' COUNT_KEYS."""
    return {
        "outgoing": _sum(Q(year=year, direction=OUTGOING)),
        "incoming": _sum(Q(year=year, direction=INCOMING)),
        "previous_outgoing": _sum(Q(year=year - 1, direction=OUTGOING)),
        "previous_incoming": _sum(Q(year=year - 1, direction=INCOMING)),
    }


def _rows(dimension: str, period: str, years) -> "RecordSummary.objects":
    return RecordSummary.objects.filter(dimension=dimension, period=period, year__in=years)


def _none_for_zero(rows: list[dict], *keys: str) -> list[dict]:
    """The summary keeps "no partner" (program, department) as 0; the report says None."""
    for row in rows:
        for key in keys:
            row[key] = row[key] or None
    return rows


def figure_counts(year: int, period: str) -> list[dict]:
    """reporting.figures._figure_counts from the summary: its rows joined to their programs'
    kinds and grouped by them in one pass, as few rows as the records' query gives."""
    keys = ("outgoing", "incoming", "previous_outgoing", "previous_incoming")
    summary, program = RecordSummary._meta.db_table, Program._meta.db_table
    grouped = fetch_dicts(
        "SELECT s.direction, s.category, s.purpose, p.kind AS program_kind, s.country, "  # noqa: S608  # nosec B608
        + ", ".join(
            f"SUM(CASE WHEN s.year = %s AND s.direction = %s THEN s.participants ELSE 0 END) "
            f"AS {key}"
            for key in keys
        )
        + ", SUM(CASE WHEN s.year = %s THEN s.span_days END) AS current_days"
        ", SUM(CASE WHEN s.year = %s THEN s.span_days END) AS previous_days "
        f"FROM {summary} s LEFT JOIN {program} p ON p.id = s.program_key "
        "WHERE s.dimension = %s AND s.period = %s AND s.year IN (%s, %s) "
        "GROUP BY s.direction, s.category, s.purpose, p.kind, s.country",
        (
            year,
            OUTGOING,
            year,
            INCOMING,
            year - 1,
            OUTGOING,
            year - 1,
            INCOMING,
            year,
            year - 1,
            FIGURES,
            period,
            year,
            year - 1,
        ),  # fmt: skip
    )
    return [
        {
            "direction": row["direction"],
            "category": row["category"],
            "purpose": row["purpose"],
            "program__kind": row["program_kind"],
            "conference_country": row["country"] or None,
            **{key: int(row[key]) for key in keys},
            "span": _days(row["current_days"]),
            "previous_span": _days(row["previous_days"]),
        }
        for row in grouped
    ]


def _days(value) -> datetime.timedelta | None:
    return None if value is None else datetime.timedelta(days=int(value))


def where_counts(year: int, period: str) -> list[dict]:
    """reporting.figures' partners-countries-programs rows, with the same names joined."""
    counts = (
        _rows(WHERE, period, (year, year - 1))
        .order_by()
        .values("program_key", group_key=F("partner_key"), record_country=F("country"))
        .annotate(**_counts(year))
    )
    return _none_for_zero(
        left_join(counts, "group_key", *where_names()), "group_key", "program_key"
    )


def department_counts_and_trend(
    year: int, period: str, trend_years: range
) -> tuple[list[dict], dict[int, tuple[int, int]]]:
    """Participants per department in `year` and the year before, and the whole university's
    (outgoing, incoming) in each of `trend_years`: one query over the department rows."""
    counts = (
        _rows(DEPARTMENT, period, trend_years)
        .order_by()
        .values("year", group_key=F("department_key"))
        .annotate(
            outgoing=_sum(Q(direction=OUTGOING)),
            incoming=_sum(Q(direction=INCOMING)),
        )
    )
    rows = left_join(
        counts,
        "group_key",
        Department.objects.order_by().values(name_key=F("pk"), department_name=F("name")),
        "name_key",
    )
    trend = dict.fromkeys(trend_years, (0, 0))
    departments: dict = {}
    for row in rows:
        outgoing, incoming = trend[row["year"]]
        trend[row["year"]] = (outgoing + row["outgoing"], incoming + row["incoming"])
        if row["year"] not in (year, year - 1):
            continue
        key = row["group_key"] or None
        entry = departments.setdefault(
            key,
            {
                "group_key": key,
                "department_name": row["department_name"],
                "outgoing": 0,
                "incoming": 0,
                "previous_outgoing": 0,
                "previous_incoming": 0,
            },
        )
        prefix = "" if row["year"] == year else "previous_"
        entry[f"{prefix}outgoing"] += row["outgoing"]
        entry[f"{prefix}incoming"] += row["incoming"]
    return list(departments.values()), trend


def participants_per_year(period: str, first: int, last: int) -> dict[int, tuple[int, int]]:
    """(outgoing, incoming) of each year from `first` to `last` that has counted records."""
    rows = (
        RecordSummary.objects.filter(
            dimension=DEPARTMENT, period=period, year__gte=first, year__lte=last
        )
        .order_by()
        .values("year")
        .annotate(outgoing=_sum(Q(direction=OUTGOING)), incoming=_sum(Q(direction=INCOMING)))
    )
    return {row["year"]: (row["outgoing"], row["incoming"]) for row in rows}


def agreement_counts(year: int, period: str, agreements):
    """Counted records per agreement of `agreements` (`counted_agreement`): in `year`, in the
    year before, and since it was signed up to the end of `year` (all its records less those of
    later years)."""
    return (
        RecordSummary.objects.filter(dimension=AGREEMENT, agreement_key__in=agreements.values("pk"))
        .filter(Q(period=ALL_YEARS) | Q(period=period, year__gte=year - 1))
        .order_by()
        .values(counted_agreement=F("agreement_key"))
        .annotate(
            current_count=_sum(Q(period=period, year=year)),
            previous_count=_sum(Q(period=period, year=year - 1)),
            all_count=_sum(Q(period=ALL_YEARS)),
            later_count=_sum(Q(period=period, year__gt=year)),
        )
    )


def where_names() -> tuple:
    """What `left_join` joins to the partners-countries-programs rows: the partners' names and
    countries, the programs' titles and kinds, in the reader's language."""
    return (
        Partner.objects.order_by().values(
            name_key=F("pk"),
            partner_name=in_active_language_sql("name"),
            partner_country=F("country"),
        ),
        "name_key",
        "program_key",
        Program.objects.order_by().values(
            program_pk=F("pk"),
            program_title=in_active_language_sql("title"),
            program_kind=F("kind"),
        ),
        "program_pk",
    )
