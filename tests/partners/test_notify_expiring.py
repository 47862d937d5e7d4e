"""`manage.py notify_expiring_agreements`: 90, 30 and 7 days before the end, each once."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from core.models import OutgoingEmail
from partners.models import Agreement, ExpiryReminder
from tests.factories import AgreementFactory, UserFactory
from tests.outbox import make_retries_due, smtp_mailer

pytestmark = pytest.mark.django_db

END = datetime.date(2026, 6, 30)


def run(on: datetime.date | None = None, *args: str) -> str:
    out = StringIO()
    options = ["--today", on.isoformat()] if on else []
    call_command("notify_expiring_agreements", *options, *args, stdout=out)
    return out.getvalue()


def before_end(days: int) -> datetime.date:
    return END - datetime.timedelta(days=days)


@pytest.fixture
def ending(db, agreement):
    """The Bialystok agreement, in force since 2004 and ending on END."""
    agreement.valid_from = datetime.date(2004, 6, 1)
    agreement.valid_until = END
    agreement.coordinator = UserFactory(username="agreement-coordinator", email="ac@example.org")
    agreement.save()
    return agreement


@pytest.fixture
def office_address(settings):
    settings.INTERNATIONAL_OFFICE_EMAIL = "international@bsmu.example"
    settings.SITE_URL = "https://mobility.example.org"
    return settings.INTERNATIONAL_OFFICE_EMAIL


def test_90_day_reminder_goes_to_coordinators_and_the_office(ending, office_address, run_worker):
    output = run(before_end(90))
    assert mail.outbox == []  # queued: the worker sends it
    assert run_worker() == 1

    [message] = mail.outbox
    assert sorted(message.to) == sorted(
        ["ac@example.org", "coordinator@example.org", "international@bsmu.example"]
    )
    assert "BSMU-UMB-2004" in message.subject and "90 days" in message.subject
    assert "Medical University of Bialystok" in message.body
    assert f"https://mobility.example.org/agreements/{ending.pk}/" in message.body
    assert "in 90 days" in message.body
    reminder = ExpiryReminder.objects.get()
    assert (reminder.agreement, reminder.valid_until, reminder.days_before) == (ending, END, 90)
    assert "ac@example.org" in reminder.recipients
    assert "Queued 90-day reminder: BSMU-UMB-2004" in output
    assert "1 reminder(s) queued for sending." in output


def test_each_reminder_is_sent_once(ending, office_address, run_worker):
    run(before_end(90))
    run_worker()
    output = run(before_end(90))
    run(before_end(89))
    run_worker()

    assert len(mail.outbox) == 1
    assert ExpiryReminder.objects.count() == 1
    assert OutgoingEmail.objects.count() == 1
    assert "0 reminder(s) queued for sending." in output


def test_90_30_and_7_day_reminders_over_the_last_three_months(ending, office_address, run_worker):
    sent_on = {}
    for days_left in range(100, -3, -1):
        before = len(mail.outbox)
        run(before_end(days_left))
        run_worker()
        if len(mail.outbox) > before:
            sent_on[days_left] = mail.outbox[-1].subject

    assert list(sent_on) == [90, 30, 7]
    assert sorted(ExpiryReminder.objects.values_list("days_before", flat=True)) == [7, 30, 90]


def test_agreement_first_seen_inside_30_days_gets_only_the_30_day_reminder(
    ending, office_address, run_worker
):
    output = run(before_end(20))
    run(before_end(19))
    run_worker()

    assert len(mail.outbox) == 1
    assert "30-day reminder" in output and "in 20 days" in output
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [30]


def test_extended_agreement_is_reminded_afresh(ending, office_address, run_worker):
    run(before_end(30))
    ending.valid_until = END + datetime.timedelta(days=365)
    ending.save()
    run(before_end(30) + datetime.timedelta(days=365))
    run_worker()

    assert len(mail.outbox) == 2
    assert ExpiryReminder.objects.filter(days_before=30).count() == 2


@pytest.mark.parametrize(
    "changes",
    [
        {"auto_renewal": True},
        {"lifecycle": Agreement.Lifecycle.TERMINATED},
        {"valid_until": before_end(100)},  # already expired on that day
        {"valid_until": None},  # open-ended
        {"is_archived": True},
    ],
    ids=["auto-renewing", "terminated", "expired", "open-ended", "archived"],
)
def test_agreements_not_ending_soon_in_force_are_skipped(
    ending, office_address, changes, run_worker
):
    Agreement.objects.filter(pk=ending.pk).update(**changes)
    output = run(before_end(7))
    assert run_worker() == 0
    assert mail.outbox == []
    assert not ExpiryReminder.objects.exists()
    assert "0 reminder(s) queued for sending." in output


def test_agreement_ending_in_more_than_90_days_is_not_reminded(ending, office_address, run_worker):
    run(before_end(91))
    assert run_worker() == 0
    assert mail.outbox == []


def test_dry_run_lists_but_sends_and_records_nothing(ending, office_address, run_worker):
    output = run(before_end(30), "--dry-run")

    assert run_worker() == 0
    assert mail.outbox == []
    assert not ExpiryReminder.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert "Would send 30-day reminder: BSMU-UMB-2004" in output
    assert "1 reminder(s) would be sent" in output


def test_output_lists_each_reminder_on_its_own_line(ending, office_address):
    AgreementFactory(reference="OTHER-1", valid_until=before_end(-3))  # ends 3 days after END
    output = run(before_end(7))
    lines = output.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Queued 7-day reminder: BSMU-UMB-2004")
    assert lines[1].startswith("Queued 30-day reminder: OTHER-1")
    assert "2 reminder(s) queued for sending." in lines[2]


def test_department_without_coordinators_still_reminds_the_office(office_address, run_worker):
    AgreementFactory(valid_until=before_end(0), department=None)
    run(before_end(7))
    run_worker()
    [message] = mail.outbox
    assert message.to == ["international@bsmu.example"]


def test_a_mail_server_that_is_down_delays_the_reminder_but_loses_nothing(
    ending, office_address, run_worker, smtp_port, settings
):
    # Nothing listens on the port: every attempt is refused.
    settings.MAILERS = {"default": smtp_mailer(smtp_port)}
    output = run(before_end(30))
    assert "1 reminder(s) queued for sending." in output
    assert run_worker() == 1
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.PENDING, 1)
    assert "Connection" in email.last_error and email.next_attempt_at is not None

    # Tomorrow's run does not queue it again; the retry, once due, delivers it.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    run(before_end(29))
    assert ExpiryReminder.objects.get().days_before == 30
    make_retries_due()
    assert run_worker() == 1
    [message] = mail.outbox
    assert "ends in 30 days" in message.subject
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_today_must_be_a_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("notify_expiring_agreements", "--today", "tomorrow", stdout=StringIO())
