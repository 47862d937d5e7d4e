"""The annual report: the year's mobility in figures, computed by the database.

`build_annual_report(year, period=..., department=...)` returns an `AnnualReport` that the report
page, the summary CSV, the XLSX workbook and the `export_annual_report` command all share.

Rules:
- a record counts in the period in which it starts; cancelled records never count
  (`MobilityRecord.objects.counted().starting_between(first, last)`);
- the period is the calendar year, or the academic year September-August that starts in `year`;
- the figures are a few grouped queries over the current and the previous period together
  (conditional counts), so the number of queries does not depend on the number of records;
- totals are sums of the few grouped rows the database returned, never loops over records.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from exchanges.models import MobilityRecord
from partners.choices import Category, Direction, ProgramKind, Purpose
from partners.models import Agreement, Department
from partners.periods import (
    ACADEMIC_YEAR_START_MONTH,
    academic_year_bounds,
    academic_year_label,
    calendar_year_bounds,
)

CALENDAR = "calendar"
ACADEMIC = "academic"
PERIODS = (CALENDAR, ACADEMIC)
# Years a report may be asked for; the same bounds as the agreements' quotas.
MIN_YEAR = 1990
MAX_YEAR = 2100
TREND_YEARS = 10
PAGE_ROWS = 25

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
    year = ExtractYear("start_date")
    if period == ACADEMIC:
        return Case(
            When(start_date__month__gte=ACADEMIC_YEAR_START_MONTH, then=year),
            default=year - 1,
            output_field=IntegerField(),
        )
    return year


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


# --- what the report holds --------------------------------------------------------------------


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class TrendPoint:
    year: int
    label: str
    outgoing: int
    incoming: int

    @property
    def total(self) -> int:
        return self.outgoing + self.incoming


@dataclass
class Table:
    """One figure as a table: what the page, the summary CSV and the XLSX sheets print."""

    key: str
    title: str
    sheet_name: str
    header: list[str]
    rows: list[list]
    footer: list[list] = field(default_factory=list)
    # Long tables (a thousand partners) show their first rows on the page; the downloads hold all.
    page_limit: int | None = None
    label_columns: int = 1  # the leading columns that name the row; the rest are numbers

    @property
    def page_rows(self) -> list[list]:
        return self.rows if self.page_limit is None else self.rows[: self.page_limit]

    @property
    def rows_not_shown(self) -> int:
        return len(self.rows) - len(self.page_rows)


def _sum_rows(label: str, rows: Iterable[GroupRow]) -> GroupRow:
    rows = list(rows)
    return GroupRow(
        key=None,
        label=label,
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
        return _sum_rows(_("Total"), self.by_category)

    @property
    def total_duration(self) -> DurationRow:
        return self.durations[-1]

    @property
    def conference_trip_total(self) -> GroupRow:
        return _sum_rows(_("Total"), self.conference_trips)

    @property
    def department_label(self) -> str:
        if self.departments is None:
            return _("Whole university")
        return ", ".join(department.name for department in self.departments)

    def tables(self) -> list[Table]:
        return [
            self._group_table(
                "categories",
                _("Participants by direction and category"),
                _("Categories"),
                [_("Category")],
                self.by_category,
            ),
            self._group_table(
                "countries",
                _("Participants by partner country"),
                _("Countries"),
                [_("Country code"), _("Country")],
                self.by_country,
                with_key=True,
            ),
            self._group_table(
                "partners",
                _("Participants by partner institution"),
                _("Partners"),
                [_("Partner institution"), _("Country")],
                self.by_partner,
                with_detail=True,
                page_limit=PAGE_ROWS,
            ),
            self._group_table(
                "program-kinds",
                _("Participants by program kind"),
                _("Program kinds"),
                [_("Program kind")],
                self.by_program_kind,
            ),
            self._group_table(
                "purposes",
                _("Participants by purpose"),
                _("Purposes"),
                [_("Purpose")],
                self.by_purpose,
            ),
            self._group_table(
                "departments",
                _("Participants by department"),
                _("Departments"),
                [_("Department")],
                self.by_department,
            ),
            self._duration_table(),
            self._conference_table(),
            self._agreement_table(),
            self._trend_table(),
        ]

    def _counts_header(self, directions: bool = True) -> list[str]:
        now, before = self.label, self.previous_label
        if not directions:
            return [now, before, _("Change")]
        return [
            _("Outgoing %(period)s") % {"period": now},
            _("Incoming %(period)s") % {"period": now},
            _("Total %(period)s") % {"period": now},
            _("Outgoing %(period)s") % {"period": before},
            _("Incoming %(period)s") % {"period": before},
            _("Total %(period)s") % {"period": before},
            _("Change"),
        ]

    @staticmethod
    def _counts(row: GroupRow) -> list[int]:
        return [
            row.outgoing,
            row.incoming,
            row.current,
            row.previous_outgoing,
            row.previous_incoming,
            row.previous,
            row.change,
        ]

    def _group_table(
        self,
        key: str,
        title: str,
        sheet_name: str,
        label_header: list[str],
        rows: list[GroupRow],
        *,
        with_key: bool = False,
        with_detail: bool = False,
        page_limit: int | None = None,
    ) -> Table:
        def labels(row: GroupRow) -> list:
            if with_key:
                return [row.key or "", row.label]
            if with_detail:
                return [row.label, row.detail]
            return [row.label]

        total = _sum_rows(_("Total"), rows)
        padding = [""] * (len(label_header) - 1)
        return Table(
            key=key,
            title=title,
            sheet_name=sheet_name,
            header=label_header + self._counts_header(),
            rows=[labels(row) + self._counts(row) for row in rows],
            footer=[[total.label, *padding, *self._counts(total)]],
            page_limit=page_limit,
            label_columns=len(label_header),
        )

    def _duration_table(self) -> Table:
        now, before = self.label, self.previous_label

        def cells(row: DurationRow) -> list:
            return [
                row.label,
                row.participants,
                row.person_days,
                row.average_days,
                row.previous_participants,
                row.previous_person_days,
                row.previous_average_days,
                row.change,
            ]

        return Table(
            key="durations",
            title=_("Person-days and average duration"),
            sheet_name=_("Duration"),
            header=[
                _("Direction"),
                _("Participants %(period)s") % {"period": now},
                _("Person-days %(period)s") % {"period": now},
                _("Average days %(period)s") % {"period": now},
                _("Participants %(period)s") % {"period": before},
                _("Person-days %(period)s") % {"period": before},
                _("Average days %(period)s") % {"period": before},
                _("Change in person-days"),
            ],
            rows=[cells(row) for row in self.durations[:-1]],
            footer=[cells(self.durations[-1])],
        )

    def _conference_table(self) -> Table:
        total = self.conference_trip_total
        return Table(
            key="conferences",
            title=_("Conference and congress trips abroad"),
            sheet_name=_("Conferences"),
            header=[_("Country")] + self._counts_header(directions=False),
            rows=[
                [row.label, row.current, row.previous, row.change] for row in self.conference_trips
            ],
            footer=[[total.label, total.current, total.previous, total.change]],
        )

    def _agreement_table(self) -> Table:
        return Table(
            key="agreements",
            title=_("Participants per active agreement"),
            sheet_name=_("Agreements"),
            header=[
                _("Agreement reference"),
                _("Partner institution"),
                _("Country"),
                _("Signed on"),
                *self._counts_header(directions=False),
                _("Total since signed"),
            ],
            rows=[
                [
                    row.reference,
                    row.partner,
                    row.country,
                    row.signed_on,
                    row.current,
                    row.previous,
                    row.change,
                    row.since_signed,
                ]
                for row in self.agreements
            ],
            page_limit=PAGE_ROWS,
            label_columns=3,
        )

    def _trend_table(self) -> Table:
        return Table(
            key="trend",
            title=_("Ten-year trend"),
            sheet_name=_("Trend"),
            header=[_("Year"), _("Outgoing"), _("Incoming"), _("Total")],
            rows=[
                [point.label, point.outgoing, point.incoming, point.total] for point in self.trend
            ],
        )


# --- the queries ------------------------------------------------------------------------------

COUNT_KEYS = ("outgoing", "incoming", "previous_outgoing", "previous_incoming")
SPAN_KEYS = ("span", "previous_span")


def _count_aggregates(current: Q, previous: Q) -> dict:
    return {
        "outgoing": Count("pk", filter=current & OUT),
        "incoming": Count("pk", filter=current & IN),
        "previous_outgoing": Count("pk", filter=previous & OUT),
        "previous_incoming": Count("pk", filter=previous & IN),
    }


def _grouped_counts(records: QuerySet, current: Q, previous: Q, *fields: str) -> list[dict]:
    """One query: participants per group, by direction, in this and the previous period."""
    return list(records.order_by().values(*fields).annotate(**_count_aggregates(current, previous)))


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
        group = tuple(row[name] for name in fields)
        total = sums.get(group)
        if total is None:
            sums[group] = {**{name: row[name] for name in fields}, **{k: row[k] for k in keys}}
        else:
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
    # Largest first; groups without a name ("no partner") last among equals.
    return sorted(rows, key=lambda row: (-row.current, -row.previous, row.key is None, row.label))


def _country_names():
    """A country's name from its code, looked up once per code (thousands of rows share 25)."""
    names: dict = {}

    def name(code) -> str:
        if code not in names:
            names[code] = str(countries.name(code)) if code else ""
        return names[code]

    return name


