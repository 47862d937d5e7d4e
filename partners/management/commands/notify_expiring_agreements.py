"""Daily: remind coordinators and the international office of agreements about to end."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partners.notifications import due_reminders, queue_reminder


def _iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today expects a date as YYYY-MM-DD, not {value!r}") from error


class Command(BaseCommand):
    help = (
        "E-mail each agreement's coordinators and the international office 90, 30 and 7 days "
        "before the agreement ends; each reminder once. Meant for a daily cron job. The e-mails "
        "are queued: `manage.py db_worker` sends them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )
        parser.add_argument(
            "--today", type=_iso_date, help="Act as if today were this date (YYYY-MM-DD)."
        )

    def handle(self, *args, dry_run=False, today=None, **options):
        today = today or timezone.localdate()
        queued = 0
        for reminder in due_reminders(today):
            agreement = reminder.agreement
            line = (
                f"{reminder.days_before}-day reminder: {agreement.reference} "
                f"({agreement.partner.name}) ends {agreement.valid_until:%Y-%m-%d}, "
                f"in {reminder.days_left} days -> {', '.join(reminder.addresses)}"
            )
            if dry_run:
                self.stdout.write(f"Would send {line}")
                queued += 1
            elif queue_reminder(reminder):
                # The mail server plays no part here: a reminder is queued, the worker sends it.
                self.stdout.write(f"Queued {line}")
                queued += 1
        if dry_run:
            self.stdout.write(f"Dry run on {today:%Y-%m-%d}: {queued} reminder(s) would be sent.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{today:%Y-%m-%d}: {queued} reminder(s) queued for sending.")
            )
