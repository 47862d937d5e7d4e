"""Participants per active agreement: the one figure read agreement by agreement."""

import datetime

from django.db.models import F, Q, Value
from django.utils import timezone

from core.countries import country_names
from core.languages import in_active_language_sql
from exchanges.models import MobilityRecord
from partners.models import Agreement
from reporting import summary
from reporting.joins import left_join, participants
from reporting.rows import AgreementRow


def agreement_rows(
    first: datetime.date,
    last: datetime.date,
    previous_first: datetime.date,
    ids: list[int] | None,
    *,
    year: int,
    period: str,
) -> list[AgreementRow]:
    """Active agreements on the period's last day (today for the running period), one query.

    The counts are grouped once by agreement and joined to the active agreements after grouping,
    never the records joined to the agreement rows (that would carry every record through the
    join) nor counted agreement by agreement (thousands of index lookups). The whole
    university's come from the summary (reporting.summary.agreement_counts): since it was signed
    is all of an agreement's records less those of later years. A report narrowed to departments
    counts their records.
    """
    on = min(last, timezone.localdate())
    agreements = Agreement.objects.active(on=on)
    if ids is None:
        counted = summary.agreement_counts(year, period, agreements)
    else:
        with_department_records = MobilityRecord.objects.filter(
            department_id__in=ids, agreement__isnull=False
        ).values("agreement_id")
        agreements = agreements.filter(Q(department_id__in=ids) | Q(pk__in=with_department_records))
        counted = _department_counts(first, last, previous_first, ids)
    agreements = agreements.order_by().values(
        agreement_key=F("pk"),
        agreement_reference=F("reference"),
        agreement_signed_on=F("signed_on"),
        partner_name=in_active_language_sql("partner__name"),
        partner_country=F("partner__country"),
    )
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
            since_signed=(row["all_count"] or 0) - (row["later_count"] or 0),
        )
        for row in found
    ]
    return sorted(rows, key=lambda row: (-row.current, -row.since_signed, row.reference))


def _department_counts(first, last, previous_first, ids: list[int]):
    """The departments' counted records per agreement, grouped once."""
    return (
        MobilityRecord.objects.counted()
        .filter(start_date__lte=last, department_id__in=ids, agreement__isnull=False)
        .order_by()
        .values(counted_agreement=F("agreement_id"))
        .annotate(
            current_count=participants(Q(start_date__gte=first)),
            previous_count=participants(Q(start_date__gte=previous_first, start_date__lt=first)),
            all_count=participants(),
            later_count=Value(0),
        )
    )


def _as_date(value, field) -> datetime.date | None:
    """A raw cursor leaves SQLite's dates as text; the field's own converter makes them dates."""
    if value is None or isinstance(value, datetime.date):
        return value
    return field.to_python(value)
