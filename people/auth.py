"""Signing in with roles attached: one query per request for the user and what they may do.

Also who may sign in with a local password: everyone, or with LOCAL_PASSWORDS off (single
sign-on only) just the break-glass accounts named in BREAK_GLASS_USERS.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from core.roles import INTERNATIONAL_OFFICE_GROUP
from partners.models import Department

# How a person signed in, by the backend that accepted them (for the audit log).
SIGN_IN_METHODS = {
    "people.auth.RoleAwareModelBackend": "password",
    "people.directory.DirectoryBackend": "directory",
    "people.oidc.OIDCBackend": "oidc",
}


def is_break_glass(username) -> bool:
    """A local account kept for when single sign-on fails (BREAK_GLASS_USERS)."""
    names = {name.casefold() for name in settings.BREAK_GLASS_USERS}
    return username is not None and str(username).casefold() in names


class RoleAwareModelBackend(ModelBackend):
    """Django's model backend, fetching the person's roles with the person.

    Every page asks whether the person is in the international office and whether they
    coordinate a department (for the navigation and for access checks). Fetching both with the
    user, as annotations, saves two queries on every request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = kwargs.get(get_user_model().USERNAME_FIELD, username)
        if not (settings.LOCAL_PASSWORDS or is_break_glass(username)):
            # Refused like a wrong password: django-axes counts it, the page says the same.
            return None
        return super().authenticate(request, username, password, **kwargs)

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
