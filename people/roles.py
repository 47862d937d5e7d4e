"""Roles that depend on the university's structure: coordinating a department (partners)."""

from core.roles import is_international_office


def is_coordinator(user) -> bool:
    """Coordinators decide on applications to their departments' programs."""
    if not user.is_authenticated:
        return False
    # Cached like the office check; the sign-in backend (people.auth) fills it in with the user.
    if not hasattr(user, "_is_coordinator"):
        user._is_coordinator = user.coordinated_departments.exists()
    return user._is_coordinator


def is_reviewer(user) -> bool:
    """Someone who reviews applications: the office, or a department's coordinator."""
    return is_international_office(user) or is_coordinator(user)
