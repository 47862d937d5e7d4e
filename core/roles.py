"""The international office: the one role every app asks about.

It lives in core because partners (document access, the office's pages) needs it as much as
the apps above; it depends on Django's auth only. Roles that depend on our own models (the
coordinator of a department) live in `people.roles`.
"""

INTERNATIONAL_OFFICE_GROUP = "International office"


def is_international_office(user) -> bool:
    """The international office sees and manages everything; superusers count as part of it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # Cached on the user object: templates and views ask this several times per request. The
    # sign-in backend (people.auth) fills it in with the user, in the same query.
    if not hasattr(user, "_is_international_office"):
        user._is_international_office = user.groups.filter(name=INTERNATIONAL_OFFICE_GROUP).exists()
    return user._is_international_office
