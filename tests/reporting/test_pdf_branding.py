"""The PDF as a deployment makes it: the university's logo on the cover, the stylesheet found
among the hashed static files of the manifest storage (issue 17)."""

import datetime
import json
import shutil
import subprocess

import pytest
from django.conf import settings as django_settings
from django.templatetags.static import static
from django.urls import reverse
from PIL import Image

from reporting.pdf import static_file_path
from tests.factories import MobilityRecordFactory
from tests.reporting.test_pdf import pdf_bytes, pdf_text

LOGO_SIZE = (73, 41)  # a size no other picture in the document has


@pytest.fixture
def records(db):
    MobilityRecordFactory(start_date=datetime.date(2025, 3, 1))


@pytest.fixture
def logo(settings, tmp_path):
    """A PNG logo among the static files (STATICFILES_DIRS), named by UNIVERSITY_LOGO."""
    (tmp_path / "img").mkdir()
    Image.new("RGB", LOGO_SIZE, "#004d40").save(tmp_path / "img" / "university-logo.png")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    settings.UNIVERSITY_LOGO = "img/university-logo.png"
    settings.UNIVERSITY_NAME = "Test State Medical University"


def pdf_images(content: bytes) -> list[tuple[int, int]]:
    """(width, height) of every image in the PDF, as poppler's pdfimages lists them."""
    listing = subprocess.run(
        ["pdfimages", "-list", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    rows = [line.split() for line in listing.splitlines()[2:]]
    return [(int(row[3]), int(row[4])) for row in rows]


def test_pdf_cover_shows_the_university_name_and_its_logo(client_for, office, records, logo):
    content = pdf_bytes(client_for(office).get(reverse("reports:report-pdf", args=[2025])))

    first_page = pdf_text(content).split("\f")[0]
    assert "Test State Medical University" in first_page
    assert LOGO_SIZE in pdf_images(content)


def test_pdf_has_no_picture_without_a_logo(client_for, office, records, settings):
    settings.UNIVERSITY_LOGO = ""
    content = pdf_bytes(client_for(office).get(reverse("reports:report-pdf", args=[2025])))

    assert pdf_images(content) == []


def test_pdf_leaves_out_a_logo_on_another_server(client_for, office, records, settings):
    # The document fetches nothing over the network: an https logo is for the pages only.
    settings.UNIVERSITY_LOGO = "https://cdn.example.org/logo.png"
    response = client_for(office).get(reverse("reports:report-pdf", args=[2025]))

    assert pdf_images(pdf_bytes(response)) == []


def test_the_stylesheet_is_found_among_the_hashed_static_files_of_a_deployment(settings, tmp_path):
    """With the manifest storage (DEBUG off), static files are renamed with their hash."""
    shutil.copy(
        django_settings.BASE_DIR / "static/css/report-pdf.css",
        tmp_path / "report-pdf.0123456789ab.css",
    )
    manifest = {"paths": {"css/report-pdf.css": "report-pdf.0123456789ab.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }

    url = static("css/report-pdf.css")
    assert url == "/static/report-pdf.0123456789ab.css"
    assert static_file_path(f"file://{url}") == str(tmp_path / "report-pdf.0123456789ab.css")
