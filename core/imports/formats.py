"""Files into rows: CSV as offices save it, XLSX and ODS, checked before anything is parsed.

The admin's formats (import-export's, with these checks) and the command's reader share
`read_rows`. Every refusal is a `FileRefused` whose message the admin and the command show.
"""

import codecs
import csv
import io
import zipfile

import tablib
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from core.csv import BOM, FORMULA_TRIGGERS, WHITESPACE_TRIGGERS, defuse

# A spreadsheet compresses well, but not a thousandfold: beyond this ratio, or beyond this
# many bytes unpacked, an XLSX or ODS file is a zip bomb and is refused before it is opened.
MAX_UNPACKED_RATIO = 100
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"


class FileRefused(ValueError):
    pass


def check_size(data: bytes, max_size: int | None) -> None:
    if not data:
        raise FileRefused(_("The file is empty."))
    if max_size is not None and len(data) > max_size:
        raise FileRefused(
            _("The file is larger than %(limit)s: import it with the import_data command.")
            % {"limit": filesizeformat(max_size)}
        )


def check_zip(data: bytes) -> None:
    """XLSX and ODS are zip archives: refuse one that is not, or that unpacks to far more."""
    if not data.startswith(ZIP_MAGIC):
        raise FileRefused(_("The file is not a spreadsheet (XLSX, ODS or CSV)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise FileRefused(_("The file is not a spreadsheet (XLSX, ODS or CSV).")) from None
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_UNPACKED_RATIO * len(data):
        raise FileRefused(_("The file unpacks to far more than a spreadsheet would: refused."))


def decode_text(data: bytes) -> str:
    """UTF-8 with or without a byte-order mark, else Windows-1251 (Russian Excel's default)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if b"\x00" in data[:4096]:
        raise FileRefused(_("The file is not a spreadsheet (XLSX, ODS or CSV)."))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="strict")


def rows_from_csv(data: bytes) -> tablib.Dataset:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(row)]
    return dataset_from_rows(rows)


def dataset_from_rows(rows) -> tablib.Dataset:
    rows = list(rows)
    if not rows:
        raise FileRefused(_("The file is empty."))
    headers = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
    dataset = tablib.Dataset(headers=headers)
    for row in rows[1:]:
        row = list(row)[: len(headers)]
        if all(cell is None or cell == "" for cell in row):
            continue
        dataset.append(row + [None] * (len(headers) - len(row)))
    return dataset


def rows_from_xlsx(data: bytes) -> tablib.Dataset:
    import openpyxl

    check_zip(data)
    # data_only: a cell with a formula is read as the value the spreadsheet last computed.
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return dataset_from_rows(row for row in book.worksheets[0].iter_rows(values_only=True))


def rows_from_ods(data: bytes) -> tablib.Dataset:
    check_zip(data)
    book = tablib.Databook()
    book.load(data, format="ods")
    sheet = book.sheets()[0]
    return dataset_from_rows([sheet.headers or [], *sheet])


READERS = {"csv": rows_from_csv, "xlsx": rows_from_xlsx, "ods": rows_from_ods}


def read_rows(data: bytes, kind: str, *, max_size: int | None = None) -> tablib.Dataset:
    """The file's first sheet as rows under its header, or FileRefused saying why."""
    check_size(data, max_size)
    if kind != "csv" or data.startswith(ZIP_MAGIC):
        kind = "ods" if b"opendocument.spreadsheet" in data[:200] else "xlsx"
    try:
        return READERS[kind](data)
    except FileRefused:
        raise
    except Exception:
        raise FileRefused(_("The file is not a spreadsheet (XLSX, ODS or CSV).")) from None


def format_of(file_name: str) -> str:
    return file_name.rsplit(".", 1)[-1].lower() if "." in file_name else "csv"


def undefuse(value):
    """Our exports put an apostrophe before formula-like text (core/csv.py); take it away."""
    if isinstance(value, str) and value[:1] == "'" and len(value) > 1:
        rest = value[1:]
        if rest[0] in WHITESPACE_TRIGGERS:
            return rest
        unescaped = rest.replace("\\|", "|")
        if unescaped[:1] in FORMULA_TRIGGERS:
            return unescaped
    return value


def defused_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    defused = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        defused.append([defuse(cell) for cell in row])
    return defused


class _ImportChecks:
    """import-export's formats with the portal's reading: the size limit, the encodings and
    separators of CSV, zip bombs refused; exports with formula-like cells defused."""

    READ_AS = "csv"

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode()
        return read_rows(in_stream, self.READ_AS, max_size=settings.MAX_IMPORT_SIZE)


class CSV(_ImportChecks, base_formats.CSV):
    READ_AS = "csv"

    def export_data(self, dataset, **kwargs):
        # Through the portal's one safe CSV writer: the BOM, every cell defused.
        from core.csv import writer

        out = io.StringIO()
        out.write(BOM)
        safe = writer(out, lineterminator="\n")
        safe.writerow(dataset.headers)
        safe.writerows(dataset)
        return out.getvalue()


class XLSX(_ImportChecks, base_formats.XLSX):
    READ_AS = "xlsx"

    def export_data(self, dataset, **kwargs):
        return super().export_data(defused_dataset(dataset), **kwargs)


class ODS(_ImportChecks, base_formats.ODS):
    READ_AS = "ods"

    def export_data(self, dataset, **kwargs):
        return defused_dataset(dataset).export("ods")


FORMATS = [XLSX, CSV, ODS]
