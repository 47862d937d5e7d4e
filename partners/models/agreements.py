"""Cooperation agreements with their quotas, documents and expiry reminders."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import TimestampedModel
from core.periods import academic_year_label
from core.roles import is_international_office
from core.uploads import GeneratedUploadName, validate_document_upload
from partners.choices import Direction, MobilityType
from partners.models.institutions import Department, EQFLevel, Partner, SubjectArea


class AgreementQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        """Signed and in force on that day, including those about to expire."""
        return self.filter(Agreement.active_q(on or timezone.localdate()))

    def expiring_within(self, days: int, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.active(on).filter(
            auto_renewal=False,
            valid_until__isnull=False,
            # Implied by active(), but stated so that the database can read the index range
            # (agreement_expiring) instead of every agreement.
            valid_until__gte=on,
            valid_until__lte=on + datetime.timedelta(days=days),
        )

    def expired(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            lifecycle=Agreement.Lifecycle.SIGNED,
            auto_renewal=False,
            valid_until__lt=on,
        )

    def with_status(self, status: str, on: datetime.date | None = None):
        """Filter by the computed status, in the database."""
        on = on or timezone.localdate()
        Status = Agreement.Status
        signed = Q(lifecycle=Agreement.Lifecycle.SIGNED)
        expiring = Agreement.active_q(on) & Q(
            auto_renewal=False,
            valid_until__isnull=False,
            valid_until__lte=on + datetime.timedelta(days=settings.EXPIRY_WARNING_DAYS),
        )
        conditions = {
            Status.DRAFT: Q(lifecycle=Agreement.Lifecycle.DRAFT),
            Status.NEGOTIATION: Q(lifecycle=Agreement.Lifecycle.NEGOTIATION),
            Status.TERMINATED: Q(lifecycle=Agreement.Lifecycle.TERMINATED),
            Status.NOT_YET_VALID: signed & Q(valid_from__gt=on),
            Status.ACTIVE: Agreement.active_q(on) & ~expiring,
            Status.EXPIRING: expiring,
            Status.EXPIRED: signed & Q(auto_renewal=False, valid_until__lt=on),
        }
        return self.filter(conditions[status])


class Agreement(TimestampedModel):
    class Kind(models.TextChoices):
        GENERAL = "general", _("General cooperation")
        ACADEMIC_SCIENTIFIC = "academic_scientific", _("Academic and scientific exchange")
        STUDENT_EXCHANGE = "student_exchange", _("Student exchange and clinical practice")
        JOINT_RESEARCH = "joint_research", _("Joint research")
        MEMORANDUM = "memorandum", _("Memorandum of understanding")
        ERASMUS_IIA = "erasmus_iia", _("Erasmus+ inter-institutional agreement")

    class Lifecycle(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("agreement status", "Draft")
        NEGOTIATION = "negotiation", _("Under negotiation")
        SIGNED = "signed", _("Signed")
        TERMINATED = "terminated", _("Terminated")

    class Status(models.TextChoices):
        """Computed from the lifecycle and the dates; never stored."""

        DRAFT = "draft", pgettext_lazy("agreement status", "Draft")
        NEGOTIATION = "negotiation", _("Under negotiation")
        NOT_YET_VALID = "not_yet_valid", _("Signed, not yet in force")
        ACTIVE = "active", _("Active")
        EXPIRING = "expiring", _("Expiring soon")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("partner")
    )
    title = models.CharField(_("title"), max_length=255)
    reference = models.CharField(
        _("reference number"), max_length=50, unique=True, help_text=_("Our registry number.")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    lifecycle = models.CharField(
        _("lifecycle"),
        max_length=20,
        choices=Lifecycle.choices,
        default=Lifecycle.DRAFT,
        db_index=True,
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Leave empty for an open-ended agreement."),
    )
    auto_renewal = models.BooleanField(
        _("renews automatically"),
        default=False,
        help_text=_("Renewed automatically until one party terminates it; it does not expire."),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("responsible department"),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_agreements",
        verbose_name=_("coordinator"),
    )
    scope = models.TextField(_("scope and areas of cooperation"), blank=True)
    subject_areas = models.ManyToManyField(
        SubjectArea, blank=True, related_name="agreements", verbose_name=_("subject areas")
    )
    eqf_level = models.PositiveSmallIntegerField(
        _("EQF level"), choices=EQFLevel.choices, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    is_archived = models.BooleanField(
        _("archived"),
        default=False,
        help_text=_(
            "Archived agreements stay in the records and reports but are hidden from lists."
        ),
    )
    # Optimistic locking: a change form saves only if nobody saved the agreement meanwhile.
    version = models.PositiveIntegerField(
        pgettext_lazy("edit counter", "version"), default=1, editable=False
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "title"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        indexes = [
            models.Index(fields=["lifecycle", "valid_from", "valid_until"]),
            models.Index(
                fields=["-valid_from", "title"],
                condition=Q(is_archived=False),
                name="agreement_list_order",
            ),
            models.Index(
                fields=["valid_until"],
                condition=Q(is_archived=False, auto_renewal=False, lifecycle="signed"),
                name="agreement_expiring",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_valid_until_not_before_valid_from",
            ),
            models.CheckConstraint(
                condition=~Q(lifecycle="signed") | Q(valid_from__isnull=False),
                name="agreement_signed_has_valid_from",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("partners:agreement-detail", kwargs={"pk": self.pk})

    @staticmethod
    def active_q(on: datetime.date, prefix: str = "") -> Q:
        """The database condition for "in force on that day", reusable across relations."""
        return (
            Q(**{f"{prefix}lifecycle": Agreement.Lifecycle.SIGNED})
            & Q(**{f"{prefix}valid_from__lte": on})
            & (
                Q(**{f"{prefix}valid_until__isnull": True})
                | Q(**{f"{prefix}valid_until__gte": on})
                | Q(**{f"{prefix}auto_renewal": True})
            )
        )

    def status_on(self, on: datetime.date) -> str:
        Status = self.Status
        if self.lifecycle != self.Lifecycle.SIGNED:
            return Status(self.lifecycle)
        if self.valid_from and on < self.valid_from:
            return Status.NOT_YET_VALID
        if self.valid_until is None or self.auto_renewal:
            return Status.ACTIVE
        if on > self.valid_until:
            return Status.EXPIRED
        if (self.valid_until - on).days <= settings.EXPIRY_WARNING_DAYS:
            return Status.EXPIRING
        return Status.ACTIVE

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def days_to_expiry(self, on: datetime.date | None = None) -> int | None:
        """Days left until the agreement ends, None if it does not end."""
        if self.valid_until is None or self.auto_renewal:
            return None
        return (self.valid_until - (on or timezone.localdate())).days

    def documents_accessible_to(self, user) -> bool:
        """The office, the agreement's coordinator and its department's coordinators."""
        if not user.is_authenticated:
            return False
        if is_international_office(user) or self.coordinator_id == user.pk:
            return True
        return bool(self.department_id and self.department.coordinators.filter(pk=user.pk).exists())


class AgreementQuota(models.Model):
    """Places an agreement grants for one academic year, one kind of mobility and one direction."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("agreement")
    )
    academic_year = models.PositiveSmallIntegerField(
        _("academic year"), help_text=_("The year it starts in: 2025 means 2025/26.")
    )
    mobility_type = models.CharField(
        _("mobility type"), max_length=30, choices=MobilityType.choices
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    places = models.PositiveIntegerField(_("places"))
    total_months = models.DecimalField(
        _("total months"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    total_days = models.PositiveIntegerField(_("total days"), null=True, blank=True)

    class Meta:
        ordering = ["-academic_year", "mobility_type", "direction"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "academic_year", "mobility_type", "direction"],
                name="quota_unique_per_year_type_direction",
            ),
            models.CheckConstraint(condition=Q(places__gte=0), name="quota_places_not_negative"),
            models.CheckConstraint(
                condition=Q(total_months__isnull=True) | Q(total_months__gte=0),
                name="quota_total_months_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(academic_year__gte=1990) & Q(academic_year__lte=2100),
                name="quota_academic_year_plausible",
            ),
        ]

    def __str__(self):
        return (
            f"{academic_year_label(self.academic_year)} {self.get_mobility_type_display()} "
            f"{self.get_direction_display()}: {self.places}"
        )

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)