def _choice_rows(counts: list[dict], field_name: str, choices, empty_label: str) -> list[GroupRow]:
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
        label = empty_label if value in (None, "") else str(value)
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
            label=_("Total"),
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

    The records are grouped by agreement first (a few thousand rows of counts), and only then
    joined to the active agreements: joining first would carry every record's row through the
    join and sort them all by agreement.
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
    counts = (
        records.filter(agreement__in=Agreement.objects.active(on=on).values("pk"))
        .order_by()
        .values(counted_agreement=F("agreement_id"))
        .annotate(
            current_count=Count("pk", filter=Q(start_date__gte=first)),
            previous_count=Count(
                "pk", filter=Q(start_date__gte=previous_first, start_date__lt=first)
            ),
            since_signed_count=Count("pk"),
        )
    )
    agreements_sql, agreements_params = agreements.query.sql_with_params()
    counts_sql, counts_params = counts.query.sql_with_params()
    # Both halves are the ORM's own SQL with their parameters kept apart; only the join is ours.
    sql = (
        "SELECT a.agreement_key, a.agreement_reference, a.agreement_signed_on, a.partner_name, "  # noqa: S608  # nosec B608
        "a.partner_country, COALESCE(c.current_count, 0), COALESCE(c.previous_count, 0), "
        f"COALESCE(c.since_signed_count, 0) FROM ({agreements_sql}) a "
        f"LEFT JOIN ({counts_sql}) c ON c.counted_agreement = a.agreement_key"
    )
    signed_on_field = Agreement._meta.get_field("signed_on")
    country_name = _country_names()
    with connection.cursor() as cursor:
        cursor.execute(sql, (*agreements_params, *counts_params))  # nosec B608
        rows = [
            AgreementRow(
                pk=pk,
                reference=reference,
                partner=partner,
                country=country_name(country),
                signed_on=_as_date(signed_on, signed_on_field),
                current=current,
                previous=previous,
                since_signed=since_signed,
            )
            for pk, reference, signed_on, partner, country, current, previous, since_signed in (
                cursor.fetchall()
            )
        ]
    return sorted(rows, key=lambda row: (-row.current, -row.since_signed, row.reference))


