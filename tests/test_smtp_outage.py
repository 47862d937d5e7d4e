"""With the mail server down, submitting, approving and rejecting still work; once it is back
every queued e-mail arrives, none twice.

Everything is real: the views commit (a transactional test), `manage.py db_worker` sends through
Django's SMTP backend, first to a loopback port where nothing listens, then to an aiosmtpd server
started on that same port. The backoff is skipped by moving the retries' time into the past.
"""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections
from django.tasks import TaskResultStatus
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core.mail import deliver_email, queue_email
from core.models import OutgoingEmail
from exchanges.models import Application, MobilityRecord
from people.choices import Category
from tests.factories import ApplicationFactory, UserFactory
from tests.outbox import make_retries_due, smtp_mailer, smtp_server

pytestmark = pytest.mark.django_db(transaction=True)

PREFIX = "[Academic Mobility Portal] "


def run_db_worker() -> str:
    out = StringIO()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)
    return out.getvalue()


def test_actions_succeed_while_mail_is_down_and_every_mail_arrives_once_when_it_is_back(
    client, settings, smtp_port, program, department, coordinator, student
):
    settings.MAILERS = {"default": smtp_mailer(smtp_port)}
    to_approve = ApplicationFactory(
        program=program, applicant=UserFactory(username="anna"), department=department
    )
    to_reject = ApplicationFactory(program=program, applicant=UserFactory(username="boris"))

    client.force_login(student)
    response = client.post(
        reverse("exchanges:application-create", args=[program.slug]),
        {"category": Category.ACADEMIC_STAFF, "motivation": "Surgery.", "action": "submit"},
    )
    assert response.status_code == 302
    submitted = Application.objects.get(applicant=student)
    assert submitted.status == Application.Status.SUBMITTED

    client.force_login(coordinator)
    for application, action in ((to_approve, "approve"), (to_reject, "reject")):
        response = client.post(
            reverse("exchanges:review-detail", args=[application.pk]), {"action": action}
        )
        assert response.status_code == 302
    to_approve.refresh_from_db()
    to_reject.refresh_from_db()
    assert to_approve.status == Application.Status.APPROVED
    assert MobilityRecord.objects.get().application == to_approve
    assert to_reject.status == Application.Status.REJECTED
    assert OutgoingEmail.objects.filter(status="pending", attempts=0).count() == 4

    # The worker tries each, records the refusal and schedules the next attempt.
    run_db_worker()
    for email in OutgoingEmail.objects.all():
        assert (email.status, email.attempts) == (OutgoingEmail.Status.PENDING, 1)
        assert "Connection refused" in email.last_error
        assert email.next_attempt_at > email.created_at
    scheduled = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert scheduled.count() == 4
    assert not scheduled.ready().exists()  # not yet due
    run_db_worker()
    assert set(OutgoingEmail.objects.values_list("attempts", flat=True)) == {1}

    with smtp_server(smtp_port) as server:
        assert make_retries_due() == 4
        run_db_worker()
        expected = [
            (["student@example.org"], f"{PREFIX}Your application to {program.title} was submitted"),
            (["coordinator@example.org"], f"{PREFIX}New application to {program.title}"),
            (["anna@example.org"], f"{PREFIX}Your application to {program.title} was approved"),
            (
                ["boris@example.org"],
                f"{PREFIX}Your application to {program.title} was not approved",
            ),
        ]
        assert sorted(server.received) == sorted(expected)
        assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {("sent", 2)}

        # Nothing is left to send, however often the worker runs or the retries fall due.
        make_retries_due()
        run_db_worker()
        assert len(server.received) == 4


# Row locks exist on PostgreSQL only; on SQLite one worker runs (core.mail.deliver_email).
@pytest.mark.postgresql
def test_two_workers_delivering_one_message_at_once_send_it_once(settings, smtp_port):
    settings.MAILERS = {"default": smtp_mailer(smtp_port)}
    email = queue_email(to=["anna@example.org"], subject="Once", body="Only once.")
    outcomes = []

    def deliver():
        try:
            outcomes.append(deliver_email.call(email.pk))
        finally:
            connections.close_all()

    with smtp_server(smtp_port, delay=0.5) as server:
        workers = [threading.Thread(target=deliver) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=30)
    assert sorted(outcomes) == ["nothing to send", "sent"]
    assert server.received == [(["anna@example.org"], "Once")]
