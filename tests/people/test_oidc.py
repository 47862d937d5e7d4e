"""Single sign-on with OpenID Connect, against a real provider on loopback (npm's oidc-provider).

The test client plays the portal's side and `requests` the browser's side at the provider,
through its own sign-in form; the browser suite (tests/e2e/test_single_sign_on.py) does the same
in Chromium.
"""

import json
import logging
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import is_international_office
from people.models import ExternalIdentity
from tests.factories import OfficeUserFactory, UserFactory
from tests.oidc_provider import ACCOUNTS
from tests.outbox import closed_port

pytestmark = pytest.mark.django_db
User = get_user_model()


def sign_on(client, provider, login="ada", password=None, *, next_url=""):
    """Sign in through the provider; returns the portal's answer to the provider's redirect."""
    start = client.get(reverse("oidc:sign-in") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start
    assert start.url.startswith(provider.issuer + "/auth?")
    back = provider.sign_in(start.url, login, password or ACCOUNTS[login]["password"])
    assert back.startswith("http://testserver/accounts/oidc/callback/?"), back
    parts = urlsplit(back)
    return client.get(f"{parts.path}?{parts.query}")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def audit_events(caplog):
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "mobility.audit"
    ]


def test_first_sign_on_creates_the_person_with_their_profile(client, oidc_provider, caplog):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    oidc_provider.change_claims("ada", locale="be-BY")
    response = sign_on(client, oidc_provider)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    person = User.objects.get(username="ada")
    assert (person.first_name, person.last_name) == ("Ada", "Lovelace")
    assert person.email == "ada.lovelace@university.test"
    assert not person.has_usable_password()
    # The provider's locale (be-BY) becomes the profile's language.
    assert person.profile.language == "be"
    identity = ExternalIdentity.objects.get(user=person)
    assert (identity.issuer, identity.subject) == (oidc_provider.issuer, "3f1c0a52-ada")
    assert not is_international_office(person)

    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert page.wsgi_request.user == person
    events = [(e["event"], e.get("method")) for e in audit_events(caplog)]
    assert ("account_created", "oidc") in events
    assert ("sign_in", "oidc") in events


def test_next_sign_on_reuses_the_account_and_follows_the_provider(client, oidc_provider):
    sign_on(client, oidc_provider)
    client.logout()
    oidc_provider.change_claims("ada", family_name="King", email="ada.king@university.test")

    response = sign_on(client, oidc_provider, next_url=reverse("exchanges:program-list"))

    assert response.url == reverse("exchanges:program-list")
    person = User.objects.get()
    assert (person.username, person.last_name) == ("ada", "King")
    assert person.email == "ada.king@university.test"
    assert ExternalIdentity.objects.count() == 1


def test_existing_account_is_linked_by_its_verified_email_address(client, oidc_provider):
    ada = UserFactory(username="alovelace", email="Ada.Lovelace@university.test")

    sign_on(client, oidc_provider)

    assert User.objects.get() == ada
    assert ExternalIdentity.objects.get().user == ada
    assert client.get(reverse("dashboard")).wsgi_request.user == ada


def test_an_unverified_address_never_links_an_existing_account(client, oidc_provider, caplog):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    UserFactory(username="alovelace", email="ada.lovelace@university.test")
    oidc_provider.change_claims("ada", email_verified=False)

    response = sign_on(client, oidc_provider)

    assert response.url == reverse("login")
    assert "belongs to another portal account" in messages_of(response)[0]
    assert not ExternalIdentity.objects.exists()
    assert User.objects.count() == 1
    refusal = [e for e in audit_events(caplog) if e["event"] == "sign_in_refused"]
    assert refusal[0]["reason"] == "email_unverified"
    assert refusal[0]["method"] == "oidc"


def test_a_superusers_address_does_not_hand_the_provider_their_account(client, oidc_provider):
    User.objects.create_superuser("admin", "ada.lovelace@university.test", "x" * 20)

    response = sign_on(client, oidc_provider)

    assert response.url == reverse("login")
    assert not ExternalIdentity.objects.exists()
    assert not client.get(reverse("login")).wsgi_request.user.is_authenticated


def test_a_deactivated_person_cannot_sign_on(client, oidc_provider, caplog):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    sign_on(client, oidc_provider)
    client.logout()
    User.objects.filter(username="ada").update(is_active=False)

    response = sign_on(client, oidc_provider)

    assert response.url == reverse("login")
    assert messages_of(response) == [
        "Your account is deactivated. Ask the international office to reopen it."
    ]
    assert not client.get(reverse("login")).wsgi_request.user.is_authenticated
    refusal = [e for e in audit_events(caplog) if e["event"] == "sign_in_refused"]
    assert refusal[-1] | {"ip": ""} == {
        "event": "sign_in_refused",
        "user": "ada.lovelace@university.test",
        "ip": "",
        "method": "oidc",
        "reason": "deactivated",
    }


def test_a_deactivated_account_found_by_address_is_refused_and_not_linked(client, oidc_provider):
    UserFactory(email="ada.lovelace@university.test", is_active=False)

    response = sign_on(client, oidc_provider)

    assert "deactivated" in messages_of(response)[0]
    assert not ExternalIdentity.objects.exists()


def test_the_office_group_grants_the_office_role_and_its_loss_revokes_it(
    client, oidc_provider, caplog
):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    sign_on(client, oidc_provider, "olga")
    olga = User.objects.get(username="olga")
    assert is_international_office(olga)
    assert client.get(reverse("admin:index")).status_code == 200
    client.logout()

    oidc_provider.change_claims("olga", groups=["staff"])
    sign_on(client, oidc_provider, "olga")

    assert not is_international_office(User.objects.get(username="olga"))
    events = [(e["event"], e.get("to")) for e in audit_events(caplog)]
    assert ("role_granted", "olga") in events
    assert ("role_revoked", "olga") in events


