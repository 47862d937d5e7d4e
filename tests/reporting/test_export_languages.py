"""Exports in the exporter's language: the command's --language, the downloads' request language.

Labels and headers follow the language; the CSV's machine formats (ISO dates, dot decimals) do
not. Tests marked `translated` read our Russian and Belarusian texts, so they need them in
locale/; the others tell the language by country names, which come with the portal.
"""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from core import csv as safe_csv
from partners.choices import Direction
from tests.factories import MobilityRecordFactory

D = datetime.date


@pytest.fixture
def records(agreement, partner, department):
    """Two outgoing trips to Poland in 2025 of 2 and 3 days (2.5 on average) under an agreement
    signed on 14 May 2004."""
    agreement.signed_on = D(2004, 5, 14)
    agreement.valid_from = D(2004, 6, 1)
    agreement.valid_until = D(2030, 12, 31)
    agreement.save()
    return [
        MobilityRecordFactory(
            full_name=name,
            direction=Direction.OUTGOING,
            department=department,
            partner=partner,
            agreement=agreement,
            start_date=start,
            end_date=end,
        )
        for name, start, end in [
            ("Anna", D(2025, 3, 1), D(2025, 3, 2)),
            ("Boris", D(2025, 4, 1), D(2025, 4, 3)),
        ]
    ]


def export(*args) -> list[list[str]]:
    stdout = io.StringIO()
    call_command(
        "export_annual_report",
        "--year",
        "2025",
        "--output",
        "-",
        *args,
        stdout=stdout,
        stderr=io.StringIO(),
    )
    return parse(stdout.getvalue())


def parse(text: str) -> list[list[str]]:
    assert text.startswith(safe_csv.BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(safe_csv.BOM))))


def cells(rows: list[list[str]]) -> set[str]:
    return {cell for row in rows for cell in row}


def assert_machine_formats(rows: list[list[str]]) -> None:
    """ISO dates and dot decimals, nothing written the Russian or Belarusian way."""
    found = cells(rows)
    assert "2.5" in found, "the average of 2 and 3 days, with a dot"
    assert not {"2,5", "14.05.2004", "01.03.2025"} & found
    assert not any(" г." in cell for cell in found), "no dates in words"


def test_records_csv_in_russian_keeps_iso_dates(records):
    rows = export("--language", "ru")

    [anna] = [row for row in rows if row[3] == "Anna"]
    assert anna[7] == "Польша"  # the labels are Russian...
    assert (anna[14], anna[15], anna[16]) == ("2025-03-01", "2025-03-02", "2")  # ...dates not


@pytest.mark.parametrize("language", ["ru", "be"])
def test_summary_csv_keeps_iso_dates_and_dot_decimals_in_every_language(records, language):
    rows = export("--summary", "--language", language)

    assert {"ru": "Польша", "be": "Польшча"}[language] in cells(rows)
    assert_machine_formats(rows)
    [agreement] = [row for row in rows if row[:1] == ["BSMU-UMB-2004"]]
    assert agreement[3] == "2004-05-14"


@pytest.mark.translated
def test_command_with_language_ru_writes_russian_headers_and_labels(records):
    rows = export("--language", "ru")

    assert rows[0][:4] == ["Год", "Направление", "Категория", "ФИО"]
    assert {row[1] for row in rows[1:]} == {"Исходящая"}


@pytest.mark.translated
def test_command_language_defaults_to_language_code(records, settings):
    settings.LANGUAGE_CODE = "ru"

    assert export()[0][0] == "Год"
    assert export("--summary")[0][0] == "Годовой отчёт по академической мобильности 2025"


@pytest.mark.translated
def test_workbook_in_belarusian_names_its_sheets_in_belarusian(records, tmp_path):
    output = tmp_path / "report.xlsx"
    call_command(
        "export_annual_report",
        "--year",
        "2025",
        "--format",
        "xlsx",
        "--language",
        "be",
        "--output",
        str(output),
        stderr=io.StringIO(),
    )

    workbook = load_workbook(output)
    assert workbook.sheetnames[-1] == "Запісы"
    assert workbook["Запісы"]["A1"].value == "Год"


def test_command_refuses_a_language_the_portal_does_not_have(db):
    with pytest.raises(CommandError, match="invalid choice: 'de'"):
        export("--language", "de")


def test_downloads_are_in_the_language_of_the_person_downloading(client_for, office, records):
    office.profile.language = "ru"
    office.profile.save()
    client = client_for(office)

    summary = client.get(reverse("reports:summary-csv", kwargs={"year": 2025}))
    rows = parse(b"".join(summary.streaming_content).decode("utf-8"))
    assert "Польша" in cells(rows)
    assert_machine_formats(rows)

    records_csv = client.get(reverse("reports:records-csv", kwargs={"year": 2025}))
    rows = parse(b"".join(records_csv.streaming_content).decode("utf-8"))
    assert {row[7] for row in rows[1:]} == {"Польша"}
    assert {row[14] for row in rows[1:]} == {"2025-03-01", "2025-04-01"}
