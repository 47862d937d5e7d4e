"""Single sign-on with OpenID Connect, through mozilla-django-oidc.

The library runs the authorization code flow (state, nonce, PKCE) and checks the ID token's
signature and expiry; this module adds what it leaves to us: the provider's endpoints from its
discovery document, the issuer and audience of the ID token, who the person is (found by the
provider's subject, or once by a verified e-mail address, or created just in time), their names
and the office role from the claims, refusals with a reason the person can read, and the audit.

Settings (mobility_portal/settings.py, from the OIDC_* environment variables) switch it on.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from core.audit import audit
from core.roles import INTERNATIONAL_OFFICE_GROUP
from people.auth import RoleAwareModelBackend
from people.models import ExternalIdentity, Profile

logger = logging.getLogger(__name__)

# The library's settings for the provider's endpoints, and their names in a discovery document.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovery_documents: dict[str, dict] = {}


def discovery_document(issuer: str) -> dict:
    """The provider's /.well-known/openid-configuration, fetched once per process.

    Fetched at the first sign-in rather than at start-up: the portal starts (and runs its
    management commands) while the provider is unreachable.
    """
    if issuer not in _discovery_documents:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        if document.get("issuer") != issuer:
            # OpenID Connect Discovery 1.0, section 4.3: the document must name this issuer.
            raise ImproperlyConfigured(
                f"The discovery document of {issuer} names the issuer {document.get('issuer')!r}."
            )
        _discovery_documents[issuer] = document
    return _discovery_documents[issuer]


def oidc_setting(attr, *default):
    """A setting of mozilla-django-oidc; an endpoint left empty comes from discovery."""
    value = import_from_settings(attr, *default)
    if attr in DISCOVERED and not value:
        value = discovery_document(settings.OIDC_ISSUER).get(DISCOVERED[attr]) or (
            default[0] if default else ""
        )
    return value


class SignInRefused(Exception):
    """Single sign-on worked, but this person may not sign in (the reason is for the audit)."""

    def __init__(self, reason: str, message: str):
        super().__init__(reason)
        self.reason = reason
        self.message = message


def _flag(value) -> bool:
    # Some providers send booleans as strings ("true").
    return value is True or str(value).lower() == "true"


class OIDCBackend(OIDCAuthenticationBackend):
    """Signs a person in from the provider's claims; never with a password."""

    sign_in_method = "oidc"
    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Django builds a backend for every request of a signed-in person (get_user): the
        # endpoints, possibly from the network, are read only when someone signs in.
        self.UserModel = get_user_model()

    def get_user(self, user_id):
        # The person with their roles in one query, whichever way they signed in.
        return RoleAwareModelBackend().get_user(user_id)

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; a password sign-in is not ours.
        if request is None or "nonce" not in kwargs or not settings.OIDC_ENABLED:
            return None
        try:
            super().__init__()
            return super().authenticate(request, **kwargs)
        except SignInRefused as refusal:
            self._refuse(request, refusal)
        except (requests.RequestException, SuspiciousOperation, jwt.InvalidTokenError) as error:
            logger.warning("OpenID Connect sign-in failed: %s", error)
            self._refuse(
                request,
                SignInRefused(
                    type(error).__name__,
                    _("Single sign-on did not work. Please try again."),
                ),
            )
        return None

    def _refuse(self, request, refusal: SignInRefused) -> None:
        request.oidc_refusal = refusal.message
        claims = getattr(self, "claims", {})
        audit(
            "sign_in_refused",
            user=claims.get(settings.OIDC_CLAIM_EMAIL) or claims.get("sub", ""),
            request=request,
            method=self.sign_in_method,
            reason=refusal.reason,
        )

    def verify_token(self, token, **kwargs):
        # The library checks the signature, expiry and nonce; OpenID Connect also requires
        # that the token comes from our provider and was issued to us (Core 1.0, 3.1.3.7).
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if payload.get("iss") != settings.OIDC_ISSUER:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued to another client.")
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("The ID token was issued to another party.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint where there is one.

        Some providers put groups only in the ID token (Microsoft Entra ID), others names and
        e-mail only in userinfo (a code flow with oidc-provider): both are read.
        """
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                # Core 1.0, 5.3.2: userinfo about someone else must not be used.
                raise SuspiciousOperation("The userinfo is about another subject.")
            claims.update(userinfo)
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        self.claims = self.get_userinfo(access_token, id_token, payload)
        with transaction.atomic():
            user = self._linked_user() or self._link(self._user_by_email() or self._new_user())
            if not user.is_active:
                raise SignInRefused(
                    "deactivated",
                    _("Your account is deactivated. Ask the international office to reopen it."),
                )
            self._update_user(user)
        return user

    def _linked_user(self):
        identity = (
            ExternalIdentity.objects.select_related("user")
            .filter(issuer=settings.OIDC_ISSUER, subject=self.claims["sub"])
            .first()
        )
        return identity.user if identity else None

    def _link(self, user):
        ExternalIdentity.objects.create(
            user=user, issuer=settings.OIDC_ISSUER, subject=self.claims["sub"]
        )
        return user

    def _user_by_email(self):
        """The one account with the person's e-mail address, at their first sign-on.

        Refused rather than taken: an address the provider has not verified, an address of two
        accounts, of a superuser (the break-glass administrator) or of an account already
        linked to someone else at this provider.
        """
        email = self.claims.get(settings.OIDC_CLAIM_EMAIL)
        matches = list(self.UserModel._default_manager.filter(email__iexact=email)[:2])
        if not (email and matches):
            return None
        user = matches[0]
        verified = (
            _flag(self.claims.get("email_verified")) or not settings.OIDC_REQUIRE_VERIFIED_EMAIL
        )
        if not verified:
            reason = "email_unverified"
        elif len(matches) > 1:
            reason = "email_ambiguous"
        elif user.is_superuser:
            reason = "email_superuser"
        elif user.external_identities.filter(issuer=settings.OIDC_ISSUER).exists():
            reason = "email_linked"
        else:
            return user
        raise SignInRefused(
            reason,
            _(
                "Your e-mail address belongs to another portal account. Ask the international "
                "office to link your university account to it."
            ),
        )

    def _new_user(self):
        if not settings.OIDC_CREATE_USERS:
            raise SignInRefused(
                "no_account",
                _("You have no account on the portal yet. Ask the international office."),
            )
        user = self.UserModel._default_manager.create_user(self._free_username())
        audit("account_created", user=user, request=self.request, method=self.sign_in_method)
        return user

    def _free_username(self) -> str:
        """The provider's username or e-mail address, or the subject, made unique."""
        claims = self.claims
        candidate = (
            claims.get(settings.OIDC_CLAIM_USERNAME)
            or claims.get(settings.OIDC_CLAIM_EMAIL)
            or f"oidc-{claims['sub']}"
        )
        allowed = "".join(c for c in str(candidate) if c.isalnum() or c in "@.+-_")[:140]
        base = allowed or f"oidc-{claims['sub']}"[:140]
        username, number = base, 1
        while self.UserModel._default_manager.filter(username__iexact=username).exists():
            number += 1
            username = f"{base}-{number}"
        return username

    def _update_user(self, user) -> None:
        """Names and e-mail as the provider knows them now; the profile; the office role."""
        fields = {
            "first_name": self.claims.get(settings.OIDC_CLAIM_GIVEN_NAME),
            "last_name": self.claims.get(settings.OIDC_CLAIM_FAMILY_NAME),
            "email": self.claims.get(settings.OIDC_CLAIM_EMAIL),
        }
        changed = []
        for field, value in fields.items():
            if value and getattr(user, field) != str(value)[:150]:
                setattr(user, field, str(value)[:150])
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
        self._update_profile(user)
        if settings.OIDC_OFFICE_GROUP:
            self._update_office_role(user)

    def _update_profile(self, user) -> None:
        profile = Profile.objects.for_user(user)
        language = str(self.claims.get("locale") or "")[:2].lower()
        if not profile.language and language in dict(settings.LANGUAGES):
            profile.language = language
            profile.save(update_fields=["language", "updated_at"])

    def _update_office_role(self, user) -> None:
        """The provider's group decides the office role, granting and revoking it."""
        groups = self.claims.get(settings.OIDC_CLAIM_GROUPS) or []
        groups = [groups] if isinstance(groups, str) else list(groups)
        in_office = settings.OIDC_OFFICE_GROUP in groups
        office, _created = Group.objects.get_or_create(name=INTERNATIONAL_OFFICE_GROUP)
        if in_office == user.groups.filter(pk=office.pk).exists():
            return
        # The office works in the admin: its role is the group and staff status together.
        if in_office:
            user.groups.add(office)
        else:
            user.groups.remove(office)
        user.is_staff = in_office or user.is_superuser
        user.save(update_fields=["is_staff"])
        audit(
            "role_granted" if in_office else "role_revoked",
            user="system",
            request=self.request,
            to=user.get_username(),
            role="office",
            method=self.sign_in_method,
        )


class SignInView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with state, nonce and a PKCE challenge."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ValueError, ImproperlyConfigured) as error:
            logger.warning("OpenID provider unavailable: %s", error)
            messages.error(
                request, _("Single sign-on is unavailable at the moment. Please try again later.")
            )
            return HttpResponseRedirect(reverse("login"))
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: signs the person in, or says why not."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().get(request)

    def login_failure(self):
        messages.error(
            self.request,
            getattr(self.request, "oidc_refusal", None)
            or _("Single sign-on did not sign you in. Please try again."),
        )
        return HttpResponseRedirect(reverse("login"))
