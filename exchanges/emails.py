"""E-mails about applications, rendered from templates/emails/*.txt and queued in the outbox.

They are queued in the transaction of the workflow step (core.mail): saved with it, sent by the
worker after it commits, never lost to a mail server that is down. Links are absolute: built
from the request when there is one, from settings.SITE_URL otherwise.
"""

from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from core.mail import queue_email
from exchanges.models import Application
from partners.notifications import site_url


def absolute_url(path: str, build_url: Callable[[str], str] | None = None) -> str:
    if build_url is not None:
        return build_url(path)
    return site_url(path)


def _queue(*, subject: str, template: str, context: dict, recipients: list[str]) -> None:
    context = {"portal_name": settings.PORTAL_NAME, **context}
    queue_email(
        to=recipients,
        subject=f"[{settings.PORTAL_NAME}] {subject}",
        body=render_to_string(template, context),
    )


def coordinator_addresses(application: Application) -> list[str]:
    """The program department's coordinators; the international office if there are none."""
    department = application.program.department
    addresses = []
    if department is not None:
        addresses = [user.email for user in department.coordinators.all() if user.email]
    return addresses or [settings.INTERNATIONAL_OFFICE_EMAIL]


def queue_submission_emails(
    *, application: Application, build_url: Callable[[str], str] | None = None
) -> None:
    """A confirmation to the applicant and a notice to whoever decides."""
    program = application.program
    context = {
        "application": application,
        "program": program,
        "applicant_name": application.applicant.get_full_name()
        or application.applicant.get_username(),
        "application_url": absolute_url(application.get_absolute_url(), build_url),
        "review_url": absolute_url(
            reverse("exchanges:review-detail", kwargs={"pk": application.pk}), build_url
        ),
    }
    _queue(
        subject=_("Your application to %(program)s was submitted") % {"program": program.title},
        template="emails/application_submitted.txt",
        context=context,
        recipients=[application.applicant.email],
    )
    _queue(
        subject=_("New application to %(program)s") % {"program": program.title},
        template="emails/application_new_submission.txt",
        context=context,
        recipients=coordinator_addresses(application),
    )


def queue_decision_email(
    *, application: Application, build_url: Callable[[str], str] | None = None
) -> None:
    approved = application.status == Application.Status.APPROVED
    subject = (
        _("Your application to %(program)s was approved")
        if approved
        else _("Your application to %(program)s was not approved")
    ) % {"program": application.program.title}
    _queue(
        subject=subject,
        template=(
            "emails/application_approved.txt" if approved else "emails/application_rejected.txt"
        ),
        context={
            "application": application,
            "program": application.program,
            "applicant_name": application.applicant.get_full_name()
            or application.applicant.get_username(),
            "application_url": absolute_url(application.get_absolute_url(), build_url),
        },
        recipients=[application.applicant.email],
    )
