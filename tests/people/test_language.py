"""The language switcher, the remembered choice, and the language a signed-in person gets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from people.models import Profile

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
SWITCHER = f'action="{reverse("set_language")}"'


def page_language(response) -> str:
    html = response.content.decode()
    start = html.index('<html lang="') + len('<html lang="')
    return html[start : html.index('"', start)]


def sign_in(client, user, password):
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302, "the sign-in was refused"


def test_languages_are_english_russian_belarusian_each_named_in_itself():
    assert settings.LANGUAGES == [("en", "English"), ("ru", "Русский"), ("be", "Беларуская")]
    choices = Profile._meta.get_field("language").choices
    assert choices == settings.LANGUAGES


def test_the_sign_in_page_has_the_switcher_with_each_language_named_in_itself(client):
    html = client.get(reverse("login")).content.decode()
    assert SWITCHER in html
    assert '<label class="visually-hidden" for="language-switcher-select">Language</label>' in html
    assert 'id="language-switcher-select" name="language"' in html
    assert '<option value="ru" lang="ru">Русский</option>' in html
    assert '<option value="be" lang="be">Беларуская</option>' in html
    assert '<option value="en" lang="en" selected>English</option>' in html
    assert '<button type="submit"' in html and "Switch language</button>" in html


def test_a_signed_in_page_has_the_switcher(client_for, student):
    html = client_for(student).get(reverse("dashboard")).content.decode()
    assert SWITCHER in html


def test_switching_signed_out_sets_the_cookie_and_the_next_page_is_russian(client):
    login_url = reverse("login")
    response = client.post(reverse("set_language"), {"language": "ru", "next": login_url})

    assert response.status_code == 302
    assert response["Location"] == login_url
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    page = client.get(login_url)
    assert page_language(page) == "ru"
    assert page["Content-Language"] == "ru"
    html = page.content.decode()
    assert '<option value="ru" lang="ru" selected>Русский</option>' in html
    assert '<option value="en" lang="en">English</option>' in html, "named in itself, untranslated"


def test_without_a_choice_the_browser_decides(client):
    page = client.get(reverse("login"), headers={"accept-language": "be,ru;q=0.8"})
    assert page_language(page) == "be"


def test_an_unknown_language_changes_nothing(client_for, student):
    client = client_for(student)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert Profile.objects.get(user=student).language == ""


def test_switching_is_post_only(client):
    response = client.get(reverse("set_language"), {"language": "ru"})
    assert response.status_code == 405
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_switching_signed_out_writes_no_profile(client, student):
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    assert Profile.objects.get(user=student).language == ""


def test_a_signed_in_choice_is_kept_on_the_profile_and_follows_to_a_new_sign_in(
    client, student, password
):
    sign_in(client, student, password)
    client.post(reverse("set_language"), {"language": "be", "next": "/"})
    assert Profile.objects.get(user=student).language == "be"
    client.post(reverse("logout"))

    # Another browser: no cookie, and a browser that asks for English.
    elsewhere = Client(headers={"accept-language": "en"})
    assert page_language(elsewhere.get(reverse("login"))) == "en"
    sign_in(elsewhere, student, password)
    page = elsewhere.get(reverse("dashboard"))
    assert page_language(page) == "be"
    assert '<option value="be" lang="be" selected>Беларуская</option>' in page.content.decode()


def test_the_profile_language_wins_over_the_cookie_and_the_browser(client_for, student):
    Profile.objects.filter(user=student).update(language="ru")
    client = client_for(student)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("dashboard"), headers={"accept-language": "en"})
    assert page_language(page) == "ru"


def test_the_admin_follows_the_profile_language(client_for, office):
    Profile.objects.filter(user=office).update(language="ru")
    page = client_for(office).get(reverse("admin:index"))
    assert page.status_code == 200
    assert page_language(page) == "ru"


def test_the_profile_language_costs_no_query(client_for, student, django_assert_num_queries):
    Profile.objects.filter(user=student).update(language="ru")
    client = client_for(student)
    client.get(reverse("dashboard"))
    # The session, and the user with their roles and profile: the profile rides along.
    with django_assert_num_queries(2):
        client.get(reverse("password_change"))


def language_code_with(value: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "LANGUAGE_CODE"}
    environment.update(LANGUAGE_CODE=value, SECRET_KEY="k" * 50)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from mobility_portal import settings; print(settings.LANGUAGE_CODE)",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_default_language_comes_from_the_environment():
    result = language_code_with("be")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "be"


def test_a_default_language_we_do_not_have_stops_the_start_with_a_clear_message():
    result = language_code_with("de")
    assert result.returncode != 0
    assert "LANGUAGE_CODE 'de' is not one of en, ru, be." in result.stderr


def test_switching_never_redirects_off_the_site(client):
    response = client.post(
        reverse("set_language"), {"language": "ru", "next": "https://elsewhere.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
