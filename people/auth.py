"""Signing in with roles attached: one query per request for the user and what they may do."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from core.roles import INTERNATIONAL_OFFICE_GROUP
from partners.models import Department


class RoleAwareModelBackend(ModelBackend):
    """Django's model backend, fetching the person's roles with the person.

    Every page asks whether the person is in the international office and whether they
    coordinate a department (for the navigation and for access checks). Fetching both with the
    user, as annotations, saves two queries on every request.
    """

    def get_user(self, user_id):
        UserModel = get_user_model()
        office_group = UserModel.groups.through.objects.filter(
            **{f"{UserModel._meta.model_name}_id": OuterRef("pk")},
            group__name=INTERNATIONAL_OFFICE_GROUP,
        )
        coordinates = Department.coordinators.through.objects.filter(
            **{f"{UserModel._meta.model_name}_id": OuterRef("pk")}
        )
        try:
            # The profile comes along for its language (people.middleware), in the same query.
            user = (
                UserModel._default_manager.select_related("profile")
                .annotate(
                    _is_international_office=Exists(office_group),
                    _is_coordinator=Exists(coordinates),
                )
                .get(pk=user_id)
            )
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
