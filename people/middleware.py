"""A signed-in person's own language, wherever they sign in from."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import translation


def profile_language(user) -> str:
    """The language on the person's profile, or "" when they chose none (or are signed out).

    The sign-in backend fetches the profile with the user, so asking costs no query.
    """
    if not user.is_authenticated:
        return ""
    try:
        language = user.profile.language
    except ObjectDoesNotExist:  # an account written in bulk, without its profile yet
        return ""
    return language if language in dict(settings.LANGUAGES) else ""


class ProfileLanguageMiddleware:
    """Activates the profile's language over the cookie and Accept-Language.

    LocaleMiddleware runs first (it needs no user) and chooses from the language cookie and the
    browser; a person who chose a language on their profile gets it on every device, the admin
    included. LocaleMiddleware's response half then labels the response with this language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = profile_language(request.user)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
