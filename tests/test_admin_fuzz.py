"""Every ModelAdmin of ours, fed bad input: 400 or 404 (or the page itself), never a 500.

The attack on the deployed portal found 26 admin URLs that answered 500: a NUL byte in a choice
filter (PostgreSQL refuses NUL in text), a huge year in the date hierarchy, a non-numeric id in
a history URL. This walks every ModelAdmin registered on the admin site, so a new one is
covered the day it is registered, and those of django-axes and django.contrib.auth with them.
"""

from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import (
    AgreementDocumentFactory,
    AgreementQuotaFactory,
    ApplicationAttachmentFactory,
    ContactFactory,
    MobilityReportAttachmentFactory,
    OfficeUserFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FILTER_VALUES = ["\x00", "99999999999999999999", "garbage"]
DATE_HIERARCHY_QUERIES = [
    {"year": "99999999"},
    {"year": "9999", "month": "12", "day": "31"},
    {"year": "9999", "month": "12"},
    {"year": "9999"},
    {"year": "2025", "month": "99"},
    {"year": "2025", "month": "2", "day": "31"},
    {"year": "0"},
    {"year": "-1"},
    {"year": "\x00"},
]
BAD_IDS = ["abc", "1.5", "99999999999999999999", "%00"]
CHANGELIST_QUERIES = [{"q": "\x00"}, {"o": "\x00"}, {"p": "99999999999999999999"}]


def registered_model_admins():
    """(model, ModelAdmin) of every model on the admin site: ours, axes' and auth's."""
    return list(admin.site._registry.items())


@pytest.fixture
def world(db):
    """One row of every model, with history, so change and history URLs have a real object."""
    program = ProgramFactory()
    ContactFactory(partner=program.agreement.partner)
    AgreementQuotaFactory(agreement=program.agreement)
    AgreementDocumentFactory(agreement=program.agreement)
    ApplicationAttachmentFactory(application__program=program)
    MobilityReportAttachmentFactory()


def filter_parameters(model_admin, user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    return [
        parameter for spec in changelist.filter_specs for parameter in spec.expected_parameters()
    ]


def admin_urls(model, model_admin, user) -> list[str]:
    info = model._meta.app_label, model._meta.model_name
    changelist = reverse("admin:{}_{}_changelist".format(*info))
    urls = [
        f"{changelist}?{urlencode({parameter: value})}"
        for parameter in filter_parameters(model_admin, user)
        for value in FILTER_VALUES
    ]
    urls += [f"{changelist}?{urlencode(query)}" for query in CHANGELIST_QUERIES]
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        urls += [
            f"{changelist}?{urlencode({f'{field}__{part}': v for part, v in query.items()})}"
            for query in DATE_HIERARCHY_QUERIES
        ]
    real = model._default_manager.values_list("pk", flat=True).first()
    for bad in BAD_IDS:
        urls.append(f"{changelist}{bad}/change/")
        if hasattr(model_admin, "history_form_view"):
            urls += [
                f"{changelist}{bad}/history/",
                f"{changelist}{bad}/history/1/",
                f"{changelist}{real}/history/{bad}/",
            ]
        else:
            urls.append(f"{changelist}{bad}/history/")
    return urls


@pytest.mark.parametrize("role", ["office", "superuser"])
def test_no_admin_url_of_ours_answers_500_to_bad_input(world, role):
    user = (
        OfficeUserFactory(username="office")
        if role == "office"
        else UserFactory(username="root", is_staff=True, is_superuser=True)
    )
    client = Client(raise_request_exception=False)
    client.force_login(user)
    model_admins = registered_model_admins()
    apps = {model._meta.app_label for model, _ in model_admins}
    assert {"partners", "exchanges", "axes", "auth"} <= apps

    failures, requests = [], 0
    for model, model_admin in model_admins:
        for url in admin_urls(model, model_admin, user):
            response = client.get(url)
            requests += 1
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {url}")

    assert failures == [], "\n".join(failures)
    assert requests > 300  # the walk really happened


def test_a_nul_byte_in_an_admin_filter_is_a_400(client_for, office):
    response = client_for(office).get(reverse("admin:partners_partner_changelist") + "?kind=%00")
    assert response.status_code == 400


def test_a_non_numeric_id_in_a_history_url_is_a_404(client_for, office, agreement):
    client = client_for(office)
    assert client.get("/admin/partners/agreement/abc/history/").status_code == 404
    assert client.get("/admin/partners/agreement/abc/history/1/").status_code == 404
    assert client.get(f"/admin/partners/agreement/{agreement.pk}/history/abc/").status_code == 404


def test_a_date_hierarchy_year_beyond_the_calendar_is_refused(client_for, office, agreement):
    url = reverse("admin:partners_agreement_changelist") + "?valid_from__year=99999999"
    assert client_for(office).get(url).status_code in (400, 404)
