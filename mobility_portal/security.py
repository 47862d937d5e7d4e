"""Security pieces that settings.py and the middleware list refer to."""

import time

from django.conf import settings
from django.core.exceptions import BadRequest

LAST_TOUCH_KEY = "_last_touch"
# django-axes keeps the username of each failed sign-in in a column of this many characters.
AXES_USERNAME_LENGTH = 255


def add_static_file_headers(headers, path, url):
    """Whitenoise answers static files before Django's middleware: give them the same headers."""
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"


def axes_username(request, credentials=None) -> str | None:
    """The username django-axes records for a sign-in (AXES_USERNAME_CALLABLE).

    As typed, cut to the length of axes' column: a longer one (no account has one) made the
    insert fail on PostgreSQL and the sign-in page answer 500 instead of the normal refusal.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(field)
    return None if username is None else str(username)[:AXES_USERNAME_LENGTH]


class SessionIdleTimeoutMiddleware:
    """End sessions after SESSION_COOKIE_AGE of inactivity without a write on every request.

    A session's expiry moves forward whenever it is saved. Saving it on every request would
    cost two queries a page; instead it is touched when its last touch is older than
    SESSION_REFRESH_SECONDS, so an idle session ends between SESSION_COOKIE_AGE and that much
    earlier.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - session.get(LAST_TOUCH_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[LAST_TOUCH_KEY] = now
        return self.get_response(request)


class RefuseNulInQueryStringMiddleware:
    """A NUL byte in a query string is a 400 before any view sees it.

    No address of the portal needs one, and PostgreSQL refuses NUL in text: a filter or search
    passing it to a query (the admin's choice filters and search do) would fail with a 500.
    Forms already refuse NUL in what they are sent.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest("NUL byte in the query string")
        return self.get_response(request)
