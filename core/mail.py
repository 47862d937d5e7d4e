"""The portal's outbox: every e-mail is queued in the database and delivered by a worker.

`queue_email` writes an OutgoingEmail row and enqueues its delivery task in the caller's
transaction, so the action and its e-mails are saved together or not at all, and the action
never waits for, or fails because of, the mail server. `manage.py db_worker` runs the tasks.

Why Django's tasks framework with django-tasks-db: the backend is kept by Jake Howard, the
Django core developer who wrote DEP 14 and django.tasks itself, so it follows the framework as
it changes; it needs no broker
(the database we already run and back up is the queue); and it inserts its task row with the
ORM in the current transaction, so a rolled-back action leaves neither an e-mail nor a task.
It has no retries of its own: the backoff is ours (OutgoingEmail.record_failure).

Each message is written in its recipients' language (`queue_email_in_languages`): a person's
choice on their profile, the portal's LANGUAGE_CODE for them otherwise and for addresses that
are not accounts (the international office's); recipients who read different languages get
separate messages, also from cron commands, where no request chose a language.
"""

import contextlib
import unicodedata
from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.tasks import task
from django.utils import translation

from core.languages import recipient_language
from core.models import OutgoingEmail


class Recipient(NamedTuple):
    """An address and the language the messages to it are written in."""

    address: str
    language: str

    @classmethod
    def person(cls, user) -> "Recipient":
        """An account: the language on its profile (fetch it with the user: `profile`)."""
        return cls(user.email, recipient_language(user))

    @classmethod
    def address_only(cls, address: str) -> "Recipient":
        """An address that is no account, such as the international office's."""
        return cls(address, settings.LANGUAGE_CODE)


def header_value(value: str) -> str:
    """One line: control characters (CR, LF, tab, NUL...) and line separators become spaces.

    Python refuses a header with a line break, and a title typed with one would otherwise make
    the message unsendable; runs of spaces are collapsed.
    """
    cleaned = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in str(value)
    )
    return " ".join(cleaned.split())


def queue_email(
    *, to: Iterable[str], subject: str, body: str, confidential: bool = False
) -> OutgoingEmail | None:
    """Queue one message to the given addresses; None when there is nobody to send it to.

    The message is as written, in one language: e-mails to people go through
    queue_email_in_languages, which calls this once per language. `confidential`: the body
    carries a one-time link; the admin shows it to nobody.
    """
    recipients = list(dict.fromkeys(header_value(address) for address in to if address))
    recipients = [address for address in recipients if address]
    if not recipients:
        return None
    # Both rows or neither, also when the caller has no transaction of its own.
    with transaction.atomic(savepoint=False):
        email = OutgoingEmail.objects.create(
            recipients=", ".join(recipients),
            subject=header_value(subject),
            body=body,
            confidential=confidential,
        )
        deliver_email.enqueue(email.pk)
    return email


def queue_email_in_languages(
    *, to: Iterable[Recipient], render: Callable[[], tuple[str, str]]
) -> list[OutgoingEmail]:
    """One message per language among the recipients, each written in that language.

    `render` returns (subject, body) and is called once per language, inside
    translation.override, so gettext, templates and date formats all follow it. An address
    listed twice is written to once, in the language it was first listed with.
    """
    by_language: dict[str, list[str]] = {}
    seen = set()
    for address, language in to:
        address = header_value(address or "")
        if address and address not in seen:
            seen.add(address)
            by_language.setdefault(language, []).append(address)
    emails = []
    for language, addresses in by_language.items():
        with translation.override(language):
            subject, body = render()
        emails.append(queue_email(to=addresses, subject=subject, body=body))
    return emails


def enqueue_delivery(email: OutgoingEmail) -> None:
    deliver_email.using(run_after=email.next_attempt_at).enqueue(email.pk)


@task
def deliver_email(email_id: int) -> str:
    """Send one queued message if it is still pending; on failure, schedule the next attempt.

    On PostgreSQL the row stays locked while the mail server answers (at most EMAIL_TIMEOUT), so
    two workers, or a retry and a resend, never send it twice: the second finds it sent. SQLite
    has no row locks, and a transaction kept open during the send would hold its database lock
    and stall the site's writes; there no transaction is held, and one worker runs.
    """
    row_locks = connection.features.has_select_for_update
    with transaction.atomic() if row_locks else contextlib.nullcontext():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutgoingEmail.Status.PENDING:
            return "nothing to send"
        try:
            email.as_message().send(using="default")
        except Exception as error:
            # Any refusal (connection, authentication, a recipient...) is recorded for the office.
            return _record_failure(email, error)
        email.mark_sent()
        return "sent"


def _record_failure(email: OutgoingEmail, error: Exception) -> str:
    with transaction.atomic():  # the attempt and the next one's task together
        email.record_failure(error)
        if email.status == OutgoingEmail.Status.FAILED:
            return "failed"
        enqueue_delivery(email)
        return "retry scheduled"
