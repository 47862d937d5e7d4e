"""Forgotten and changed passwords: Django's views, the same answer for any address, one-time
links that expire, rate limits, validators, the audit log."""

import datetime
import json
import logging
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from core.languages import recipient_language
from core.models import OutgoingEmail
from people.accounts import validity
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

RESET_URL = reverse("password_reset")
NEW_PASSWORD = "quiet-river-stones-2026"


def ask_for_reset(client, email, **extra):
    return client.post(RESET_URL, {"email": email}, **extra)


def link_in(email: OutgoingEmail) -> str:
    return re.search(r"http://testserver(/accounts/reset/\S+/)", email.body).group(1)


def audit_events(caplog):
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "mobility.audit"
    ]


@pytest.fixture
def reset_link(client, student, run_worker):
    ask_for_reset(client, student.email)
    run_worker()
    return link_in(OutgoingEmail.objects.get())


def set_password(client, link, password=NEW_PASSWORD):
    response = client.get(link)
    assert response.status_code == 302, "a valid link leads to the form"
    return client.post(response.url, {"new_password1": password, "new_password2": password})


def test_known_and_unknown_addresses_get_the_same_answer_after_the_same_work(
    client, student, run_worker
):
    answers = []
    for email in [student.email, "nobody@example.org"]:
        with CaptureQueriesContext(connection) as queries:
            response = ask_for_reset(client, email)
        statements = [query["sql"].split(" ")[0] for query in queries.captured_queries]
        followed = client.get(response.url)
        # Each form on a page has a fresh (masked) CSRF token: the rest must be the same.
        page = re.sub(
            r'value="[^"]+" name="csrfmiddlewaretoken"|name="csrfmiddlewaretoken" '
            r'value="[^"]+"',
            "",
            followed.content.decode(),
        )
        answers.append((response.status_code, response.url, followed.status_code, page))
        answers.append(statements)
    known, known_statements, unknown, unknown_statements = answers
    assert known == unknown
    assert known[1] == reverse("password_reset_done")
    assert known_statements == unknown_statements == ["INSERT"]  # the worker's task
    # The request only queued the lookup; the worker sends to the one real account.
    assert not OutgoingEmail.objects.exists()
    assert DBTaskResult.objects.count() == 2
    run_worker()
    email = OutgoingEmail.objects.get()
    assert email.recipient_list == [student.email] and email.confidential
    assert [message.to for message in mail.outbox] == [[student.email]]


def test_no_link_for_a_deactivated_account_or_one_without_a_password(client, run_worker):
    UserFactory(username="gone", email="gone@example.org", is_active=False)
    invited = UserFactory(username="invited", email="invited@example.org")
    invited.set_unusable_password()
    invited.save()
    for email in ["gone@example.org", "invited@example.org"]:
        assert ask_for_reset(client, email).status_code == 302
    run_worker()
    assert not OutgoingEmail.objects.exists()


def test_the_link_works_once(client, student, reset_link, caplog):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    response = set_password(client, reset_link)
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    assert "Your password has been saved." in client.get(response.url).content.decode()
    student.refresh_from_db()
    assert student.check_password(NEW_PASSWORD)
    assert ("password_reset", "student") in [
        (e["event"], e.get("user")) for e in audit_events(caplog)
    ]

    response = client.get(reset_link)
    assert response.status_code == 200
    assert not response.context["validlink"]
    assert "This link no longer works" in response.content.decode()


def test_the_link_expires_after_password_reset_timeout(
    client, student, reset_link, monkeypatch, settings
):
    issued = default_token_generator._now()  # its own clock: naive, as Django keeps it

    def clock_at(seconds):
        monkeypatch.setattr(
            default_token_generator, "_now", lambda: issued + datetime.timedelta(seconds=seconds)
        )

    clock_at(settings.PASSWORD_RESET_TIMEOUT - 5)
    assert client.get(reset_link).status_code == 302  # still good just before

    clock_at(settings.PASSWORD_RESET_TIMEOUT + 5)
    response = client.get(reset_link)
    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()
    response = client.post(
        reset_link.replace(reset_link.split("/")[-2], "set-password"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "This link no longer works" in response.content.decode()
    student.refresh_from_db()
    assert student.check_password(PASSWORD)


def test_a_link_dies_with_the_account(client, student, reset_link):
    student.is_active = False
    student.save()
    assert "This link no longer works" in client.get(reset_link).content.decode()


def test_a_weak_new_password_is_refused(client, student, reset_link):
    response = set_password(client, reset_link, "password12345")
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    student.refresh_from_db()
    assert student.check_password(PASSWORD)


def test_resets_for_one_address_are_limited(client, student, settings, run_worker):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 2
    for _ in range(2):
        assert ask_for_reset(client, student.email).status_code == 302
    response = ask_for_reset(client, student.email.upper())
    assert response.status_code == 429
    assert "Too many password resets have been asked for" in response.content.decode()
    # An unknown address is limited alike: the limit tells nothing about who has an account.
    for _ in range(2):
        ask_for_reset(client, "nobody@example.org")
    assert ask_for_reset(client, "nobody@example.org").status_code == 429
    run_worker()
    assert OutgoingEmail.objects.count() == 2


def test_resets_from_one_client_are_limited(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 3
    for number in range(3):
        assert ask_for_reset(client, f"person{number}@example.org").status_code == 302
    assert ask_for_reset(client, "person9@example.org").status_code == 429
    assert DBTaskResult.objects.count() == 3
    # Another client is not held up.
    response = ask_for_reset(client, "person9@example.org", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302


@pytest.mark.parametrize(("chosen", "portal", "expected"), [("be", "en", "be"), ("", "ru", "ru")])
def test_the_e_mail_is_in_the_person_s_language(
    client, student, run_worker, settings, chosen, portal, expected
):
    # The person's choice, else the portal's language; never the language of the page asked on.
    settings.LANGUAGE_CODE = portal
    student.profile.language = chosen
    student.profile.save()
    assert recipient_language(student) == expected
    ask_for_reset(client, student.email, HTTP_ACCEPT_LANGUAGE="en")
    run_worker()
    email = OutgoingEmail.objects.get()
    with translation.override(expected):
        assert gettext("Resetting your password") in email.subject
        assert validity() in email.body


def test_the_reset_page_and_link_need_no_sign_in(client):
    response = client.get(RESET_URL)
    assert response.status_code == 200
    assert "Forgotten password" in response.content.decode()
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def test_changing_the_password_checks_it_and_is_audited(client_for, student, caplog):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    client = client_for(student)
    url = reverse("password_change")
    weak = {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    assert client.post(url, weak).status_code == 200
    response = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.check_password(NEW_PASSWORD)
    assert [e["event"] for e in audit_events(caplog)][-1:] == ["password_changed"]


def test_a_sign_in_is_audited_with_its_method(client, student, caplog):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    client.post(reverse("login"), {"username": "student", "password": PASSWORD})
    client.post(reverse("login"), {"username": "student", "password": "wrong"})
    events = [(e["event"], e["user"], e.get("method")) for e in audit_events(caplog)]
    assert events[0] == ("sign_in", "student", "password")
    assert ("sign_in_failed", "student", None) in events
