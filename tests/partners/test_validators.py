"""Uploads are judged by their content and size, not by their names."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.validators import detect_file_type, validate_document_upload


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("agreement.pdf", PDF, "pdf"),
        ("scan.PNG", PNG, "png"),
        ("photo.jpeg", JPEG, "jpeg"),
        ("photo.jpg", JPEG, "jpeg"),
        ("letter.docx", DOCX, "docx"),
        ("letter.odt", ODT, "odt"),
    ],
)
def test_allowed_documents_pass(name, content, kind):
    upload = SimpleUploadedFile(name, content)
    assert detect_file_type(upload) == kind
    validate_document_upload(upload)  # no exception


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Only PDF, DOCX, ODT, JPEG and PNG"),
        ("page.html", b"<html></html>", "Only PDF, DOCX, ODT, JPEG and PNG"),
        ("no-extension", PDF, "Only PDF, DOCX, ODT, JPEG and PNG"),
        ("renamed.pdf", b"MZ\x90\x00 not a pdf", "does not match its type .pdf"),
        ("image.png", JPEG, "does not match its type .png"),
        ("spreadsheet.docx", zipped({"xl/workbook.xml": b"<x/>"}), "does not match"),
        ("broken.odt", b"PK\x03\x04 broken zip", "does not match"),
    ],
)
def test_files_of_other_types_are_refused_with_a_message(name, content, message):
    with pytest.raises(ValidationError) as refusal:
        validate_document_upload(SimpleUploadedFile(name, content))
    assert message in str(refusal.value)


def test_file_over_the_configured_limit_is_refused(settings):
    settings.MAX_UPLOAD_SIZE = 1024
    with pytest.raises(ValidationError) as refusal:
        validate_document_upload(SimpleUploadedFile("big.pdf", PDF + b"0" * 2048))
    assert "too large" in str(refusal.value)
    assert "The limit is 1.0" in str(refusal.value)
