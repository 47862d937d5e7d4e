"""Agreement list and document downloads (the partner and agreement pages: tests/exchanges)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Agreement, Partner
from tests.factories import (
    AgreementDocumentFactory,
    AgreementFactory,
    PartnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

AGREEMENT_LIST = reverse("partners:agreement-list")


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def listed_partners(response):
    return [partner.name for partner in response.context["partners"]]


def listed_agreements(response):
    return [agreement.reference for agreement in response.context["agreements"]]


@pytest.fixture
def berlin(db):
    return PartnerFactory(
        name="Charité Berlin",
        name_original="Charité – Universitätsmedizin Berlin",
        acronym="CHA",
        slug="charite",
        country="DE",
        city="Berlin",
        kind=Partner.Kind.UNIVERSITY,
    )


# --- sign-in ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        AGREEMENT_LIST,
        reverse("partners:document-download", kwargs={"pk": 1}),
    ],
)
def test_anonymous_visitor_is_sent_to_sign_in_and_back(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


# --- agreement list --------------------------------------------------------------------------


@pytest.fixture
def agreements_of_every_status(db, partner, berlin, department, other_department):
    return {
        "active": AgreementFactory(reference="A-ACTIVE", partner=partner, department=department),
        "expiring": AgreementFactory(
            reference="A-EXPIRING",
            partner=berlin,
            valid_until=days(20),
            department=other_department,
            kind=Agreement.Kind.ERASMUS_IIA,
        ),
        "expired": AgreementFactory(
            reference="A-EXPIRED", partner=berlin, valid_from=days(-800), valid_until=days(-1)
        ),
        "draft": AgreementFactory(
            reference="A-DRAFT",
            partner=berlin,
            lifecycle=Agreement.Lifecycle.DRAFT,
            valid_from=None,
            valid_until=None,
        ),
    }


def test_agreement_list_shows_agreements_with_status_and_days_to_expiry(
    client_for, staff_member, agreements_of_every_status
):
    AgreementFactory(reference="A-ARCHIVED", is_archived=True)
    response = client_for(staff_member).get(AGREEMENT_LIST, {"sort": "reference"})
    assert response.status_code == 200
    assert listed_agreements(response) == ["A-ACTIVE", "A-DRAFT", "A-EXPIRED", "A-EXPIRING"]
    content = response.content.decode()
    assert "Expiring soon" in content and "Expired" in content and "Draft" in content
    assert ">20</td>" in content
    assert "Charité Berlin" in content and "Germany" in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "active"}, ["A-ACTIVE"]),
        ({"status": "expiring"}, ["A-EXPIRING"]),
        ({"status": "expired"}, ["A-EXPIRED"]),
        ({"status": "draft"}, ["A-DRAFT"]),
        ({"kind": "erasmus_iia"}, ["A-EXPIRING"]),
        ({"country": "PL"}, ["A-ACTIVE"]),
        ({"expiring_within": "30"}, ["A-EXPIRING"]),
        ({"expiring_within": "10"}, []),
        ({"q": "umb"}, ["A-ACTIVE"]),
        ({"q": "a-exp"}, ["A-EXPIRED", "A-EXPIRING"]),
    ],
)
def test_agreement_list_filters(client_for, student, agreements_of_every_status, params, expected):
    response = client_for(student).get(AGREEMENT_LIST, {**params, "sort": "reference"})
    assert listed_agreements(response) == expected


def test_agreement_list_filters_by_department(
    client_for, student, agreements_of_every_status, other_department
):
    response = client_for(student).get(AGREEMENT_LIST, {"department": other_department.pk})
    assert listed_agreements(response) == ["A-EXPIRING"]


def test_agreement_list_sorts_by_end_date_with_open_ended_last(
    client_for, student, agreements_of_every_status
):
    response = client_for(student).get(AGREEMENT_LIST, {"sort": "valid_until"})
    assert listed_agreements(response) == ["A-EXPIRED", "A-EXPIRING", "A-ACTIVE", "A-DRAFT"]


@pytest.mark.parametrize("value", ["abc", "0", "-5", "3651", "1e3", "30.5"])
def test_invalid_expiring_within_is_ignored_and_reported(
    client_for, student, agreements_of_every_status, value
):
    response = client_for(student).get(AGREEMENT_LIST, {"expiring_within": value})
    assert response.status_code == 200
    assert "expiring_within" in response.context["filter"].form.errors
    assert len(listed_agreements(response)) == 4


@pytest.mark.parametrize(
    "params",
    [
        {"status": "zombie"},
        {"kind": "secret"},
        {"country": "XX"},
        {"department": "999999"},
        {"department": "abc"},
        {"sort": "evil"},
        {"page": "999"},
        {"page": "0"},
    ],
)
def test_agreement_list_survives_bad_parameters(client_for, student, agreement, params):
    response = client_for(student).get(AGREEMENT_LIST, params)
    assert response.status_code == 200
    assert listed_agreements(response) == [agreement.reference]


@pytest.mark.parametrize("rows", [5, 50])
def test_agreement_list_queries_do_not_grow_with_rows(
    client_for, staff_member, rows, django_assert_max_num_queries
):
    AgreementFactory.create_batch(rows)
    client = client_for(staff_member)
    # session, user, session save (savepoint, update), country choices, department choices,
    # count, page of agreements with partners and departments, office group and coordinator.
    with django_assert_max_num_queries(11):
        response = client.get(AGREEMENT_LIST)
    assert len(response.context["agreements"]) == min(rows, 25)


def _signed_in_viewer(request, name, agreement):
    if name == "agreement_coordinator":
        user = UserFactory(username="agreement-coordinator")
        agreement.coordinator = user
        agreement.save()
        return user
    return request.getfixturevalue(name)


# --- document download -----------------------------------------------------------------------


def download_url(document):
    return reverse("partners:document-download", kwargs={"pk": document.pk})


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("student", 404),
        ("staff_member", 404),
        ("other_coordinator", 404),
        ("coordinator", 200),
        ("agreement_coordinator", 200),
        ("office", 200),
    ],
)
def test_document_download_permission_matrix(request, client_for, agreement, viewer, status):
    user = _signed_in_viewer(request, viewer, agreement)
    document = AgreementDocumentFactory(agreement=agreement, original_name="Umowa UMB 2004.pdf")

    response = client_for(user).get(download_url(document))

    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Umowa UMB 2004.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_anonymous_download_is_sent_to_sign_in(client, agreement):
    document = AgreementDocumentFactory(agreement=agreement)
    response = client.get(download_url(document))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_download_of_a_missing_file_is_404(client_for, office, agreement):
    document = AgreementDocumentFactory(agreement=agreement)
    document.file.storage.delete(document.file.name)
    assert client_for(office).get(download_url(document)).status_code == 404


def test_download_of_an_unknown_document_is_404(client_for, office):
    response = client_for(office).get(reverse("partners:document-download", kwargs={"pk": 999}))
    assert response.status_code == 404
