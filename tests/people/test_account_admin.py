"""The office manages accounts in the admin: creates, invites, gives roles, deactivates.

Signed in as the fixed cast's `office`, a member of the "International office" group and no
superuser. Every way up is tried with a forged POST and refused.
"""

import json
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import OutgoingEmail
from core.roles import INTERNATIONAL_OFFICE_GROUP
from tests.factories import PASSWORD, MobilityRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
ADD_URL = reverse("admin:auth_user_add")
LIST_URL = reverse("admin:auth_user_changelist")
NEW_PASSWORD = "quiet-river-stones-2026"


def change_url(person):
    return reverse("admin:auth_user_change", args=[person.pk])


def audit_events(caplog):
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "mobility.audit"
    ]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def link_in(email: OutgoingEmail) -> str:
    return re.search(r"http://testserver(/accounts/\S+/)", email.body).group(1)


def change_data(person, **overrides):
    """The change form as the office's browser posts it (roles included)."""
    data = {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "is_active": "on",
        "groups": [str(pk) for pk in person.groups.values_list("pk", flat=True)],
        "coordinated_departments": [
            str(pk) for pk in person.coordinated_departments.values_list("pk", flat=True)
        ],
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-id": person.profile.pk,
        "profile-0-user": person.pk,
        "profile-0-language": person.profile.language,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def office_group(db):
    return Group.objects.get(name=INTERNATIONAL_OFFICE_GROUP)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def audit_log(caplog):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    return caplog


# --- what the office does ------------------------------------------------------------------------


def test_the_office_is_no_superuser(office):
    assert not office.is_superuser
    assert office.has_perm("auth.add_user") and office.has_perm("auth.change_user")
    assert not office.has_perm("auth.delete_user")


def test_the_office_creates_an_account_and_invites_the_person(client_for, office, audit_log):
    response = client_for(office).post(
        ADD_URL,
        {
            "username": "nadia",
            "first_name": "Nadia",
            "last_name": "Newcomer",
            "email": "nadia@example.org",
            "language": "ru",
        },
    )
    person = User.objects.get(username="nadia")
    assert response.status_code == 302
    assert response.url == change_url(person)
    assert "The invitation to choose a password was sent to nadia@example.org." in messages_of(
        response
    )
    assert not person.has_usable_password()
    assert not (person.is_staff or person.is_superuser)
    assert person.profile.language == "ru"

    email = OutgoingEmail.objects.get()
    assert email.recipient_list == ["nadia@example.org"]
    assert email.confidential
    assert link_in(email).startswith("/accounts/invitation/")
    assert "nadia" in email.body and "в течение 3 дн" in email.body  # in Russian, as chosen
    events = [(e["event"], e["user"], e.get("person")) for e in audit_events(audit_log)]
    assert ("account_created", "office", "nadia") in events
    assert ("invitation_sent", "office", "nadia") in events


def test_the_add_form_asks_for_no_password_and_refuses_a_taken_address(client_for, office):
    client = client_for(office)
    form = client.get(ADD_URL).context["adminform"].form
    assert list(form.fields) == ["username", "first_name", "last_name", "email", "language"]

    UserFactory(username="anna", email="anna@example.org")
    response = client.post(ADD_URL, {"username": "Anna", "email": "ANNA@example.org"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["username"] == ["An account with this username already exists."]
    assert errors["email"] == ["Another account already has this e-mail address."]
    assert not OutgoingEmail.objects.exists()


def test_the_invitation_link_sets_the_password_once(client, client_for, office, audit_log):
    client_for(office).post(
        ADD_URL, {"username": "nadia", "email": "nadia@example.org", "language": ""}
    )
    client.logout()
    link = link_in(OutgoingEmail.objects.get())

    response = client.get(link)
    assert response.status_code == 302  # to the same page without the token
    response = client.get(response.url)
    assert "Choose your password" in response.content.decode()
    response = client.post(
        response.wsgi_request.path,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    assert client.login(username="nadia", password=NEW_PASSWORD)
    assert ("invitation_accepted", "nadia") in [
        (e["event"], e["user"]) for e in audit_events(audit_log)
    ]

    client.logout()
    response = client.get(link)
    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()


def test_the_office_gives_and_takes_the_coordinator_and_office_roles(
    client_for, office, student, department, office_group, audit_log
):
    client = client_for(office)
    response = client.post(
        change_url(student),
        change_data(
            student,
            coordinated_departments=[str(department.pk)],
            groups=[str(office_group.pk)],
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    student.refresh_from_db()
    assert list(student.coordinated_departments.all()) == [department]
    assert list(student.groups.all()) == [office_group]
    assert student.is_staff  # the office's role opens the admin
    assert not student.is_superuser

    response = client.post(change_url(student), change_data(student, groups=[]))
    assert response.status_code == 302
    student.refresh_from_db()
    assert not student.is_staff
    assert list(student.coordinated_departments.all()) == [department]

    roles = [(e["event"], e["user"], e["role"]) for e in audit_events(audit_log) if "role" in e]
    assert roles == [
        ("role_granted", "office", f"coordinator: {department.name}"),
        ("role_granted", "office", f"group: {INTERNATIONAL_OFFICE_GROUP}"),
        ("role_revoked", "office", f"group: {INTERNATIONAL_OFFICE_GROUP}"),
    ]


def test_the_office_deactivates_an_account(client_for, office, student, audit_log):
    response = client_for(office).post(change_url(student), change_data(student, is_active=None))
    assert response.status_code == 302
    student.refresh_from_db()
    assert not student.is_active
    assert {"event": "account_deactivated", "user": "office", "person": "student"} in (
        audit_events(audit_log)
    )
    assert not client_for(office).login(username="student", password=PASSWORD)


def test_the_deactivate_action(client_for, office, student, staff_member, superuser):
    response = client_for(office).post(
        LIST_URL,
        {
            "action": "deactivate",
            "_selected_action": [student.pk, staff_member.pk, superuser.pk, office.pk],
        },
    )
    assert response.status_code == 302
    assert list(User.objects.filter(is_active=False).order_by("username")) == [
        staff_member,
        student,
    ]
    notes = messages_of(response)
    assert "root: you may not deactivate this account." in notes
    assert "office: you may not deactivate this account." in notes
    assert "2 accounts deactivated." in notes


def test_the_invitation_is_sent_again_and_the_old_link_dies(client, client_for, office):
    office_client = client_for(office)
    office_client.post(ADD_URL, {"username": "nadia", "email": "nadia@example.org"})
    nadia = User.objects.get(username="nadia")
    first = link_in(OutgoingEmail.objects.get())
    response = office_client.post(
        LIST_URL, {"action": "send_invitation", "_selected_action": [nadia.pk]}
    )
    assert "1 invitation sent." in messages_of(response)
    assert OutgoingEmail.objects.count() == 2

    client.logout()
    assert "This link no longer works" in client.get(first).content.decode()
    second = link_in(OutgoingEmail.objects.order_by("-pk").first())
    assert client.get(second).status_code == 302


def test_no_invitation_for_someone_with_a_password(client_for, office, student):
    response = client_for(office).post(
        LIST_URL, {"action": "send_invitation", "_selected_action": [student.pk]}
    )
    assert "student: This person has already chosen a password." in messages_of(response)
    assert not OutgoingEmail.objects.exists()


def test_the_admin_does_not_show_an_invitation_s_body(client_for, office):
    client = client_for(office)
    client.post(ADD_URL, {"username": "nadia", "email": "nadia@example.org"})
    email = OutgoingEmail.objects.get()
    page = client.get(reverse("admin:core_outgoingemail_change", args=[email.pk]))
    assert page.status_code == 200
    assert "Not shown: it carries a one-time sign-in link." in page.content.decode()
    assert link_in(email) not in page.content.decode()


# --- every way up is refused ---------------------------------------------------------------------


def test_forged_superuser_staff_and_permissions_are_ignored(client_for, office, student):
    delete_user = Permission.objects.get(codename="delete_user")
    response = client_for(office).post(
        change_url(student),
        change_data(
            student,
            is_superuser="on",
            is_staff="on",
            user_permissions=[str(delete_user.pk)],
            last_login_0="2020-01-01",
            last_login_1="00:00:00",
        ),
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert not (student.is_superuser or student.is_staff)
    assert not student.user_permissions.exists()
    assert student.last_login is None


def test_a_forged_add_form_makes_nobody_staff_superuser_or_office(client_for, office, office_group):
    response = client_for(office).post(
        ADD_URL,
        {
            "username": "nadia",
            "email": "nadia@example.org",
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [str(office_group.pk)],
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    nadia = User.objects.get(username="nadia")
    assert not (nadia.is_superuser or nadia.is_staff or nadia.groups.exists())
    assert not nadia.has_usable_password()


def test_a_group_with_a_permission_the_office_lacks_cannot_be_given(client_for, office, student):
    auditors = Group.objects.create(name="Auditors")
    auditors.permissions.add(Permission.objects.get(codename="delete_user"))
    response = client_for(office).post(
        change_url(student), change_data(student, groups=[str(auditors.pk)])
    )
    assert response.status_code == 200
    assert "groups" in response.context["adminform"].form.errors
    assert not student.groups.exists()


def test_a_superuser_is_neither_edited_nor_deactivated_nor_given_a_password(
    client_for, office, superuser
):
    client = client_for(office)
    page = client.get(change_url(superuser))
    assert page.status_code == 200  # the office may look
    assert not page.context["has_change_permission"]
    assert superuser.password not in page.content.decode()
    response = client.post(
        change_url(superuser), change_data(superuser, is_active=None, email="mine@example.org")
    )
    assert response.status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    assert client.get(password_url).status_code == 403
    response = client.post(
        password_url,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.email == "root@example.org"
    assert superuser.check_password(PASSWORD)


@pytest.mark.parametrize("active", [True, False])
def test_an_account_with_more_permissions_than_the_office_is_out_of_reach(
    client_for, office, active
):
    keeper = UserFactory(username="keeper", is_active=active)
    keeper.user_permissions.add(Permission.objects.get(codename="delete_user"))
    response = client_for(office).post(
        change_url(keeper), change_data(keeper, email="taken@example.org")
    )
    assert response.status_code == 403
    keeper.refresh_from_db()
    assert keeper.email == "keeper@example.org" and keeper.is_active is active


def test_the_office_cannot_change_its_own_roles(client_for, office, department, office_group):
    client = client_for(office)
    form = client.get(change_url(office)).context["adminform"].form
    assert not {"groups", "is_active", "coordinated_departments"} & set(form.fields)
    response = client.post(
        change_url(office),
        change_data(
            office, groups=[], is_active=None, coordinated_departments=[str(department.pk)]
        ),
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.is_active and list(office.groups.all()) == [office_group]
    assert not office.coordinated_departments.exists()


def test_the_office_deletes_nobody(client_for, office, student):
    client = client_for(office)
    delete_url = reverse("admin:auth_user_delete", args=[student.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    response = client.post(
        LIST_URL, {"action": "delete_selected", "_selected_action": [student.pk], "post": "yes"}
    )
    assert User.objects.filter(pk=student.pk).exists()
    assert response.status_code == 302  # back to the list: no such action for the office
    actions = client.get(LIST_URL).context["action_form"].fields["action"].choices
    assert "delete_selected" not in [name for name, _label in actions]


def test_a_person_with_history_is_not_deleted_even_by_a_superuser(client_for, superuser, student):
    MobilityRecordFactory(person=student)
    delete_url = reverse("admin:auth_user_delete", args=[student.pk])
    response = client_for(superuser).post(delete_url, {"post": "yes"})
    assert response.status_code == 200
    assert "student has a history in the portal (mobility records)" in (
        response.content.decode().replace("&quot;", '"')
    )
    assert User.objects.filter(pk=student.pk).exists()


def test_an_account_created_by_mistake_can_be_deleted_by_a_superuser(client_for, superuser):
    mistake = UserFactory(username="mistake")
    response = client_for(superuser).post(
        reverse("admin:auth_user_delete", args=[mistake.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=mistake.pk).exists()


def test_giving_the_coordinator_role_on_the_department_page_is_audited(
    client_for, office, department, student, audit_log
):
    from tests.factories import DepartmentFactory

    dentistry = DepartmentFactory(name="Dentistry")
    url = reverse("admin:partners_department_change", args=[dentistry.pk])
    response = client_for(office).post(url, {"name": "Dentistry", "coordinators": [student.pk]})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert {
        "event": "role_granted",
        "user": "office",
        "person": "student",
        "role": "coordinator: Dentistry",
    } in audit_events(audit_log)
