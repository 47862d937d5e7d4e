"""Who is the office, a coordinator, a reviewer: the fixed cast, as loaded and as signed in."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.roles import is_international_office
from people.auth import RoleAwareModelBackend
from people.roles import is_coordinator, is_reviewer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# (fixture, in the office, coordinates a department); a reviewer is either.
CAST = [
    ("office", True, False),
    ("coordinator", False, True),
    ("other_coordinator", False, True),
    ("staff_member", False, False),
    ("student", False, False),
]


@pytest.fixture
def cast(request, department, other_department):
    return lambda name: request.getfixturevalue(name)


@pytest.mark.parametrize(("who", "in_office", "coordinates"), CAST)
def test_roles_of_the_fixed_cast(cast, django_user_model, who, in_office, coordinates):
    # A fresh copy: nothing cached from the fixture.
    person = django_user_model.objects.get(pk=cast(who).pk)
    assert is_international_office(person) is in_office
    assert is_coordinator(person) is coordinates
    assert is_reviewer(person) is (in_office or coordinates)


@pytest.mark.parametrize(("who", "in_office", "coordinates"), CAST)
def test_the_backend_gives_the_same_answers(cast, who, in_office, coordinates):
    person = RoleAwareModelBackend().get_user(cast(who).pk)
    assert is_international_office(person) is in_office
    assert is_coordinator(person) is coordinates
    assert is_reviewer(person) is (in_office or coordinates)


def test_anonymous_has_no_role():
    nobody = AnonymousUser()
    assert not is_international_office(nobody)
    assert not is_coordinator(nobody)
    assert not is_reviewer(nobody)


def test_a_superuser_counts_as_the_office():
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    assert is_international_office(root) and is_reviewer(root)
    assert not is_coordinator(root)
