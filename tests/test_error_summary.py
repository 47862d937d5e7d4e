"""Errors are announced on every form: a summary at the top that links each message to its field,
and a page title that starts with "Error:" (issue 17)."""

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_a_failed_sign_in_has_an_error_summary_and_an_error_title(client, student):
    response = client.post(reverse("login"), {"username": student.username, "password": "wrong"})
    content = response.content.decode()
    assert response.status_code == 200
    assert _title(response).startswith("Error: Sign in")
    assert 'id="error-summary" role="alert" tabindex="-1"' in content
    assert "Please enter a correct username and password" in content


def test_each_field_error_in_the_summary_links_to_its_field(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    content = response.content.decode()
    summary = content[content.index('id="error-summary"') :]
    assert (
        '<a class="alert-link" href="#id_username">Username: This field is required.</a>' in summary
    )
    assert (
        '<a class="alert-link" href="#id_password">Password: This field is required.</a>' in summary
    )
    # The field itself still names its message, as before.
    assert 'aria-describedby="id_username_error"' in content


def test_the_apply_form_with_errors_announces_them(client_for, student, program):
    url = reverse("exchanges:application-create", args=[program.slug])
    response = client_for(student).post(url, {"action": "submit"})
    assert response.status_code == 200
    assert _title(response).startswith("Error: Apply")
    assert (
        '<a class="alert-link" href="#id_motivation">Motivation: This field is required.</a>'
        in (response.content.decode())
    )


def test_a_form_without_errors_has_no_summary_and_a_plain_title(client, student):
    response = client.get(reverse("login"))
    assert 'id="error-summary"' not in response.content.decode()
    assert _title(response).startswith("Sign in")


def test_the_error_title_is_translated(client, student):
    client.cookies["django_language"] = "ru"
    response = client.post(
        reverse("login"),
        {"username": student.username, "password": PASSWORD + "x"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert _title(response).startswith("Ошибка:")
