"""The annual report's charts on a 390 px phone: no text under 12 px, each bar's number beside
it, the table still below the chart (issue 17)."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partners.choices import Direction
from tests.e2e.portal import sign_in
from tests.factories import MobilityRecordFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

YEAR = 2024

# Every text of every chart: its font size as drawn on the screen (the SVG's font-size in user
# units times the scale of the SVG on the page) and the height of its box.
CHART_TEXTS = """() => [...document.querySelectorAll("figure.chart svg text")].map(text => ({
    chart: text.closest("svg").id,
    text: text.textContent,
    value: text.classList.contains("value"),
    fontSize: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
    boxHeight: text.getBoundingClientRect().height,
}))"""


@pytest.fixture
def records(db):
    def mobility(count, country, direction):
        for _ in range(count):
            MobilityRecordFactory(
                partner=None,
                country=country,
                direction=direction,
                start_date=datetime.date(YEAR, 4, 1),
            )

    mobility(12, "PL", Direction.OUTGOING)
    mobility(1, "DE", Direction.OUTGOING)
    mobility(3, "LT", Direction.INCOMING)


def test_report_charts_on_a_phone_have_no_text_under_12_px_and_show_each_bars_number(
    portal, office, records
):
    page = portal.page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, office)
    portal.visit(reverse("reports:detail", args=[YEAR]), label="annual report at 390 px")

    texts = page.evaluate(CHART_TEXTS)
    charts = {text["chart"] for text in texts}
    assert charts == {"chart-report-categories", "chart-report-countries", "chart-report-trend"}
    small = [t for t in texts if t["fontSize"] < 12 or t["boxHeight"] < 12]
    assert not small, f"chart text under 12 px at 390 px: {small}"

    def numbers(chart):
        return sorted(int(t["text"]) for t in texts if t["chart"] == chart and t["value"])

    # Every bar's number, the zeros too: two directions for each of three countries.
    assert numbers("chart-report-countries") == [0, 0, 0, 1, 3, 12]
    assert [n for n in numbers("chart-report-categories") if n] == [3, 13]  # academic staff
    assert [n for n in numbers("chart-report-trend") if n] == [3, 13]  # other years: none
    countries = [t["text"].strip() for t in texts if t["chart"] == "chart-report-countries"]
    assert {"Poland", "Germany", "Lithuania", "Outgoing", "Incoming"} <= set(countries)

    # The page does not scroll sideways, and each chart's table follows it.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for key in ("countries", "categories", "trend"):
        section = page.locator(f"section[aria-labelledby=figure-{key}]")
        expect(section.locator("figure.chart ~ * table.report-table")).to_have_count(1)
