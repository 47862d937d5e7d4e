"""Mobility records in and out of spreadsheets (issue 15).

A record is found by its person (by e-mail) or else its full name, with its start date and its
partner or else its country: the same file imported twice changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from core.imports import widgets
from core.imports.bulk import bulk_import, import_export_result
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
        self.bulk_prepare(instance)

    # --- the bulk path: the command's (core/imports/bulk.py) ---------------------------------

    supports_bulk = True

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """The admin's preview and confirmation in batches too: django-import-export's result,
        from the bulk path's rows."""
        result = bulk_import(
            self,
            dataset,
            dry_run=dry_run,
            file_name=kwargs.get("file_name") or "",
            file_sha256=kwargs.get("file_sha256") or "",
            user=kwargs.get("user"),
            keep_cells=True,
        )
        return import_export_result(result, self)

    def bulk_matcher(self):
        return RecordMatcher()

    def bulk_prepare(self, instance) -> list[str]:
        # A row that names the account but not the name takes the account's name.
        if not instance.full_name and instance.person_id:
            instance.full_name = instance.person.get_full_name() or instance.person.username
            return ["full_name"]
        return []

    def bulk_check(self, instance) -> None:
        if instance.start_date and instance.end_date and instance.end_date < instance.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class RecordMatcher:
    """find_existing() for a batch of rows in one query: the records that share a start date
    and a person or a name with a row of the batch, in a dict keyed by who (the account, else
    the name) and where (the partner, else the country), as find_existing() compares them."""

    def __init__(self):
        self.index: dict[tuple, int] = {}

    @staticmethod
    def keys(person_id, full_name, start, partner_id, country) -> list[tuple]:
        who = [("name", full_name.casefold())]
        if person_id:
            who.append(("person", person_id))
        where = [("country", country)]
        if partner_id:
            where.append(("partner", partner_id))
        return [(w, start, p) for w in who for p in where]

    @staticmethod
    def key_of(values) -> tuple | None:
        start, person = values.get("start_date"), values.get("person")
        partner, country = values.get("partner"), values.get("country")
        full_name = (values.get("full_name") or "").strip()
        if start is None or not (person or full_name) or not (partner or country):
            return None
        who = ("person", person.pk) if person else ("name", full_name.casefold())
        where = ("partner", partner.pk) if partner else ("country", country)
        return (who, start, where)

    def existing_pks(self, rows: list[dict]) -> list[int | None]:
        keys = [self.key_of(values) for values in rows]
        wanted = [key for key in keys if key is not None and key not in self.index]
        if wanted:
            for records in self._candidates(wanted):
                for pk, *fields in records.order_by(*MobilityRecord._meta.ordering, "pk"):
                    for key in self.keys(*fields):
                        self.index.setdefault(key, pk)
        return [self.index.get(key) if key else None for key in keys]

    @staticmethod
    def _candidates(wanted):
        """The records that may match: by person and start date (two indexed columns), and by
        name and start date together, each pair looked up in the index on both
        (record_name_start). Names alone and dates alone match hundreds of thousands of
        records between them: the planner would read both columns' entries and intersect."""
        fields = ("pk", "person_id", "full_name", "start_date", "partner_id", "country")
        records = MobilityRecord.objects.values_list(*fields)
        people = {who[1] for who, _start, _where in wanted if who[0] == "person"}
        if people:
            yield records.filter(
                person__in=people, start_date__in={start for _who, start, _where in wanted}
            )
        pairs = sorted({(who[1].upper(), start) for who, start, _ in wanted if who[0] == "name"})
        if pairs:
            table = connection.ops.quote_name(MobilityRecord._meta.db_table)
            values = ", ".join(["(%s, %s)"] * len(pairs))
            # Only placeholders and the model's own table name are formatted in.
            yield records.filter(
                RawSQL(  # nosec B611
                    f"(UPPER({table}.full_name), {table}.start_date) IN (VALUES {values})",
                    [value for pair in pairs for value in pair],
                    output_field=BooleanField(),
                )
            )

    def remember(self, pk: int, values):
        key = self.key_of(values)
        if key is not None:
            self.index.setdefault(key, pk)
