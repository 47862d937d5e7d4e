"""A signed-in person's own language, wherever they sign in from."""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import translation

from core.languages import profile_language
from people import two_factor


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


class SecondFactorMiddleware:
    """An office session signed in with a password reaches nothing before its second factor.

    Only while REQUIRE_2FA_FOR_OFFICE is on (people.two_factor.is_required). Public pages
    (@login_not_required: signing out, the language switcher) and the two-factor pages stay open;
    every other page, the admin's included, redirects to the code page, or to enrolment for
    someone without an authenticator yet. Runs after django-otp's OTPMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            not getattr(view_func, "login_required", True)
            or getattr(view_func, "second_factor_not_required", False)
            or request.resolver_match.view_name == "logout"  # Django's view, not marked
        ):
            return None
        if two_factor.is_required(request) and not request.user.is_verified():
            name = "verify" if two_factor.has_authenticator(request.user) else "setup"
            return redirect_to_login(
                request.get_full_path(), reverse(f"two_factor:{name}"), REDIRECT_FIELD_NAME
            )
        return None
