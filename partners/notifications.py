"""Reminders that an agreement is about to end, 90, 30 and 7 days before, each sent once.

Run daily by `manage.py notify_expiring_agreements`. A reminder is recorded as an ExpiryReminder
in the same transaction as its e-mail is queued (core.mail): the worker delivers it, retrying
while the mail server is down; when two runs overlap the unique constraint lets only one of them
queue it.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core.mail import queue_email
from partners.models import Agreement, ExpiryReminder

REMINDER_DAYS = (7, 30, 90)


@dataclass
class DueReminder:
    agreement: Agreement
    days_before: int
    days_left: int
    recipients: list[str]


def recipients_for(agreement: Agreement) -> list[str]:
    """The agreement's coordinator, its department's coordinators and the international office."""
    people = [agreement.coordinator] if agreement.coordinator else []
    if agreement.department:
        people += list(agreement.department.coordinators.all())
    addresses = [person.email for person in people if person.email]
    addresses.append(settings.INTERNATIONAL_OFFICE_EMAIL)
    return list(dict.fromkeys(address for address in addresses if address))


def threshold_reached(days_left: int) -> int | None:
    """The smallest reminder threshold that `days_left` has reached, if any."""
    return next((days for days in REMINDER_DAYS if days_left <= days), None)


def due_reminders(on: datetime.date) -> list[DueReminder]:
    """In force, not renewing itself, ending within 90 days, and not yet reminded at this stage.

    An agreement gets only the reminder of the closest threshold it has reached: one found
    at 20 days before its end gets the 30-day reminder, never the 90-day one afterwards.
    """
    agreements = (
        Agreement.objects.expiring_within(days=max(REMINDER_DAYS), on=on)
        .filter(is_archived=False)
        .select_related("partner", "department", "coordinator")
        .prefetch_related(
            "department__coordinators",
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
    agreement = reminder.agreement
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Agreement %(reference)s with %(partner)s ends in %(days)d days") % {
            "reference": agreement.reference,
            "partner": agreement.partner.name,
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
                recipients=", ".join(reminder.recipients),
            )
            subject, body = subject_and_body(reminder)
            queue_email(to=reminder.recipients, subject=subject, body=body)
    except IntegrityError:
        return False
    return True
