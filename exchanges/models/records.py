"""Mobility records: the facts the annual report counts, one person, one stay, one direction."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear, Upper
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.models import TimestampedModel
from core.periods import academic_year_bounds, academic_year_expression, inclusive_days
from core.roles import is_international_office
from core.uploads import GeneratedUploadName, validate_document_upload
from exchanges.choices import MobilityStatus, ProgramDirection, Purpose
from exchanges.models.applications import Application
from exchanges.models.programs import Program
from partners.choices import Direction, MobilityType
from partners.models import (
    Agreement,
    AgreementQuota,
    ArchivableQuerySet,
    Department,
    Partner,
)
from people.choices import Category

COUNTED_RECORDS = ~Q(status=MobilityStatus.CANCELLED) & Q(is_archived=False)

# Archived records that would count otherwise; the partial index record_archived_start has this
# condition, so the report's count of them reads a near-empty index.
ARCHIVED_FROM_COUNT = Q(is_archived=True) & ~Q(status=MobilityStatus.CANCELLED)


class MobilityRecordQuerySet(models.QuerySet):
    def counted(self):
        """What the reports count: everything that was neither cancelled nor archived."""
        return self.filter(COUNTED_RECORDS)

    def archived_from_count(self):
        """Archived records that would count otherwise: what the report says it left out."""
        return self.filter(ARCHIVED_FROM_COUNT)

    def starting_between(self, first: datetime.date, last: datetime.date):
        return self.filter(start_date__gte=first, start_date__lte=last)

    # --- Figures that partners' pages show (the partner and agreement pages live here) ---------

    def count_per(self, field: str) -> Coalesce:
        """These records per row of the outer query that `field` points to, 0 without any.

        A correlated subquery rather than Count() over a join: it does not multiply other
        counts annotated beside it, and costs the rows shown rather than the whole table.
        """
        per_row = (
            self.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(per_row, output_field=models.IntegerField()), 0)

    def yearly_counts_for(self, partner: Partner, since: datetime.date | None = None):
        """Counted records with the partner per calendar year of the start and direction: rows of
        year, direction, n and since (those that started on `since` or later; 0 without it).

        One grouped query for both: the partner's records are read from their covering index.
        """
        since_count = Count("pk", filter=Q(start_date__gte=since)) if since else models.Value(0)
        return (
            self.counted()
            .filter(partner=partner)
            .order_by()
            .values("direction", year=ExtractYear("start_date"))
            .annotate(n=Count("pk"), since=since_count)
        )

    def counting_against(self, quota: AgreementQuota):
        """Records (approved applications included) that use the quota's places: counted ones
        of its agreement, mobility type and direction that start in its academic year."""
        first, last = academic_year_bounds(quota.academic_year)
        return (
            self.counted()
            .filter(
                agreement_id=quota.agreement_id,
                mobility_type=quota.mobility_type,
                direction=quota.direction,
            )
            .starting_between(first, last)
        )

    def quotas_with_usage(self, agreement: Agreement) -> list[AgreementQuota]:
        """The agreement's quotas, each with `used` and `left` set, from one grouped count.

        Same rule as counting_against(), without a query per quota.
        """
        used = {
            (row["mobility_type"], row["direction"], row["academic_year"]): row["n"]
            for row in self.counted()
            .filter(agreement=agreement)
            .order_by()
            .values("mobility_type", "direction", academic_year=academic_year_expression())
            .annotate(n=Count("pk"))
        }
        quotas = list(agreement.quotas.all())
        for quota in quotas:
            quota.used = used.get((quota.mobility_type, quota.direction, quota.academic_year), 0)
            quota.left = max(quota.places - quota.used, 0)
        return quotas


class MobilityRecord(TimestampedModel):
    Status = MobilityStatus

    class Funding(models.TextChoices):
        HOST = "host", _("Host institution")
        HOME = "home", _("Our university")
        ERASMUS = "erasmus", _("Erasmus+")
        DAAD = "daad", _("DAAD")
        GRANT = "grant", _("Research grant")
        SELF = "self", _("Self-funded")
        OTHER = "other", _("Other")

    full_name = models.CharField(_("full name"), max_length=200)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mobility_records",
        verbose_name=_("portal account"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mobility_records",
        verbose_name=_("department"),
        help_text=_("Our department: the traveller's own, or the host of an incoming visitor."),
    )
    home_institution = models.CharField(
        _("home institution"),
        max_length=255,
        blank=True,
        help_text=_("For incoming participants: where they come from."),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mobility_records",
        verbose_name=_("partner institution"),
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mobility_records",
        verbose_name=_("program"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mobility_records",
        verbose_name=_("agreement"),
    )
    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mobility_record",
        verbose_name=_("application"),
    )
    mobility_type = models.CharField(
        _("mobility type"), max_length=30, choices=MobilityType.choices, blank=True
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    country = CountryField(
        _("country"), help_text=_("Where the mobility takes place or comes from.")
    )
    funding = models.CharField(
        _("funding"), max_length=20, choices=Funding.choices, default=Funding.HOST
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    report_activities = models.TextField(_("what was done"), blank=True)
    report_outcomes = models.TextField(_("outcomes"), blank=True)
    report_submitted_at = models.DateTimeField(_("report submitted at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # db_default too: the bulk data generator writes records with COPY, without this column.
    is_archived = models.BooleanField(
        _("archived"),
        default=False,
        db_default=False,
        help_text=_("Archived records are kept, with their history, but no longer counted."),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = MobilityRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "full_name"]
        verbose_name = _("mobility record")
        verbose_name_plural = _("mobility records")
        # Covering indexes (PostgreSQL serves the yearly figures and the partner and agreement
        # pages from the index alone; other databases ignore `include`), measured in bench/.
        indexes = [
            models.Index(fields=["start_date", "status"]),
            models.Index(
                fields=["start_date"],
                include=[
                    "status",
                    "end_date",
                    "direction",
                    "category",
                    "purpose",
                    "country",
                    "department",
                    "partner",
                    "program",
                    "agreement",
                    "id",
                    "is_archived",
                ],
                name="record_year_cover",
            ),
            models.Index(
                fields=["partner", "start_date"],
                include=["direction", "status", "id", "is_archived"],
                name="record_partner_start_cover",
            ),
            models.Index(
                fields=["agreement", "start_date"],
                include=["status", "id", "is_archived"],
                name="record_agreement_start_cover",
            ),
            models.Index(
                fields=["program"],
                include=["id"],
                condition=COUNTED_RECORDS,
                name="record_counted_program",
            ),
            models.Index(
                fields=["partner"],
                include=["id"],
                condition=COUNTED_RECORDS,
                name="record_counted_partner",
            ),
            models.Index(fields=["department", "start_date"]),
            # The annual report's counts (exchanges/reports.py), each read from the index alone:
            # participants per year and direction (the trend, the reports index), per partner and
            # per department, and per agreement since it was signed. Narrow and partial, so that
            # equal entries fold together and records that do not count are left out. Their
            # conditions are COUNTED_RECORDS itself, so that the planner sees the query's filter
            # imply them.
            models.Index(
                fields=["start_date", "direction"],
                condition=COUNTED_RECORDS,
                name="record_counted_start_direction",
            ),
            models.Index(
                fields=["start_date", "direction", "partner", "department"],
                condition=COUNTED_RECORDS,
                name="record_counted_by_partner_dept",
            ),
            models.Index(
                fields=["agreement", "start_date", "department"],
                condition=COUNTED_RECORDS & Q(agreement__isnull=False),
                name="record_counted_agreement",
            ),
            # A department's report lists the agreements its records were under.
            models.Index(fields=["department", "agreement"], name="record_department_agreement"),
            # An import finds the records already there by the traveller's name and start date
            # (exchanges.resources.RecordMatcher; find_existing's iexact is UPPER() = UPPER()).
            models.Index(Upper("full_name"), "start_date", name="record_name_start"),
            # The report says how many records of the period were archived: a few at most.
            models.Index(
                fields=["start_date", "department"],
                condition=ARCHIVED_FROM_COUNT,
                name="record_archived_start",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="mobility_record_end_not_before_start",
            ),
        ]

    def __str__(self):
        # The admin shows this (list, titles, history): the date as the reader's language writes
        # dates everywhere else, not ISO beside them.
        return f"{self.full_name}, {formats.date_format(self.start_date)}"

    @classmethod
    def create_planned_for(
        cls,
        application: Application,
        program: Program,
        *,
        on: datetime.date | None = None,
        notes: str = "",
    ) -> "MobilityRecord":
        """The planned mobility an approved application turns into, created.

        The one rule for approval and the demo alike: the applicant goes the program's way
        (outgoing when it runs both ways) to its host, or else to its agreement's partner, in the
        host's country; a program without dates starts on the day of approval (`on`).
        """
        applicant = application.applicant
        start = program.starts_on or on or timezone.localdate()
        end = max(program.ends_on or start, start)
        host = program.host_institution or (
            program.agreement.partner if program.agreement else None
        )
        return cls.objects.create(
            full_name=applicant.get_full_name() or applicant.get_username(),
            person=applicant,
            category=application.category,
            direction=(
                Direction.OUTGOING
                if program.direction == ProgramDirection.BOTH
                else Direction(program.direction)
            ),
            department=application.department or program.department,
            partner=host,
            program=program,
            agreement=program.agreement,
            mobility_type=program.mobility_type,
            purpose=program.purpose,
            start_date=start,
            end_date=end,
            country=host.country if host else "",
            status=cls.Status.PLANNED,
            application=application,
            notes=notes,
        )

    @property
    def duration_days(self) -> int:
        """Both the first and the last day count: a stay from Monday to Friday is five days."""
        return inclusive_days(self.start_date, self.end_date)

    def has_ended(self, on: datetime.date | None = None) -> bool:
        """Over, so that its traveller may report back: completed, or past its last day; a
        cancelled mobility never ends."""
        if self.status == self.Status.CANCELLED:
            return False
        on = on or timezone.localdate()
        return self.status == self.Status.COMPLETED or self.end_date <= on

    @property
    def has_report(self) -> bool:
        return self.report_submitted_at is not None


class MobilityReportAttachment(models.Model):
    record = models.ForeignKey(
        MobilityRecord,
        on_delete=models.CASCADE,
        related_name="report_attachments",
        verbose_name=_("mobility record"),
    )
    file = models.FileField(
        _("file"),
        upload_to=GeneratedUploadName("report-attachments"),
        validators=[validate_document_upload],
    )
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
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
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")

    def __str__(self):
        return self.original_name or self.file.name

    def may_be_downloaded_by(self, user) -> bool:
        """A report of an application goes with the application's files; a record without one
        (entered by the office) is the traveller's and the office's. An archived file only the
        office may still fetch."""
        if not user.is_authenticated:
            return False
        office = is_international_office(user)
        if self.is_archived and not office:
            return False
        application = self.record.application
        if application is not None:
            return application.files_accessible_to(user)
        return office or self.record.person_id == user.pk
