"""Security pieces that settings.py and the middleware list refer to."""

import time

from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware.gzip import GZipMiddleware

LAST_TOUCH_KEY = "_last_touch"


def add_static_file_headers(headers, path, url):
    """Whitenoise answers static files before Django's middleware: give them the same headers."""
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"


class CompressTextMiddleware(GZipMiddleware):
    """Pages, CSV and JSON gzipped for browsers that accept it; PDF, workbooks and documents,
    compressed already, go as they are. Static files never get here: WhiteNoise serves their
    compressed copies.

    BREACH (guessing a secret in a compressed page from its length, with input the page
    reflects): Django masks the CSRF token anew in every response, adds 0 to 100 random bytes to
    every compressed one ("Heal the Breach"), and the session cookie is SameSite=Lax: another
    site's background requests (images, scripts, fetch) go without it, so it cannot have a
    signed-in browser fetch pages by the thousand. docs/deploy.md has the measurements.
    """

    COMPRESSED_TYPES = ("text/", "application/json")

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(self.COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)


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
