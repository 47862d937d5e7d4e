"""The annual report's figures, each checked against records whose right answer is known."""

import datetime

import pytest

from exchanges.choices import ProgramKind, Purpose
from exchanges.models import MobilityRecord
from partners.choices import Direction
from people.choices import Category
from reporting.figures import (
    build_annual_report,
    participants_per_year,
    period_year_expression,
    years_with_records,
)
from reporting.tables import department_label, group_label, report_tables
from tests.factories import AgreementFactory, MobilityRecordFactory, PartnerFactory

D = datetime.date


@pytest.fixture
def world(db, department, other_department, partner, agreement, program):
    """Records around the calendar year 2025, with the answers written beside them."""
    german = PartnerFactory(name="Charité Berlin", country="DE")
    base = {"partner": partner, "agreement": agreement, "department": department}
    records = {
        # 2025: three outgoing (one of them on each boundary, one without a partner), one incoming.
        "new_year": MobilityRecordFactory(
            **base,
            program=program,
            category=Category.ACADEMIC_STAFF,
            start_date=D(2025, 1, 1),
            end_date=D(2025, 1, 10),  # 10 days
        ),
        "new_years_eve": MobilityRecordFactory(
            **base,
            category=Category.UNDERGRADUATE,
            purpose=Purpose.CLINICAL_PRACTICE,
            start_date=D(2025, 12, 31),
            end_date=D(2026, 1, 4),  # 5 days, counts in the year it starts
        ),
        "incoming": MobilityRecordFactory(
            partner=german,
            department=other_department,
            direction=Direction.INCOMING,
            category=Category.PHD_STUDENT,
            purpose=Purpose.RESEARCH,
            home_institution="Charité Berlin",
            start_date=D(2025, 6, 1),
            end_date=D(2025, 6, 1),  # 1 day
        ),
        "conference": MobilityRecordFactory(
            partner=None,
            department=department,
            country="IT",
            category=Category.YOUNG_SCIENTIST,
            purpose=Purpose.CONFERENCE,
            start_date=D(2025, 5, 10),
            end_date=D(2025, 5, 13),  # 4 days
        ),
        # Never counted.
        "cancelled": MobilityRecordFactory(
            **base,
            status=MobilityRecord.Status.CANCELLED,
            start_date=D(2025, 3, 1),
            end_date=D(2025, 3, 30),
        ),
        # 2024, the previous year: one outgoing of 3 days.
        "last_year": MobilityRecordFactory(
            **base,
            category=Category.ACADEMIC_STAFF,
            start_date=D(2024, 12, 31),
            end_date=D(2025, 1, 2),
        ),
        # 2026 and 2023: outside both years, but in the agreement's total and the trend.
        "next_year": MobilityRecordFactory(
            **base, start_date=D(2026, 1, 1), end_date=D(2026, 1, 5)
        ),
        "long_ago": MobilityRecordFactory(**base, start_date=D(2023, 6, 1), end_date=D(2023, 6, 5)),
    }
    return records


def rows_by_key(rows):
    return {row.key: row for row in rows}


def test_participants_by_direction_and_category_count_only_this_years_uncancelled_records(world):
    report = build_annual_report(2025)

    by_category = rows_by_key(report.by_category)
    assert [row.key for row in report.by_category] == list(Category.values)
    assert by_category[Category.ACADEMIC_STAFF].outgoing == 1
    assert by_category[Category.UNDERGRADUATE].outgoing == 1
    assert by_category[Category.YOUNG_SCIENTIST].outgoing == 1
    assert by_category[Category.PHD_STUDENT].incoming == 1
    assert by_category[Category.RESIDENT].current == 0
    totals = report.totals
    assert (totals.outgoing, totals.incoming, totals.current) == (3, 1, 4)


def test_previous_year_and_change_stand_beside_this_year(world):
    report = build_annual_report(2025)

    totals = report.totals
    assert (totals.previous_outgoing, totals.previous_incoming, totals.previous) == (1, 0, 1)
    assert totals.change == 3
    staff = rows_by_key(report.by_category)[Category.ACADEMIC_STAFF]
    assert (staff.current, staff.previous, staff.change) == (1, 1, 0)


