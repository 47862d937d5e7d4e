"""The office views and edits profiles; accounts keep Django's admin, with the profile inline."""

import pytest
from django.urls import reverse

from people.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_the_office_lists_and_changes_profiles(client_for, office, student):
    client = client_for(office)
    response = client.get(reverse("admin:people_profile_changelist"), {"q": "student"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [student.profile]

    url = reverse("admin:people_profile_change", args=[student.profile.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"language": "ru"})
    assert response.status_code == 302
    student.profile.refresh_from_db()
    assert student.profile.language == "ru"


def test_a_language_outside_the_list_is_a_form_error(client_for, office, student):
    url = reverse("admin:people_profile_change", args=[student.profile.pk])
    response = client_for(office).post(url, {"language": "xx"})
    assert response.status_code == 200
    assert "language" in response.context["adminform"].form.errors
    student.profile.refresh_from_db()
    assert student.profile.language == ""


def test_profiles_are_neither_added_nor_deleted_in_the_admin(client_for, superuser, student):
    client = client_for(superuser)
    assert client.get(reverse("admin:people_profile_add")).status_code == 403
    delete = reverse("admin:people_profile_delete", args=[student.profile.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Profile.objects.filter(user=student).exists()


def test_staff_without_the_permission_is_refused(client_for, student):
    bare = UserFactory(username="bare-staff", is_staff=True)
    client = client_for(bare)
    assert client.get(reverse("admin:people_profile_changelist")).status_code == 403
    url = reverse("admin:people_profile_change", args=[student.profile.pk])
    assert client.post(url, {"language": "ru"}).status_code == 403
    student.profile.refresh_from_db()
    assert student.profile.language == ""


def test_the_account_page_shows_the_profile_to_the_office(client_for, office, student):
    response = client_for(office).get(reverse("admin:auth_user_change", args=[student.pk]))
    assert response.status_code == 200
    assert [formset.formset.prefix for formset in response.context["inline_admin_formsets"]] == [
        "profile"
    ]


def test_a_superuser_changes_the_language_on_the_account_page(client_for, superuser, student):
    data = {
        "username": student.username,
        "first_name": student.first_name,
        "last_name": student.last_name,
        "email": student.email,
        "is_active": "on",
        "date_joined_0": student.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": student.date_joined.strftime("%H:%M:%S"),
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-id": student.profile.pk,
        "profile-0-user": student.pk,
        "profile-0-language": "ru",
    }
    url = reverse("admin:auth_user_change", args=[student.pk])
    response = client_for(superuser).post(url, data)
    assert response.status_code == 302, response.context["adminform"].errors
    student.profile.refresh_from_db()
    assert student.profile.language == "ru"
    assert Profile.objects.filter(user=student).count() == 1
