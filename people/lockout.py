"""Sign-in throttling with django-axes: what it records, and a limit per address.

Settings name these (AXES_USERNAME_CALLABLE, AXES_HANDLER); they import axes' models, so they
cannot live in mobility_portal.security, which settings.py imports.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum

# django-axes keeps the username of each failed sign-in in a column of this many characters.
AXES_USERNAME_LENGTH = 255


def axes_username(request, credentials=None) -> str | None:
    """The username django-axes records for a sign-in (AXES_USERNAME_CALLABLE).

    As typed, cut to the length of axes' column: a longer one (no account has one) made the
    insert fail on PostgreSQL and the sign-in page answer 500 instead of the normal refusal.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(field)
    return None if username is None else str(username)[:AXES_USERNAME_LENGTH]


class AddressLimitedAxesHandler(AxesDatabaseHandler):
    """django-axes' lockout per username and address, plus a limit per address (AXES_HANDLER).

    Axes counts failures per username and address, so guessing a few passwords for each of many
    usernames was never locked out. Here the failures from one address within the cool-off are
    also added up, whatever the username, and lock that address at AXES_ADDRESS_FAILURE_LIMIT,
    a higher threshold: many people sign in from one university NAT address.
    """

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self._address_locked(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self._address_locked(request):
            # What axes does when the username limit is reached: AxesMiddleware answers with
            # the lockout page, and the signal reaches the audit log.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=axes_username(request, credentials),
                ip_address=request.axes_ip_address,
            )

    def _address_locked(self, request) -> bool:
        failures = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        return (failures or 0) >= settings.AXES_ADDRESS_FAILURE_LIMIT
