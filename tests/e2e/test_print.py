"""The report page and a list printed from Chromium: content only, under the printed header."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.portal import sign_in
from tests.factories import MobilityRecordFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_printed_report_shows_no_navigation_buttons_or_filters(page, world, tmp_path):
    MobilityRecordFactory(
        department=world.department,
        partner=world.partner,
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 3, 10),
    )
    sign_in(page, world.office)
    page.goto(reverse("reports:detail", args=[2025]))

    page.emulate_media(media="print")

    for hidden in ("nav.navbar", "form.report-filter", ".report-downloads", "footer", ".btn"):
        expect(page.locator(hidden).first).to_be_hidden()
    header = page.locator(".print-header")
    expect(header).to_be_visible()
    expect(header).to_contain_text(settings.UNIVERSITY_NAME)
    expect(header).to_contain_text("Annual report 2025")
    expect(page.locator(".report-table").first).to_be_visible()
    # Every table fits the width of an A4 page (210 mm less the margins, at 96 px an inch).
    page.set_viewport_size({"width": 704, "height": 1000})
    widths = page.eval_on_selector_all(".report-table", "tables => tables.map(t => t.scrollWidth)")
    assert widths and max(widths) <= 704
    pdf = page.pdf(path=str(tmp_path / "report.pdf"), prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")


def test_printed_list_has_the_header_and_no_filter_form(page, world):
    sign_in(page, world.office)
    page.goto(reverse("partners:partner-list"))

    page.emulate_media(media="print")

    expect(page.locator("form[role=search]")).to_be_hidden()
    expect(page.locator(".print-header")).to_contain_text(settings.UNIVERSITY_NAME)
    expect(page.locator(".print-header")).to_contain_text("As of")
