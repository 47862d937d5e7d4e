"""An archived mobility record no longer counts, wherever records are counted; archived partners,
agreements and programs still do. One rule, COUNTED_RECORDS, and the partial indexes that the
counts read carry exactly that rule as their condition."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.periods import academic_year_bounds, academic_year_of
from exchanges.choices import MobilityStatus
from exchanges.models import COUNTED_RECORDS, MobilityRecord, Program
from partners.choices import Direction, MobilityType
from partners.models import Agreement, Partner
from reporting import exporters
from reporting.figures import build_annual_report
from tests.factories import (
    AgreementQuotaFactory,
    MobilityRecordFactory,
    ProgramFactory,
)

D = datetime.date


def archive(record: MobilityRecord) -> None:
    record.is_archived = True
    record.save()


@pytest.fixture
def year_2025(db, department, agreement, program):
    """Three counted records of 2025 under the agreement and program, one cancelled."""
    common = {
        "department": department,
        "agreement": agreement,
        "partner": agreement.partner,
        "program": program,
    }
    records = [
        MobilityRecordFactory(full_name=name, start_date=D(2025, month, 1), **common)
        for name, month in [("Anna", 3), ("Boris", 5), ("Clara", 9)]
    ]
    MobilityRecordFactory(start_date=D(2025, 4, 1), status=MobilityStatus.CANCELLED, **common)
    return records


# --- the rule ----------------------------------------------------------------------------------


def test_counted_leaves_out_cancelled_and_archived_records(year_2025):
    archive(year_2025[0])
    assert set(MobilityRecord.objects.counted()) == set(year_2025[1:])
    assert list(MobilityRecord.objects.archived_from_count()) == [year_2025[0]]


def test_an_archived_cancelled_record_is_not_reported_as_left_out(year_2025):
    cancelled = MobilityRecord.objects.get(status=MobilityStatus.CANCELLED)
    archive(cancelled)
    assert not MobilityRecord.objects.archived_from_count().exists()


def test_the_partial_indexes_of_counted_records_have_the_counted_rule_as_condition():
    """PostgreSQL uses a partial index only when the query's filter implies its condition."""
    partial = {
        index.name: index.condition
        for index in MobilityRecord._meta.indexes
        if index.name.startswith("record_counted_")
    }
    assert set(partial) == {
        "record_counted_program",
        "record_counted_partner",
        "record_counted_start_direction",
        "record_counted_by_partner_dept",
        "record_counted_agreement",
    }
    for name, condition in partial.items():
        expected = COUNTED_RECORDS
        if name == "record_counted_agreement":
            expected = COUNTED_RECORDS & Q(agreement__isnull=False)
        assert condition == expected, name


def test_a_new_record_is_not_archived(db):
    assert MobilityRecordFactory().is_archived is False


# --- the annual report -------------------------------------------------------------------------


def test_archiving_a_record_drops_the_report_totals_by_one_and_says_so(
    client_for, office, year_2025
):
    client = client_for(office)
    url = reverse("reports:detail", kwargs={"year": 2025})
    before = client.get(url)
    assert before.context["report"].totals.current == 3
    assert "archived mobility record" not in before.content.decode()

    client.post(
        reverse("admin:exchanges_mobilityrecord_changelist"),
        {"action": "archive_selected", "_selected_action": [year_2025[0].pk]},
    )
    after = client.get(url)

    report = after.context["report"]
    assert report.totals.current == 2
    assert report.archived == 1
    assert report.total_duration.participants == 2
    assert sum(row.current for row in report.by_partner) == 2
    assert [row.current for row in report.agreements] == [2]
    assert report.trend[-1].total == 2
    assert "1 archived mobility record is not counted." in after.content.decode()


def test_the_report_counts_archived_records_of_its_period_and_departments_only(
    year_2025, other_department
):
    archive(year_2025[0])
    archive(MobilityRecordFactory(start_date=D(2024, 6, 1)))
    archive(MobilityRecordFactory(start_date=D(2025, 6, 1), department=other_department))

    assert build_annual_report(2025).archived == 2
    assert build_annual_report(2025, department=year_2025[0].department).archived == 1
    assert build_annual_report(2024).archived == 1
    # The academic year 2024/25 runs from September 2024: Anna (March 2025) and June 2025.
    assert build_annual_report(2024, period="academic").archived == 2


def test_the_report_page_says_how_many_in_the_plural(client_for, office, year_2025):
    for record in year_2025[:2]:
        archive(record)
    response = client_for(office).get(reverse("reports:detail", kwargs={"year": 2025}))
    assert "2 archived mobility records are not counted." in response.content.decode()


def test_the_summary_csv_says_how_many_were_archived(client_for, office, year_2025):
    archive(year_2025[0])
    report = build_annual_report(2025)
    rows = list(exporters.SummaryExporter(report).rows())
    assert rows[1] == ["Archived mobility records (not counted)", 1]

    response = client_for(office).get(reverse("reports:summary-csv", kwargs={"year": 2025}))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Archived mobility records (not counted),1\n" in content


def test_the_records_csv_leaves_archived_records_out(client_for, office, year_2025):
    archive(year_2025[0])
    response = client_for(office).get(reverse("reports:records-csv", kwargs={"year": 2025}))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Anna" not in content
    assert "Boris" in content and "Clara" in content


