"""The report's two periods: the calendar year, and the academic year that starts in it."""

import datetime

from django.db.models.functions import ExtractYear

from core.periods import (
    academic_year_bounds,
    academic_year_expression,
    academic_year_label,
    calendar_year_bounds,
)

CALENDAR = "calendar"
ACADEMIC = "academic"
PERIODS = (CALENDAR, ACADEMIC)


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
