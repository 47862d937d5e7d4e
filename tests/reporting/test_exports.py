"""The exporters: records.csv columns and content, the BOM, the formula-injection rule."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from core import csv as safe_csv
from core import xlsx
from exchanges.admin import export_records_csv_action
from exchanges.choices import ProgramKind, Purpose
from exchanges.models import MobilityRecord
from partners.choices import Direction
from people.choices import Category
from reporting import exporters
from reporting.figures import build_annual_report, counted_records, period_bounds
from reporting.tables import report_tables
from tests.factories import MobilityRecordFactory, ProgramFactory

D = datetime.date
DANGEROUS = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2"]
EXPECTED_HEADER = [
    "Year",
    "Direction",
    "Category",
    "Full name",
    "Department or home institution",
    "Partner institution",
    "Partner country code",
    "Partner country",
    "Mobility country code",
    "Mobility country",
    "Program",
    "Program kind",
    "Purpose",
    "Agreement reference",
    "Start",
    "End",
    "Days",
    "Funding",
    "Status",
]


def records_csv(year=2025, period="calendar", department=None) -> str:
    """records.csv as the page writes it: COPY on PostgreSQL, record_rows on SQLite."""
    first, last = period_bounds(year, period)
    stream = io.BytesIO()
    records = counted_records(first, last, department=department)
    exporters.write_records_csv(records, stream, period=period)
    return stream.getvalue().decode("utf-8")


def parse(text: str) -> list[list[str]]:
    assert text.startswith(safe_csv.BOM)
    return list(csv.reader(io.StringIO(text[len(safe_csv.BOM) :])))


def test_records_csv_starts_with_a_bom_and_has_the_documented_columns(db):
    text = records_csv()

    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    assert parse(text) == [EXPECTED_HEADER]  # a year without records: headers only


def test_records_csv_row_holds_every_column_in_order(db, department, agreement, partner):
    program = ProgramFactory(
        agreement=agreement,
        title="Summer practice in Białystok",
        kind=ProgramKind.SUMMER_PRACTICE,
    )
    MobilityRecordFactory(
        full_name="Łukasz Żółw Щербаков",
        category=Category.UNDERGRADUATE,
        direction=Direction.OUTGOING,
        department=department,
        partner=partner,
        program=program,
        agreement=agreement,
        purpose=Purpose.CLINICAL_PRACTICE,
        start_date=D(2025, 7, 1),
        end_date=D(2025, 7, 28),
        funding=MobilityRecord.Funding.ERASMUS,
        status=MobilityRecord.Status.COMPLETED,
    )
    MobilityRecordFactory(status=MobilityRecord.Status.CANCELLED, start_date=D(2025, 7, 2))

    rows = parse(records_csv())

    assert rows[1:] == [
        [
            "2025",
            "Outgoing",
            "Undergraduate student",
            "Łukasz Żółw Щербаков",
            "Department of Infectious Diseases",
            "Medical University of Bialystok",
            "PL",
            "Poland",
            "PL",
            "Poland",
            "Summer practice in Białystok",
            "Summer clinical practice",
            "Clinical practice",
            "BSMU-UMB-2004",
            "2025-07-01",
            "2025-07-28",
            "28",
            "Erasmus+",
            "Completed",
        ]
    ]


def test_incoming_record_shows_home_institution_and_empty_partner(db, department):
    MobilityRecordFactory(
        direction=Direction.INCOMING,
        department=department,
        home_institution="Vilnius University",
        partner=None,
        country="LT",
        start_date=D(2025, 1, 1),
        end_date=D(2025, 1, 1),
    )

    row = parse(records_csv())[1]

    assert row[4] == "Vilnius University"
    assert row[5:8] == ["", "", ""]
    assert row[16] == "1"


def test_academic_records_csv_counts_the_academic_year(db):
    for start in (D(2025, 8, 31), D(2025, 9, 1)):
        MobilityRecordFactory(start_date=start)

    rows = parse(records_csv(period="academic"))

    assert [(row[0], row[14]) for row in rows[1:]] == [("2025", "2025-09-01")]


@pytest.mark.parametrize("dangerous", DANGEROUS)
def test_csv_cell_starting_with_a_formula_character_is_neutralised(db, dangerous):
    MobilityRecordFactory(full_name=dangerous, home_institution=dangerous)

    row = parse(records_csv())[1]

    assert row[3] == "'" + dangerous
    assert row[3][0] == "'"
    assert row[16] == "14"  # numbers stay numbers


def test_csv_pipe_and_numbers_follow_defusedcsvs_rule(db):
    for name in ["=cmd|' /C calc'!A0", "-1,5", "-2.5\n", "+48 85", "%1", "<r>x</r>"]:
        MobilityRecordFactory(full_name=name)

    names = sorted(row[3] for row in parse(records_csv())[1:])

    assert names == sorted(
        ["'=cmd\\|' /C calc'!A0", "-1,5", "-2.5\n", "'+48 85", "'%1", "<r>x</r>"]
    )


def test_records_csv_of_a_filter_that_matches_nothing_is_the_header(db):
    MobilityRecordFactory()
    stream = io.BytesIO()

    written = exporters.write_records_csv(
        MobilityRecord.objects.filter(department_id__in=[]), stream
    )

    assert written == 0
    assert parse(stream.getvalue().decode("utf-8")) == [EXPECTED_HEADER]


def test_records_csv_lines_end_in_a_newline_as_copy_writes_them(db):
    MobilityRecordFactory(full_name='Anna\r\nKowalska, "Ania"')

    text = records_csv()

    assert text.count("\n") == 3  # the header's, the record's own, and the one inside the name
    assert text.count("\r\n") == 1  # the one inside the name
    assert text.endswith(",Completed\n")
    assert parse(text)[1][3] == 'Anna\r\nKowalska, "Ania"'


def test_records_csv_writes_empty_values_as_nothing(db):
    MobilityRecordFactory(full_name="", home_institution="", department=None, partner=None)

    line = records_csv().splitlines()[1]

    assert line.startswith("2025,Outgoing,Academic staff,,,,,,DE,Germany,,,Training,,2025-03-01,")


def test_csv_leaves_ordinary_text_and_numbers_alone():
    rows = ["".join(safe_csv.chunks([["Anna-Maria", 5, -3, 2.5, "O'Neil"]]))]

    assert parse(rows[0]) == [["Anna-Maria", "5", "-3", "2.5", "O'Neil"]]


def test_semicolon_csv_writes_decimal_commas_quotes_every_cell_and_defuses():
    """Quoted, so that a spreadsheet that splits at commas too (LibreOffice's import dialog by
    default) keeps "2,5" whole; empty cells stay empty."""
    text = "".join(
        safe_csv.chunks(
            [["a;b", 5, 2.5, Decimal("12.50"), "=1+1", "-1,5", "", None, "Institute, Minsk"]],
            delimiter=";",
        )
    )

    assert text == '\ufeff"a;b";"5";"2,5";"12,50";"\'=1+1";"-1,5";;;"Institute, Minsk"\n'


def test_csv_takes_only_a_comma_or_a_semicolon():
    with pytest.raises(ValueError):
        list(safe_csv.chunks([["a"]], delimiter="\t"))


def xlsx_from(sheets) -> object:
    output = io.BytesIO()
    xlsx.write(output, sheets)
    output.seek(0)
    return load_workbook(output)


@pytest.mark.parametrize("dangerous", DANGEROUS)
def test_xlsx_stores_a_dangerous_string_as_text_not_a_formula(dangerous):
    workbook = xlsx_from([("Records", [["Name", "Days"], [dangerous, 14]])])

    name, days = workbook["Records"]["A2"], workbook["Records"]["B2"]
    assert name.data_type == "s"
    # xlsxwriter stores a carriage return as the escape _x000D_, which openpyxl keeps as it is.
    assert name.value.replace("_x000D_", "\r") == "'" + dangerous
    assert not str(name.value).startswith("=")
    assert days.data_type == "n"
    assert days.value == 14


def test_xlsx_writes_dates_as_date_cells_and_numbers_as_numbers():
    workbook = xlsx_from(
        [("Agreements", [["Signed", "Count", "Average"], [D(2004, 5, 1), 3, 6.5]])]
    )

    sheet = workbook["Agreements"]
    assert sheet["A2"].value.date() == D(2004, 5, 1)
    assert sheet["A2"].is_date
    assert (sheet["B2"].value, sheet["C2"].value) == (3, 6.5)


def test_xlsx_records_sheet_from_the_database_is_injection_safe(db):
    MobilityRecordFactory(full_name='=HYPERLINK("http://evil")', start_date=D(2025, 2, 1))
    first, last = period_bounds(2025, "calendar")
    report = build_annual_report(2025)

    workbook = xlsx_from(
        exporters.WorkbookExporter(
            report, exporters.records_exporter(counted_records(first, last))
        ).sheets()
    )

    cell = workbook["Records"]["D2"]
    assert cell.data_type == "s"
    assert cell.value.startswith("'=")
    assert workbook["Records"]["A2"].value == 2025


def test_xlsx_text_that_looks_like_rich_text_xml_stays_text():
    # xlsxwriter would copy such a string into the sheet's XML as it is, formula and all.
    injected = '<r><t>a</t></r></is><f>HYPERLINK("http://evil")</f><is><r><t>b</t></r>'

    workbook = xlsx_from([("Records", [["Name"], [injected], ["<r>x</r>"]])])

    sheet = workbook["Records"]
    assert [sheet["A2"].value, sheet["A3"].value] == ["'" + injected, "'<r>x</r>"]
    assert sheet["A2"].data_type == "s"


def test_xlsx_header_row_is_bold_and_empty_cells_stay_empty():
    workbook = xlsx_from([("Records", [["Name", "Days"], ["", 3], [None, 4]])])

    sheet = workbook["Records"]
    assert sheet["A1"].font.b and sheet["B1"].font.b
    assert not sheet["B2"].font.b
    assert [sheet["A2"].value, sheet["A3"].value, sheet["B3"].value] == [None, None, 4]


def test_sheet_names_follow_excels_rules():
    taken = set()

    names = [xlsx.sheet_name(name, taken) for name in ["A/B: [c]?", "x" * 40, "x" * 40]]

    assert names[0] == "A B   c"
    assert len(names[1]) == 31
    assert names[2].endswith("(2)") and len(names[2]) == 31


def test_summary_has_a_title_and_header_row_per_table(db):
    report = build_annual_report(2025)

    rows = parse("".join(safe_csv.chunks(exporters.SummaryExporter(report).rows())))

    for table in report_tables(report):
        title_at = rows.index([table.title])
        assert rows[title_at + 1] == [str(cell) for cell in table.header]


def test_admin_export_selected_uses_the_records_exporter(db, office):
    chosen = MobilityRecordFactory(full_name="Chosen One", start_date=D(2019, 5, 1))
    MobilityRecordFactory(full_name="Not Chosen")
    request = RequestFactory().get("/admin/")
    request.user = office

    response = export_records_csv_action(None, request, MobilityRecord.objects.filter(pk=chosen.pk))

    assert 'filename="mobility-records-selected.csv"' in response["Content-Disposition"]
    rows = parse(b"".join(response.streaming_content).decode("utf-8"))
    assert rows[0] == EXPECTED_HEADER
    assert [(row[0], row[3]) for row in rows[1:]] == [("2019", "Chosen One")]


def test_admin_export_selected_action_answers_with_records_csv(client_for, office):
    chosen = MobilityRecordFactory(full_name="=Chosen", start_date=D(2024, 5, 1))
    MobilityRecordFactory(full_name="Not Chosen")

    response = client_for(office).post(
        reverse("admin:exchanges_mobilityrecord_changelist"),
        {"action": "export_records_csv_action", "_selected_action": [chosen.pk]},
    )

    assert response.status_code == 200
    rows = parse(b"".join(response.streaming_content).decode("utf-8"))
    assert rows[0] == EXPECTED_HEADER
    assert [(row[0], row[3]) for row in rows[1:]] == [("2024", "'=Chosen")]


def test_records_csv_page_sends_what_write_records_csv_writes(client_for, office, department):
    MobilityRecordFactory(full_name='=Anna, "Ania"', department=department)
    MobilityRecordFactory(full_name="Щербаков", direction=Direction.INCOMING)

    response = client_for(office).get(reverse("reports:records-csv", kwargs={"year": 2025}))

    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert int(response["Content-Length"]) == len(body)
    assert 'filename="mobility-records-2025.csv"' in response["Content-Disposition"]
    assert body.decode("utf-8") == records_csv()
    assert [row[3] for row in parse(body.decode("utf-8"))[1:]] == ['\'=Anna, "Ania"', "Щербаков"]


def test_command_writes_records_csv_to_stdout_as_the_page_does(db):
    MobilityRecordFactory(full_name="Łukasz\nŻółw", start_date=D(2025, 6, 1))
    MobilityRecordFactory(full_name="@Anna", start_date=D(2025, 2, 1))
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command(
        "export_annual_report", "--year", "2025", "--output", "-", stdout=stdout, stderr=stderr
    )

    assert stdout.getvalue() == records_csv()
    assert [row[3] for row in parse(stdout.getvalue())[1:]] == ["'@Anna", "Łukasz\nŻółw"]
    assert "Wrote 2 records of 2025" in stderr.getvalue()