def test_the_report_index_leaves_archived_records_out(client_for, office, year_2025):
    archive(year_2025[0])
    response = client_for(office).get(reverse("reports:index"))
    [(point, _url)] = response.context["years"]
    assert (point.year, point.total) == (2025, 2)


def test_the_dashboard_figures_leave_archived_records_out(client_for, office, db):
    this_year = timezone.localdate().year
    records = MobilityRecordFactory.create_batch(2, start_date=D(this_year, 1, 2))
    archive(records[0])
    response = client_for(office).get(reverse("dashboard"))
    assert response.context["figures"] == {"outgoing": 1, "incoming": 0}


# --- archived partners, agreements and programs still count -----------------------------------


def test_records_of_archived_partners_agreements_and_programs_still_count(
    year_2025, agreement, program
):
    partner = agreement.partner
    partner.is_active = False
    partner.save()
    agreement.is_archived = True
    agreement.save()
    program.is_archived = True
    program.save()

    report = build_annual_report(2025)

    assert report.totals.current == 3
    assert report.archived == 0
    assert [(row.label, row.current) for row in report.by_partner] == [(partner.name, 3)]
    assert program.places_taken() == 3
    counted = MobilityRecord.objects.counted()
    agreements = Agreement.objects.annotate(participant_count=counted.count_per("agreement"))
    assert agreements.get().participant_count == 3


# --- partner and agreement pages, quotas, places -----------------------------------------------


def test_the_partner_page_counts_leave_archived_records_out(
    client_for, student, office, year_2025, agreement
):
    archive(year_2025[0])
    partner = agreement.partner

    response = client_for(student).get(partner.get_absolute_url())

    assert response.context["mobility_by_year"] == [
        {"year": 2025, "outgoing": 2, "incoming": 0, "total": 2}
    ]
    counts = {a.reference: a.participant_count for a in response.context["agreements"]}
    assert counts == {agreement.reference: 2}
    counted = MobilityRecord.objects.counted()
    catalogue = Partner.objects.annotate(participant_count=counted.count_per("partner")).get(
        pk=partner.pk
    )
    assert catalogue.participant_count == 2
    listed = client_for(office).get(reverse("partners:partner-list"))
    assert [p.participant_count for p in listed.context["partners"]] == [2]


def test_quota_places_used_leave_archived_records_out(db, agreement):
    year = academic_year_of(timezone.localdate())
    first_day, _last_day = academic_year_bounds(year)
    quota = AgreementQuotaFactory(
        agreement=agreement,
        academic_year=year,
        mobility_type=MobilityType.HE_STT,
        direction=Direction.OUTGOING,
        places=5,
    )
    records = MobilityRecordFactory.create_batch(
        3, agreement=agreement, partner=agreement.partner, start_date=first_day
    )
    archive(records[0])

    [with_usage] = MobilityRecord.objects.quotas_with_usage(agreement)

    assert (with_usage.used, with_usage.left) == (2, 3)
    assert MobilityRecord.objects.counting_against(quota).count() == 2


def test_an_archived_record_frees_its_program_place(db, agreement):
    program = ProgramFactory(agreement=agreement, places=1)
    record = MobilityRecordFactory(program=program)
    assert program.refusal_for() == "All places of this program are taken."

    archive(record)

    assert program.places_taken() == 0
    assert Program.objects.annotate_places_taken().get(pk=program.pk).places_taken() == 0
    assert program.places_left() == 1
    assert program.refusal_for() is None


# --- PostgreSQL keeps reading the partial indexes ----------------------------------------------


@pytest.mark.postgresql
def test_the_reports_partial_indexes_serve_its_queries(year_2025):
    """With only the partial indexes left and sequential scans off, every query of the report
    still reads an index: their conditions are implied by the report's filter. Were they not,
    PostgreSQL would fall back to reading the table."""
    archive(year_2025[0])
    with CaptureQueriesContext(connection) as report_queries:
        # The whole university's figures come from the report's summary (only the archived
        # count reads the records); a department's are counted from the records.
        build_annual_report(2025)
        build_annual_report(2025, department=year_2025[0].department)
    plans = []
    with connection.cursor() as cursor:
        # Dropped inside the test's transaction, which is rolled back afterwards.
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'exchanges_mobilityrecord' "
            "AND indexdef NOT LIKE '%% WHERE %%' AND indexdef NOT LIKE 'CREATE UNIQUE%%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in report_queries.captured_queries:
            if "exchanges_mobilityrecord" in query["sql"]:
                cursor.execute("EXPLAIN " + query["sql"])
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert len(plans) >= 5, plans
    for plan in plans:
        # A department's agreements subquery ("U0": agreements with records of the department)
        # counts no records; the department's foreign-key index, dropped here, serves it.
        assert not re.search(r"Seq Scan on exchanges_mobilityrecord(?! \"U0\")", plan), plan
    used = set(
        re.findall(r"(?:Index (?:Only )?Scan using|Bitmap Index Scan on) (\w+)", "".join(plans))
    )
    # Which of the counted ones serves which query depends on the statistics of a few rows.
    assert "record_archived_start" in used, plans
    assert any(name.startswith("record_counted_") for name in used), plans
