"""Accounts, sessions, the audit log and the security headers."""

import json
import logging

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def audit_entries(caplog):
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "mobility.audit"
    ]


def test_five_failed_sign_ins_lock_the_username_with_a_clear_message(client, axes_on):
    user = UserFactory(username="victim")
    for _ in range(4):
        response = sign_in(client, "victim", "wrong password")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    response = sign_in(client, "victim", "wrong password")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()

    # Even the right password is refused while locked.
    response = sign_in(client, "victim", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert user.pk  # the account itself is untouched


def test_successful_sign_in_resets_the_failure_count(client, axes_on):
    UserFactory(username="forgetful")
    for _ in range(4):
        sign_in(client, "forgetful", "wrong password")
    assert sign_in(client, "forgetful", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert sign_in(client, "forgetful", "wrong password").status_code == 200


@pytest.mark.parametrize(
    ("url_name", "refusal"),
    [
        ("login", "Please enter a correct username and password"),
        ("admin:login", "Please enter the correct username and password for a staff account"),
    ],
)
@pytest.mark.parametrize("length", [151, 256, 5000])
def test_a_username_too_long_for_any_account_gets_the_normal_refusal(
    client, axes_on, url_name, refusal, length
):
    response = client.post(
        reverse(url_name), {"username": "x" * length, "password": "wrong password"}
    )
    assert response.status_code == 200
    assert refusal in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_long_username_still_counts_towards_the_lockout(client, axes_on):
    long_name = "x" * 300
    for _ in range(4):
        assert sign_in(client, long_name, "wrong password").status_code == 200
    assert sign_in(client, long_name, "wrong password").status_code == 429


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_a_nul_byte_in_a_username_is_refused_by_the_form(client, axes_on, url_name):
    response = client.post(reverse(url_name), {"username": "ad\x00min", "password": "x"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# The per-address limit: many usernames tried from one address


def test_wrong_passwords_over_many_usernames_lock_the_address(client, settings, caplog, axes_on):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8  # above the per-username limit of 5
    UserFactory(username="victim")
    usernames = [f"guess{number}" for number in range(4)]
    for attempt in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        response = sign_in(client, usernames[attempt % 4], "wrong password")
        assert response.status_code == 200  # at most 2 per username: never the username limit

    response = sign_in(client, "guess-more", "wrong password")  # the address's 8th
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert sign_in(client, "yet-another", "wrong password").status_code == 429
    assert "from your address has failed too often" in response.content.decode()
    assert "sign_in_locked_out" in [entry["event"] for entry in audit_entries(caplog)]

    # A correct password from the locked address is refused during the cool-off.
    response = sign_in(client, "victim", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    # Another address is not affected.
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert sign_in(elsewhere, "victim", PASSWORD).status_code == 302


def test_the_attack_of_the_finding_is_locked_out_with_the_default_limits(client, axes_on):
    # 24 wrong passwords spread over 6 accounts from one address, 4 each.
    statuses = [
        sign_in(client, f"account{number}", "wrong password").status_code
        for _ in range(4)
        for number in range(6)
    ]
    assert 429 in statuses
    assert statuses.count(200) < 24


def test_the_address_limit_is_higher_than_the_username_limit(settings):
    # Many people share one address behind a university's NAT.
    assert settings.AXES_ADDRESS_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT


def test_an_address_lock_ends_after_the_cool_off(client, settings, axes_on):
    from axes.models import AccessAttempt

    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    UserFactory(username="returning")
    for number in range(6):
        sign_in(client, f"guess{number}", "wrong password")
    assert sign_in(client, "returning", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")  # long ago
    assert sign_in(client, "returning", PASSWORD).status_code == 302


def test_sign_in_failure_and_sign_out_are_audited_in_utc(client, caplog, axes_on):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    UserFactory(username="auditor")
    sign_in(client, "auditor", "wrong password")
    sign_in(client, "auditor", PASSWORD)
    client.post(reverse("logout"))
    events = [(entry["event"], entry["user"]) for entry in audit_entries(caplog)]
    assert events == [
        ("sign_in_failed", "auditor"),
        ("sign_in", "auditor"),
        ("sign_out", "auditor"),
    ]


def test_a_newline_in_a_username_cannot_forge_an_audit_line(client, caplog):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    forged = 'x"}\n2026-01-01T00:00:00Z {"event": "sign_in", "user": "admin'
    sign_in(client, forged, "whatever")
    messages = [r.getMessage() for r in caplog.records if r.name == "mobility.audit"]
    assert len(messages) == 1
    assert "\n" not in messages[0]
    assert json.loads(messages[0])["user"] == forged


def test_lockout_is_audited(client, caplog, axes_on):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    UserFactory(username="locked")
    for _ in range(5):
        sign_in(client, "locked", "wrong password")
    assert "sign_in_locked_out" in [entry["event"] for entry in audit_entries(caplog)]


def test_agreement_changes_are_audited_with_the_changed_fields(caplog, agreement):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    agreement.notes = "Renewal under discussion"
    agreement.save()
    entry = audit_entries(caplog)[-1]
    assert entry["event"] == "agreement_changed"
    assert entry["id"] == agreement.pk
    assert entry["fields"] == ["notes"]


@pytest.mark.parametrize("password", ["short1!", "password12345", "123456789012"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("quiet-river-stones-2026")


def test_deactivating_an_account_ends_its_sessions(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("healthz")).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(reverse("partners:partner-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_out_ends_the_session(client):
    client.force_login(UserFactory())
    client.post(reverse("logout"))
    assert client.get(reverse("partners:partner-list")).status_code == 302


def test_activity_renews_the_session_at_most_once_per_refresh_interval(client, settings):
    from django.contrib.sessions.models import Session

    settings.SESSION_REFRESH_SECONDS = 300
    client.force_login(UserFactory())
    key = client.session.session_key
    session = client.session
    session["_last_touch"] = 0  # last touched long ago
    session.save()
    first_expiry = Session.objects.get(session_key=key).expire_date

    client.get(reverse("partners:partner-list"))
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > first_expiry

    client.get(reverse("partners:partner-list"))
    assert Session.objects.get(session_key=key).expire_date == renewed  # no write this time


def test_an_idle_session_ends(client, settings):
    from django.contrib.sessions.models import Session

    client.force_login(UserFactory())
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date="2000-01-01T00:00:00Z"
    )
    response = client.get(reverse("partners:partner-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("url_name", "signed_in"),
    [
        ("login", False),
        ("admin:login", False),
        ("partners:partner-list", True),
        ("admin:index", True),
    ],
)
def test_security_headers_are_sent(client, office, url_name, signed_in):
    if signed_in:
        client.force_login(office)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_a_file_download_carries_the_security_headers(client, office):
    from tests.factories import AgreementDocumentFactory

    document = AgreementDocumentFactory(original_name='scan "2004"\r\n.pdf')
    client.force_login(office)
    response = client.get(reverse("partners:document-download", args=[document.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_request_for_an_unknown_host_gets_the_400_page_not_a_server_error(settings):
    # The host check fails before the authentication middleware: the page has no request.user.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["mobility.example.org"]
    client = Client(raise_request_exception=False)

    response = client.get("/healthz", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert str(settings.PORTAL_NAME) in response.content.decode()
