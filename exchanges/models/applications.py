"""Applications to programs and their attachments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimestampedModel
from core.roles import is_international_office
from core.uploads import GeneratedUploadName, validate_document_upload
from exchanges.models.programs import ALREADY_APPLIED, Program
from partners.models import (
    ArchivableQuerySet,
    Department,
)
from people.choices import Category


class ApplicationQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=Application.LIVE_STATUSES)

    def awaiting_decision(self):
        return self.filter(status=Application.Status.SUBMITTED)

    def submitted(self):
        """Applications that were once submitted: drafts, even withdrawn ones, stay private."""
        return self.exclude(status=Application.Status.DRAFT).filter(submitted_at__isnull=False)

    def for_reviewer(self, user):
        """What a reviewer may read: submitted applications (and their files), all of them for
        the international office, their departments' for a coordinator.

        A withdrawn application stays visible if it was submitted first: it was in the queue, and
        its reviewers should see why it left. A draft withdrawn unsubmitted never reached them.
        Archived ones are out of the queue for everybody: the office finds them in the admin.
        """
        applications = self.submitted().filter(is_archived=False)
        if is_international_office(user):
            return applications
        return applications.filter(program__department__coordinators=user)


class Application(TimestampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # A person may hold one live application per program; rejected or withdrawn ones do not count.
    LIVE_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.APPROVED)

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="applications", verbose_name=_("program")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("department"),
        help_text=_("The applicant's own department."),
    )
    motivation = models.TextField(_("motivation"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_applications",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    # db_default too, so that rows written without the column (bulk COPY) are not archived.
    is_archived = models.BooleanField(
        _("archived"),
        default=False,
        db_default=False,
        help_text=_(
            "Archived applications leave the review queue; the applicant still sees them, "
            "read-only."
        ),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(
                fields=["status", "-submitted_at", "-created_at"], name="application_queue_order"
            ),
            # A coordinator's queue (their dashboard, the review list): the awaiting applications
            # of each of their departments' programs, without reading the decided ones.
            models.Index(
                fields=["program", "submitted_at"],
                condition=Q(status="submitted", is_archived=False),
                name="application_awaiting",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "program"],
                condition=Q(status__in=["draft", "submitted", "approved"]),
                name="one_live_application_per_program",
                violation_error_message=ALREADY_APPLIED,
            ),
            models.CheckConstraint(
                condition=Q(status__in=["approved", "rejected"], decided_at__isnull=False)
                | ~Q(status__in=["approved", "rejected"]),
                name="application_decision_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.applicant} → {self.program}"

    def get_absolute_url(self):
        return reverse("exchanges:application-detail", kwargs={"pk": self.pk})

    @property
    def can_be_changed(self) -> bool:
        """Only a draft, and not once the office archived it (it is read-only from then on)."""
        return self.status == self.Status.DRAFT and not self.is_archived

    @property
    def can_be_withdrawn(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SUBMITTED) and not self.is_archived

    @property
    def can_be_decided(self) -> bool:
        return self.status == self.Status.SUBMITTED and not self.is_archived

    def files_accessible_to(self, user) -> bool:
        """The applicant; a reviewer of it (the office included) once it was submitted."""
        if not user.is_authenticated:
            return False
        if self.applicant_id == user.pk:
            return True
        return Application.objects.for_reviewer(user).filter(pk=self.pk).exists()


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("application"),
    )
    file = models.FileField(
        _("file"),
        upload_to=GeneratedUploadName("application-attachments"),
        validators=[validate_document_upload],
    )
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    is_archived = models.BooleanField(
        _("archived"),
        default=False,
        db_default=False,
        help_text=_("Archived files are kept but no longer shown or offered for download."),
    )

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name or self.file.name

    def may_be_downloaded_by(self, user) -> bool:
        """Whoever may read the application's files; an archived file only the office."""
        if self.is_archived and not is_international_office(user):
            return False
        return self.application.files_accessible_to(user)


# The one rule for which mobility records the figures count: not cancelled, not archived.
# MobilityRecord.objects.counted() applies it; it is a Q as well because the partial indexes those
# counts read must have this very expression as their condition, or PostgreSQL will not use them.