def test_participants_by_country_count_where_the_mobility_took_place(world):
    report = build_annual_report(2025)

    by_country = rows_by_key(report.by_country)
    assert (by_country["PL"].outgoing, by_country["PL"].incoming) == (2, 0)
    assert by_country["PL"].previous == 1
    assert by_country["PL"].label == "Poland"
    assert by_country["DE"].incoming == 1
    # The conference trip has no partner but went to Italy: it counts there, not as "no partner".
    assert by_country["IT"].outgoing == 1
    assert by_country["IT"].label == "Italy"
    assert None not in by_country
    assert report.by_country[0].key == "PL"  # largest first


def test_participants_by_partner_institution_cover_both_directions(world, partner):
    report = build_annual_report(2025)

    by_partner = {group_label(row, "partners"): row for row in report.by_partner}
    assert by_partner["Medical University of Bialystok"].current == 2
    assert by_partner["Medical University of Bialystok"].detail == "Poland"
    assert by_partner["Charité Berlin"].incoming == 1
    individual = "Individual trips without a partner institution (conferences, congresses)"
    assert by_partner[individual].current == 1
    assert sum(row.current for row in report.by_partner) == 4


def test_participants_by_program_name_the_program_and_its_kind(world, program):
    report = build_annual_report(2025)

    by_program = rows_by_key(report.by_program)
    assert by_program[program.pk].label == "Clinical training in Bialystok"
    assert by_program[program.pk].detail == str(program.get_kind_display())
    assert by_program[program.pk].current == 1
    assert by_program[None].label == ""
    assert group_label(by_program[None], "programs") == "Outside exchange programs"
    assert by_program[None].current == 3


def test_participants_by_program_kind_and_purpose(world):
    report = build_annual_report(2025)

    kinds = rows_by_key(report.by_program_kind)
    assert kinds[ProgramKind.STAFF_TRAINING].current == 1
    assert group_label(kinds[None], "program-kinds") == "Outside exchange programs"
    assert kinds[None].current == 3
    purposes = rows_by_key(report.by_purpose)
    assert purposes[Purpose.TRAINING].current == 1
    assert purposes[Purpose.CLINICAL_PRACTICE].current == 1
    assert purposes[Purpose.RESEARCH].incoming == 1
    assert purposes[Purpose.CONFERENCE].current == 1
    assert purposes[Purpose.TRAINING].previous == 1


def test_participants_by_department(world, department, other_department):
    report = build_annual_report(2025)

    by_department = rows_by_key(report.by_department)
    assert by_department[department.pk].current == 3
    assert by_department[department.pk].previous == 1
    assert by_department[other_department.pk].incoming == 1


def test_person_days_count_first_and_last_day_and_average_duration(world):
    report = build_annual_report(2025)

    outgoing, incoming, total = report.durations
    assert (outgoing.participants, outgoing.person_days) == (3, 10 + 5 + 4)
    assert outgoing.average_days == 6.3
    assert (incoming.participants, incoming.person_days) == (1, 1)
    assert (total.participants, total.person_days, total.average_days) == (4, 20, 5.0)
    assert (total.previous_participants, total.previous_person_days) == (1, 3)
    assert total.change == 17


def test_conference_trips_abroad_are_outgoing_conference_records(world):
    MobilityRecordFactory(
        direction=Direction.INCOMING,
        purpose=Purpose.CONFERENCE,
        start_date=D(2025, 9, 1),
        end_date=D(2025, 9, 3),
    )

    report = build_annual_report(2025)

    assert report.conference_trip_total.current == 1
    assert [(row.key, row.label) for row in report.conference_trips] == [("IT", "Italy")]


