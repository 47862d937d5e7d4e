from django.conf import settings

from partners.models import is_international_office, is_reviewer


def roles(request):
    """What the navigation needs to know about the signed-in person."""
    user = request.user
    return {
        "portal_name": settings.PORTAL_NAME,
        "university_name": settings.UNIVERSITY_NAME,
        # Lazy: pages that never ask do not pay for the queries.
        "is_international_office": lambda: is_international_office(user),
        "is_reviewer": lambda: is_reviewer(user),
    }
