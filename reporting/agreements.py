"""Participants per active agreement: the one figure read agreement by agreement."""

import datetime

from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from core.countries import country_names
from core.languages import in_active_language_sql
from exchanges.models import MobilityRecord
from partners.models import Agreement
from reporting.joins import left_join, left_join_lateral, participants
from reporting.rows import AgreementRow


def agreement_rows(
    first: datetime.date,
    last: datetime.date,
    previous_first: datetime.date,
    ids: list[int] | None,
) -> list[AgreementRow]:
    """Active agreements on the period's last day (today for the running period), one query.

    Each agreement's records are counted on their own, never joined to the agreement's row: that
    would carry every record's row through the join. PostgreSQL counts them agreement by agreement
    (a LATERAL join: one range of the index on agreement and start date each, only for the active
    agreements); other databases count the records of all agreements grouped by agreement and join
    the counts to the active ones.
    """
    on = min(last, timezone.localdate())
    agreements = Agreement.objects.active(on=on)
    records = MobilityRecord.objects.counted().filter(start_date__lte=last)
    if ids is not None:
        records = records.filter(department_id__in=ids)
        with_department_records = MobilityRecord.objects.filter(
            department_id__in=ids, agreement__isnull=False
        ).values("agreement_id")
        agreements = agreements.filter(Q(department_id__in=ids) | Q(pk__in=with_department_records))
    agreements = agreements.order_by().values(
        agreement_key=F("pk"),
        agreement_reference=F("reference"),
        agreement_signed_on=F("signed_on"),
        partner_name=in_active_language_sql("partner__name"),
        partner_country=F("partner__country"),
    )
    counts = {
        "current_count": participants(Q(start_date__gte=first)),
        "previous_count": participants(Q(start_date__gte=previous_first, start_date__lt=first)),
        "since_signed_count": participants(),
    }
    records = records.order_by().values(counted_agreement=F("agreement_id"))
    if connection.vendor == "postgresql":
        found = left_join_lateral(agreements, "agreement_key", records, "agreement_id", counts)
    else:
        active = Agreement.objects.active(on=on).values("pk")
        counted = records.filter(agreement__in=active).annotate(**counts)
        found = left_join(agreements, "agreement_key", counted, "counted_agreement")
    signed_on_field = Agreement._meta.get_field("signed_on")
    country_name = country_names()
    rows = [
        AgreementRow(
            pk=row["agreement_key"],
            reference=row["agreement_reference"],
            partner=row["partner_name"],
            country=country_name.get(row["partner_country"], ""),
            signed_on=_as_date(row["agreement_signed_on"], signed_on_field),
            current=row["current_count"] or 0,
            previous=row["previous_count"] or 0,
            since_signed=row["since_signed_count"] or 0,
        )
        for row in found
    ]
    return sorted(rows, key=lambda row: (-row.current, -row.since_signed, row.reference))


def _as_date(value, field) -> datetime.date | None:
    """A raw cursor leaves SQLite's dates as text; the field's own converter makes them dates."""
    if value is None or isinstance(value, datetime.date):
        return value
    return field.to_python(value)