def test_active_agreement_shows_this_year_and_total_since_signed(world, agreement):
    expired = AgreementFactory(valid_from=D(2010, 1, 1), valid_until=D(2015, 12, 31))
    MobilityRecordFactory(agreement=expired, start_date=D(2025, 2, 1))

    report = build_annual_report(2025)

    assert [row.reference for row in report.agreements] == [agreement.reference]
    row = report.agreements[0]
    # 2025: new year and new year's eve; 2024: one; since signed up to 2025: those and 2023.
    assert (row.current, row.previous, row.change, row.since_signed) == (2, 1, 1, 4)


def test_department_report_counts_only_its_records_under_each_agreement(
    world, agreement, other_department
):
    MobilityRecordFactory(
        agreement=agreement, department=other_department, start_date=D(2025, 4, 1)
    )

    whole = build_annual_report(2025).agreements[0]
    own = build_annual_report(2025, department=agreement.department).agreements

    assert (whole.current, whole.previous, whole.since_signed) == (3, 1, 5)
    assert [(row.current, row.previous, row.since_signed) for row in own] == [(2, 1, 4)]


def test_active_agreement_without_records_is_listed_at_zero(db):
    quiet = AgreementFactory()

    report = build_annual_report(2025)

    assert [
        (row.reference, row.current, row.previous, row.since_signed) for row in report.agreements
    ] == [(quiet.reference, 0, 0, 0)]


def test_partners_of_the_same_name_and_figures_are_listed_in_the_order_they_were_added(db):
    first = PartnerFactory(name="University of Warsaw")
    second = PartnerFactory(name="University of Warsaw")
    for partner in (second, first):
        MobilityRecordFactory(partner=partner, start_date=D(2025, 3, 1))

    report = build_annual_report(2025)

    assert [row.key for row in report.by_partner] == [first.pk, second.pk]


def test_academic_year_runs_from_september_to_august(db, department):
    for start in (D(2025, 8, 31), D(2025, 9, 1), D(2026, 8, 31), D(2026, 9, 1)):
        MobilityRecordFactory(department=department, start_date=start)

    report = build_annual_report(2025, period="academic")

    assert report.label == "2025/26"
    assert report.previous_label == "2024/25"
    assert report.totals.current == 2  # 1 September 2025 and 31 August 2026
    assert report.totals.previous == 1  # 31 August 2025
    assert [(point.label, point.total) for point in report.trend[-3:]] == [
        ("2023/24", 0),
        ("2024/25", 1),
        ("2025/26", 2),
    ]


def test_academic_year_expression_matches_the_python_rule(db):
    for start in (D(2025, 8, 31), D(2025, 9, 1)):
        MobilityRecordFactory(start_date=start)

    years = sorted(
        MobilityRecord.objects.annotate(y=period_year_expression("academic")).values_list(
            "y", flat=True
        )
    )

    assert years == [2024, 2025]


def test_department_filter_counts_only_that_departments_records(world, department):
    report = build_annual_report(2025, department=department)

    assert report.totals.current == 3
    assert report.totals.incoming == 0
    assert department_label(report) == department.name
    assert [row.key for row in report.by_department] == [department.pk]


def test_ten_year_trend_by_direction(world):
    report = build_annual_report(2025)

    assert [point.year for point in report.trend] == list(range(2016, 2026))
    trend = {point.year: point for point in report.trend}
    assert (trend[2025].outgoing, trend[2025].incoming) == (3, 1)
    assert trend[2024].total == 1
    assert trend[2023].total == 1
    assert trend[2016].total == 0


def test_years_with_records_newest_first_with_totals(world):
    years = years_with_records()

    assert [(point.year, point.outgoing, point.incoming) for point in years] == [
        (2026, 1, 0),
        (2025, 3, 1),
        (2024, 1, 0),
        (2023, 1, 0),
    ]


def test_years_with_records_by_academic_year_for_one_department(db, department, other_department):
    MobilityRecordFactory(department=department, start_date=D(2024, 8, 31))
    MobilityRecordFactory(
        department=department, direction=Direction.INCOMING, start_date=D(2025, 9, 1)
    )
    MobilityRecordFactory(department=other_department, start_date=D(2020, 1, 1))

    years = years_with_records("academic", department=department)

    # 2024/25 lies between the two and has nothing: it is left out.
    assert [(point.label, point.outgoing, point.incoming) for point in years] == [
        ("2025/26", 0, 1),
        ("2023/24", 1, 0),
    ]


