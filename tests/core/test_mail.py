"""The outbox: queued with the action, sent once by the worker, retried with backoff."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.mail import deliver_email, header_value, queue_email
from core.models import OutgoingEmail
from tests.outbox import make_retries_due, smtp_mailer

pytestmark = pytest.mark.django_db


def queue(**overrides) -> OutgoingEmail:
    arguments = {"to": ["anna@example.org"], "subject": "Hello", "body": "Dear Anna,"}
    arguments.update(overrides)
    return queue_email(**arguments)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Clinical training\r\nin Bialystok", "Clinical training in Bialystok"),
        ("Line\nBcc: all@example.org", "Line Bcc: all@example.org"),
        ("Tab\tNUL\x00bell\x07 escape\x1b[0m", "Tab NUL bell escape [0m"),
        ("Line\u2028separator\u2029paragraph\x85next", "Line separator paragraph next"),
        ("  spaces   inside  ", "spaces inside"),
        ("Zürich — Białystok", "Zürich — Białystok"),
    ],
)
def test_header_values_are_one_line_without_control_characters(value, expected):
    assert header_value(value) == expected


def test_queueing_writes_the_message_and_its_task_and_sends_nothing_yet():
    email = queue(to=["anna@example.org", "", "boris@example.org", "anna@example.org"])
    assert email.recipient_list == ["anna@example.org", "boris@example.org"]
    assert (email.status, email.attempts, email.sent_at) == (OutgoingEmail.Status.PENDING, 0, None)
    task = DBTaskResult.objects.get()
    assert task.task_path == "core.mail.deliver_email"
    assert task.args_kwargs["args"] == [email.pk]
    assert mail.outbox == []


def test_nobody_to_write_to_queues_nothing():
    assert queue(to=["", None]) is None
    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_an_action_that_rolls_back_takes_its_e_mail_and_task_with_it():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the action failed after queueing")
    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_worker_sends_it_and_marks_it_sent(run_worker):
    email = queue(subject="[Portal] Hello\nthere")
    assert run_worker() == 1
    [message] = mail.outbox
    assert (message.to, message.subject, message.body) == (
        ["anna@example.org"],
        "[Portal] Hello there",
        "Dear Anna,",
    )
    assert message.from_email == "International Office <international@localhost>"
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 1)
    assert email.sent_at is not None and email.next_attempt_at is None
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_running_the_task_twice_for_one_message_sends_it_once(run_worker):
    email = queue()
    deliver_email.enqueue(email.pk)  # a second task for the same row, e.g. a resend
    assert run_worker() == 2
    assert len(mail.outbox) == 1
    assert deliver_email.call(email.pk) == "nothing to send"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 1)


def test_a_refused_attempt_is_retried_with_backoff_then_given_up(settings, smtp_port, run_worker):
    settings.MAILERS = {"default": smtp_mailer(smtp_port)}
    settings.EMAIL_RETRY_MINUTES = [1, 5]
    email = queue()

    for attempt, minutes in ((1, 1), (2, 5)):
        before = timezone.now()
        assert run_worker() == 1
        email.refresh_from_db()
        assert (email.status, email.attempts) == (OutgoingEmail.Status.PENDING, attempt)
        assert "ConnectionRefusedError" in email.last_error
        delay = email.next_attempt_at - before
        assert (
            datetime.timedelta(minutes=minutes)
            <= delay
            < datetime.timedelta(minutes=minutes, seconds=5)
        )
        retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        assert retry.run_after == email.next_attempt_at
        assert run_worker() == 0  # not due yet
        make_retries_due()

    assert run_worker() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 3)
    assert email.next_attempt_at is None
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert mail.outbox == []
