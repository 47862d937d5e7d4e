"""report.pdf as the rector gets it: A4, the university, the period, the figures, page numbers on
every page, no table row cut in two, in the reader's language; a clear page where the server
cannot make PDFs."""

import datetime
import io
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from partners.choices import Direction
from reporting.figures import build_annual_report
from reporting.pdf import PdfWriter, ReportDocument, static_file_path
from tests.factories import MobilityRecordFactory, PartnerFactory

D = datetime.date


@pytest.fixture(autouse=True)
def _university(settings):
    settings.UNIVERSITY_NAME = "Test State Medical University"


@pytest.fixture
def records(db, department, agreement):
    MobilityRecordFactory(
        department=department,
        agreement=agreement,
        partner=agreement.partner,
        start_date=D(2025, 3, 1),
        end_date=D(2025, 3, 14),
    )
    MobilityRecordFactory(
        direction=Direction.INCOMING,
        partner=None,
        country="DE",
        start_date=D(2025, 6, 1),
        end_date=D(2025, 6, 3),
    )
    MobilityRecordFactory(partner=None, country="LT", start_date=D(2025, 9, 1))
    MobilityRecordFactory(start_date=D(2024, 5, 1))


def pdf_url(year=2025, query=""):
    return reverse("reports:report-pdf", kwargs={"year": year}) + query