def _as_date(value, field) -> datetime.date | None:
    """A raw cursor leaves SQLite's dates as text; the field's own converter makes them dates."""
    if value is None or isinstance(value, datetime.date):
        return value
    return field.to_python(value)


def trend(
    year: int, period: str = CALENDAR, *, department=None, known: dict | None = None
) -> list[TrendPoint]:
    """Participants per year by direction for the ten years up to `year`, in one query.

    `known` maps years already counted elsewhere (the report's own two) to (outgoing, incoming);
    the query leaves them out.
    """
    known = known or {}
    years = range(year - TREND_YEARS + 1, year + 1)
    wanted = [each for each in years if each not in known]
    counts = {}
    if wanted:
        first, _unused = period_bounds(wanted[0], period)
        _unused, last = period_bounds(wanted[-1], period)
        # Conditional counts over date ranges rather than grouping by an extracted year: plain
        # comparisons on an indexed column, where SQLite would call a Python function per row.
        aggregates = {}
        for each in wanted:
            starts, ends = period_bounds(each, period)
            in_year = Q(start_date__gte=starts, start_date__lte=ends)
            aggregates[f"out_{each}"] = Count("pk", filter=in_year & OUT)
            aggregates[f"in_{each}"] = Count("pk", filter=in_year & IN)
        counts = counted_records(first, last, department=department).aggregate(**aggregates)
    for each, (outgoing, incoming) in known.items():
        counts[f"out_{each}"], counts[f"in_{each}"] = outgoing, incoming
    return [
        TrendPoint(
            year=each,
            label=period_label(each, period),
            outgoing=counts[f"out_{each}"],
            incoming=counts[f"in_{each}"],
        )
        for each in years
    ]


