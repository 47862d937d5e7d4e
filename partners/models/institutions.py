"""Partner institutions, their contacts, our own departments and the fields of study."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.languages import in_active_language
from core.models import TimestampedModel
from core.search import fold_for_search, search_words


class SubjectArea(models.Model):
    """A field of education and training as an ISCED-F 2013 code, as Erasmus Without Paper uses."""

    isced_code = models.CharField(_("ISCED-F code"), max_length=4, unique=True)
    name = models.CharField(pgettext_lazy("subject area", "name"), max_length=200)

    class Meta:
        ordering = ["isced_code"]
        verbose_name = _("subject area")
        verbose_name_plural = _("subject areas")
        constraints = [
            models.CheckConstraint(
                condition=Q(isced_code__regex=r"^[0-9]{2,4}$"),
                name="subject_area_isced_code_digits",
            )
        ]

    def __str__(self):
        return f"{self.isced_code} {self.name}"


class EQFLevel(models.IntegerChoices):
    """European Qualifications Framework levels used in higher education."""

    SHORT_CYCLE = 5, _("EQF 5: short cycle")
    BACHELOR = 6, _("EQF 6: bachelor or equivalent")
    MASTER = 7, _("EQF 7: master, specialist or equivalent")
    DOCTORAL = 8, _("EQF 8: doctoral")


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_active_agreements(self, on: datetime.date | None = None):
        from partners.models.agreements import Agreement  # agreements build on partners

        return self.filter(
            pk__in=Agreement.objects.active(on=on).values("partner_id"),
        )

    def annotate_active_agreement_count(self, on: datetime.date | None = None):
        """Agreements in force on that day, as a correlated subquery: unlike Count() over a
        join it does not multiply, nor get multiplied by, other counts annotated beside it."""
        from partners.models.agreements import Agreement  # agreements build on partners

        agreements = (
            Agreement.objects.active(on)
            .filter(partner=models.OuterRef("pk"))
            .order_by()
            .values("partner")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            active_agreement_count=Coalesce(
                models.Subquery(agreements, output_field=models.IntegerField()), 0
            )
        )

    def annotate_first_signed(self):
        """`first_signed`: the day the partner's first agreement was signed (None if none was)."""
        from partners.models.agreements import Agreement  # agreements build on partners

        first = (
            Agreement.objects.filter(partner=models.OuterRef("pk"))
            .order_by()
            .values("partner")
            .annotate(first=models.Min("signed_on"))
            .values("first")
        )
        return self.annotate(first_signed=models.Subquery(first))

    def search(self, query: str):
        """Partners where every word of the query is found in one of their searched fields,
        whatever the case and accents (see core/search.py).

        The column and the words are folded alike, so a plain `contains` (LIKE) is exact; unlike
        `icontains` it leaves the column unwrapped, so PostgreSQL's trigram index serves it.
        """
        partners = self
        for word in search_words(query):
            partners = partners.filter(search_text__contains=word)
        return partners

    def refresh_search_text(self, *, batch_size: int = 500) -> int:
        """Recompute `search_text` after writes that bypass save() (COPY, bulk_create, update()):
        one UPDATE per batch. Returns the number of partners refreshed."""
        partners = [
            Partner(pk=pk, search_text=Partner.fold_search_sources(values))
            for pk, *values in self.order_by().values_list("pk", *Partner.SEARCHED_FIELDS)
        ]
        Partner.objects.bulk_update(partners, ["search_text"], batch_size=batch_size)
        return len(partners)


class Partner(TimestampedModel):
    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        MEDICAL_UNIVERSITY = "medical_university", _("Medical university")
        HEALTH_INSTITUTION = "health_institution", _("Health institution")
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        ORGANIZATION = "organization", _("Organization or association")
        FUNDING_AGENCY = "funding_agency", _("Funding agency")

    name = models.CharField(_("name (English)"), max_length=255)
    name_original = models.CharField(_("name in the original language"), max_length=255, blank=True)
    # Plain fields, one per language (see core/languages.py for why); blank where not known.
    # A default too, so that bulk writers that leave them out still write an empty string.
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True, default="")
    name_be = models.CharField(_("name (Belarusian)"), max_length=255, blank=True, default="")
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    country = CountryField(_("country"), db_index=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    erasmus_code = models.CharField(
        _("Erasmus code"),
        max_length=20,
        blank=True,
        help_text=_("Erasmus institution code, e.g. PL BIALYST02, where the partner has one."),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(
        pgettext_lazy("partner", "active"),
        default=True,
        help_text=_("Archived partners stay in the records and reports but are hidden from lists."),
    )
    # Derived from SEARCHED_FIELDS, folded (core/search.py): written by save() and by
    # refresh_search_text() on bulk paths that bypass it.
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)

    # What search looks in. A name form added later goes here; a data migration then refreshes
    # search_text (as 0009_partner_name_forms did for the Russian and Belarusian names).
    SEARCHED_FIELDS = (
        "name",
        "name_original",
        "name_ru",
        "name_be",
        "acronym",
        "city",
        "erasmus_code",
    )

    # search_text is derived: a change of name is history, its folded copy is not.
    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")
        indexes = [models.Index(fields=["name"]), models.Index(fields=["country", "name"])]

    def __str__(self):
        # English whatever the language: logs, the audit trail and admin choices stay stable.
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language, falling back be -> ru -> en, ru -> en."""
        return in_active_language(self, "name")

    def get_absolute_url(self):
        return reverse("partners:partner-detail", kwargs={"slug": self.slug})

    @staticmethod
    def fold_search_sources(values) -> str:
        return fold_for_search(" ".join(value or "" for value in values))

    def folded_search_text(self) -> str:
        return self.fold_search_sources(getattr(self, field) for field in self.SEARCHED_FIELDS)

    def save(self, *args, **kwargs):
        # Derived data, not a rule: the folded copy is written with the fields it comes from,
        # also by save(update_fields=[...]), in the same statement.
        self.search_text = self.folded_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class Contact(models.Model):
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


class DepartmentQuerySet(models.QuerySet):
    def coordinated_by(self, user):
        return self.filter(coordinators=user)


class Department(models.Model):
    """A department of our own university, e.g. the Department of Infectious Diseases."""

    name = models.CharField(pgettext_lazy("department", "name"), max_length=255, unique=True)
    faculty = models.CharField(_("faculty"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_departments",
        verbose_name=_("coordinators"),
        help_text=_("People who decide on applications to this department's programs."),
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name
