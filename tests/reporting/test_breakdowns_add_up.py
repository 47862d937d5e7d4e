"""Every breakdown of the annual report adds up to its total, on generated data.

The generator writes records with and without partners, programs and agreements, in many
countries and departments: whatever way the report cuts them, no participant is lost or counted
twice.
"""

import pytest
from django.utils import timezone

from devdata.generator import Generator, Scale, wipe_all
from reporting.figures import build_annual_report
from reporting.rows import sum_rows

SCALE = Scale(
    departments=4,
    applicants=20,
    partners=10,
    agreements=20,
    programs=10,
    applications=30,
    records=400,
)
BREAKDOWNS = [
    "by_category",
    "by_country",
    "by_partner",
    "by_program",
    "by_program_kind",
    "by_purpose",
    "by_department",
]


@pytest.fixture
def generated(db):
    wipe_all()
    Generator(SCALE, seed=3).run()


@pytest.mark.parametrize("breakdown", BREAKDOWNS)
@pytest.mark.parametrize("period", ["calendar", "academic"])
def test_every_breakdown_sums_to_the_total(generated, breakdown, period):
    year = timezone.localdate().year - 1
    report = build_annual_report(year, period=period)
    totals = report.totals
    assert totals.current > 0 and totals.previous > 0  # the generator filled both years

    summed = sum_rows(getattr(report, breakdown))

    assert (summed.outgoing, summed.incoming) == (totals.outgoing, totals.incoming)
    assert (summed.previous_outgoing, summed.previous_incoming) == (
        totals.previous_outgoing,
        totals.previous_incoming,
    )
    assert report.total_duration.participants == totals.current