def test_without_an_office_group_setting_the_portal_keeps_the_role(client, oidc_provider, settings):
    settings.OIDC_OFFICE_GROUP = ""
    office = OfficeUserFactory(username="olga-office", email="olga.ivanova@university.test")
    oidc_provider.change_claims("olga", groups=[])

    sign_on(client, oidc_provider, "olga")

    assert is_international_office(User.objects.get(pk=office.pk))


def test_names_and_groups_come_from_the_configured_claims(client, oidc_provider, settings):
    # A provider that fills the two name claims the other way round, and says the role in a
    # single string rather than a list.
    settings.OIDC_CLAIM_GIVEN_NAME = "family_name"
    settings.OIDC_CLAIM_FAMILY_NAME = "given_name"
    settings.OIDC_CLAIM_GROUPS = "preferred_username"
    settings.OIDC_OFFICE_GROUP = "ada"

    sign_on(client, oidc_provider)

    ada = User.objects.get()
    assert (ada.first_name, ada.last_name) == ("Lovelace", "Ada")
    assert is_international_office(ada)


def test_no_account_is_created_when_the_office_creates_accounts(client, oidc_provider, settings):
    settings.OIDC_CREATE_USERS = False

    response = sign_on(client, oidc_provider)

    assert messages_of(response) == [
        "You have no account on the portal yet. Ask the international office."
    ]
    assert not User.objects.exists()


def test_a_username_taken_by_someone_else_gets_a_suffix(client, oidc_provider):
    UserFactory(username="ada", email="another.ada@university.test")

    sign_on(client, oidc_provider)

    assert User.objects.get(email="ada.lovelace@university.test").username == "ada-2"


def test_a_callback_cannot_be_replayed(client, oidc_provider):
    start = client.get(reverse("oidc:sign-in"))
    back = oidc_provider.sign_in(start.url, "ada", ACCOUNTS["ada"]["password"])
    parts = urlsplit(back)
    assert client.get(f"{parts.path}?{parts.query}").url == reverse("dashboard")
    client.logout()

    assert client.get(f"{parts.path}?{parts.query}").url == reverse("login")
    assert not client.get(reverse("login")).wsgi_request.user.is_authenticated


def test_a_token_from_another_issuer_is_refused(client, oidc_provider, settings):
    # Endpoints given explicitly (no discovery), and an issuer the provider is not.
    for name, field in [
        ("OIDC_OP_AUTHORIZATION_ENDPOINT", "/auth"),
        ("OIDC_OP_TOKEN_ENDPOINT", "/token"),
        ("OIDC_OP_USER_ENDPOINT", "/me"),
        ("OIDC_OP_JWKS_ENDPOINT", "/jwks"),
    ]:
        setattr(settings, name, oidc_provider.issuer + field)
    settings.OIDC_ISSUER = "https://login.other-university.test"

    response = sign_on(client, oidc_provider)

    assert messages_of(response) == ["Single sign-on did not work. Please try again."]
    assert not User.objects.exists()


def test_an_unreachable_provider_is_said_so_on_the_sign_in_page(client, settings, oidc_provider):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{closed_port()}"

    response = client.get(reverse("oidc:sign-in"), follow=True)

    assert response.redirect_chain == [(reverse("login"), 302)]
    assert "Single sign-on is unavailable at the moment" in response.text


def test_a_wrong_password_at_the_provider_never_reaches_the_portal(oidc_provider, client):
    start = client.get(reverse("oidc:sign-in"))
    with pytest.raises(AssertionError, match="Wrong username or password"):
        oidc_provider.sign_in(start.url, "ada", "not-her-password")


def test_pages_cost_the_same_queries_after_single_sign_on(client, oidc_provider, student):
    # The person comes with their roles in one query (people.auth), whichever way they signed
    # in: the same queries as after a password sign-in. The first page after a sign-in also
    # renews the session; the second is compared.
    def dashboard_queries():
        client.get(reverse("dashboard"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("dashboard")).status_code == 200
        return [query["sql"].split(" FROM ")[0] for query in queries.captured_queries]

    sign_on(client, oidc_provider)
    after_sso = dashboard_queries()
    client.logout()
    client.force_login(student, backend="people.auth.RoleAwareModelBackend")
    assert dashboard_queries() == after_sso


def test_the_sign_in_page_offers_the_provider_only_when_configured(client, settings):
    settings.OIDC_ENABLED = False
    page = client.get(reverse("login"))
    assert "Sign in with Test University" not in page.text
    assert reverse("oidc:sign-in") not in page.text
    assert client.get(reverse("oidc:sign-in")).status_code == 404
    assert client.get(reverse("oidc:callback")).status_code == 404

    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Test University"
    page = client.get(reverse("login") + "?next=/programs/")
    assert "Sign in with Test University" in page.text
    assert f'href="{reverse("oidc:sign-in")}?next=/programs/"' in page.text

    settings.OIDC_PROVIDER_NAME = ""
    assert "Sign in with your university account" in client.get(reverse("login")).text


def test_single_sign_on_passes_sign_in_throttling_and_is_refused_when_locked(
    client, oidc_provider, settings
):
    # Production runs django-axes first among the backends: a sign-on passes it, and an
    # address locked out for guessing passwords cannot sign on either.
    settings.AXES_ENABLED = True
    assert sign_on(client, oidc_provider).url == reverse("dashboard")
    client.logout()
    for attempt in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": f"guess{attempt}", "password": "wrong"})

    response = sign_on(client, oidc_provider)

    assert response.status_code == 429
    assert not client.get(reverse("login")).wsgi_request.user.is_authenticated
