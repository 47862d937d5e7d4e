"""Signing in with the university's directory (LDAP or Active Directory), by django-auth-ldap.

On in settings.py when LDAP_SERVER_URI is set (`people.directory_settings` turns the LDAP_*
variables into django-auth-ldap's settings). The first sign-in creates the account and its
profile from the directory; names and e-mail follow the directory at every sign-in; with
LDAP_OFFICE_GROUP_DN, so does membership of the international office. A failed sign-in
reaches django-axes like any other: the backend answers None and Django sends
`user_login_failed`.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django_auth_ldap.backend import LDAPBackend
from django_auth_ldap.config import LDAPGroupQuery

from core.audit import audit
from core.roles import INTERNATIONAL_OFFICE_GROUP
from people.auth import RoleAwareModelBackend, is_break_glass
from people.models import Profile


class DirectoryBackend(LDAPBackend):
    default_settings = {"OFFICE_GROUP_DN": ""}

    def get_or_build_user(self, username, ldap_user):
        # Called once the directory has accepted the password. A refusal here raises
        # AuthenticationFailed and a directory error here is an LDAPError: django-auth-ldap
        # turns both into a refused sign-in, before it writes anything to the account.
        if is_break_glass(username):
            # The break-glass account is local by definition: a directory entry of the same
            # name must not open it.
            raise ldap_user.AuthenticationFailed("break-glass accounts sign in locally")
        user, built = super().get_or_build_user(username, ldap_user)
        if not user.is_active:
            raise ldap_user.AuthenticationFailed("the account is deactivated")
        user.created_from_directory = built
        office_group_dn = self.settings.OFFICE_GROUP_DN
        user.in_directory_office_group = (
            LDAPGroupQuery(office_group_dn).resolve(ldap_user) if office_group_dn else None
        )
        return user, built

    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        with transaction.atomic():
            profile = Profile.objects.for_user(user)
            if user.created_from_directory:
                _fill_profile(profile, ldap_user.attrs)
                audit("account_created_from_directory", user=user)
            if user.in_directory_office_group is not None:
                _set_office_membership(user, user.in_directory_office_group)
        return user

    def get_user(self, user_id):
        # The session's person with their roles in one query, and nobody once deactivated:
        # the same as after a local sign-in (people.auth).
        return RoleAwareModelBackend().get_user(user_id)


def _fill_profile(profile, attrs) -> None:
    """The new person's profile from their directory entry (preferredLanguage, if ours)."""
    languages = dict(settings.LANGUAGES)
    for value in attrs.get("preferredLanguage", []):
        # RFC 2798 allows "ru", "ru-RU", or a weighted list such as "be, ru;q=0.8".
        code = value.split(",")[0].split(";")[0].strip().lower().split("-")[0]
        if code in languages:
            profile.language = code
            profile.save(update_fields=["language", "updated_at"])
            return


def _set_office_membership(user, member: bool) -> None:
    """The directory decides who is in the international office; the admin site comes with it."""
    group, _created = Group.objects.get_or_create(name=INTERNATIONAL_OFFICE_GROUP)
    in_office = user.groups.filter(pk=group.pk).exists()
    if member and not in_office:
        user.groups.add(group)
        audit("office_role_granted", user=user, by="directory")
    elif in_office and not member:
        user.groups.remove(group)
        audit("office_role_revoked", user=user, by="directory")
    is_staff = member or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
