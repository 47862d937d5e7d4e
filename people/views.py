from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import i18n
from django.views.decorators.http import require_POST

from core import ratelimit
from core.audit import audit, client_ip
from people.forms import PasswordResetForm, ProfileForm
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
