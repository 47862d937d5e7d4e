"""Every account has exactly one profile, however the account came to be."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from people.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def profiles_of(user):
    return Profile.objects.filter(user=user).count()


def test_a_new_account_gets_its_profile(student):
    assert profiles_of(student) == 1
    assert student.profile.language == ""


def test_create_user_and_createsuperuser_give_a_profile(monkeypatch):
    person = User.objects.create_user("newcomer", "newcomer@example.org", "a-long-password-1")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "another-long-password-2")
    call_command(
        "createsuperuser",
        username="admin",
        email="admin@example.org",
        interactive=False,
        verbosity=0,
    )
    assert profiles_of(person) == 1
    assert profiles_of(User.objects.get(username="admin")) == 1


def test_an_account_added_in_the_admin_gets_exactly_one_profile(client_for):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    response = client_for(root).post(
        reverse("admin:auth_user_add"),
        {"username": "added", "email": "added@example.org", "language": "be"},
    )
    assert response.status_code == 302, response.context["adminform"].errors
    added = User.objects.get(username="added")
    assert profiles_of(added) == 1
    assert added.profile.language == "be"


def test_a_second_profile_for_one_account_is_refused(student):
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.create(user=student)
    assert profiles_of(student) == 1


def test_an_account_loaded_in_bulk_gets_its_profile_when_asked():
    # Bulk loaders (COPY, bulk_create) bypass the receiver: asking is never an error.
    (bulk,) = User.objects.bulk_create([User(username="bulk-loaded")])
    assert profiles_of(bulk) == 0
    profile = Profile.objects.for_user(bulk)
    assert profile.user == bulk and profile.language == ""
    assert Profile.objects.for_user(bulk) == profile
    assert profiles_of(bulk) == 1


def test_create_missing_gives_a_profile_to_every_account_in_bulk(student, office):
    loaded = User.objects.bulk_create([User(username=f"bulk-{i}") for i in range(3)])
    assert Profile.objects.create_missing() == 3
    assert Profile.objects.create_missing() == 0
    for user in [student, office, *loaded]:
        assert profiles_of(user) == 1


def test_the_migration_gives_existing_accounts_a_profile(student, office):
    migration = importlib.import_module("people.migrations.0002_profiles_for_existing_accounts")
    student.profile.language = "ru"
    student.profile.save()
    Profile.objects.filter(user=office).delete()
    User.objects.bulk_create([User(username="old-account")])

    migration.create_missing_profiles(apps, connection.schema_editor())

    assert Profile.objects.count() == User.objects.count() == 3
    # An account that already had a profile keeps it, as it was.
    assert Profile.objects.get(user=student).language == "ru"
    assert profiles_of(office) == 1


def test_the_profile_goes_with_its_account_even_without_the_orm(student):
    # The generator's clean-up deletes accounts with raw SQL: the database cascades.
    User.objects.filter(pk=student.pk)._raw_delete(connection.alias)
    assert not Profile.objects.filter(user_id=student.pk).exists()


def test_the_migration_gives_applicants_the_category_of_their_latest_application(
    program, department
):
    from exchanges.models import Application
    from people.choices import Category
    from tests.factories import ApplicationFactory, ProgramFactory

    migration = importlib.import_module(
        "exchanges.migrations.0008_profiles_from_latest_applications"
    )
    earlier, later = UserFactory(username="earlier", category=""), UserFactory(category="")
    ApplicationFactory(applicant=earlier, program=program, category=Category.UNDERGRADUATE)
    ApplicationFactory(
        applicant=earlier,
        program=ProgramFactory(agreement=program.agreement),
        category=Category.ACADEMIC_STAFF,
        department=department,
    )
    already = UserFactory(username="already", category=Category.PHD_STUDENT)
    ApplicationFactory(applicant=already, program=program, category=Category.UNDERGRADUATE)
    Profile.objects.filter(user=later).delete()
    ApplicationFactory(applicant=later, program=program, category=Category.RESIDENT)
    assert Application.objects.count() == 4

    migration.fill_profiles(apps, connection.schema_editor())

    earlier_profile = Profile.objects.get(user=earlier)
    assert (earlier_profile.category, earlier_profile.category_confirmed) == (
        Category.ACADEMIC_STAFF,
        True,
    )
    assert earlier_profile.department == department
    assert Profile.objects.get(user=later).category == Category.RESIDENT
    # A profile that says who its person is already stays as it was.
    assert Profile.objects.get(user=already).category == Category.PHD_STUDENT
