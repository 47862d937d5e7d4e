"""Every e-mail ends with the portal's and the university's name (UNIVERSITY_NAME, issue 17)."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from exchanges import emails
from exchanges.models import Application

pytestmark = pytest.mark.django_db

SIGNATURE = "Academic Mobility Portal\nTest State Medical University"


@pytest.fixture(autouse=True)
def _university(settings):
    settings.UNIVERSITY_NAME = "Test State Medical University"


def test_application_e_mails_are_signed_with_the_university(world, run_worker):
    application = world.student_application
    emails.queue_submission_emails(application=application)
    application.status = Application.Status.APPROVED
    emails.queue_decision_email(application=application)
    run_worker()

    assert len(mail.outbox) >= 3  # to the applicant, to the coordinators, the decision
    for message in mail.outbox:
        assert message.body.rstrip().endswith(SIGNATURE), message.subject


def test_password_reset_e_mail_is_signed_with_the_university(client, student, run_worker):
    client.post(reverse("password_reset"), {"email": student.email})
    run_worker()

    [message] = mail.outbox
    assert message.body.rstrip().endswith(SIGNATURE)


def test_expiry_reminder_is_signed_with_the_university(agreement, run_worker):
    agreement.valid_until = datetime.date(2026, 6, 30)
    agreement.save()
    call_command("notify_expiring_agreements", "--today", "2026-05-31", stdout=io.StringIO())
    run_worker()

    [message] = mail.outbox
    assert message.body.rstrip().endswith(SIGNATURE)
