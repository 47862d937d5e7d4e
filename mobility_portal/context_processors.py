from django.conf import settings

from partners.models import is_international_office


def roles(request):
    """What the navigation needs to know about the signed-in person."""
    user = getattr(request, "user", None)
    office = bool(user and is_international_office(user))
    return {
        "portal_name": settings.PORTAL_NAME,
        "university_name": settings.UNIVERSITY_NAME,
        "is_international_office": office,
    }
