from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import i18n
from django.views.decorators.http import require_POST

from core import ratelimit
from core.audit import audit, client_ip
from core.roles import is_international_office
from people import two_factor
from people.forms import PasswordResetForm, ProfileForm, SecondFactorCodeForm
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


def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own profile: who they are, which decides what they may apply to."""
    own = Profile.objects.for_user(request.user)
    form = ProfileForm(request.POST or None, instance=own)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            form.save()
            audit("profile_changed", user=request.user, fields=form.changed_data)
        messages.success(request, _("Your profile was saved."))
        return redirect("profile")
    return render(request, "people/profile_form.html", {"form": form, "profile": own})


def _reset_allowed(request: HttpRequest, email: str) -> bool:
    """At most so many reset e-mails an hour per address asked for and per client address."""
    window = settings.PASSWORD_RESET_LIMIT_WINDOW_SECONDS
    return ratelimit.allow(
        "password-reset-ip",
        client_ip(request),
        limit=settings.PASSWORD_RESET_LIMIT_PER_IP,
        window_seconds=window,
    ) and ratelimit.allow(
        "password-reset-email",
        email,
        limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL,
        window_seconds=window,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view: the same answer, after the same work, for any address; rate-limited."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not _reset_allowed(self.request, email):
            audit("password_reset_throttled", request=self.request, email=email)
            form.add_error(
                None,
                _(
                    "Too many password resets have been asked for, from here or for this "
                    "address. Please try again in an hour."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        audit("password_reset_requested", request=self.request, email=email)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a deactivated account's link is dead, and the new password is audited."""

    audit_event = "password_reset"

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        audit(self.audit_event, user=self.user, request=self.request)
        return response


class InvitationConfirmView(PasswordResetConfirmView):
    """The invitation's link: the same one-time token, worded for a first password."""

    audit_event = "invitation_accepted"
    title = gettext_lazy("Choose your password")
    extra_context = {"invitation": True}


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit("password_changed", user=self.request.user, request=self.request)
        return response


# --- two-factor sign-in (people/two_factor.py) --------------------------------------------------

SECRET_SESSION_KEY = "two_factor_secret"  # the key being enrolled, until a code confirms it
CODES_SESSION_KEY = "two_factor_recovery_codes"  # shown once, on the next page


def second_factor_not_required(view):
    """Open to a session that has not given its second factor yet (SecondFactorMiddleware)."""
    view.second_factor_not_required = True
    return view


def _office_only(request: HttpRequest) -> None:
    if not is_international_office(request.user):
        raise PermissionDenied


def _next_page(request: HttpRequest) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@second_factor_not_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator: scan or type the key, confirm with a code it shows."""
    _office_only(request)
    if two_factor.has_authenticator(request.user):
        return render(
            request,
            "registration/two_factor_status.html",
            {"codes_left": two_factor.recovery_codes_left(request.user)},
        )
    secret = request.session.setdefault(SECRET_SESSION_KEY, two_factor.new_secret())
    form = SecondFactorCodeForm(request.POST or None)
    if form.is_valid():
        step = two_factor.matching_step(secret, form.cleaned_data["code"])
        if step is not None:
            codes = two_factor.enrol(user=request.user, secret=secret, step=step)
            django_otp.login(request, two_factor.authenticator_of(request.user))
            del request.session[SECRET_SESSION_KEY]
            request.session[CODES_SESSION_KEY] = codes
            audit("two_factor_enrolled", user=request.user, request=request)
            return redirect(f"{reverse('two_factor:recovery-codes')}?{_next_query(request)}")
        form.add_error("code", _("This code is not right. Type the code your app shows now."))
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_svg(request.user, secret),
        "secret": two_factor.secret_for_typing(secret),
        "next": _next_page(request),
    }
    return render(request, "registration/two_factor_setup.html", context)


def _next_query(request: HttpRequest) -> str:
    return urlencode({REDIRECT_FIELD_NAME: _next_page(request)})


@second_factor_not_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator, or a recovery code."""
    _office_only(request)
    if request.user.is_verified():
        return redirect(_next_page(request))
    if not two_factor.has_authenticator(request.user):
        return redirect(f"{reverse('two_factor:setup')}?{_next_query(request)}")
    form = SecondFactorCodeForm(request.POST or None)
    status = 200
    if form.is_valid():
        try:
            device = two_factor.device_accepting(request.user, form.cleaned_data["code"])
        except two_factor.Throttled:
            audit("second_factor_throttled", user=request.user, request=request)
            form.add_error("code", _("Too many wrong codes. Wait a minute, then try again."))
            status = 429
        else:
            if device is not None:
                django_otp.login(request, device)
                method = two_factor.method_of(device)
                audit("second_factor_verified", user=request.user, request=request, method=method)
                return redirect(_next_page(request))
            audit("second_factor_failed", user=request.user, request=request)
            form.add_error("code", _("This code is not right."))
    context = {"form": form, "next": _next_page(request)}
    return render(request, "registration/two_factor_verify.html", context, status=status)


def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once: the session forgets them as it shows them."""
    _office_only(request)
    context = {
        "codes": request.session.pop(CODES_SESSION_KEY, None),
        "codes_left": two_factor.recovery_codes_left(request.user),
        "next": _next_page(request),
    }
    return render(request, "registration/two_factor_recovery_codes.html", context)


@require_POST
def two_factor_new_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes for someone with an authenticator; the old ones stop working."""
    _office_only(request)
    if not two_factor.has_authenticator(request.user):
        return redirect("two_factor:setup")
    request.session[CODES_SESSION_KEY] = two_factor.new_recovery_codes(request.user)
    audit("two_factor_recovery_codes_renewed", user=request.user, request=request)
    return redirect("two_factor:recovery-codes")