def years_with_records(period: str = CALENDAR, *, department=None) -> list[TrendPoint]:
    """Every year that has counted records, newest first, with its totals: one grouped query."""
    records = MobilityRecord.objects.counted()
    ids = department_ids(department)
    if ids is not None:
        records = records.filter(department_id__in=ids)
    rows = (
        records.order_by()
        .annotate(report_year=period_year_expression(period))
        .values("report_year")
        .annotate(outgoing=Count("pk", filter=OUT), incoming=Count("pk", filter=IN))
        .order_by("-report_year")
    )
    return [
        TrendPoint(
            year=row["report_year"],
            label=period_label(row["report_year"], period),
            outgoing=row["outgoing"],
            incoming=row["incoming"],
        )
        for row in rows
    ]


def build_annual_report(year: int, *, period: str = CALENDAR, department=None) -> AnnualReport:
    """All figures of one year (and of the year before, for the change) in five queries.

    The small figures (categories, purposes, program kinds, durations, conference trips) share
    one grouped query, the partners and their countries another, the departments a third; then
    the agreements and the trend. A department filter adds a query for the departments' names.
    """
    first, last = period_bounds(year, period)
    previous_first, _unused = period_bounds(year - 1, period)
    ids = department_ids(department)
    departments = None if ids is None else list(Department.objects.filter(pk__in=ids))
    records = counted_records(previous_first, last, department=ids)
    current = Q(start_date__gte=first)
    previous = Q(start_date__lt=first)

    no_partner = _("No partner")
    country_name = _country_names()
    figures = _figure_counts(records, current, previous)
    partners = _grouped_counts(
        records, current, previous, "partner_id", "partner__name", "partner__country"
    )
    conference_trips = _rollup(
        (row for row in figures if row["conference_country"] is not None), "conference_country"
    )
    by_category = _choice_rows(_rollup(figures, "category"), "category", Category, _("Other"))
    totals = _sum_rows("", by_category)
    return AnnualReport(
        year=year,
        period=period,
        first_day=first,
        last_day=last,
        previous_first_day=previous_first,
        departments=departments,
        by_category=by_category,
        by_country=_group_rows(
            _rollup(partners, "partner__country"),
            "partner__country",
            lambda item: country_name(item["partner__country"]) or no_partner,
        ),
        by_partner=_group_rows(
            partners,
            "partner_id",
            lambda item: item["partner__name"] or no_partner,
            detail=lambda item: country_name(item["partner__country"]),
        ),
        by_program_kind=_choice_rows(
            _rollup(figures, "program__kind"), "program__kind", ProgramKind, _("No program")
        ),
        by_purpose=_choice_rows(_rollup(figures, "purpose"), "purpose", Purpose, _("Other")),
        by_department=_group_rows(
            _grouped_counts(records, current, previous, "department_id", "department__name"),
            "department_id",
            lambda item: item["department__name"] or _("No department"),
        ),
        durations=_duration_rows(figures),
        conference_trips=_group_rows(
            conference_trips,
            "conference_country",
            lambda item: country_name(item["conference_country"]),
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
    )
