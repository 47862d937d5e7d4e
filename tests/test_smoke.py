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
