"""Mobility records in and out of spreadsheets (issue 15).

A record is found by its person (by e-mail) or else its full name, with its start date and its
partner or else its country: the same file imported twice changes nothing.
"""

from django.db.models import Q

from core.imports import widgets
from core.imports.resources import ImportResource, column
from exchanges.choices import Purpose
from exchanges.models import MobilityRecord
from partners.choices import Direction, MobilityType
from partners.models import Agreement
from partners.resources import PartnerWidget, department_column
from people.choices import Category
from people.resources import PersonWidget


class MobilityRecordResource(ImportResource):
    full_name = column("full_name")
    person = column("person", PersonWidget())
    category = column("category", widgets.ChoiceWidget(Category.choices))
    direction = column("direction", widgets.ChoiceWidget(Direction.choices))
    department = department_column()
    home_institution = column("home_institution")
    partner = column("partner", PartnerWidget())
    agreement = column("agreement", widgets.NaturalKeyWidget(Agreement, ("reference",)))
    mobility_type = column("mobility_type", widgets.ChoiceWidget(MobilityType.choices))
    purpose = column("purpose", widgets.ChoiceWidget(Purpose.choices))
    start_date = column("start_date", widgets.DateWidget())
    end_date = column("end_date", widgets.DateWidget())
    country = column("country", widgets.CountryWidget())
    funding = column("funding", widgets.ChoiceWidget(MobilityRecord.Funding.choices))
    status = column("status", widgets.ChoiceWidget(MobilityRecord.Status.choices))
    notes = column("notes")

    natural_key_columns = ("person", "full_name", "start_date", "partner", "country")
    required_columns = (
        "full_name", "category", "direction", "purpose", "start_date", "end_date", "country",
    )  # fmt: skip
    example_row = {
        "full_name": "Anna Ivanova",
        "category": "academic_staff",
        "direction": "outgoing",
        "partner": "PL BIALYST02",
        "purpose": "teaching",
        "start_date": "03.02.2019",
        "end_date": "14.02.2019",
        "country": "Poland",
        "status": "completed",
    }

    class Meta(ImportResource.Meta):
        model = MobilityRecord
        fields = [
            "full_name", "person", "category", "direction", "department", "home_institution",
            "partner", "agreement", "mobility_type", "purpose", "start_date", "end_date",
            "country", "funding", "status", "notes",
        ]  # fmt: skip

    def find_existing(self, row):
        start = self.clean_cell(row, "start_date")
        if start is None:
            return None
        person = self.clean_cell(row, "person")
        full_name = (row.get("full_name") or "").strip()
        if person:
            who = Q(person=person)
        elif full_name:
            who = Q(full_name__iexact=full_name)
        else:
            return None
        partner = self.clean_cell(row, "partner")
        country = self.clean_cell(row, "country")
        if partner:
            where = Q(partner=partner)
        elif country:
            where = Q(country=country)
        else:
            return None
        return MobilityRecord.objects.filter(who & where, start_date=start).first()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # A row that names the account but not the name takes the account's name.
        if not instance.full_name and instance.person_id:
            instance.full_name = instance.person.get_full_name() or instance.person.username
