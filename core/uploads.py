"""Checks on uploaded files: the size, and the type judged by the content, not by the name.

Agreement documents, application attachments and report attachments may be PDF, DOCX, ODT,
JPEG or PNG. A file renamed to .pdf that is not a PDF is refused, and so is anything else.

The check costs little whatever is uploaded: it inflates nothing, and reads at most the last
64 KiB of a file (to find the ZIP end record), the central directory (256 KiB at most) and, of
one stored member, its header and one 4 KiB block: under 400 KiB a file. Django caps the files
of one request (DATA_UPLOAD_MAX_NUMBER_FILES, 20 by default, see settings), so judging the files
of one request reads at most 20 x 400 KiB = 8 MB and inflates nothing.
"""

import os
import struct
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

ALLOWED_EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".odt": "odt",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Trailing whitespace some writers add after the value.
MIMETYPE_SLACK = 16

# DOCX and ODT are ZIP archives. What real documents stay far within (Word and LibreOffice
# write tens of members, a few hundred with many images, and text that shrinks 5-20 times);
# a decompression bomb does not.
ALLOWED_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
ENCRYPTED_FLAG = 0x1
MAX_ARCHIVE_MEMBERS = 1000
MAX_CENTRAL_DIRECTORY_SIZE = 256 * 1024
MAX_UNPACKED_SIZE = 200 * 1024 * 1024  # per member and in total, as declared
MAX_COMPRESSION_RATIO = 200
RATIO_EXEMPT_SIZE = 1024 * 1024

END_RECORD_SIGNATURE = b"PK\x05\x06"
ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
END_RECORD_FORMAT = "<4s4H2LH"
END_RECORD_SIZE = struct.calcsize(END_RECORD_FORMAT)
END_RECORD_SEARCH = END_RECORD_SIZE + 0xFFFF


def detect_file_type(upload) -> str | None:
    """Return "pdf", "docx", "odt", "jpeg" or "png" from the file's first bytes, or None."""
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _office_document_type(upload)
    return None


def _office_document_type(upload) -> str | None:
    """Return "odt" or "docx" judged by the directory and at most a few bytes of one member.

    Nothing is ever inflated: the only member read is ODF's `mimetype`, which the standard
    requires to be stored uncompressed, and of it only the length of the expected value. An
    archive that no word processor would write (bzip2 or LZMA members, implausible sizes,
    ratios or member counts, a central directory larger than documents have) is no document.
    """
    try:
        if not _plausible_end_record(upload):
            return None
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if not _plausible_members(members):
                return None
            names = {member.filename for member in members}
            if "mimetype" in names and _stored_mimetype(archive) == ODT_MIMETYPE:
                return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
    # NotImplementedError: a ZIP version zipfile does not know, which no document needs.
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, NotImplementedError):
        return None
    finally:
        upload.seek(0)
    return None


def _plausible_end_record(upload) -> bool:
    """Check the end record before zipfile parses the central directory it points to.

    zipfile reads the whole central directory into memory and makes an object per entry, so its
    size is checked first. The record is found the way zipfile finds it: at the very end, or
    after a comment of at most 64 KiB.
    """
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(max(size - END_RECORD_SEARCH, 0))
    tail = upload.read(END_RECORD_SEARCH)
    if tail[-END_RECORD_SIZE:].startswith(END_RECORD_SIGNATURE) and tail.endswith(b"\0\0"):
        start = len(tail) - END_RECORD_SIZE
    else:
        start = tail.rfind(END_RECORD_SIGNATURE)
    record = tail[start : start + END_RECORD_SIZE]
    if start < 0 or len(record) != END_RECORD_SIZE:
        return False
    # Zip64 (more than 65,535 members or 4 GiB) is never needed by an uploaded document.
    if tail[max(start - 20, 0) : start].startswith(ZIP64_LOCATOR_SIGNATURE):
        return False
    fields = struct.unpack(END_RECORD_FORMAT, record)
    entries, directory_size = fields[4], fields[5]
    return entries <= MAX_ARCHIVE_MEMBERS and directory_size <= MAX_CENTRAL_DIRECTORY_SIZE


def _plausible_members(members: list[zipfile.ZipInfo]) -> bool:
    if len(members) > MAX_ARCHIVE_MEMBERS:
        return False
    if any(member.compress_type not in ALLOWED_COMPRESSION for member in members):
        return False
    if any(member.flag_bits & ENCRYPTED_FLAG for member in members):
        return False  # Nobody at the office could open it; zipfile would raise, not refuse.
    if any(not _plausible_size(m.file_size, m.compress_size) for m in members):
        return False
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    return _plausible_size(unpacked, packed)


def _plausible_size(unpacked: int, packed: int) -> bool:
    if unpacked > MAX_UNPACKED_SIZE:
        return False
    # Small members may shrink a lot (a page of spaces); only large ones are held to the ratio.
    return unpacked <= RATIO_EXEMPT_SIZE or unpacked <= packed * MAX_COMPRESSION_RATIO


def _stored_mimetype(archive: zipfile.ZipFile) -> bytes | None:
    info = archive.getinfo("mimetype")
    if info.compress_type != zipfile.ZIP_STORED:
        return None  # ODF requires it stored; zipfile's bzip2 and LZMA ignore read(n)'s bound.
    with archive.open(info) as member:
        return member.read(len(ODT_MIMETYPE) + MIMETYPE_SLACK).strip()


@deconstructible
class DocumentUploadValidator:
    """Refuse files that are too large or whose content is not an allowed document type."""

    def __call__(self, upload):
        if getattr(upload, "_committed", False):
            return  # Already stored: it was checked when it was uploaded.
        limit = settings.MAX_UPLOAD_SIZE
        if upload.size > limit:
            raise ValidationError(
                _("The file is too large (%(size)s). The limit is %(limit)s."),
                code="file_too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        name = getattr(upload, "name", "") or ""
        extension = name[name.rfind(".") :].lower() if "." in name else ""
        expected = ALLOWED_EXTENSIONS.get(extension)
        if expected is None:
            raise ValidationError(
                _("Only PDF, DOCX, ODT, JPEG and PNG files can be uploaded."),
                code="file_type_not_allowed",
            )
        if detect_file_type(upload) != expected:
            raise ValidationError(
                _("The file's content does not match its type %(extension)s."),
                code="file_content_mismatch",
                params={"extension": extension},
            )

    def __eq__(self, other):
        return isinstance(other, DocumentUploadValidator)


validate_document_upload = DocumentUploadValidator()


@deconstructible
class GeneratedUploadName:
    """Store uploads under a random server-generated name; the original name is kept in a field."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = os.path.splitext(filename)[1].lower()[:10]
        return f"{self.folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, GeneratedUploadName) and other.folder == self.folder
