"""The demo's annual report in the browser: trips count where they took place (issue 16)."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from devdata import facts
from exchanges.models import MobilityRecord
from tests.e2e.portal import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def number(text: str) -> int:
    return int(re.sub(r"\D", "", text) or 0)


def test_demo_report_counts_every_trip_by_its_country_and_each_breakdown_adds_up(page):
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    year = timezone.localdate().year
    assert MobilityRecord.objects.counted().filter(start_date__year=year, partner=None).exists()
    sign_in(page, get_user_model().objects.get(username="office"), facts.DEMO_PASSWORD)
    page.goto(reverse("reports:detail", args=[year]))

    # Trips count where they took place: only those with no country yet (a planned trip of a
    # program without a host) are "country not given"; the trips without a partner are not.
    this_year = MobilityRecord.objects.counted().filter(start_date__year=year)
    without_country = this_year.filter(country="").count()
    rows = page.locator("section[aria-labelledby=figure-countries] tbody tr")
    not_given = rows.filter(has_text="Country not given")
    if without_country:
        assert number(not_given.locator("td").nth(3).inner_text()) == without_country
    else:
        expect(not_given).to_have_count(0)
    assert this_year.filter(partner=None).exclude(country="").count() > without_country
    expect(rows.filter(has_text="No partner")).to_have_count(0)
    sections = page.locator("section[aria-labelledby^=figure-]")
    checked = 0
    for index in range(sections.count()):
        section = sections.nth(index)
        header = section.locator("thead th").all_inner_texts()
        # Tables with a total row, shown whole (a long one sends the rest to the downloads).
        if f"Total {year}" not in header or "more row" in section.inner_text():
            continue
        column = header.index(f"Total {year}") + 1
        rows = section.locator(f"tbody tr > :nth-child({column})").all_inner_texts()
        total = section.locator(f"tfoot tr > :nth-child({column})").first.inner_text()
        assert sum(map(number, rows)) == number(total), section.locator("h2").inner_text()
        checked += 1
    assert checked >= 5
