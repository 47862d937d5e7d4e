"""Exchange programs: who may apply, when, and how many places they have."""

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.languages import in_active_language
from core.models import TimestampedModel
from exchanges.choices import CallStatus, ProgramDirection, ProgramKind, Purpose
from partners.choices import MobilityType
from partners.models import (
    Agreement,
    Department,
    EQFLevel,
    Partner,
    SubjectArea,
)
from people.choices import Category

if TYPE_CHECKING:
    from exchanges.models.applications import Application
    from people.models import Profile

ALREADY_APPLIED = _("You already have an application to this program.")
REPORT_BEFORE_THE_END = _("The report can be written once the mobility has ended.")
# The refusal that comes from who the applicant is (their profile), not from the program's state.
CATEGORY_REFUSAL = _("This program is not open to your category of participants.")


class ProgramQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, is_archived=False)

    def ever_published(self):
        """Published ones and those archived since: a link to one keeps working (read-only)."""
        return self.filter(is_published=True)

    def call_open(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(call_opens__lte=on, call_closes__gte=on)

    def eligible_for(self, category: str):
        return self.filter(**{Program.eligibility_field(category): True})

    def annotate_places_taken(self):
        # A correlated count per program shown, rather than a join and GROUP BY over every
        # record before the page is cut: it costs the rows on the page, not the whole table.
        from exchanges.models.records import MobilityRecord  # records build on programs

        taken = (
            MobilityRecord.objects.counted()
            .filter(program=OuterRef("pk"))
            .order_by()
            .values("program")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(places_taken_count=Coalesce(Subquery(taken), 0))


class Program(TimestampedModel):
    Kind = ProgramKind

    title = models.CharField(_("title"), max_length=255)
    # Plain fields, one per language (see core/languages.py for why); blank where not written.
    title_ru = models.CharField(_("title (Russian)"), max_length=255, blank=True, default="")
    title_be = models.CharField(_("title (Belarusian)"), max_length=255, blank=True, default="")
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    mobility_type = models.CharField(
        _("mobility type"),
        max_length=30,
        choices=MobilityType.choices,
        help_text=_("The quota of the agreement that this program's places count against."),
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("agreement"),
        help_text=_("Empty for programs outside an agreement, such as conference attendance."),
    )
    host_institution = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_programs",
        verbose_name=_("host institution"),
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=ProgramDirection.choices, db_index=True
    )
    eligible_undergraduate = models.BooleanField(_("open to undergraduate students"), default=False)
    eligible_resident = models.BooleanField(_("open to residents and postgraduates"), default=False)
    eligible_phd_student = models.BooleanField(_("open to PhD students"), default=False)
    eligible_young_scientist = models.BooleanField(_("open to young scientists"), default=False)
    eligible_academic_staff = models.BooleanField(_("open to academic staff"), default=False)
    eligible_other_staff = models.BooleanField(_("open to other staff"), default=False)
    places = models.PositiveIntegerField(_("places"), default=1)
    call_opens = models.DateField(_("call opens"), null=True, blank=True)
    call_closes = models.DateField(_("call closes"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("department"),
        help_text=_("Its coordinators decide on the applications."),
    )
    subject_areas = models.ManyToManyField(
        SubjectArea, blank=True, related_name="programs", verbose_name=_("subject areas")
    )
    eqf_level = models.PositiveSmallIntegerField(
        _("EQF level"), choices=EQFLevel.choices, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True, default="")
    description_be = models.TextField(_("description (Belarusian)"), blank=True, default="")
    is_published = models.BooleanField(_("published"), default=False)
    is_archived = models.BooleanField(_("archived"), default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("exchange program")
        verbose_name_plural = _("exchange programs")
        indexes = [models.Index(fields=["is_published", "call_opens", "call_closes"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(call_closes__isnull=True)
                | Q(call_opens__isnull=True)
                | Q(call_closes__gte=F("call_opens")),
                name="program_call_closes_not_before_opens",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="program_ends_not_before_starts",
            ),
            models.CheckConstraint(condition=Q(places__gte=0), name="program_places_not_negative"),
        ]

    def __str__(self):
        # English whatever the language: logs, the audit trail and admin choices stay stable.
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the active language, falling back be -> ru -> en, ru -> en."""
        return in_active_language(self, "title")

    @property
    def display_description(self) -> str:
        """The description in the active language, with the same fallback as the title."""
        return in_active_language(self, "description")

    def get_absolute_url(self):
        return reverse("exchanges:program-detail", kwargs={"slug": self.slug})

    @staticmethod
    def eligibility_field(category: str) -> str:
        if category not in Category.values:
            raise ValueError(f"Unknown participant category: {category!r}")
        return f"eligible_{category}"

    def is_open_to(self, category: str) -> bool:
        return getattr(self, self.eligibility_field(category))

    @property
    def eligible_categories(self) -> list[Category]:
        return [Category(value) for value in Category.values if self.is_open_to(value)]

    def is_call_open(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return bool(
            self.is_published
            and not self.is_archived
            and self.call_opens
            and self.call_closes
            and self.call_opens <= on <= self.call_closes
        )

    def call_status(self, on: datetime.date | None = None) -> CallStatus:
        """The call's state for the lists' status badge; open exactly when is_call_open()."""
        on = on or timezone.localdate()
        if self.is_call_open(on):
            return CallStatus.OPEN
        if not (self.call_opens and self.call_closes):
            return CallStatus.NONE
        return CallStatus.UPCOMING if on < self.call_opens else CallStatus.CLOSED

    def places_taken(self) -> int:
        """Places used by mobility records; uses the annotation when the queryset made one."""
        if hasattr(self, "places_taken_count"):
            return self.places_taken_count
        return self.mobility_records.counted().count()

    def places_left(self) -> int:
        return max(self.places - self.places_taken(), 0)

    def refusal_for(
        self,
        *,
        profile: "Profile | None" = None,
        existing: "Application | None" = None,
        on: datetime.date | None = None,
    ) -> str | None:
        """Why a person may not apply to the program now, or None when they may.

        The one eligibility rule for the pages and the workflows alike: `existing` is the
        person's live application to it, if any; `profile` is who they are (never what a form
        says). Without a profile only a program open to no category at all is refused.
        """
        if existing is not None:
            return str(ALREADY_APPLIED)
        if self.is_archived:
            return gettext("This program is archived: it takes no applications.")
        if not self.is_call_open(on):
            return gettext("The call for applications to this program is not open.")
        if self.places_left() <= 0:
            return gettext("All places of this program are taken.")
        if not self.eligible_categories:
            return gettext("This program does not accept applications from any category.")
        if profile is None:
            return None
        return self.profile_refusal(profile)

    def profile_refusal(self, profile: "Profile") -> str | None:
        """Why the person's profile keeps them from this program, or None: the refusals that a
        link to the profile page may help with."""
        missing = profile.missing_for(self)
        if missing is not None:
            return missing
        if not self.is_open_to(profile.category):
            return str(CATEGORY_REFUSAL)
        return None
