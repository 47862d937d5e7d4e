import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in_and_back(client):
    response = client.get(reverse("partners:partner-list"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/partners/"


@pytest.mark.django_db
def test_sign_in_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_server_error_page_is_friendly_and_needs_no_database(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert 'href="/"' in response.content.decode()


@pytest.mark.django_db
def test_not_found_page_is_friendly(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
