"""E-mails about applications, rendered from templates/emails/*.txt and queued in the outbox.

They are queued in the transaction of the workflow step (core.mail): saved with it, sent by the
worker after it commits, never lost to a mail server that is down. Links are absolute: built
from the request when there is one, from settings.SITE_URL otherwise. Each recipient reads the
message in their own language, not the language of whoever acted (a coordinator deciding in
Russian writes to an English-speaking applicant in English): subject and body are rendered once
per language among the recipients (core.mail.queue_email_in_languages).
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from core.mail import Recipient, queue_email_in_languages
from exchanges.models import Application
from partners.notifications import site_url


def absolute_url(path: str, build_url: Callable[[str], str] | None = None) -> str:
    if build_url is not None:
        return build_url(path)
    return site_url(path)


def _queue(
    *,
    subject: Callable[[], str],
    template: str,
    context: dict,
    recipients: Iterable[Recipient],
) -> None:
    """`subject` is called in each recipient language, as the template is rendered."""
    context = {
        "portal_name": settings.PORTAL_NAME,
        "university_name": settings.UNIVERSITY_NAME,
        **context,
    }

    def render() -> tuple[str, str]:
        return f"[{settings.PORTAL_NAME}] {subject()}", render_to_string(template, context)

    queue_email_in_languages(to=recipients, render=render)


def applicant_recipient(application: Application) -> Recipient:
    return Recipient.person(application.applicant)


def coordinator_recipients(application: Application) -> list[Recipient]:
    """The program department's coordinators; the international office if there are none."""
    department = application.program.department
    recipients = []
    if department is not None:
        coordinators = department.coordinators.select_related("profile").exclude(email="")
        recipients = [Recipient.person(user) for user in coordinators]
    return recipients or [Recipient.address_only(settings.INTERNATIONAL_OFFICE_EMAIL)]


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
        subject=lambda: (
            _("Your application to %(program)s was submitted") % {"program": program.display_title}
        ),
        template="emails/application_submitted.txt",
        context=context,
        recipients=[applicant_recipient(application)],
    )
    _queue(
        subject=lambda: _("New application to %(program)s") % {"program": program.display_title},
        template="emails/application_new_submission.txt",
        context=context,
        recipients=coordinator_recipients(application),
    )


def queue_decision_email(
    *, application: Application, build_url: Callable[[str], str] | None = None
) -> None:
    approved = application.status == Application.Status.APPROVED
    program = application.program

    def subject() -> str:
        if approved:
            return _("Your application to %(program)s was approved") % {
                "program": program.display_title
            }
        return _("Your application to %(program)s was not approved") % {
            "program": program.display_title
        }

    _queue(
        subject=subject,
        template=(
            "emails/application_approved.txt" if approved else "emails/application_rejected.txt"
        ),
        context={
            "application": application,
            "program": program,
            "applicant_name": application.applicant.get_full_name()
            or application.applicant.get_username(),
            "application_url": absolute_url(application.get_absolute_url(), build_url),
        },
        recipients=[applicant_recipient(application)],
    )