def pdf_bytes(response) -> bytes:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def pdf_text(content: bytes, *options: str) -> str:
    result = subprocess.run(
        ["pdftotext", *options, "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def pdf_info(content: bytes) -> str:
    return subprocess.run(
        ["pdfinfo", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_pdf_names_the_university_year_period_and_total_on_a4(client_for, office, records):
    content = pdf_bytes(client_for(office).get(pdf_url()))
    text = pdf_text(content)

    assert "Test State Medical University" in text
    assert "Annual mobility report 2025" in text
    assert "Headline figures" in text
    assert re.search(r"Participants\s+3\s+1\s+2", text)  # 2025, 2024, change
    assert "Ten-year trend" in text
    info = pdf_info(content)
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    assert content.startswith(b"%PDF-")


def test_every_page_carries_the_university_the_period_and_page_x_of_y(client_for, office, records):
    content = pdf_bytes(client_for(office).get(pdf_url()))
    pages = pdf_text(content).split("\f")[:-1]

    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "Test State Medical University" in page
        assert "Annual mobility report 2025" in page
        assert f"Page {number} of {len(pages)}" in page


def test_pdf_in_russian_for_a_reader_who_reads_russian(client_for, office, records):
    office.profile.language = "ru"
    office.profile.save()

    text = pdf_text(pdf_bytes(client_for(office).get(pdf_url())))

    assert "Годовой отчёт о мобильности" in text or "отчёт" in text.lower()
    assert "Германия" in text
    assert re.search(r"Страница 1 из \d+", text)


def test_academic_period_and_department_narrow_the_pdf(client_for, office, records, department):
    query = f"?period=academic&department={department.pk}"
    text = pdf_text(pdf_bytes(client_for(office).get(pdf_url(query=query))))

    assert "2025/26" in text
    assert department.name in text


def test_unknown_period_is_a_bad_request(client_for, office, db):
    assert client_for(office).get(pdf_url(query="?period=fiscal")).status_code == 400


def test_year_out_of_range_is_not_found(client_for, office, db):
    assert client_for(office).get(pdf_url(year=1200)).status_code == 404


def test_coordinator_gets_only_their_departments(client_for, coordinator, records, department):
    response = client_for(coordinator).get(pdf_url())

    assert department.name in pdf_text(pdf_bytes(response))


def test_a_year_without_data_says_so(client_for, office, db):
    text = pdf_text(pdf_bytes(client_for(office).get(pdf_url(year=2019))))

    assert "No mobility is recorded for 2019" in text


def test_pdf_view_makes_the_same_number_of_queries_for_many_records(
    client_for, office, department, django_assert_max_num_queries
):
    client = client_for(office)
    MobilityRecordFactory(department=department, start_date=D(2025, 2, 1))
    client.get(pdf_url())  # warm: the session and the person
    MobilityRecordFactory.create_batch(30, start_date=D(2025, 4, 1))
    PartnerFactory.create_batch(5)
    # The session, the person with roles; the report's six grouped queries; the trend.
    with django_assert_max_num_queries(12):
        response = client.get(pdf_url())
    assert response.status_code == 200


class _NoPango:
    """An import finder that fails as WeasyPrint does on a machine without Pango."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': No such file or directory")
        return None


@pytest.fixture
def without_pango(monkeypatch):
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])


def test_without_pango_the_pdf_page_says_what_to_install(
    client_for, office, records, without_pango
):
    response = client_for(office).get(pdf_url())

    assert response.status_code == 503
    text = response.content.decode()
    assert "libpango-1.0-0" in text
    assert "fonts-dejavu-core" in text
    assert reverse("reports:detail", kwargs={"year": 2025}) in text


def test_without_pango_the_page_is_in_the_readers_language(
    client_for, office, records, without_pango
):
    office.profile.language = "ru"
    office.profile.save()

    response = client_for(office).get(pdf_url())

    assert response.status_code == 503
    assert "PDF" in response.content.decode()
    assert "не установлены" in response.content.decode()


def test_report_page_links_the_pdf(client_for, office, records):
    page = client_for(office).get(reverse("reports:detail", kwargs={"year": 2025})).content.decode()

    assert pdf_url() in page


def test_the_document_fetches_only_static_files(settings):
    assert static_file_path("file:///static/css/report-pdf.css").endswith("report-pdf.css")
    assert static_file_path("file:///etc/passwd") is None
    assert static_file_path("file:///static/../mobility_portal/settings.py") is None
    assert static_file_path("file:///static/css/no-such-file.css") is None


def test_no_table_row_is_split_across_pages(db, department):
    """Three hundred partners: the partners' table runs over several pages, each row whole on
    one, the header repeated on every page the table covers."""
    for number in range(300):
        partner = PartnerFactory(name=f"Partner {number:03d}")
        MobilityRecordFactory(partner=partner, department=department, start_date=D(2025, 5, 1))
    stream = io.BytesIO()
    PdfWriter().write(ReportDocument(build_annual_report(2025)), stream)

    layout = pdf_text(stream.getvalue(), "-layout")
    pages = layout.split("\f")
    numbers_seen = []
    for page in pages:
        for line in page.splitlines():
            match = re.search(r"Partner (\d{3})\s+(\S.*)$", line)
            if match:
                # The whole row on one line: the name, its country and the seven numbers.
                assert len(match.group(2).split()) >= 7, line
                numbers_seen.append(int(match.group(1)))
    assert sorted(numbers_seen) == list(range(300))
    partner_pages = [page for page in pages if re.search(r"Partner \d{3}", page)]
    assert len(partner_pages) > 3
    assert all("Partner institution" in page for page in partner_pages)


def _row_boxes(box):
    """The body rows laid out on a page (the header repeats on every page by design)."""
    if getattr(box, "is_header", False):
        return
    if type(box).__name__ == "TableRowBox":
        yield box
    for child in getattr(box, "children", []):
        yield from _row_boxes(child)


def test_long_table_rows_are_laid_out_whole_on_one_page(db, department):
    """Partners with names long enough to take three lines: a row cut by a page break would
    leave boxes of the same row on two pages."""
    for number in range(120):
        partner = PartnerFactory(
            name=f"Partner {number:03d}, a university with a name long enough to wrap in its cell"
        )
        MobilityRecordFactory(partner=partner, department=department, start_date=D(2025, 5, 1))

    pages = PdfWriter().render(ReportDocument(build_annual_report(2025))).pages

    pages_of_row = {}
    for number, page in enumerate(pages):
        for row in _row_boxes(page._page_box):
            pages_of_row.setdefault(id(row.element), set()).add(number)
    assert len(pages) > 5
    assert pages_of_row
    assert all(len(numbers) == 1 for numbers in pages_of_row.values())


def _boxes(box, kind: str):
    if type(box).__name__ == kind:
        yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child, kind)


def test_every_table_fits_the_page_width_in_russian(db, department, agreement):
    """Russian headers are long ("Исходящая, 2025"): the tables still end within the margin."""
    for number in range(12):
        partner = PartnerFactory(name=f"Государственный медицинский университет номер {number}")
        MobilityRecordFactory(partner=partner, department=department, start_date=D(2025, 5, 1))
    with translation.override("ru"):
        pages = PdfWriter().render(ReportDocument(build_annual_report(2025))).pages

    tables = 0
    for page in pages:
        body = page._page_box.children[0]  # the html element's box, within the margins
        right_edge = body.content_box_x() + body.width
        for table in _boxes(page._page_box, "TableBox"):
            tables += 1
            assert table.content_box_x() + table.width <= right_edge + 0.5
    assert tables >= 10


def test_command_writes_the_pdf(records, tmp_path):
    output = tmp_path / "report.pdf"
    call_command("export_annual_report", "--year", "2025", "--format", "pdf", "--output", output)

    text = pdf_text(output.read_bytes())
    assert "Test State Medical University" in text


def test_command_writes_the_pdf_in_russian(records, tmp_path):
    output = tmp_path / "report.pdf"
    call_command(
        "export_annual_report",
        "--year",
        "2025",
        "--format",
        "pdf",
        "--language",
        "ru",
        "--output",
        output,
    )

    assert "Германия" in pdf_text(output.read_bytes())
