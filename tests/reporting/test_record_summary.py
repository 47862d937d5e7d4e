"""The report's summary of mobility records stays what the records say, after every write path.

The whole-university report reads reporting.models.RecordSummary, which triggers on the records
table keep in the same transaction. Each test writes one way and then checks the summary against
one made afresh from the records (`RecordSummary.objects.rebuild()`), and the report read from
the summary against the same report counted from the records.
"""

import dataclasses
import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from exchanges.models import MobilityRecord
from partners.choices import Direction
from partners.models import Department
from reporting.figures import ACADEMIC, CALENDAR, build_annual_report, years_with_records
from reporting.models import RecordSummary
from tests.factories import (
    AgreementFactory,
    DepartmentFactory,
    MobilityRecordFactory,
    PartnerFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db

KEYS = (
    "dimension", "period", "year", "direction", "category", "purpose", "country", "partner_key",
    "program_key", "department_key", "agreement_key", "participants", "span_days",
)  # fmt: skip


def summary_rows() -> set[tuple]:
    return set(RecordSummary.objects.values_list(*KEYS))


def assert_summary_is_current():
    """What the triggers left equals the summary made from the records now."""
    kept = summary_rows()
    RecordSummary.objects.rebuild()
    assert kept == summary_rows()


def from_records(year: int, period: str) -> dict:
    """The report counted from the records: narrowed to every department, which (in these tests,
    where every record has one) is the whole university by the other path."""
    report = build_annual_report(year, period=period, department=list(Department.objects.all()))
    return dataclasses.asdict(dataclasses.replace(report, departments=None))


def assert_report_matches_records(year: int):
    everyone = list(Department.objects.all())
    for period in (CALENDAR, ACADEMIC):
        from_summary = dataclasses.asdict(build_annual_report(year, period=period))
        assert from_summary == from_records(year, period)
        # The reports index's years and totals too.
        assert years_with_records(period) == years_with_records(period, department=everyone)


@pytest.fixture
def records(db):
    """Records of 2024-2026 of every kind the summary splits by: directions, a conference trip
    abroad, a program, an agreement, the same partner in two countries, both academic years."""
    department, other = DepartmentFactory(), DepartmentFactory()
    partner = PartnerFactory(country="PL")
    agreement = AgreementFactory(partner=partner, department=department)
    program = ProgramFactory(agreement=agreement)
    made = [
        MobilityRecordFactory(
            department=department,
            partner=partner,
            agreement=agreement,
            program=program,
            start_date=datetime.date(2025, 10, 1),
        ),
        MobilityRecordFactory(
            department=other,
            partner=partner,
            country="DE",
            direction=Direction.INCOMING,
            start_date=datetime.date(2026, 2, 1),
        ),
        MobilityRecordFactory(
            department=department,
            partner=None,
            country="FR",
            purpose="conference",
            start_date=datetime.date(2026, 9, 15),
        ),
        MobilityRecordFactory(
            department=other, agreement=agreement, start_date=datetime.date(2024, 12, 31)
        ),
    ]
    return made


def test_records_written_through_the_orm_are_in_the_summary(records):
    assert RecordSummary.objects.filter(dimension="department", period=CALENDAR).count() == 4
    assert_summary_is_current()
    for year in (2024, 2025, 2026):
        assert_report_matches_records(year)


def test_an_edit_moves_a_record_between_years_and_groups(records):
    record = records[0]
    record.start_date = datetime.date(2026, 3, 1)
    record.end_date = datetime.date(2026, 3, 20)
    record.country = "CZ"
    record.direction = Direction.INCOMING
    record.save()

    assert_summary_is_current()
    assert_report_matches_records(2026)
    assert_report_matches_records(2025)


def test_cancelled_and_archived_records_leave_the_summary_and_come_back(records):
    cancelled, archived = records[0], records[1]
    cancelled.status = MobilityRecord.Status.CANCELLED
    cancelled.save()
    archived.is_archived = True
    archived.save()
    assert_summary_is_current()
    assert_report_matches_records(2026)

    archived.is_archived = False
    archived.save()
    assert_summary_is_current()
    assert_report_matches_records(2026)


def test_queryset_update_and_delete_keep_it_current(records):
    MobilityRecord.objects.filter(start_date__year=2026).update(is_archived=True)
    assert_summary_is_current()
    MobilityRecord.objects.filter(pk=records[0].pk).update(department=records[1].department)
    assert_summary_is_current()
    MobilityRecord.objects.filter(start_date__year=2024).delete()
    assert_summary_is_current()
    assert_report_matches_records(2025)


def test_a_raw_delete_and_bulk_create_keep_it_current(records):
    template = records[0]
    MobilityRecord.objects.bulk_create(
        [
            MobilityRecord(
                full_name=f"Bulk {n}",
                category=template.category,
                direction=template.direction,
                department=template.department,
                partner=template.partner,
                agreement=template.agreement,
                purpose=template.purpose,
                start_date=datetime.date(2026, 1 + n, 1),
                end_date=datetime.date(2026, 1 + n, 10),
                country="LT",
            )
            for n in range(5)
        ]
    )
    assert_summary_is_current()
    doomed = MobilityRecord.objects.filter(full_name__startswith="Bulk", start_date__month__lt=3)
    assert doomed._raw_delete(doomed.db) == 2
    assert_summary_is_current()
    assert_report_matches_records(2026)


def test_deleting_every_record_empties_it(records):
    MobilityRecord.objects.all().delete()
    assert not RecordSummary.objects.exists()


def test_a_rolled_back_write_leaves_it_as_it_was(records):
    before = summary_rows()
    with pytest.raises(RuntimeError), transaction.atomic():
        MobilityRecordFactory(
            department=records[0].department, start_date=datetime.date(2026, 5, 1)
        )
        records[1].delete()
        raise RuntimeError("the writer gives up")
    assert summary_rows() == before


def test_an_import_keeps_it_current(records, tmp_path):
    path = tmp_path / "records.csv"
    path.write_text(
        "full_name,person,category,direction,purpose,start_date,end_date,country,partner\n"
        + "".join(
            f"Traveller {i},,academic_staff,outgoing,research,{1 + i:02d}.03.2026,"
            f"30.03.2026,Poland,\n"
            for i in range(6)
        )
    )
    call_command("import_data", "records", str(path), stdout=io.StringIO())

    assert MobilityRecord.objects.filter(full_name__startswith="Traveller").count() == 6
    assert_summary_is_current()


def test_the_generator_leaves_it_current():
    call_command("generate_data", "--scale", "small", "--seed", "3", stdout=io.StringIO())

    assert RecordSummary.objects.exists()
    assert_summary_is_current()


@pytest.mark.postgresql
def test_a_copy_into_the_records_table_is_counted(records):
    """COPY fires the statement triggers as an INSERT does (the generator turns them off and
    rebuilds; anything else that copies is counted as it goes)."""
    template = records[0]
    line = (
        f"Copied,{template.category},{template.direction},{template.department_id},"
        f"{template.partner_id},{template.purpose},2026-06-01,2026-06-11,PL,completed,"
        '2026-06-01 00:00:00+00,2026-06-01 00:00:00+00,host,"","","","",""\n'
    )
    columns = (
        "full_name, category, direction, department_id, partner_id, purpose, start_date, "
        "end_date, country, status, created_at, updated_at, funding, home_institution, "
        "mobility_type, report_activities, report_outcomes, notes"
    )
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY exchanges_mobilityrecord ({columns}) FROM STDIN WITH (FORMAT csv)",
            io.StringIO(line * 3),
        )
    assert MobilityRecord.objects.filter(full_name="Copied").count() == 3
    assert_summary_is_current()
    assert_report_matches_records(2026)


def test_emptied_rows_are_found_without_an_index_on_postgresql_and_by_one_on_sqlite():
    """PostgreSQL's triggers remove the rows they emptied by id, so that no index covers
    `participants` and updates stay on their page (HOT, room left by the fillfactor); SQLite's
    row triggers find them by a partial index that stays empty."""
    table = RecordSummary._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    on_participants = [
        name
        for name, constraint in constraints.items()
        if constraint["index"] and "participants" in (constraint["columns"] or [])
    ]
    if connection.vendor == "sqlite":
        assert on_participants == ["record_summary_empty"]
        return
    assert on_participants == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        assert cursor.fetchone()[0] == ["fillfactor=70"]
