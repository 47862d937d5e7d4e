"""The settings module: safe defaults and the health check the load balancer uses."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgreementFactory

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_start_without_secret_key_stops_with_a_clear_message():
    result = run_check(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_start_with_secret_key_passes_the_checks():
    result = run_check(DEBUG="0", SECRET_KEY="a-long-random-production-key-" + "x" * 40)
    assert result.returncode == 0, result.stderr


def test_debug_is_off_unless_set():
    result = subprocess.run(
        [sys.executable, "-c", "from mobility_portal import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DEBUG"}, "SECRET_KEY": "k" * 50},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"


@pytest.mark.django_db
def test_health_check_answers_without_sign_in(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


@pytest.mark.django_db
def test_health_check_answers_head_like_get(client):
    # Load balancers often probe with HEAD: a 405 would mark every server down.
    response = client.head(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_health_check_refuses_other_methods(client):
    assert client.post(reverse("healthz")).status_code == 405


@pytest.mark.django_db
def test_health_check_reports_503_when_the_database_does_not_answer(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(self, sql, params=None):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert client.head(reverse("healthz")).status_code == 503


def read_setting(expression: str, **env) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "MEDIA_STORAGE"}}
    environment.update({"SECRET_KEY": "k" * 50, **env})
    result = subprocess.run(
        [sys.executable, "-c", f"from mobility_portal import settings as s; print({expression})"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or result.stderr


def test_uploads_can_go_to_an_s3_compatible_object_store():
    backend = read_setting(
        "s.STORAGES['default']['BACKEND'], s.STORAGES['default']['OPTIONS']['bucket_name'],"
        " s.STORAGES['default']['OPTIONS']['default_acl']",
        MEDIA_STORAGE="s3",
        S3_BUCKET="mobility-uploads",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    assert backend == "storages.backends.s3.S3Storage mobility-uploads private"


def test_an_unknown_media_storage_is_a_clear_error():
    assert "MEDIA_STORAGE must be" in read_setting("1", MEDIA_STORAGE="ftp")


def test_production_uses_secure_host_only_cookies_and_hsts():
    values = read_setting(
        "s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS",
        DEBUG="0",
        HTTPS="1",
    )
    assert values == "__Host-sessionid __Host-csrftoken True 31536000 True"


def test_production_keeps_messages_in_the_session_not_in_a_cookie_of_their_own():
    values = read_setting("s.MESSAGE_STORAGE", DEBUG="0", HTTPS="1")
    assert values == "django.contrib.messages.storage.session.SessionStorage"


@pytest.mark.django_db
def test_with_https_settings_every_cookie_has_the_host_prefix_and_messages_still_arrive(
    client, settings, student, program
):
    from exchanges.models import Application
    from tests.factories import ApplicationFactory

    # What HTTPS=1 sets (settings.py), applied to this process.
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.LANGUAGE_COOKIE_NAME = "__Host-language"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SECURE = True
    application = ApplicationFactory(applicant=student, program=program)
    client.force_login(student)
    url = reverse("exchanges:application-withdraw", args=[application.pk])
    set_cookies = {}
    # The confirmation page sets the CSRF cookie, the POST stores the message, the next page
    # shows it and clears it.
    confirm = client.get(url, secure=True)
    set_cookies.update(confirm.cookies)
    withdrawn = client.post(url, secure=True)
    set_cookies.update(withdrawn.cookies)
    assert withdrawn.status_code == 302
    next_page = client.get(withdrawn["Location"], secure=True)
    set_cookies.update(next_page.cookies)
    switched = client.post(reverse("set_language"), {"language": "ru", "next": "/"}, secure=True)
    set_cookies.update(switched.cookies)

    assert "Your application was withdrawn." in next_page.content.decode()
    assert set_cookies["__Host-language"].value == "ru"
    assert set_cookies["__Host-language"]["httponly"]
    assert "messages" not in client.cookies
    assert set_cookies, "the requests above set at least the CSRF and session cookies"
    for name, morsel in set_cookies.items():
        assert name.startswith("__Host-"), name
        assert morsel["secure"] and morsel["path"] == "/" and not morsel["domain"]
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    # Shown once: the page after does not repeat it.
    again = client.get(withdrawn["Location"], secure=True)
    assert "Your application was withdrawn." not in again.content.decode()


def test_check_deploy_passes_with_the_documented_production_environment():
    # The environment of docs/deploy.md, step 4.
    production = {
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
        "DATABASE_URL": "postgres:///mobility",
        "ALLOWED_HOSTS": "mobility.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://mobility.example.org",
        "BEHIND_TLS_PROXY": "1",
        "SECURE_SSL_REDIRECT": "1",
        "EMAIL_URL": "smtp+tls://portal%40example.org:secret@mail.example.org:587",
    }
    deploy = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k not in production}, **production},
        capture_output=True,
        text=True,
        check=False,
    )
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr


def test_page_size_and_expiry_window_default_to_25_rows_and_90_days():
    assert read_setting("s.PAGE_SIZE, s.EXPIRY_WARNING_DAYS") == "25 90"


def test_page_size_and_expiry_window_come_from_the_environment():
    environment = {"PAGE_SIZE": "10", "EXPIRY_WARNING_DAYS": "60"}
    assert read_setting("s.PAGE_SIZE, s.EXPIRY_WARNING_DAYS", **environment) == "10 60"


@pytest.mark.django_db
def test_partners_pages_and_statuses_follow_the_page_size_and_expiry_window(
    settings, client, staff_member
):
    today = timezone.localdate()
    for number in range(3):
        AgreementFactory(reference=f"R-{number}", valid_until=today + datetime.timedelta(days=45))
    settings.PAGE_SIZE = 2
    settings.EXPIRY_WARNING_DAYS = 30
    client.force_login(staff_member)

    page = client.get(reverse("partners:agreement-list"))

    assert len(page.context["agreements"]) == 2
    agreement = page.context["agreements"][0]
    assert agreement.status_on(today) == agreement.Status.ACTIVE
    settings.EXPIRY_WARNING_DAYS = 60
    assert agreement.status_on(today) == agreement.Status.EXPIRING


def test_password_reset_links_and_limits_default_and_come_from_the_environment():
    names = (
        "s.PASSWORD_RESET_TIMEOUT, s.PASSWORD_RESET_LIMIT_PER_EMAIL, s.PASSWORD_RESET_LIMIT_PER_IP"
    )
    assert read_setting(names) == "259200 3 10"
    environment = {
        "PASSWORD_RESET_TIMEOUT": "3600",
        "PASSWORD_RESET_LIMIT_PER_EMAIL": "1",
        "PASSWORD_RESET_LIMIT_PER_IP": "5",
    }
    assert read_setting(names, **environment) == "3600 1 5"


def test_the_cache_is_local_unless_cache_url_names_a_shared_one():
    backend = "s.CACHES['default']['BACKEND']"
    assert read_setting(backend).endswith("LocMemCache")
    assert read_setting(backend, CACHE_URL="dbcache://portal_cache").endswith("DatabaseCache")


def test_two_factor_for_the_office_is_on_in_production_and_off_in_the_demo():
    assert read_setting("s.REQUIRE_2FA_FOR_OFFICE", DEBUG="0") == "True"
    assert read_setting("s.REQUIRE_2FA_FOR_OFFICE", DEBUG="1") == "False"
    assert (
        read_setting("s.REQUIRE_2FA_FOR_OFFICE", DEBUG="0", REQUIRE_2FA_FOR_OFFICE="0") == "False"
    )
    assert read_setting("s.REQUIRE_2FA_FOR_OFFICE", DEBUG="1", REQUIRE_2FA_FOR_OFFICE="1") == "True"


def test_two_factor_for_the_office_is_off_in_the_test_settings(settings):
    # The tests that need it switch it on (tests/people/test_two_factor.py).
    assert settings.REQUIRE_2FA_FOR_OFFICE is False
