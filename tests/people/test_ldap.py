"""Signing in with the university's directory, against a real OpenLDAP server on loopback.

The server (tests/directory_server.py) starts once for the session on a free port; the portal
is configured as settings.py configures it from the LDAP_* variables. People that a test
changes in the directory are its own, added for it and removed after it.
"""

import json
import logging
import os
import subprocess
import sys

import environ
import ldap
import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.roles import is_international_office
from people.auth import RoleAwareModelBackend
from people.directory_settings import BACKEND, ldap_settings
from people.models import Profile
from tests.directory_server import (
    INSTALL_HINT,
    OFFICE_GROUP_DN,
    PEOPLE,
    SERVICE_DN,
    SERVICE_PASSWORD,
    SLAPD,
    Directory,
    person,
)
from tests.factories import PASSWORD, UserFactory
from tests.outbox import closed_port
from tests.test_settings import ROOT, run_check

pytestmark = pytest.mark.django_db
User = get_user_model()
REFUSAL = "Please enter a correct username and password"


def self_signed_certificate(folder):
    """A certificate for 127.0.0.1 and its key, signed by themselves."""
    certificate, key = folder / "server.crt", folder / "server.key"
    subprocess.run(  # noqa: S603
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]  # noqa: S607
        + ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        + ["-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    return certificate, key


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    """The directory's certificate for StartTLS."""
    certificate, key = self_signed_certificate(tmp_path_factory.mktemp("tls"))
    return {"TLSCertificateFile": certificate, "TLSCertificateKeyFile": key}


@pytest.fixture(scope="session")
def directory(tmp_path_factory, tls_files):
    if not SLAPD.exists():
        pytest.fail(INSTALL_HINT, pytrace=False)
    server = Directory(tmp_path_factory.mktemp("slapd"), tls_files=tls_files)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def directory_env(directory, monkeypatch):
    """The LDAP_* variables a university would set, pointing at the test server."""
    values = {
        "LDAP_SERVER_URI": directory.uri,
        "LDAP_BIND_DN": SERVICE_DN,
        "LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
        "LDAP_USER_SEARCH_BASE": PEOPLE,
        "LDAP_USER_FILTER": "(uid=%(user)s)",
        "LDAP_OFFICE_GROUP_DN": OFFICE_GROUP_DN,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


@pytest.fixture
def ldap_on(settings, directory_env):
    """Apply the environment as settings.py does; call again after changing a variable."""

    def apply():
        for name, value in ldap_settings(environ.Env()).items():
            setattr(settings, name, value)
        settings.AUTHENTICATION_BACKENDS = [
            "axes.backends.AxesStandaloneBackend",
            BACKEND,
            "people.auth.RoleAwareModelBackend",
        ]
        settings.AXES_ENABLED = True  # failed sign-ins are counted, as in production

    apply()
    return apply


@pytest.fixture
def new_person(directory):
    """Add a person to the directory for this test only."""
    added = []

    def add(uid, password="directory-pass-1", **extra):
        dn, attrs = person(uid, uid.capitalize(), "Tester", password, **extra)
        directory.add(dn, attrs)
        added.append(dn)
        return dn

    yield add
    for dn in added:
        try:
            directory.delete(dn)
        except ldap.NO_SUCH_OBJECT:
            pass  # the test removed it itself


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in_as(client):
    return User.objects.filter(pk=client.session.get("_auth_user_id")).first()


def test_a_directory_password_signs_in_and_creates_the_person_with_a_profile(client, ldap_on):
    response = sign_in(client, "petrov", "pavel-directory-pass")

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    user = User.objects.get(username="petrov")
    assert signed_in_as(client) == user
    assert (user.first_name, user.last_name, user.email) == (
        "Pavel",
        "Petrov",
        "petrov@university.example",
    )
    assert not user.has_usable_password()  # the directory keeps the password, not the portal
    assert Profile.objects.filter(user=user).exists()
    assert not is_international_office(RoleAwareModelBackend().get_user(user.pk))
    # The session works on the next page, through the same one-query fetch as local sign-ins.
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_profile_takes_the_language_of_the_directory_entry(client, ldap_on):
    assert sign_in(client, "ivanova", "anna-directory-pass").status_code == 302
    assert Profile.objects.get(user__username="ivanova").language == "be"


def test_the_username_is_matched_whatever_its_case(client, ldap_on):
    assert sign_in(client, "Petrov", "pavel-directory-pass").status_code == 302
    assert list(User.objects.values_list("username", flat=True)) == ["petrov"]


def test_names_follow_the_directory_at_every_sign_in(client, ldap_on):
    UserFactory(username="petrov", first_name="Old", email="old@example.org")
    assert sign_in(client, "petrov", "pavel-directory-pass").status_code == 302
    user = User.objects.get(username="petrov")
    assert (user.first_name, user.email) == ("Pavel", "petrov@university.example")


def test_the_attributes_of_names_and_e_mail_are_configurable(client, ldap_on, directory_env):
    directory_env.setenv("LDAP_ATTR_FIRST_NAME", "cn")
    directory_env.setenv("LDAP_ATTR_EMAIL", "uid")
    ldap_on()
    assert sign_in(client, "petrov", "pavel-directory-pass").status_code == 302
    user = User.objects.get(username="petrov")
    assert (user.first_name, user.last_name, user.email) == ("Pavel Petrov", "Petrov", "petrov")


def test_a_wrong_password_is_refused_and_counted_by_axes(client, ldap_on):
    response = sign_in(client, "petrov", "not-the-password")

    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="petrov").exists()
    assert AccessAttempt.objects.get(username="petrov").failures_since_start == 1


def test_five_wrong_directory_passwords_lock_the_username(client, ldap_on, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "petrov", "not-the-password").status_code == 200
    assert sign_in(client, "petrov", "not-the-password").status_code == 429
    # Even the right directory password, while locked.
    assert sign_in(client, "petrov", "pavel-directory-pass").status_code == 429


def test_a_person_removed_from_the_directory_can_no_longer_sign_in(
    client, ldap_on, new_person, directory
):
    dn = new_person("leaver")
    assert sign_in(client, "leaver", "directory-pass-1").status_code == 302
    client.post(reverse("logout"))

    directory.delete(dn)
    response = sign_in(client, "leaver", "directory-pass-1")

    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.filter(username="leaver").exists()  # their history stays


def test_the_directory_office_group_grants_the_office_and_removal_revokes_it(
    client, ldap_on, new_person, directory
):
    dn = new_person("newcomer")
    directory.change_members(OFFICE_GROUP_DN, ldap.MOD_ADD, dn)
    assert sign_in(client, "newcomer", "directory-pass-1").status_code == 302
    user = RoleAwareModelBackend().get_user(User.objects.get(username="newcomer").pk)
    assert is_international_office(user)
    assert user.is_staff  # the admin site is the office's
    assert client.get(reverse("admin:index")).status_code == 200
    client.post(reverse("logout"))

    directory.change_members(OFFICE_GROUP_DN, ldap.MOD_DELETE, dn)
    assert sign_in(client, "newcomer", "directory-pass-1").status_code == 302

    user = RoleAwareModelBackend().get_user(user.pk)
    assert not is_international_office(user)
    assert not user.is_staff
    assert client.get(reverse("admin:index")).status_code == 302  # to the admin's sign-in


def test_sign_ins_and_office_changes_from_the_directory_are_audited(client, ldap_on, caplog):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    sign_in(client, "ivanova", "anna-directory-pass")
    entries = [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "mobility.audit"
    ]
    assert [(entry["event"], entry.get("method")) for entry in entries] == [
        ("account_created_from_directory", None),
        ("office_role_granted", None),
        ("sign_in", "directory"),
    ]
    assert entries[1]["by"] == "directory"


def test_a_deactivated_person_cannot_sign_in_with_the_right_directory_password(client, ldap_on):
    UserFactory(username="petrov", first_name="Kept", is_active=False)

    response = sign_in(client, "petrov", "pavel-directory-pass")

    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.get(username="petrov").first_name == "Kept"  # nothing written
    assert AccessAttempt.objects.get(username="petrov").failures_since_start == 1


def test_deactivating_a_directory_person_ends_their_session(client, ldap_on):
    assert sign_in(client, "petrov", "pavel-directory-pass").status_code == 302
    User.objects.filter(username="petrov").update(is_active=False)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_without_local_passwords_only_the_break_glass_account_uses_one(client, ldap_on, settings):
    settings.LOCAL_PASSWORDS = False
    settings.BREAK_GLASS_USERS = ["rescue"]
    UserFactory(username="local-only")
    UserFactory(username="rescue", is_superuser=True, is_staff=True)

    response = sign_in(client, "local-only", PASSWORD)
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert AccessAttempt.objects.get(username="local-only").failures_since_start == 1

    assert sign_in(client, "rescue", PASSWORD).status_code == 302
    assert signed_in_as(client).username == "rescue"
    client.post(reverse("logout"))

    # The directory still signs people in.
    assert sign_in(client, "petrov", "pavel-directory-pass").status_code == 302


def test_local_passwords_can_be_switched_off_without_a_directory(client, settings):
    settings.LOCAL_PASSWORDS = False
    settings.BREAK_GLASS_USERS = []
    UserFactory(username="local-only")
    response = sign_in(client, "local-only", PASSWORD)
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()


def test_a_directory_entry_named_like_the_break_glass_account_does_not_open_it(
    client, ldap_on, settings
):
    settings.BREAK_GLASS_USERS = ["petrov"]
    rescue = UserFactory(username="petrov")
    assert sign_in(client, "petrov", "pavel-directory-pass").status_code == 200
    assert sign_in(client, "petrov", PASSWORD).status_code == 302
    assert signed_in_as(client) == rescue


def test_local_accounts_still_sign_in_when_the_directory_does_not_answer(
    client, ldap_on, directory_env
):
    directory_env.setenv("LDAP_SERVER_URI", f"ldap://127.0.0.1:{closed_port()}")
    ldap_on()
    UserFactory(username="local-only")

    assert sign_in(client, "petrov", "pavel-directory-pass").status_code == 200
    assert sign_in(client, "local-only", PASSWORD).status_code == 302


def test_start_tls_with_the_directory_certificate(client, ldap_on, directory_env, tls_files):
    directory_env.setenv("LDAP_START_TLS", "1")
    directory_env.setenv("LDAP_CA_FILE", str(tls_files["TLSCertificateFile"]))
    ldap_on()
    assert sign_in(client, "petrov", "pavel-directory-pass").status_code == 302


def test_start_tls_refuses_a_certificate_it_cannot_verify(client, ldap_on, directory_env, tmp_path):
    another_certificate, _key = self_signed_certificate(tmp_path)
    directory_env.setenv("LDAP_START_TLS", "1")
    directory_env.setenv("LDAP_CA_FILE", str(another_certificate))
    ldap_on()
    response = sign_in(client, "petrov", "pavel-directory-pass")
    assert response.status_code == 200
    assert not User.objects.filter(username="petrov").exists()


# settings.py itself, as a deployment starts it


def test_settings_turn_the_directory_on_only_with_ldap_server_uri():
    code = (
        "from django.conf import settings;"
        "print(settings.AUTHENTICATION_BACKENDS);"
        "print(settings.AUTH_LDAP_USER_SEARCH.filterstr, settings.AUTH_LDAP_BIND_DN)"
    )
    environment = {
        "LDAP_SERVER_URI": "ldaps://dc1.university.example",
        "LDAP_USER_SEARCH_BASE": "DC=university,DC=example",
        "LDAP_USER_FILTER": "(sAMAccountName=%(user)s)",
        "LDAP_BIND_DN": "CN=portal,OU=Services,DC=university,DC=example",
    }
    on = _run_settings(code, environment)
    assert on.returncode == 0, on.stderr
    assert (
        "['axes.backends.AxesStandaloneBackend', 'people.directory.DirectoryBackend', "
        "'people.auth.RoleAwareModelBackend']"
    ) in on.stdout
    assert "(sAMAccountName=%(user)s) CN=portal,OU=Services" in on.stdout

    off = _run_settings("from django.conf import settings; print(settings.AUTHENTICATION_BACKENDS)")
    assert "DirectoryBackend" not in off.stdout


def test_a_directory_without_a_search_base_stops_the_start_with_a_clear_message():
    result = run_check(SECRET_KEY="k" * 50, LDAP_SERVER_URI="ldap://127.0.0.1")
    assert result.returncode != 0
    assert "LDAP_USER_SEARCH_BASE" in result.stderr


def _run_settings(code, environment=None):
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **_clean_environment(),
            "DJANGO_SETTINGS_MODULE": "mobility_portal.settings",
            "SECRET_KEY": "k" * 50,
            **(environment or {}),
        },
        capture_output=True,
        text=True,
        check=False,
    )


def _clean_environment():
    return {key: value for key, value in os.environ.items() if not key.startswith("LDAP_")}
