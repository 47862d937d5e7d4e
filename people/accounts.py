"""One-time links by e-mail: the invitation to a new account, and the password reset.

Both links carry Django's password-reset token (default_token_generator), so both work once
(setting a password changes what the token signs), stop working after PASSWORD_RESET_TIMEOUT
seconds, and die with a later sign-in or a new e-mail address. Both go through the outbox
(core.mail) marked confidential, in the recipient's language.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext, ngettext

from core.audit import audit
from core.languages import recipient_language
from core.mail import queue_email


class InvitationRefused(Exception):
    """The person cannot be invited (again); the message says why."""


def one_time_link(person, url_name: str, base_url: str) -> str:
    path = reverse(
        url_name,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    return urljoin(base_url, path)


def validity() -> str:
    """How long a link works, in the active language: "3 days", "12 hours"."""
    hours = max(1, round(settings.PASSWORD_RESET_TIMEOUT / 3600))
    if hours % 24 == 0:
        days = hours // 24
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def _queue_link_email(person, *, kind: str, url_name: str, base_url: str) -> None:
    with translation.override(recipient_language(person)):
        context = {
            "portal_name": settings.PORTAL_NAME,
            "university_name": settings.UNIVERSITY_NAME,
            "person_name": person.get_full_name() or person.get_username(),
            "username": person.get_username(),
            "link": one_time_link(person, url_name, base_url),
            "valid_for": validity(),
        }
        subject = (
            gettext("Your account: choose a password")
            if kind == "invitation"
            else gettext("Resetting your password")
        )
        body = render_to_string(f"emails/{kind}.txt", context)
    queue_email(
        to=[person.email],
        subject=f"[{settings.PORTAL_NAME}] {subject}",
        body=body,
        confidential=True,
    )


def invite(*, person, invited_by, base_url: str) -> None:
    """E-mail `person` a link to choose their password; an earlier invitation's link dies.

    Only for active accounts that have no password yet: a person who has chosen one asks for
    a password reset instead.
    """
    if not person.is_active:
        raise InvitationRefused(gettext("The account is deactivated."))
    if person.has_usable_password():
        raise InvitationRefused(gettext("This person has already chosen a password."))
    if not person.email:
        raise InvitationRefused(gettext("The account has no e-mail address."))
    # A fresh unusable password changes what the tokens sign: earlier links stop working.
    person.set_unusable_password()
    person.save(update_fields=["password"])
    _queue_link_email(person, kind="invitation", url_name="invitation_confirm", base_url=base_url)
    audit("invitation_sent", user=invited_by, person=person.get_username())


@task
def send_password_reset(email: str, base_url: str) -> int:
    """E-mail a reset link to each active account with a password at this address.

    Run by the e-mail worker, not in the request: the page answers the same, after the same
    work, whether or not the address is anyone's.
    """
    people = list(PasswordResetForm().get_users(email))
    for person in people:
        _queue_link_email(
            person, kind="password_reset", url_name="password_reset_confirm", base_url=base_url
        )
        audit("password_reset_sent", user=person)
    return len(people)