class ArchivableQuerySet(models.QuerySet):
    """For files that the office archives instead of deleting (documents, attachments)."""

    def unarchived(self):
        return self.filter(is_archived=False)


class AgreementDocument(models.Model):
    class Kind(models.TextChoices):
        SIGNED_AGREEMENT = "signed_agreement", _("Signed agreement (scan)")
        AMENDMENT = "amendment", _("Amendment or renewal")
        ANNEX = "annex", _("Annex")
        CORRESPONDENCE = "correspondence", _("Correspondence")
        OTHER = "other", _("Other")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("agreement")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(
        _("file"),
        upload_to=GeneratedUploadName("agreement-documents"),
        validators=[validate_document_upload],
    )
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # db_default too, so that rows written without the column (bulk COPY) are not archived.
    is_archived = models.BooleanField(
        _("archived"),
        default=False,
        db_default=False,
        help_text=_("Archived documents are kept but no longer shown or offered for download."),
    )

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partners:document-download", kwargs={"pk": self.pk})


class ExpiryReminder(models.Model):
    """A reminder about an agreement's end that was sent, so that each one goes out only once.

    Keyed by the end date too: when an agreement is extended, its reminders start afresh.
    """

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="expiry_reminders",
        verbose_name=_("agreement"),
    )
    valid_until = models.DateField(_("end date reminded of"))
    days_before = models.PositiveSmallIntegerField(_("days before the end"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "valid_until", "days_before"], name="expiry_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.agreement.reference}: {self.days_before}"
