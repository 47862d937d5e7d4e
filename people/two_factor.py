"""Two-factor sign-in for the international office: an authenticator app (TOTP) and recovery codes.

Built on django-otp: a person's confirmed TOTPDevice is their authenticator, their StaticDevice
holds their one-time recovery codes. django-otp's OTPMiddleware marks a session verified once a
code was given (`request.user.is_verified()`); people.middleware.SecondFactorMiddleware sends an
unverified office session to the code page, or to enrolment when it has no authenticator yet.

Asked after a password the portal itself checked: a local one, and a directory (LDAP) one too,
since a directory password is still a password typed into the portal and the directory adds no
second factor of its own. Single sign-on (OpenID Connect) relies on the identity provider's.
"""

from base64 import b32encode
from binascii import unhexlify

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from core.roles import is_international_office
from people.auth import SIGN_IN_METHODS

RECOVERY_CODE_COUNT = 10
# Sign-in methods (people.auth.SIGN_IN_METHODS) whose second factor is someone else's affair.
SINGLE_SIGN_ON_METHODS = {"oidc"}
# A TOTP code is six digits; anything else typed on the code page is taken for a recovery code
# (so a recovery code does not count as a wrong authenticator code, and the other way round).
TOTP_DIGITS = 6


class Throttled(Exception):
    """Too many wrong codes in a row: django-otp refuses the next for a while (doubling)."""


def sign_in_method(request) -> str:
    return SIGN_IN_METHODS.get(request.session.get(BACKEND_SESSION_KEY), "other")


def is_required(request) -> bool:
    """Must this session give a second factor (REQUIRE_2FA_FOR_OFFICE) before anything else?"""
    return (
        settings.REQUIRE_2FA_FOR_OFFICE
        and request.user.is_authenticated
        and sign_in_method(request) not in SINGLE_SIGN_ON_METHODS
        and is_international_office(request.user)
    )


def has_authenticator(user) -> bool:
    """An unconfirmed device never counts."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def authenticator_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- enrolment ---------------------------------------------------------------------------------


def new_secret() -> str:
    """A new TOTP key (hex, as django-otp stores it); kept in the session until confirmed."""
    return default_key()


def secret_for_typing(secret: str) -> str:
    """The key as authenticator apps take it typed in: base32, in groups of four."""
    text = b32encode(unhexlify(secret)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(user, secret: str) -> str:
    """The otpauth:// link for an authenticator app to scan, as an inline SVG."""
    link = TOTPDevice(user=user, key=secret).config_url
    image = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, box_size=15)
    return image.to_string(encoding="unicode")


def matching_step(secret: str, code: str) -> int | None:
    """The time step a code typed at enrolment belongs to, or None when it is not valid now."""
    code = code.strip().replace(" ", "")
    if len(code) != TOTP_DIGITS or not code.isdigit():
        return None
    totp = TOTP(unhexlify(secret))
    return totp.t() if totp.verify(int(code), tolerance=1) else None


@transaction.atomic
def enrol(*, user, secret: str, step: int) -> list[str]:
    """Confirm the authenticator (replacing any other) and hand out new recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    # last_t: the code just typed cannot be used again to sign in.
    TOTPDevice.objects.create(user=user, name="authenticator", key=secret, last_t=step)
    return new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Ten new one-time codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": "recovery"})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# --- signing in --------------------------------------------------------------------------------


def device_accepting(user, code: str):
    """The device that accepts this code (a recovery code once only), or None.

    Raises Throttled while django-otp's delay after the last wrong codes runs; each wrong code
    doubles it (OTP_TOTP_THROTTLE_FACTOR, OTP_STATIC_THROTTLE_FACTOR seconds at first).
    """
    code = code.strip().replace(" ", "").lower()
    kind = TOTPDevice if (len(code) == TOTP_DIGITS and code.isdigit()) else StaticDevice
    for device in kind.objects.filter(user=user, confirmed=True):
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            raise Throttled
        if device.verify_token(code):
            return device
    return None


def method_of(device) -> str:
    return "totp" if isinstance(device, TOTPDevice) else "recovery_code"


# --- reset by another office member ------------------------------------------------------------


@transaction.atomic
def remove_devices(person) -> bool:
    """Remove the person's authenticator and recovery codes: they enrol again at next sign-in.

    A session they verified with a removed device is no longer verified (OTPMiddleware finds
    the device gone).
    """
    removed, _by_model = TOTPDevice.objects.filter(user=person).delete()
    removed_static, _by_model = StaticDevice.objects.filter(user=person).delete()
    return bool(removed or removed_static)
