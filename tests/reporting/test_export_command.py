"""The export_annual_report command writes the same files as the downloads."""

import csv
import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from core import csv as safe_csv
from reporting.management.commands import export_annual_report
from tests.factories import MobilityRecordFactory

D = datetime.date


@pytest.fixture
def records(db, department, other_department):
    return [
        MobilityRecordFactory(
            full_name="Анна Ковальская", department=department, start_date=D(2025, 1, 1)
        ),
        MobilityRecordFactory(
            full_name="=cmd|' /C calc'!A0", department=department, start_date=D(2025, 9, 1)
        ),
        MobilityRecordFactory(
            full_name="Other Department", department=other_department, start_date=D(2025, 5, 5)
        ),
        MobilityRecordFactory(full_name="Last Year", start_date=D(2024, 5, 5)),
    ]


def run(*args):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export_annual_report", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def read_csv(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith(safe_csv.BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(safe_csv.BOM))))


def test_command_writes_records_csv_under_the_download_name(records, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    _, stderr = run("--year", "2025")

    rows = read_csv(tmp_path / "mobility-records-2025.csv")
    assert rows[0][:4] == ["Year", "Direction", "Category", "Full name"]
    assert sorted(row[3] for row in rows[1:]) == sorted(
        ["Анна Ковальская", "'=cmd\\|' /C calc'!A0", "Other Department"]
    )
    assert "Wrote 3 records of 2025 (calendar, whole university)" in stderr


def test_command_writes_the_academic_year_of_one_department(records, department, tmp_path):
    output = tmp_path / "out.csv"

    run(
        "--year",
        "2025",
        "--period",
        "academic",
        "--department",
        str(department.pk),
        "--output",
        str(output),
    )

    rows = read_csv(output)
    assert [row[14] for row in rows[1:]] == ["2025-09-01"]


def test_command_writes_the_workbook(records, tmp_path):
    output = tmp_path / "report.xlsx"

    _, stderr = run("--year", "2025", "--format", "xlsx", "--output", str(output))

    workbook = load_workbook(output)
    assert workbook.sheetnames[-1] == "Records"
    assert workbook["Records"].max_row == 4
    injected = [row[3].value for row in workbook["Records"].iter_rows(min_row=2)]
    assert "'=cmd\\|' /C calc'!A0" in injected
    assert workbook["Categories"]["D8"].value == 3
    assert "Wrote 3 records" in stderr


def test_command_writes_the_summary_to_stdout(records):
    stdout, stderr = run("--year", "2025", "--summary", "--output", "-")

    assert stdout.startswith(safe_csv.BOM)
    rows = list(csv.reader(io.StringIO(stdout.removeprefix(safe_csv.BOM))))
    assert ["Participants by direction and category"] in rows
    assert "figure tables" in stderr


def test_command_for_a_year_without_records_writes_headers_only(db, tmp_path):
    output = tmp_path / "empty.csv"

    _, stderr = run("--year", "1999", "--output", str(output))

    assert len(read_csv(output)) == 1
    assert "Wrote 0 records" in stderr


def test_command_reports_progress_on_big_exports(records, tmp_path, monkeypatch):
    monkeypatch.setattr(export_annual_report, "PROGRESS_EVERY", 2)

    _, stderr = run("--year", "2025", "--output", str(tmp_path / "out.csv"))

    assert "2 records…" in stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--year", "1800"],
        ["--year", "2025", "--department", "999999"],
        ["--year", "2025", "--format", "xlsx", "--output", "-"],
        ["--year", "2025", "--format", "xlsx", "--summary"],
    ],
)
def test_command_refuses_bad_arguments(db, args):
    with pytest.raises(CommandError):
        run(*args)


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_command_refuses_an_output_in_a_missing_folder(records, tmp_path, format):
    output = tmp_path / "missing" / f"out.{format}"

    with pytest.raises(CommandError, match="does not exist"):
        run("--year", "2025", "--format", format, "--output", str(output))

    assert not output.parent.exists()


def test_command_refuses_a_workbook_over_the_limit(records, tmp_path, monkeypatch):
    monkeypatch.setattr(export_annual_report, "XLSX_MAX_RECORDS", 1)

    with pytest.raises(CommandError, match="use --format csv"):
        run("--year", "2025", "--format", "xlsx", "--output", str(tmp_path / "x.xlsx"))

    assert not (tmp_path / "x.xlsx").exists()


def test_command_writes_the_semicolon_form_with_decimal_commas(records, tmp_path):
    records_file, summary_file = tmp_path / "records.csv", tmp_path / "summary.csv"

    run("--year", "2025", "--delimiter", ";", "--output", str(records_file))
    run("--year", "2025", "--summary", "--delimiter", ";", "--output", str(summary_file))

    text = records_file.read_text(encoding="utf-8")
    assert text.startswith(safe_csv.BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(safe_csv.BOM)), delimiter=";"))
    assert rows[0][:3] == ["Year", "Direction", "Category"]
    assert "'=cmd|' /C calc'!A0" not in [row[3] for row in rows]  # still defused
    assert "'=cmd\\|' /C calc'!A0" in [row[3] for row in rows]
    summary = summary_file.read_text(encoding="utf-8").removeprefix(safe_csv.BOM)
    durations = list(csv.reader(io.StringIO(summary), delimiter=";"))
    assert ["Total", "3", "42", "14,0"] in [row[:4] for row in durations]  # average days
    assert not [cell for row in durations for cell in row if re.fullmatch(r"\d+\.\d+", cell)]


def test_command_refuses_a_semicolon_workbook(records, tmp_path):
    with pytest.raises(CommandError):
        run("--year", "2025", "--format", "xlsx", "--delimiter", ";", "--output", "x.xlsx")
