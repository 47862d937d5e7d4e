from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views import i18n
from django.views.decorators.http import require_POST

from people.models import Profile


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (the cookie, the redirect), remembering a signed-in person's choice.

    Signed out, the cookie is all there is; signed in, the profile keeps the choice for their
    next sign-in on any device.
    """
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        profile = Profile.objects.for_user(request.user)
        profile.language = language
        profile.save(update_fields=["language", "updated_at"])
    return response
