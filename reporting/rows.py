"""What the annual report holds: rows of numbers, named only by what the data calls them."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from partners.models import Department
from reporting.periods import ACADEMIC, period_label

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
    by_program: list[GroupRow]
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
    def is_empty(self) -> bool:
        """No mobility counts in the period: the page says so instead of a report of zeros."""
        return self.totals.current == 0

    @property
    def total_duration(self) -> DurationRow:
        return self.durations[-1]

    @property
    def conference_trip_total(self) -> GroupRow:
        return sum_rows(self.conference_trips)
