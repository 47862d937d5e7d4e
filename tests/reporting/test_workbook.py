"""report.xlsx as the rector gets it: a cover, formatted sheets, native charts, print set-up."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from openpyxl import load_workbook

from partners.choices import Direction
from tests.factories import MobilityRecordFactory

D = datetime.date


@pytest.fixture
def records(db, department, agreement):
    MobilityRecordFactory(
        full_name="Anna Kowalska",
        department=department,
        agreement=agreement,
        partner=agreement.partner,
        start_date=D(2025, 3, 1),
        end_date=D(2025, 3, 14),
    )
    MobilityRecordFactory(
        full_name="Clara Schmidt",
        direction=Direction.INCOMING,
        partner=None,
        country="DE",
        start_date=D(2025, 6, 1),
        end_date=D(2025, 6, 3),
    )
    MobilityRecordFactory(full_name="Last Year", start_date=D(2024, 5, 1))


def workbook_bytes(client, year=2025) -> bytes:
    response = client.get(reverse("reports:report-xlsx", kwargs={"year": year}))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def content(client_for, office, records, settings):
    settings.UNIVERSITY_NAME = "Test State Medical University"
    return workbook_bytes(client_for(office))


def test_cover_names_the_university_title_period_author_and_headline_figures(content, office):
    cover = load_workbook(io.BytesIO(content))["Cover"]
    text = {cell.value for row in cover.iter_rows() for cell in row if cell.value is not None}

    assert cover["A1"].value == "Test State Medical University"
    assert cover["A2"].value == "Annual mobility report 2025"
    first, last = (
        date_format(D(2025, 1, 1), "DATE_FORMAT"),
        date_format(D(2025, 12, 31), "DATE_FORMAT"),
    )
    assert f"{first} – {last}" in text
    assert (office.get_full_name() or office.get_username()) in text
    participants = next(row for row in cover.iter_rows() if row[0].value == "Participants")
    assert [cell.value for cell in participants[:3]] == ["Participants", 2, 1]


def test_every_table_sheet_has_a_frozen_bold_header_a_filter_and_fitted_widths(content):
    workbook = load_workbook(io.BytesIO(content))

    for sheet in workbook.worksheets[1:]:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet["A1"].font.bold, sheet.title
        assert sheet.column_dimensions["A"].customWidth, sheet.title  # fitted, not the default
        assert sheet.print_title_rows.replace("$", "") == "1:1", sheet.title


def test_every_sheet_prints_on_a4_one_page_wide_with_the_university_and_page_numbers(content):
    workbook = load_workbook(io.BytesIO(content))

    for sheet in workbook.worksheets:
        assert sheet.page_setup.paperSize == 9, sheet.title  # A4
        # One page wide (1 is the default, which the file leaves out), as many long as needed.
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        footer = sheet.oddFooter
        assert "Test State Medical University" in footer.left.text
        assert "2025" in footer.center.text
        assert footer.right.text == "Page &P of &N"
    assert workbook["Records"].page_setup.orientation == "landscape"


def test_records_sheet_has_real_dates_and_numbers(content):
    records = load_workbook(io.BytesIO(content))["Records"]
    header = [cell.value for cell in records[1]]
    start, end, days = header.index("Start"), header.index("End"), header.index("Days")

    anna = next(row for row in records.iter_rows(min_row=2) if row[3].value == "Anna Kowalska")

    assert anna[start].is_date and anna[start].value.date() == D(2025, 3, 1)
    assert anna[end].is_date and anna[end].value.date() == D(2025, 3, 14)
    assert anna[days].value == 14 and anna[days].data_type == "n"
    assert anna[0].value == 2025 and anna[0].number_format == "0"
    assert anna[header.index("Mobility country code")].value == "PL"
    assert records.column_dimensions["D"].width >= len("Anna Kowalska")  # the full name, fitted


def test_workbook_draws_native_charts_of_the_main_breakdowns(content):
    charts = [
        name
        for name in zipfile.ZipFile(io.BytesIO(content)).namelist()
        if name.startswith("xl/charts/chart")
    ]
    assert len(charts) >= 3


def test_workbook_of_a_year_without_records_says_so_on_its_cover(client_for, office):
    content = workbook_bytes(client_for(office), year=1995)
    workbook = load_workbook(io.BytesIO(content))

    texts = [cell.value for row in workbook["Cover"].iter_rows() for cell in row]
    assert any(str(text).startswith("No mobility is recorded") for text in texts if text)
    assert workbook["Records"].max_row == 1
    assert not [n for n in zipfile.ZipFile(io.BytesIO(content)).namelist() if "charts/" in n]
