"""Whom an account manager may manage, and which roles they may give: never more than they hold.

The international office manages accounts without being superusers. Each rule closes a way up:
- a superuser's account is managed by superusers only (its e-mail or password changed by anyone
  else would hand over the whole portal);
- nor is any account holding a permission the manager lacks (changing its e-mail and asking for
  a password reset would hand that permission over), whether the account is active or not;
- a group can be given only when the manager holds every permission in it;
- nobody changes their own roles, permissions or active state.
Superusers may do everything, as in Django.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet


def permissions_of(person) -> QuerySet[Permission]:
    """Every permission the account holds, its own and its groups', active or not.

    Not `get_all_permissions()`: it answers nothing for an inactive account, and a deactivated
    colleague with more rights must stay out of reach as much as an active one.
    """
    return Permission.objects.filter(Q(user=person) | Q(group__user=person)).distinct()


def _permissions_lacked_by(manager) -> QuerySet[Permission]:
    return Permission.objects.exclude(pk__in=permissions_of(manager).values("pk"))


def can_manage(manager, person) -> bool:
    """May `manager` edit, deactivate and set the password of `person`?"""
    if manager.is_superuser:
        return True
    if person.is_superuser:
        return False
    if person.pk == manager.pk:
        return True  # their own name and address; roles stay read-only (people/admin.py)
    return not permissions_of(person).filter(pk__in=_permissions_lacked_by(manager)).exists()


def grantable_groups(manager) -> QuerySet[Group]:
    """The groups (roles) `manager` may give: those with no permission the manager lacks."""
    if manager.is_superuser:
        return Group.objects.all()
    return Group.objects.exclude(permissions__in=_permissions_lacked_by(manager))
