"""Partners, departments, agreements and their quotas in and out of spreadsheets (issue 15).

Each resource's columns are named as the model's fields, so an export edited and imported again
is a round trip. Rows are found by their natural key: a partner by its Erasmus code, else by one
of its name forms in the same country; an agreement by its reference; a department by its name;
a quota by its agreement, year, mobility type and direction.
"""

from django.utils.text import slugify

from core.imports import widgets
from core.imports.resources import ImportResource, column
from partners.choices import Direction, MobilityType
from partners.models import Agreement, AgreementQuota, Department, EQFLevel, Partner

PARTNER_NAME_FIELDS = ("name", "name_original", "name_ru", "name_be", "acronym")


class PartnerWidget(widgets.NaturalKeyWidget):
    """A partner by its Erasmus code or any of its name forms."""

    def __init__(self, **kwargs):
        super().__init__(Partner, ("erasmus_code", *PARTNER_NAME_FIELDS), render_field="name")


class PartnerResource(ImportResource):
    name = column("name")
    name_original = column("name_original")
    name_ru = column("name_ru")
    name_be = column("name_be")
    acronym = column("acronym")
    kind = column("kind", widgets.ChoiceWidget(Partner.Kind.choices))
    country = column("country", widgets.CountryWidget())
    city = column("city")
    website = column("website")
    erasmus_code = column("erasmus_code")
    description = column("description")
    is_active = column("is_active", widgets.BooleanWidget(default=True))

    natural_key_columns = ("erasmus_code", "name", "country")
    required_columns = ("name", "kind", "country")
    example_row = {
        "name": "Medical University of Bialystok",
        "name_original": "Uniwersytet Medyczny w Białymstoku",
        "acronym": "UMB",
        "kind": "medical_university",
        "country": "Poland",
        "city": "Białystok",
        "erasmus_code": "PL BIALYST02",
    }

    class Meta(ImportResource.Meta):
        model = Partner
        fields = [
            "name", "name_original", "name_ru", "name_be", "acronym", "kind", "country", "city",
            "website", "erasmus_code", "description", "is_active",
        ]  # fmt: skip

    def find_existing(self, row):
        code = self.clean_cell(row, "erasmus_code")
        if code:
            found = Partner.objects.filter(erasmus_code__iexact=code).first()
            if found:
                return found
        country = self.clean_cell(row, "country")
        names = {widgets.fold(row.get(field) or "") for field in ("name", "name_original")} - {""}
        if not country or not names:
            return None
        for partner in Partner.objects.filter(country=country).only("pk", *PARTNER_NAME_FIELDS):
            forms = {widgets.fold(getattr(partner, field)) for field in PARTNER_NAME_FIELDS}
            if names & forms:
                return Partner.objects.get(pk=partner.pk)
        return None

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            if not instance.slug:
                instance.slug = unique_slug(instance.name or "partner")


def unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "partner"
    slug, n = base, 1
    while Partner.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class DepartmentResource(ImportResource):
    name = column("name")
    faculty = column("faculty")
    email = column("email")

    natural_key_columns = ("name",)
    required_columns = ("name",)
    example_row = {"name": "Department of Infectious Diseases", "faculty": "Faculty of Medicine"}

    class Meta(ImportResource.Meta):
        model = Department
        fields = ["name", "faculty", "email"]

    def find_existing(self, row):
        name = widgets.fold(row.get("name") or "")
        if not name:
            return None
        for department in Department.objects.all():
            if widgets.fold(department.name) == name:
                return department
        return None


def department_column(name="department"):
    return column(
        name, widgets.NaturalKeyWidget(Department, ("name",)), attribute=name.replace("-", "_")
    )


class AgreementResource(ImportResource):
    reference = column("reference")
    title = column("title")
    partner = column("partner", PartnerWidget())
    kind = column("kind", widgets.ChoiceWidget(Agreement.Kind.choices))
    lifecycle = column("lifecycle", widgets.ChoiceWidget(Agreement.Lifecycle.choices))
    signed_on = column("signed_on", widgets.DateWidget())
    valid_from = column("valid_from", widgets.DateWidget())
    valid_until = column("valid_until", widgets.DateWidget())
    auto_renewal = column("auto_renewal", widgets.BooleanWidget())
    department = department_column()
    eqf_level = column("eqf_level", widgets.ChoiceWidget(EQFLevel.choices))
    scope = column("scope")
    notes = column("notes")

    natural_key_columns = ("reference",)
    required_columns = ("reference", "title", "partner", "kind")
    example_row = {
        "reference": "2024/15",
        "title": "Agreement on academic cooperation",
        "partner": "PL BIALYST02",
        "kind": "academic_scientific",
        "lifecycle": "signed",
        "signed_on": "15.03.2024",
        "valid_from": "15.03.2024",
        "valid_until": "14.03.2029",
    }

    class Meta(ImportResource.Meta):
        model = Agreement
        fields = [
            "reference", "title", "partner", "kind", "lifecycle", "signed_on", "valid_from",
            "valid_until", "auto_renewal", "department", "eqf_level", "scope", "notes",
        ]  # fmt: skip

    def find_existing(self, row):
        reference = self.clean_cell(row, "reference")
        return Agreement.objects.filter(reference=reference).first() if reference else None


class AgreementQuotaResource(ImportResource):
    agreement = column("agreement", widgets.NaturalKeyWidget(Agreement, ("reference",)))
    academic_year = column("academic_year", widgets.IntegerWidget())
    mobility_type = column("mobility_type", widgets.ChoiceWidget(MobilityType.choices))
    direction = column("direction", widgets.ChoiceWidget(Direction.choices))
    places = column("places", widgets.IntegerWidget())
    total_days = column("total_days", widgets.IntegerWidget())

    natural_key_columns = ("agreement", "academic_year", "mobility_type", "direction")
    required_columns = ("agreement", "academic_year", "mobility_type", "direction", "places")
    example_row = {
        "agreement": "2024/15",
        "academic_year": "2025",
        "mobility_type": "HE-STA",
        "direction": "outgoing",
        "places": "2",
    }

    class Meta(ImportResource.Meta):
        model = AgreementQuota
        fields = [
            "agreement",
            "academic_year",
            "mobility_type",
            "direction",
            "places",
            "total_days",
        ]

    def find_existing(self, row):
        key = {column: self.clean_cell(row, column) for column in self.natural_key_columns}
        if not all(key.values()):
            return None
        return AgreementQuota.objects.filter(**key).first()
