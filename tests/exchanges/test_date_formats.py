"""One date format per language: day before month everywhere, the month named in English."""

import datetime
import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation

from people.models import Profile

pytestmark = pytest.mark.django_db

# Month first, in figures ("05/14/2004") or in words ("May 14, 2004").
MONTH_FIRST = re.compile(
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\b(January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d{1,2}, \d{4}\b"
)


@pytest.fixture
def dated_agreement(agreement):
    agreement.signed_on = datetime.date(2004, 5, 14)
    agreement.valid_from = datetime.date(2004, 9, 1)
    agreement.valid_until = datetime.date(2029, 8, 31)
    agreement.auto_renewal = False
    agreement.save()
    return agreement


def pages_showing(agreement):
    return [
        reverse("partners:agreement-detail", args=[agreement.pk]),
        reverse("partners:partner-detail", args=[agreement.partner.slug]),
        reverse("partners:agreement-list"),
    ]


def read_in(client, language, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert f'<html lang="{language}">' in response.content.decode()
    return response.content.decode()


def test_english_pages_show_day_month_name_year_and_never_month_first(
    client_for, office, dated_agreement
):
    client = client_for(office)
    urls = pages_showing(dated_agreement)
    detail, partner, listing = (read_in(client, "en", url) for url in urls)

    assert "14 May 2004" in detail
    assert "1 September 2004" in detail and "31 August 2029" in detail
    assert "1 September 2004" in partner and "31 August 2029" in partner
    assert "1 September 2004" in listing
    for html in (detail, partner, listing):
        assert not MONTH_FIRST.search(html), MONTH_FIRST.search(html).group()


def test_russian_pages_show_russian_dates(client_for, office, dated_agreement):
    Profile.objects.filter(user=office).update(language="ru")
    client = client_for(office)
    urls = pages_showing(dated_agreement)
    detail, partner, listing = (read_in(client, "ru", url) for url in urls)

    assert "14 мая 2004 г." in detail
    assert "1 сентября 2004 г." in partner
    assert "31 августа 2029 г." in listing
    assert "May" not in detail and "September" not in listing


def test_belarusian_pages_show_belarusian_dates(client_for, office, dated_agreement):
    Profile.objects.filter(user=office).update(language="be")
    client = client_for(office)
    detail = read_in(client, "be", pages_showing(dated_agreement)[0])

    assert "14 траўня 2004 г." in detail
    assert "1 верасня 2004 г." in detail
    assert "верасьня" not in detail  # the older spelling of Django's own catalogue


@pytest.mark.parametrize(
    ("month", "alone", "after_a_day"),
    [(3, "Сакавік", "сакавіка"), (9, "Верасень", "верасня"), (12, "Снежань", "снежня")],
)
def test_belarusian_months_in_their_case_and_the_official_spelling(month, alone, after_a_day):
    """Django's Belarusian catalogue has "сакавік" after a day and "сьнежня": ours corrects them."""
    day = datetime.date(2026, month, 14)
    with translation.override("be"):
        assert formats.date_format(day, "YEAR_MONTH_FORMAT") == f"{alone} 2026 г."
        assert formats.date_format(day, "DATE_FORMAT") == f"14 {after_a_day} 2026 г."
        assert translation.gettext("Thursday") == "Чацвер"


def test_the_admin_list_shows_the_language_date(client_for, office, dated_agreement):
    html = client_for(office).get(reverse("admin:partners_agreement_changelist")).content.decode()
    assert "31 August 2029" in html or "1 September 2004" in html
    assert not MONTH_FIRST.search(html), MONTH_FIRST.search(html).group()


@pytest.mark.parametrize(
    ("language", "date", "short", "datetime_"),
    [
        ("en", "14 May 2004", "14 May 2004", "14 May 2004, 16:30"),
        ("ru", "14 мая 2004 г.", "14.05.2004", "14 мая 2004 г. 16:30"),
        ("be", "14 траўня 2004 г.", "14.05.2004", "14 траўня 2004 г. 16:30"),
    ],
)
def test_each_language_has_its_formats(language, date, short, datetime_):
    day = datetime.date(2004, 5, 14)
    moment = datetime.datetime(2004, 5, 14, 16, 30)  # noqa: DTZ001 (formatting only)
    with translation.override(language):
        assert formats.date_format(day, "DATE_FORMAT") == date
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == short
        assert formats.date_format(moment, "DATETIME_FORMAT") == datetime_


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_no_language_reads_a_slashed_date_as_month_first(language):
    with translation.override(language):
        accepted = formats.get_format("DATE_INPUT_FORMATS")
    assert not any(form.startswith("%m") or "/" in form for form in accepted)
    assert "%Y-%m-%d" in accepted


def test_the_expiry_reminder_dates_in_the_recipients_language(dated_agreement):
    with translation.override("en"):
        text = render_to_string(
            "emails/agreement_expiring.txt", {"agreement": dated_agreement, "days_left": 30}
        )
    assert "31 August 2029" in text
    assert not MONTH_FIRST.search(text)
