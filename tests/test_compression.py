"""Pages and CSV go gzipped to browsers that accept it; PDFs and workbooks as they are
(mobility_portal.security.CompressTextMiddleware, issue 17)."""

import datetime
import gzip
import re

import pytest
from django.urls import reverse

from tests.factories import MobilityRecordFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_a_page_goes_gzipped_to_a_browser_that_accepts_it(client_for, office, partner):
    client = client_for(office)
    plain = client.get(reverse("partners:partner-list"))
    compressed = client.get(reverse("partners:partner-list"), **GZIP)

    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    page = gzip.decompress(compressed.content)
    assert partner.name.encode() in page
    assert len(compressed.content) < len(plain.content) / 3


def test_every_compressed_page_masks_its_csrf_token_anew(client):
    """BREACH guesses a secret repeated in every response; the token never repeats."""
    tokens = [
        re.search(
            rb'name="csrfmiddlewaretoken" value="([^"]+)"',
            gzip.decompress(client.get(reverse("login"), **GZIP).content),
        ).group(1)
        for _ in range(3)
    ]
    assert len(set(tokens)) == 3


def test_the_records_csv_goes_gzipped(client_for, office):
    MobilityRecordFactory(start_date=datetime.date(2025, 3, 1))
    response = client_for(office).get(reverse("reports:records-csv", args=[2025]), **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert b"2025" in gzip.decompress(body(response))


def test_pdf_and_workbook_go_as_they_are(client_for, office):
    client = client_for(office)
    for name, signature in (("reports:report-pdf", b"%PDF-"), ("reports:report-xlsx", b"PK")):
        response = client.get(reverse(name, args=[2025]), **GZIP)

        assert response.status_code == 200
        assert "Content-Encoding" not in response
        assert body(response).startswith(signature)
