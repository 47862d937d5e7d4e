"""Checks on uploaded files: the size, and the type judged by the content, not by the name.

Agreement documents, application attachments and report attachments may be PDF, DOCX, ODT,
JPEG or PNG. A file renamed to .pdf that is not a PDF is refused, and so is anything else.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
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
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    finally:
        upload.seek(0)
    return None


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
