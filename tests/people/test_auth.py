"""The person's roles arrive with the person: no extra queries on every page."""

import pytest

from core.roles import is_international_office
from people.auth import RoleAwareModelBackend
from people.roles import is_coordinator, is_reviewer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "in_office", "coordinates"),
    [("office", True, False), ("coordinator", False, True), ("student", False, False)],
)
def test_roles_are_fetched_with_the_user_in_one_query(
    request, department, who, in_office, coordinates, django_assert_num_queries
):
    person = request.getfixturevalue(who)
    with django_assert_num_queries(1):
        user = RoleAwareModelBackend().get_user(person.pk)
        assert is_international_office(user) is in_office
        assert is_coordinator(user) is coordinates
        assert is_reviewer(user) is (in_office or coordinates)


def test_an_inactive_or_unknown_user_is_nobody(student):
    student.is_active = False
    student.save()
    assert RoleAwareModelBackend().get_user(student.pk) is None
    assert RoleAwareModelBackend().get_user(999_999) is None