def test_years_with_records_leave_out_years_no_report_can_be_asked_for(db):
    MobilityRecordFactory(start_date=D(1900, 5, 1))  # a mistyped year
    MobilityRecordFactory(start_date=D(2025, 5, 1))

    assert [point.year for point in years_with_records()] == [2025]


def test_years_with_records_take_two_queries_however_many_years(
    world, department, django_assert_num_queries
):
    # The whole university's from the report's summary, the counts per year and direction in one
    # query (it was two before the summary: the first and last start dates, then the counts).
    with django_assert_num_queries(1):
        years_with_records()
    # A department's: the first and last start dates; the counts per year and direction.
    with django_assert_num_queries(2):
        years_with_records(department=department)


def test_participants_per_year_by_direction_in_calendar_and_academic_years(
    db, department, other_department
):
    MobilityRecordFactory(department=department, start_date=D(2024, 8, 31))
    MobilityRecordFactory(
        department=department, direction=Direction.INCOMING, start_date=D(2024, 9, 1)
    )
    MobilityRecordFactory(department=other_department, start_date=D(2025, 1, 1))
    MobilityRecordFactory(
        department=department,
        status=MobilityRecord.Status.CANCELLED,
        start_date=D(2025, 2, 1),
    )

    assert participants_per_year([2023, 2024, 2025]) == {
        2023: (0, 0),
        2024: (1, 1),
        2025: (1, 0),
    }
    assert participants_per_year([2023, 2024], "academic") == {2023: (1, 0), 2024: (1, 1)}
    assert participants_per_year([2024, 2025], department=department) == {
        2024: (1, 1),
        2025: (0, 0),
    }
    assert participants_per_year([]) == {}


def test_year_without_records_is_an_empty_report_with_headers(db):
    report = build_annual_report(1995)

    assert report.totals.current == 0
    assert report.durations[-1].average_days == 0.0
    for table in report_tables(report):
        assert table.header
    categories = report_tables(report)[0]
    assert [row[0] for row in categories.rows] == [str(label) for label in Category.labels]
    assert categories.footer == [["Total", 0, 0, 0, 0, 0, 0, 0]]


def test_tables_print_the_same_totals_as_the_figures(world):
    report = build_annual_report(2025)

    tables = {table.key: table for table in report_tables(report)}
    assert tables["categories"].footer[0][1:4] == [3, 1, 4]
    assert tables["countries"].footer[0][2:5] == [3, 1, 4]
    assert tables["durations"].footer[0][:4] == ["Total", 4, 20, 5.0]
    assert tables["conferences"].footer[0] == ["Total", 1, 0, 1]
    assert tables["trend"].rows[-1] == ["2025", 3, 1, 4]


def test_tables_hand_the_page_their_label_cells_apart_from_their_numbers(world):
    tables = {table.key: table for table in report_tables(build_annual_report(2025))}

    partners = tables["partners"]
    assert partners.header_parts[0] == ["Partner institution", "Country"]
    assert len(partners.header_parts[1]) == 7
    assert partners.page_row_parts[0] == (
        "Medical University of Bialystok",
        ["Poland"],
        [2, 0, 2, 1, 0, 1, 1],
    )
    assert partners.footer_parts == [("Total", [""], [3, 1, 4, 1, 0, 1, 3])]
    assert tables["trend"].page_row_parts[-1] == ("2025", [], [3, 1, 4])


@pytest.mark.parametrize("count", [5, 50])
def test_report_queries_do_not_grow_with_records(
    db, agreement, count, django_assert_max_num_queries
):
    MobilityRecordFactory.create_batch(count, agreement=agreement, partner=agreement.partner)

    # The small figures (categories, program kinds, purposes, durations, conference trips) in
    # one; partners and their countries; departments; agreements; trend; archived records.
    with django_assert_max_num_queries(6):
        report = build_annual_report(2025)

    assert report.totals.current == count
