"""A person's own profile page; who sees a person's details; the office confirms categories."""

import json
import logging

import pytest
from django.urls import reverse

from people.choices import Category
from people.models import Profile
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

PROFILE_URL = reverse("profile")
PHONE = "+375 29 555-77-88"


def audit_events(caplog):
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "mobility.audit"
    ]


def profile_data(**overrides):
    data = {
        "category": Category.UNDERGRADUATE,
        "faculty": "Faculty of Dentistry",
        "year_of_study": "2",
        "phone": PHONE,
        "language": "",
    }
    data.update(overrides)
    return data


def test_the_profile_page_requires_sign_in(client):
    response = client.get(PROFILE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_persons_menu_is_named_after_them_and_leads_to_their_profile(client_for, student):
    content = client_for(student).get(reverse("dashboard")).content.decode()
    assert (
        'id="person-menu" data-bs-toggle="dropdown" aria-expanded="false">Sasha Student</button>'
        in content
    )
    assert f'<a class="dropdown-item" href="{PROFILE_URL}">My profile</a>' in content


def test_a_person_sees_and_edits_their_own_profile(client_for, student, caplog):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    client = client_for(student)
    response = client.get(PROFILE_URL)
    assert response.status_code == 200
    assert response.context["form"].instance == student.profile

    response = client.post(PROFILE_URL, profile_data())
    assert response.status_code == 302
    profile = Profile.objects.get(user=student)
    assert (profile.faculty, profile.year_of_study, profile.phone) == (
        "Faculty of Dentistry",
        2,
        PHONE,
    )
    assert PHONE in client.get(PROFILE_URL).content.decode()
    changed = [e for e in audit_events(caplog) if e["event"] == "profile_changed"]
    assert changed == [
        {
            "event": "profile_changed",
            "user": "student",
            "fields": ["faculty", "year_of_study", "phone"],
        }
    ]


def test_choosing_a_staff_category_awaits_the_office(client_for, student):
    client = client_for(student)
    client.post(PROFILE_URL, profile_data(category=Category.ACADEMIC_STAFF))
    profile = Profile.objects.get(user=student)
    assert (profile.category, profile.category_confirmed) == (Category.ACADEMIC_STAFF, False)
    assert "awaiting confirmation by the international office" in (
        client.get(PROFILE_URL).content.decode()
    )


def test_a_person_changing_their_confirmed_category_loses_the_confirmation(
    client_for, staff_member
):
    client = client_for(staff_member)
    client.post(PROFILE_URL, profile_data(category=Category.YOUNG_SCIENTIST))
    assert not Profile.objects.get(user=staff_member).category_confirmed


def test_saving_other_fields_keeps_the_confirmation(client_for, staff_member):
    client_for(staff_member).post(
        PROFILE_URL, profile_data(category=Category.ACADEMIC_STAFF, position="Professor")
    )
    profile = Profile.objects.get(user=staff_member)
    assert (profile.position, profile.category_confirmed) == ("Professor", True)


def test_the_confirmation_cannot_be_posted_by_the_person(client_for, student):
    client_for(student).post(
        PROFILE_URL, profile_data(category=Category.ACADEMIC_STAFF, category_confirmed="on")
    )
    assert not Profile.objects.get(user=student).category_confirmed


@pytest.mark.parametrize("year", ["0", "8"])
def test_a_year_of_study_outside_1_to_7_is_a_form_error(client_for, student, year):
    response = client_for(student).post(PROFILE_URL, profile_data(year_of_study=year))
    assert response.status_code == 200
    assert "year_of_study" in response.context["form"].errors
    assert Profile.objects.get(user=student).year_of_study == 3


def test_the_profile_page_costs_a_fixed_number_of_queries(
    client_for, student, django_assert_max_num_queries
):
    client = client_for(student)
    # The session, the account with its profile, the departments to choose from; the session's
    # update (in a savepoint) on the first page after signing in.
    with django_assert_max_num_queries(6):
        assert client.get(PROFILE_URL).status_code == 200


def test_coordinators_see_who_applies_but_never_their_phone(
    client_for, coordinator, department, program, student
):
    student.profile.phone = PHONE
    student.profile.position = "Lab assistant"
    student.profile.save()
    application = ApplicationFactory(
        applicant=student,
        program=program,
        department=department,
        category=Category.UNDERGRADUATE,
        status="submitted",
    )
    response = client_for(coordinator).get(
        reverse("exchanges:review-detail", args=[application.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Undergraduate student" in content
    assert department.name in content
    assert "Faculty of General Medicine · year 3" in content
    assert PHONE not in content


def test_the_office_sees_the_phone_in_the_admin(client_for, office, student):
    student.profile.phone = PHONE
    student.profile.save()
    url = reverse("admin:people_profile_change", args=[student.profile.pk])
    assert PHONE in client_for(office).get(url).content.decode()


# --- the office confirms categories -----------------------------------------------------------


def test_the_office_lists_the_categories_awaiting_confirmation(client_for, office, student):
    awaiting = UserFactory(username="self-declared", category__confirmed=False)
    response = client_for(office).get(
        reverse("admin:people_profile_changelist"), {"confirmation": "awaiting"}
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [awaiting.profile]


def test_the_office_confirms_categories_and_the_audit_log_says_who(
    client_for, office, student, caplog
):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    awaiting = UserFactory(username="self-declared", category__confirmed=False)
    blank = UserFactory(username="blank", category="")
    response = client_for(office).post(
        reverse("admin:people_profile_changelist"),
        {
            "action": "confirm_category",
            "_selected_action": [awaiting.profile.pk, blank.profile.pk],
        },
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=awaiting).category_confirmed
    assert not Profile.objects.get(user=blank).category_confirmed
    events = [e for e in audit_events(caplog) if e["event"] == "category_confirmed"]
    assert events == [
        {
            "event": "category_confirmed",
            "user": "office",
            "person": "self-declared",
            "category": "academic_staff",
        }
    ]


def test_a_person_confirmed_by_the_office_may_apply_to_a_staff_program(client_for, office, program):
    program.eligible_undergraduate = False
    program.save()
    person = UserFactory(username="self-declared", category__confirmed=False)
    apply_url = reverse("exchanges:application-create", args=[program.slug])
    data = {"motivation": "Teaching.", "action": "submit"}
    client_for(person).post(apply_url, data)
    assert not person.applications.exists()
    client_for(office).post(
        reverse("admin:people_profile_changelist"),
        {"action": "confirm_category", "_selected_action": [person.profile.pk]},
    )
    response = client_for(person).post(apply_url, data)
    assert response.status_code == 302
    assert person.applications.get().category == Category.ACADEMIC_STAFF
