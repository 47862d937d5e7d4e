"""A real mail server on loopback for the outbox tests, and the clock of the retries."""

import asyncio
import contextlib
import email
import socket
from email import policy

from aiosmtpd.controller import Controller
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.models import OutgoingEmail


def closed_port() -> int:
    """A loopback port nothing listens on (the operating system just handed it out and back)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_mailer(port: int) -> dict:
    """A MAILERS entry for the SMTP server on this loopback port, as EMAIL_URL would give."""
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
    }


class RecordingHandler:
    """Keeps (recipients, subject) of every message the server accepts."""

    def __init__(self, delay: float = 0):
        self.received: list[tuple[list[str], str]] = []
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)  # a slow server keeps the sender waiting
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        # Unfolded, a long subject keeps the space that began its continuation line.
        self.received.append((sorted(envelope.rcpt_tos), str(message["Subject"]).strip()))
        return "250 Message accepted for delivery"


@contextlib.contextmanager
def smtp_server(port: int, *, delay: float = 0):
    """aiosmtpd listening on 127.0.0.1:port, in a thread, for the duration of the block."""
    handler = RecordingHandler(delay)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


def make_retries_due() -> int:
    """Let the scheduled retries' time come: as if the backoff delays had passed."""
    now = timezone.now()
    OutgoingEmail.objects.filter(next_attempt_at__gt=now).update(next_attempt_at=now)
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__gt=now).update(
        run_after=now
    )
