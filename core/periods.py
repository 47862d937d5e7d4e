"""Calendar and academic years, the two periods the international office counts in.

An academic year runs from 1 September to 31 August and is named by the year it starts in:
academic year 2025 is 2025/26.
"""

import datetime

from django.db.models import Case, IntegerField, When
from django.db.models.functions import ExtractYear

ACADEMIC_YEAR_START_MONTH = 9
# Years anything may be counted in: quotas, reports, filters. Outside them a year is a typo.
MIN_YEAR = 1990
MAX_YEAR = 2100


def academic_year_of(day: datetime.date) -> int:
    return day.year if day.month >= ACADEMIC_YEAR_START_MONTH else day.year - 1


def academic_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the academic year that starts in `year`."""
    return (
        datetime.date(year, ACADEMIC_YEAR_START_MONTH, 1),
        datetime.date(year + 1, ACADEMIC_YEAR_START_MONTH, 1) - datetime.timedelta(days=1),
    )


def calendar_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def academic_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def academic_year_expression(field: str = "start_date"):
    """`academic_year_of(field)` as a database expression."""
    year = ExtractYear(field)
    return Case(
        When(**{f"{field}__month__gte": ACADEMIC_YEAR_START_MONTH}, then=year),
        default=year - 1,
        output_field=IntegerField(),
    )


def inclusive_days(start: datetime.date, end: datetime.date) -> int:
    """Days from start to end with both counted: a stay from Monday to Friday is 5 days."""
    return (end - start).days + 1
