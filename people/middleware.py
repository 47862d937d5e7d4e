"""A signed-in person's own language, wherever they sign in from."""

from django.utils import translation

from core.languages import profile_language


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
