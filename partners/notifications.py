"""Reminders that an agreement is about to end, 90, 30 and 7 days before, each sent once.

Run daily by `manage.py notify_expiring_agreements`. A reminder is recorded as an ExpiryReminder
in the same transaction as its e-mail is queued (core.mail): the worker delivers it, retrying
while the mail server is down; when two runs overlap the unique constraint lets only one of them
queue it. Each recipient reads it in their own language (core.mail.queue_email_in_languages):
a coordinator who chose Belarusian gets it in Belarusian, the office in the portal's language.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.translation import ngettext

from core.mail import Recipient, queue_email_in_languages
from partners.models import Agreement, ExpiryReminder

REMINDER_DAYS = (7, 30, 90)


@dataclass
class DueReminder:
    agreement: Agreement
    days_before: int
    days_left: int
    recipients: list[Recipient]

    @property
    def addresses(self) -> list[str]:
        return [recipient.address for recipient in self.recipients]


def recipients_for(agreement: Agreement) -> list[Recipient]:
    """The agreement's coordinator, its department's coordinators and the international office.

    Each in their language: the people's profiles come with them (due_reminders fetches them).
    """
    people = [agreement.coordinator] if agreement.coordinator else []
    if agreement.department:
        people += list(agreement.department.coordinators.all())
    recipients = [Recipient.person(person) for person in people if person.email]
    if settings.INTERNATIONAL_OFFICE_EMAIL:
        recipients.append(Recipient.address_only(settings.INTERNATIONAL_OFFICE_EMAIL))
    unique = {}
    for recipient in recipients:
        unique.setdefault(recipient.address, recipient)
    return list(unique.values())


def threshold_reached(days_left: int) -> int | None:
    """The smallest reminder threshold that `days_left` has reached, if any."""
    return next((days for days in REMINDER_DAYS if days_left <= days), None)


def due_reminders(on: datetime.date) -> list[DueReminder]:
    """In force, not renewing itself, ending within 90 days, and not yet reminded at this stage.

    An agreement gets only the reminder of the closest threshold it has reached: one found
    at 20 days before its end gets the 30-day reminder, never the 90-day one afterwards.
    """
    coordinators = get_user_model().objects.select_related("profile")
    agreements = (
        Agreement.objects.expiring_within(days=max(REMINDER_DAYS), on=on)
        .filter(is_archived=False)
        # The people's profiles for their language: the relation by name, partners sits below
        # people and does not import it.
        .select_related("partner", "department", "coordinator__profile")
        .prefetch_related(
            Prefetch("department__coordinators", queryset=coordinators),
            Prefetch("expiry_reminders", queryset=ExpiryReminder.objects.order_by()),
        )
        .order_by("valid_until", "reference")
    )
    due = []
    for agreement in agreements:
        days_left = (agreement.valid_until - on).days
        threshold = threshold_reached(days_left)
        sent = {
            reminder.days_before
            for reminder in agreement.expiry_reminders.all()
            if reminder.valid_until == agreement.valid_until
        }
        # A reminder at this stage or a closer one already went out (the latter only when
        # run with an earlier --today): nothing new to say.
        if threshold is None or any(days <= threshold for days in sent):
            continue
        due.append(DueReminder(agreement, threshold, days_left, recipients_for(agreement)))
    return due


def site_url(path: str) -> str:
    """An absolute link for e-mails sent outside a request, e.g. by cron commands."""
    return settings.SITE_URL.rstrip("/") + path


def subject_and_body(reminder: DueReminder) -> tuple[str, str]:
    """The reminder in the active language (queue_reminder activates each recipient's)."""
    agreement = reminder.agreement
    subject = ngettext(
        "Agreement %(reference)s with %(partner)s ends in %(days)d day",
        "Agreement %(reference)s with %(partner)s ends in %(days)d days",
        reminder.days_left,
    ) % {
        "reference": agreement.reference,
        "partner": agreement.partner.display_name,
        "days": reminder.days_left,
    }
    body = render_to_string(
        "emails/agreement_expiring.txt",
        {
            "agreement": agreement,
            "days_left": reminder.days_left,
            "days_before": reminder.days_before,
            "agreement_url": site_url(agreement.get_absolute_url()),
            "portal_name": settings.PORTAL_NAME,
            "university_name": settings.UNIVERSITY_NAME,
        },
    )
    return f"[{settings.PORTAL_NAME}] {subject}", body


def queue_reminder(reminder: DueReminder) -> bool:
    """Record and queue one reminder atomically; False when another run has already done so."""
    agreement = reminder.agreement
    try:
        with transaction.atomic():
            ExpiryReminder.objects.create(
                agreement=agreement,
                valid_until=agreement.valid_until,
                days_before=reminder.days_before,
                recipients=", ".join(reminder.addresses),
            )
            queue_email_in_languages(
                to=reminder.recipients, render=lambda: subject_and_body(reminder)
            )
    except IntegrityError:
        return False
    return True
