"""What happens around accounts: every account gets its profile, and signing in is audited.

Every account gets its profile, whichever way it is created.

A receiver rather than a call in each creating path: accounts are created by the admin's add
form, `createsuperuser`, the demo loader, factories and, later, single sign-on, most of which are
Django's code, not ours. The profile is derived data (an empty row beside the account), not a
domain rule, so this is the kind of signal the house style allows.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.utils.module_loading import import_string

from core.audit import audit


def create_profile(sender, instance, created, raw=False, **kwargs):
    # Fixtures (raw) bring their own profiles; rows loaded in bulk never reach here and get
    # theirs from Profile.objects.for_user() or create_missing().
    if created and not raw:
        from people.models import Profile

        Profile.objects.create(user=instance)


def _signed_in(sender, request, user, **kwargs):
    audit("sign_in", user=user, request=request, method=sign_in_method(user))


def sign_in_method(user) -> str:
    """How the person signed in: the backend's `sign_in_method` ("oidc"...), else "password"."""
    backend = getattr(user, "backend", None)
    return getattr(import_string(backend), "sign_in_method", "password") if backend else "password"


def _signed_out(sender, request, user, **kwargs):
    audit("sign_out", user=user, request=request)


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Credentials arrive with the password already masked; only the username is kept.
    audit("sign_in_failed", user=credentials.get("username", ""), request=request)


def _locked_out(sender, request, username, ip_address, **kwargs):
    audit("sign_in_locked_out", user=username, ip=ip_address)


def connect() -> None:
    post_save.connect(create_profile, sender=get_user_model(), dispatch_uid="people.create_profile")
    user_logged_in.connect(_signed_in, dispatch_uid="audit_signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid="audit_signed_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="audit_sign_in_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="audit_locked_out")
