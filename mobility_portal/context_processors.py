from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.templatetags.static import static

from core.roles import is_international_office
from people.roles import is_reviewer

# The colour static/css/portal.css falls back to (var(--portal-primary, ...)).
STYLESHEET_PRIMARY_COLOUR = "#0d6efd"


def roles(request):
    """What the navigation needs to know about the signed-in person."""
    # No user when the request was refused before the authentication middleware (a host not in
    # ALLOWED_HOSTS): the 400 page renders all the same.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "portal_name": settings.PORTAL_NAME,
        "university_name": settings.UNIVERSITY_NAME,
        "university_logo_url": university_logo_url(),
        # Only a university's own colour needs the page's <style>: the stylesheet's fallback is
        # the default, and a page without inline style reads the same on every request.
        "primary_colour": (
            settings.PRIMARY_COLOUR if settings.PRIMARY_COLOUR != STYLESHEET_PRIMARY_COLOUR else ""
        ),
        # The switcher's languages, each named in itself: {% get_available_languages %} would
        # translate "English" into the page's language.
        "portal_languages": settings.LANGUAGES,
        # Lazy: pages that never ask do not pay for the queries.
        "is_international_office": lambda: is_international_office(user),
        "is_reviewer": lambda: is_reviewer(user),
    }


def university_logo_url() -> str:
    """UNIVERSITY_LOGO as a URL: an https address as it is, a path as a static file; "" for none."""
    logo = settings.UNIVERSITY_LOGO
    if not logo or logo.startswith("https://"):
        return logo
    return static(logo)
