"""The report pages and downloads: who may see them, what they show, what they cost."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from partners.choices import Direction
from people.choices import Category
from reporting.tables import department_label
from tests.factories import MobilityRecordFactory, PartnerFactory

D = datetime.date


@pytest.fixture
def records(db, department, other_department, agreement):
    """2025: two outgoing from our department, one incoming hosted by the other department."""
    return [
        MobilityRecordFactory(
            full_name="Anna Kowalska",
            department=department,
            agreement=agreement,
            partner=agreement.partner,
            start_date=D(2025, 3, 1),
        ),
        MobilityRecordFactory(
            full_name="Boris Ivanov",
            department=department,
            partner=agreement.partner,
            start_date=D(2025, 12, 31),
        ),
        MobilityRecordFactory(
            full_name="Clara Schmidt",
            department=other_department,
            direction=Direction.INCOMING,
            start_date=D(2025, 6, 1),
        ),
        MobilityRecordFactory(
            full_name="Dmitry Last-Year", department=department, start_date=D(2024, 5, 1)
        ),
    ]


def detail_url(year=2025, **params):
    url = reverse("reports:detail", kwargs={"year": year})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def csv_rows(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


ALL_URL_NAMES = ["detail", "records-csv", "summary-csv", "report-xlsx", "report-pdf"]


# --- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["index", *ALL_URL_NAMES])
def test_anonymous_visitor_is_sent_to_sign_in(client, db, name):
    kwargs = {} if name == "index" else {"year": 2025}
    url = reverse(f"reports:{name}", kwargs=kwargs)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("user", ["staff_member", "student"])
@pytest.mark.parametrize("name", ["index", *ALL_URL_NAMES])
def test_staff_and_students_are_refused(request, client_for, name, user):
    kwargs = {} if name == "index" else {"year": 2025}

    response = client_for(request.getfixturevalue(user)).get(
        reverse(f"reports:{name}", kwargs=kwargs)
    )

    assert response.status_code == 403


def test_office_sees_the_whole_university(client_for, office, records):
    response = client_for(office).get(detail_url())

    assert response.status_code == 200
    assert response.context["report"].totals.current == 3
    assert "Whole university" in response.content.decode()


def test_office_may_narrow_to_one_department(client_for, office, records, other_department):
    response = client_for(office).get(detail_url(department=other_department.pk))

    report = response.context["report"]
    assert report.totals.current == 1
    assert department_label(report) == other_department.name
    assert f"department={other_department.pk}" in response.context["downloads"]["records"]


def test_coordinator_sees_only_their_department(client_for, coordinator, records, department):
    response = client_for(coordinator).get(detail_url())

    report = response.context["report"]
    assert report.totals.current == 2
    assert department_label(report) == department.name
    assert "Clara Schmidt" not in response.content.decode()


def test_coordinator_cannot_lift_the_department_filter(
    client_for, coordinator, records, other_department
):
    client = client_for(coordinator)

    page = client.get(detail_url(department=other_department.pk))
    rows = csv_rows(
        client.get(
            reverse("reports:records-csv", kwargs={"year": 2025})
            + f"?department={other_department.pk}"
        )
    )
    empty = client.get(detail_url(department=""))

    assert page.context["report"].totals.current == 2
    assert [row[3] for row in rows[1:]] == ["Anna Kowalska", "Boris Ivanov"]
    assert empty.context["report"].totals.current == 2


def test_bad_department_parameter_is_ignored(client_for, office, records):
    response = client_for(office).get(detail_url(department="nonsense"))

    assert response.status_code == 200
    assert response.context["report"].totals.current == 3


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [1989, 2101, 0, 99999])
@pytest.mark.parametrize("name", ALL_URL_NAMES)
def test_year_out_of_range_is_not_found(client_for, office, name, year):
    response = client_for(office).get(reverse(f"reports:{name}", kwargs={"year": year}))

    assert response.status_code == 404


def test_year_that_is_not_a_number_is_not_found(client_for, office):
    response = client_for(office).get("/reports/twenty/")

    assert response.status_code == 404


@pytest.mark.parametrize("name", ALL_URL_NAMES)
def test_unknown_period_is_a_bad_request(client_for, office, name):
    url = reverse(f"reports:{name}", kwargs={"year": 2025}) + "?period=fiscal"

    response = client_for(office).get(url)

    assert response.status_code == 400


def test_unknown_period_on_index_is_a_bad_request(client_for, office):
    response = client_for(office).get(reverse("reports:index") + "?period=weekly")

    assert response.status_code == 400


# --- the pages -------------------------------------------------------------------------------


def test_index_lists_years_with_records_newest_first(client_for, office, records):
    response = client_for(office).get(reverse("reports:index"))

    assert response.status_code == 200
    years = [(point.year, point.total) for point, url in response.context["years"]]
    assert years == [(2025, 3), (2024, 1)]
    assert reverse("reports:detail", kwargs={"year": 2025}) in response.content.decode()


def test_index_by_academic_year(client_for, office, records):
    response = client_for(office).get(reverse("reports:index") + "?period=academic")

    years = [(point.label, point.total) for point, url in response.context["years"]]
    # 2025-12-31 starts in 2025/26; 2025-03-01 and 2025-06-01 in 2024/25; 2024-05-01 in 2023/24.
    assert years == [("2025/26", 1), ("2024/25", 2), ("2023/24", 1)]
    assert "period=academic" in response.context["years"][0][1]


def test_report_page_shows_figures_charts_and_downloads(client_for, office, records):
    response = client_for(office).get(detail_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 3
    assert re.findall(r"<script[^>]*>", html) == re.findall(r"<script src=[^>]*>", html)
    assert ' style="' not in html
    assert "<style" not in html  # the charts carry presentation attributes, not a stylesheet
    assert "Participants by country where the mobility took place" in html
    assert "Medical University of Bialystok" in html
    for name in ("records-csv", "summary-csv", "report-xlsx"):
        assert reverse(f"reports:{name}", kwargs={"year": 2025}) in html
    assert detail_url(2024) in html
    assert detail_url(2026) in html


def test_report_page_links_keep_the_period(client_for, office, records):
    response = client_for(office).get(detail_url(period="academic"))

    html = response.content.decode()
    assert response.context["report"].label == "2025/26"
    assert reverse("reports:records-csv", kwargs={"year": 2025}) + "?period=academic" in html
    assert detail_url(2024, period="academic") in html


def test_year_without_records_says_so_instead_of_a_report_of_zeros(client_for, office):
    response = client_for(office).get(detail_url(1995))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["report"].is_empty
    assert "No mobility is recorded for 1995: there are no figures to report." in html
    assert "<svg" not in html
    assert "report-table" not in html
    assert reverse("reports:records-csv", kwargs={"year": 1995}) in html  # headers to download


def test_year_without_records_still_downloads_files_with_their_headers(client_for, office):
    from openpyxl import load_workbook

    client = client_for(office)

    records = csv_rows(client.get(reverse("reports:records-csv", kwargs={"year": 1995})))
    summary = csv_rows(client.get(reverse("reports:summary-csv", kwargs={"year": 1995})))
    response = client.get(reverse("reports:report-xlsx", kwargs={"year": 1995}))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))

    assert records == [records[0]] and records[0][:3] == ["Year", "Direction", "Category"]
    assert ["Category", "Outgoing 1995"] in [row[:2] for row in summary]
    sheet = workbook["Records"]
    assert [cell.value for cell in sheet[1]][:2] == ["Year", "Direction"]
    assert sheet.max_row == 1
    assert workbook["Categories"]["A1"].value == "Category"


@pytest.mark.parametrize("count", [5, 50])
def test_report_page_queries_do_not_grow_with_records(
    client_for, office, agreement, count, django_assert_max_num_queries
):
    MobilityRecordFactory.create_batch(
        count, agreement=agreement, partner=agreement.partner, start_date=D(2025, 4, 1)
    )
    client = client_for(office)

    # Session, user with its roles; the data version the cached figures are keyed by (one more
    # than before the cache); six figure queries (the small figures, partners, departments,
    # agreements, trend, archived records); the department choices of the form; savepoint,
    # update and release of the session, saved on every request.
    with django_assert_max_num_queries(13):
        response = client.get(detail_url())

    assert response.context["report"].totals.current == count

    # Warm: the figures come from the cache; session, user, data version, the form's choices.
    with django_assert_max_num_queries(4):
        warm = client.get(detail_url())
    assert warm.context["content"] == response.context["content"]


@pytest.mark.parametrize("count", [5, 50])
def test_index_queries_do_not_grow_with_records(
    client_for, office, count, django_assert_max_num_queries
):
    for year in range(2025 - count // 5, 2025):
        MobilityRecordFactory.create_batch(5, start_date=D(year, 4, 1))
    client = client_for(office)

    # Session, user; the first and last start dates, the counts per year and direction; when the
    # session is saved, a savepoint, its update and the release.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("reports:index"))

    assert len(response.context["years"]) == count // 5


# --- downloads -------------------------------------------------------------------------------


def test_records_csv_is_an_attachment_named_after_the_year(client_for, office, records):
    response = client_for(office).get(reverse("reports:records-csv", kwargs={"year": 2025}))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="mobility-records-2025.csv"'
    rows = csv_rows(response)
    assert len(rows) == 4


def test_academic_download_names_the_period(client_for, office, records):
    url = reverse("reports:records-csv", kwargs={"year": 2025}) + "?period=academic"

    response = client_for(office).get(url)

    assert "mobility-records-2025-academic.csv" in response["Content-Disposition"]
    assert [row[3] for row in csv_rows(response)[1:]] == ["Boris Ivanov"]


def test_summary_csv_totals_equal_the_page(client_for, office, records):
    client = client_for(office)

    response = client.get(reverse("reports:summary-csv", kwargs={"year": 2025}))
    page = client.get(detail_url())

    rows = csv_rows(response)
    assert 'filename="mobility-summary-2025.csv"' in response["Content-Disposition"]
    title = rows.index(["Participants by direction and category"])
    header = rows[title + 1]
    assert header[:4] == ["Category", "Outgoing 2025", "Incoming 2025", "Total 2025"]
    total_row = rows[title + 2 + len(Category)]
    assert total_row[0] == "Total"
    assert int(total_row[3]) == page.context["report"].totals.current == 3


def test_report_xlsx_opens_with_records_and_a_sheet_per_table(client_for, office, records):
    from openpyxl import load_workbook

    response = client_for(office).get(reverse("reports:report-xlsx", kwargs={"year": 2025}))

    assert response.status_code == 200
    assert 'filename="mobility-report-2025.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[-1] == "Records"
    assert len(workbook.sheetnames) == 13  # the cover, eleven tables, the records
    assert workbook["Records"].max_row == 4
    assert workbook["Categories"]["D8"].value == 3  # the total row, as a number


def test_report_xlsx_over_the_limit_sends_people_to_the_csv(
    client_for, office, records, monkeypatch
):
    monkeypatch.setattr("reporting.views.XLSX_MAX_RECORDS", 0)

    response = client_for(office).get(
        reverse("reports:report-xlsx", kwargs={"year": 2025}) + "?period=academic", follow=True
    )

    assert response.redirect_chain[0][0] == detail_url(period="academic")
    messages = [str(message) for message in response.context["messages"]]
    assert any("records.csv" in message for message in messages)


@pytest.mark.parametrize("count", [5, 50])
def test_downloads_queries_do_not_grow_with_records(
    client_for, office, agreement, count, django_assert_max_num_queries
):
    MobilityRecordFactory.create_batch(
        count, agreement=agreement, partner=agreement.partner, start_date=D(2025, 4, 1)
    )
    client = client_for(office)

    # Session, user, office group, then one query for the records; the session saved (3).
    with django_assert_max_num_queries(7):
        response = client.get(reverse("reports:records-csv", kwargs={"year": 2025}))
        rows = csv_rows(response)
    # Session, user with its roles, six figure queries; the session saved (3).
    with django_assert_max_num_queries(11):
        client.get(reverse("reports:summary-csv", kwargs={"year": 2025}))
    # Session, user with its roles, the count, six figure queries, the records; the session (3).
    with django_assert_max_num_queries(13):
        client.get(reverse("reports:report-xlsx", kwargs={"year": 2025}))

    assert len(rows) == count + 1


def test_long_tables_show_their_first_rows_and_point_to_the_downloads(
    client_for, office, monkeypatch
):
    from reporting import tables

    monkeypatch.setattr(tables, "PAGE_ROWS", 2)
    for number in range(3):
        MobilityRecordFactory(
            partner=PartnerFactory(name=f"Partner number {number}"), start_date=D(2025, 2, 1)
        )

    response = client_for(office).get(detail_url())

    html = response.content.decode()
    partners = next(
        table for table, chart in response.context["sections"] if table.key == "partners"
    )
    assert len(partners.rows) == 3
    assert partners.rows_not_shown == 1
    assert html.count("Partner number") == 2
    assert "One more row is in the downloads" in html


def test_semicolon_downloads_are_offered_and_keep_the_period(client_for, office, records):
    html = client_for(office).get(detail_url(period="academic")).content.decode()

    assert "CSV for Excel, semicolon" in html
    url = reverse("reports:records-csv", kwargs={"year": 2025})
    assert f"{url}?period=academic&amp;delimiter=semicolon" in html


def test_semicolon_csv_has_decimal_commas_a_bom_and_its_columns(client_for, office, records):
    client = client_for(office)

    records_response = client.get(
        reverse("reports:records-csv", kwargs={"year": 2025}) + "?delimiter=semicolon"
    )
    summary_response = client.get(
        reverse("reports:summary-csv", kwargs={"year": 2025}) + "?delimiter=semicolon"
    )

    text = b"".join(records_response.streaming_content).decode("utf-8")
    assert text.startswith('\ufeff"Year";"Direction";"Category";')
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert len(rows) == 4 and all(len(row) == len(rows[0]) for row in rows)
    summary = b"".join(summary_response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(summary), delimiter=";") for cell in row]
    assert any(re.fullmatch(r"\d+,\d", cell) for cell in cells)  # average days
    assert not any(re.fullmatch(r"\d+\.\d+", cell) for cell in cells)


def test_comma_csv_stays_the_default(client_for, office, records):
    response = client_for(office).get(reverse("reports:summary-csv", kwargs={"year": 2025}))

    cells = [cell for row in csv_rows(response) for cell in row]
    assert any(re.fullmatch(r"\d+\.\d", cell) for cell in cells)


def test_printed_report_has_a_header_with_the_university_and_the_period(
    client_for, office, records, settings
):
    settings.UNIVERSITY_NAME = "Test State Medical University"

    html = client_for(office).get(detail_url()).content.decode()

    header = html[html.index('<div class="print-header">') :]
    header = header[: header.index("</div>")]
    assert "Test State Medical University" in header
    assert "Annual report 2025" in header and "Whole university" in header


def test_print_stylesheet_leaves_out_navigation_filters_and_buttons():
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()
    printed = css[css.index("@media print") :]
    for hidden in ("body > header", "body > footer", ".language-switcher", ".report-controls"):
        assert hidden in printed
    assert ".btn" in printed and 'form[role="search"]' in printed
    assert "size: A4" in printed
