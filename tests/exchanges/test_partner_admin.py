"""Partners' admin pages with exchanges' figures: mobility records per partner, quota places
used and left (exchanges/admin.py re-registers the Partner and Agreement admins with them)."""

import csv
import datetime
import io

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from exchanges.admin import AgreementQuotaUsageInline
from partners.models import Agreement, Partner
from tests.factories import (
    AgreementFactory,
    AgreementQuotaFactory,
    MobilityRecordFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def admin_url(model, action="changelist", *args):
    return reverse(f"admin:partners_{model}_{action}", args=args)


def results(response):
    """The objects the changelist shows."""
    return list(response.context["cl"].result_list)


def export_csv(client, url, objects):
    response = client.post(
        url, {"action": "export_as_csv", "_selected_action": [obj.pk for obj in objects]}
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8")
    return response, content


def test_partner_and_agreement_admins_are_the_ones_with_mobility_figures():
    assert "mobility_records" in admin.site.get_model_admin(Partner).list_display
    assert AgreementQuotaUsageInline in admin.site.get_model_admin(Agreement).inlines


def test_partner_list_counts_active_agreements_and_mobility_records(client_for, office, partner):
    AgreementFactory(partner=partner)
    AgreementFactory(partner=partner, lifecycle=Agreement.Lifecycle.DRAFT)
    AgreementFactory(partner=partner, valid_until=today() - datetime.timedelta(days=1))
    MobilityRecordFactory.create_batch(3, partner=partner)

    response = client_for(office).get(admin_url("partner"))

    [row] = results(response)
    assert row.active_agreement_count == 1
    assert row.mobility_record_count == 3


def test_partner_changelist_queries_do_not_grow_with_rows(
    client_for, office, django_assert_max_num_queries
):
    client = client_for(office)
    for count in (5, 50):
        for partner in PartnerFactory.create_batch(count - Partner.objects.count()):
            AgreementFactory(partner=partner)
            MobilityRecordFactory(partner=partner)
        # session, user, user and group permissions, the country filter's choices, two counts,
        # the page with both counts annotated, the session update (with savepoints).
        with django_assert_max_num_queries(11):
            response = client.get(admin_url("partner"))
        assert response.status_code == 200
        assert len(results(response)) == count


def test_quota_inline_shows_places_used_and_left(client_for, office, agreement):
    quota = AgreementQuotaFactory(agreement=agreement, academic_year=2024, places=5)
    for start in (datetime.date(2024, 10, 1), datetime.date(2025, 3, 1), datetime.date(2025, 9, 1)):
        MobilityRecordFactory(agreement=agreement, partner=agreement.partner, start_date=start)
    inline = AgreementQuotaUsageInline(Agreement, admin.site)

    assert inline.places_used(quota) == 2
    assert inline.places_left(quota) == 3
    response = client_for(office).get(admin_url("agreement", "change", agreement.pk))
    assert b"field-places_left" in response.content


def test_csv_export_of_partners_has_counts_and_no_query_per_row(
    client_for, office, django_assert_max_num_queries
):
    client = client_for(office)
    for count in (5, 50):
        for partner in PartnerFactory.create_batch(count - Partner.objects.count()):
            MobilityRecordFactory(partner=partner)
        selected = list(Partner.objects.all())
        # session, user, user and group permissions, the changelist the action runs from (country
        # choices, two counts), the selected rows with their counts, the session update.
        with django_assert_max_num_queries(12):
            response, content = export_csv(client, admin_url("partner"), selected)
        header, *rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
        assert header[-2:] == ["Active agreements", "Mobility records"]
        assert len(rows) == count
        assert {row[-1] for row in rows} == {"1"}
