"""Uploads are judged by their content and size, not by their names."""

import bz2
import io
import random
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import uploads
from core.uploads import ODT_MIMETYPE, detect_file_type, validate_document_upload


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


# Decompression bombs: judged from the archive's directory, nothing inflated.

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BZIP2_BOMB = (FIXTURES / "bzip2-bomb.zip").read_bytes()  # 3 KB, `mimetype` inflates to 4 GiB
DEFLATE_BOMB = (FIXTURES / "deflate-bomb.zip").read_bytes()  # 1 MB, inflates to 1 GiB
# What the check may read of any file: the end record's search window, the central directory,
# one block of the stored `mimetype`, with room to spare.
READ_BOUND = 400 * 1024


class CountingFile(io.BytesIO):
    """A file that counts the bytes read from it."""

    bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def counted_upload(name: str, content: bytes) -> SimpleUploadedFile:
    upload = SimpleUploadedFile(name, b"")
    upload.file = CountingFile(content)
    upload.size = len(content)
    return upload


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bomb.odt", BZIP2_BOMB),
        ("bomb.docx", BZIP2_BOMB),
        ("bomb.odt", DEFLATE_BOMB),
        ("bomb.docx", DEFLATE_BOMB),
    ],
)
def test_decompression_bombs_are_refused_reading_little_and_allocating_little(name, content):
    upload = counted_upload(name, content)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refusal:
            validate_document_upload(upload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "does not match its type" in str(refusal.value)
    assert upload.file.bytes_read < READ_BOUND
    assert peak < 2 * 1024 * 1024


def compressed_bytes(archive: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member's data as stored, after its local header (30 bytes, its name, its extra)."""
    name_length, extra_length = struct.unpack_from("<HH", archive, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    return archive[start : start + info.compress_size]


def test_the_bomb_fixtures_are_what_they_claim():
    bzip2 = zipfile.ZipFile(io.BytesIO(BZIP2_BOMB)).getinfo("mimetype")
    assert (bzip2.compress_type, bzip2.file_size) == (zipfile.ZIP_BZIP2, 4 * 1024**3)
    assert len(BZIP2_BOMB) < 4096
    deflate_archive = zipfile.ZipFile(io.BytesIO(DEFLATE_BOMB))
    deflate = deflate_archive.getinfo("mimetype")
    assert (deflate.compress_type, deflate.file_size) == (zipfile.ZIP_DEFLATED, 1024**3)
    assert {"[Content_Types].xml", "word/document.xml"} <= set(deflate_archive.namelist())
    # They really inflate: the first 16 MiB are zeros and more keeps coming. (Bounded here by
    # max_length, which zipfile does not pass to bzip2: reading that member through zipfile
    # inflates all 4 GiB at once.)
    size = 16 * 1024 * 1024
    for decompressor, data in [
        (bz2.BZ2Decompressor(), compressed_bytes(BZIP2_BOMB, bzip2)),
        (zlib.decompressobj(-zlib.MAX_WBITS), compressed_bytes(DEFLATE_BOMB, deflate)),
    ]:
        inflated = decompressor.decompress(data, size)
        assert inflated == bytes(size)
        assert not decompressor.eof


def test_a_document_written_by_libreoffice_passes():
    upload = counted_upload("styles.odt", (FIXTURES / "libreoffice.odt").read_bytes())
    assert detect_file_type(upload) == "odt"
    validate_document_upload(upload)


def test_a_large_docx_of_ordinary_text_passes():
    # About 2 MB of text that shrinks some 5 times, as prose does: over the size where the
    # compression ratio is checked, well within it.
    vocabulary = [f"word{n}" for n in range(5000)]
    text = " ".join(random.Random(0).choices(vocabulary, k=250_000)).encode()
    content = zipped_with(
        zipfile.ZIP_DEFLATED, {"[Content_Types].xml": b"<Types/>", "word/document.xml": text}
    )
    assert len(text) > uploads.RATIO_EXEMPT_SIZE
    assert detect_file_type(SimpleUploadedFile("long.docx", content)) == "docx"


def zipped_with(compression: int, entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("compression", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_a_docx_with_bzip2_or_lzma_members_is_refused(compression):
    content = zipped_with(
        compression, {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    )
    assert detect_file_type(SimpleUploadedFile("letter.docx", content)) is None


def test_an_odt_whose_mimetype_is_compressed_is_refused():
    content = zipped_with(zipfile.ZIP_DEFLATED, {"mimetype": ODT_MIMETYPE, "content.xml": b"<x/>"})
    assert detect_file_type(SimpleUploadedFile("letter.odt", content)) is None


def test_a_member_that_inflates_more_than_documents_do_is_refused():
    content = zipped_with(
        zipfile.ZIP_DEFLATED,
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/media/zeros.bin": bytes(2 * 1024 * 1024),  # about 1,000 to 1
        },
    )
    assert detect_file_type(SimpleUploadedFile("letter.docx", content)) is None


def test_an_archive_declaring_more_than_the_unpacked_limit_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNPACKED_SIZE", 1000)
    half = bytes(600)
    content = zipped_with(
        zipfile.ZIP_STORED,
        {"[Content_Types].xml": half, "word/document.xml": half},  # each within, not both
    )
    assert detect_file_type(SimpleUploadedFile("letter.docx", content)) is None


def test_an_archive_of_too_many_members_is_refused():
    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    entries.update({f"word/media/{n}.txt": b"" for n in range(uploads.MAX_ARCHIVE_MEMBERS)})
    content = zipped_with(zipfile.ZIP_STORED, entries)
    assert detect_file_type(SimpleUploadedFile("letter.docx", content)) is None


def test_an_archive_with_an_oversized_directory_is_refused():
    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    entries.update({f"word/{'x' * 1000}{n}.xml": b"" for n in range(300)})  # 300 KB of names
    content = zipped_with(zipfile.ZIP_STORED, entries)
    assert detect_file_type(SimpleUploadedFile("letter.docx", content)) is None


def central_directory_patched(content: bytes, offset: int, value: int) -> bytes:
    """The archive with one byte of its first central directory entry changed."""
    patched = bytearray(content)
    patched[patched.find(b"PK\x01\x02") + offset] = value
    return bytes(patched)


@pytest.mark.parametrize(
    ("offset", "value"),
    [
        (8, 0x01),  # general purpose flags: encrypted
        (6, 99),  # version needed to extract: 9.9, which zipfile does not implement
    ],
)
def test_an_encrypted_or_unknown_version_archive_is_refused_not_an_error(offset, value):
    content = central_directory_patched(ODT, offset, value)
    with pytest.raises(ValidationError) as refusal:
        validate_document_upload(SimpleUploadedFile("letter.odt", content))
    assert "does not match its type .odt" in str(refusal.value)
