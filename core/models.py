"""What every app of the portal shares. Imports no app of ours."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class OutgoingEmailQuerySet(models.QuerySet):
    def unsent(self):
        return self.exclude(status=OutgoingEmail.Status.SENT)


class OutgoingEmail(models.Model):
    """One e-mail of the portal, written in the transaction of the action that causes it.

    A worker delivers it (core.mail.deliver_email), retrying with the delays of
    settings.EMAIL_RETRY_MINUTES; after the last one it is failed, and the office can resend it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipients = models.TextField(_("recipients"), help_text=_("Addresses, comma-separated."))
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("body"))
    # A one-time sign-in link (an invitation, a password reset) is as good as a password: whoever
    # reads it can take over the account, so the admin never shows such a body to anyone.
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("The body carries a one-time link and is not shown in the admin."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"], name="outgoing_email_status")]
        permissions = [("resend_outgoingemail", _("Can resend outgoing e-mails"))]

    def __str__(self):
        return self.subject

    @property
    def recipient_list(self) -> list[str]:
        return [address for address in self.recipients.split(", ") if address]

    def as_message(self) -> EmailMessage:
        # The sender is read when sending, so a corrected DEFAULT_FROM_EMAIL applies to the queue.
        return EmailMessage(self.subject, self.body, None, self.recipient_list)

    def mark_sent(self) -> None:
        self.status = self.Status.SENT
        self.attempts += 1
        self.sent_at = timezone.now()
        self.next_attempt_at = None
        self.save(update_fields=["status", "attempts", "sent_at", "next_attempt_at"])

    def record_failure(self, error: BaseException) -> None:
        """Count the attempt; schedule the next one, or give up after the last delay."""
        self.attempts += 1
        self.last_error = f"{type(error).__name__}: {error}"[:2000]
        delay = retry_delay(self.attempts)
        if delay is None:
            self.status = self.Status.FAILED
            self.next_attempt_at = None
        else:
            self.next_attempt_at = timezone.now() + delay
        self.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])

    def reset_for_resending(self) -> None:
        """Pending again with a full series of attempts: the office asked for it."""
        self.status = self.Status.PENDING
        self.attempts = 0
        self.next_attempt_at = timezone.now()
        self.save(update_fields=["status", "attempts", "next_attempt_at"])


def retry_delay(attempts: int) -> datetime.timedelta | None:
    """How long to wait after the given number of failed attempts; None when it is the last."""
    delays = settings.EMAIL_RETRY_MINUTES
    if attempts > len(delays):
        return None
    return datetime.timedelta(minutes=delays[attempts - 1])


class ImportLog(models.Model):
    """One import that wrote a file (core/imports): who, when, which file, what it changed.

    Written in the import's own transaction, so a refused or rolled-back import leaves none.
    """

    kind = models.CharField(_("kind"), max_length=100)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    new = models.PositiveIntegerField(pgettext_lazy("import rows", "new"), default=0)
    updated = models.PositiveIntegerField(pgettext_lazy("import rows", "updated"), default=0)
    unchanged = models.PositiveIntegerField(pgettext_lazy("import rows", "unchanged"), default=0)
    # What a revert needs: the rows the import wrote are its history rows of this model with
    # this reason, written between started_at and imported_at (core/imports/revert.py).
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("content type"),
    )
    history_reason = models.CharField(_("history reason"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    reverted_at = models.DateTimeField(_("reverted at"), null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reverted by"),
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-imported_at", "-pk"]
        permissions = [("revert_importlog", _("Can revert an import"))]

    def __str__(self):
        return self.file_name


class DataVersion(models.Model):
    """One row whose value changes in the transaction of every write that a page shows.

    Database triggers change it (core/dataversion.py installs them on every table of our apps
    after each migrate), so no write path can forget; cached pages are keyed by it (core/cache.py).
    The value is random, not a counter: a rolled-back write or a restored backup never brings an
    old value, and the fragments cached under it, back.
    """

    value = models.CharField(max_length=32)

    class Meta:
        default_permissions = ()  # nobody edits it by hand

    def __str__(self):
        return self.value
