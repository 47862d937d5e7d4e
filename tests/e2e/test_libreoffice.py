"""The report's files opened by LibreOffice (Debian's libreoffice-calc-nogui), as the office does.

- report.xlsx converts to PDF without an error, and no sheet is cut across page widths: every
  printed page of a sheet carries its first and its last column.
- The semicolon CSV, opened under a Russian locale, lands in its columns with numbers as
  numbers. The test does not tell LibreOffice the file's separator: it imports with the settings
  LibreOffice's own import dialog offers a new user (its registry's CSVImport defaults: comma,
  semicolon and tab; the system's character set and language), read from LibreOffice's files.

Each run has a LibreOffice profile of its own (-env:UserInstallation), so runs never share or
lock one.
"""

import datetime
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partners.choices import Direction
from people.choices import Category
from tests.factories import MobilityRecordFactory, PartnerFactory

# Transactional like the rest of the browser suite, so that pytest-django runs these in file
# order: run first (as plain `db` tests are), they left the admin pages' test, the first to
# start the live server, with an office refused its own admin pages.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

D = datetime.date
RUSSIAN_LOCALE = "ru_RU.UTF-8"
UTF8 = 76  # LibreOffice's number for the UTF-8 character set


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    assert path, "make e2e installs LibreOffice Calc (libreoffice-calc-nogui)"
    return path


@pytest.fixture
def profile(tmp_path) -> str:
    return (tmp_path / "libreoffice-profile").as_uri()


def convert(source: Path, to: str, profile: str, *, infilter: str = "", locale: str = "C.UTF-8"):
    out_dir = source.parent / "converted"
    command = [soffice(), f"-env:UserInstallation={profile}", "--headless", "--norestore"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", to, "--outdir", str(out_dir), str(source)]
    env = os.environ | {"LC_ALL": locale, "LANG": locale, "HOME": str(source.parent)}
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, env=env)
    assert result.returncode == 0, result.stderr
    converted = out_dir / f"{source.stem}.{to.split(':')[0]}"
    assert converted.exists(), result.stdout + result.stderr
    return converted


@pytest.fixture
def records(department, agreement):
    """A year with long partner names, individual trips, incoming guests and odd stay lengths."""
    partners = [
        PartnerFactory(
            name=f"Medical University number {number} named after a long-remembered professor",
            country=country,
        )
        for number, country in enumerate(["PL", "LT", "DE", "CN", "RU", "KZ"])
    ]
    for number in range(60):
        MobilityRecordFactory(
            department=department,
            partner=partners[number % len(partners)] if number % 4 else None,
            country=["PL", "LT", "DE", "CN", "RU", "KZ", "IT"][number % 7],
            direction=Direction.INCOMING if number % 3 == 0 else Direction.OUTGOING,
            category=[Category.ACADEMIC_STAFF, Category.UNDERGRADUATE][number % 2],
            start_date=D(2025, 1 + number % 12, 1 + number % 27),
            end_date=D(2025, 1 + number % 12, 1 + number % 27) + datetime.timedelta(days=number),
            home_institution="Institute of Physiology, Minsk" if number % 3 == 0 else "",
        )
    MobilityRecordFactory(department=department, start_date=D(2024, 5, 1))


def download(client, name: str, query: str = "") -> bytes:
    response = client.get(reverse(f"reports:{name}", kwargs={"year": 2025}) + query)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_workbook_converts_to_pdf_without_a_column_cut_across_pages(
    client_for, office, records, profile, tmp_path
):
    content = download(client_for(office), "report-xlsx")
    source = tmp_path / "report.xlsx"
    source.write_bytes(content)

    pages = pdf_pages(convert(source, "pdf", profile))

    workbook = load_workbook(io.BytesIO(content))
    assert len(pages) >= len(workbook.sheetnames)
    records_sheet = workbook[workbook.sheetnames[-1]]
    header = [cell.value for cell in next(records_sheet.iter_rows(max_row=1))]
    first, last = header[0], header[-1]
    # The records are the widest sheet: each of its pages repeats the header row, and holds the
    # first column and the last, or the sheet would have been cut across page widths.
    record_pages = [page for page in pages if "Department or home institution" in page]
    assert record_pages
    for page in record_pages:
        assert re.search(rf"\b{first}\b.*\b{last}\b", page), page[:400]
    # Every figure sheet's rows print whole: the last column ("Change") on the page with its
    # first, with a page footer of the university and the page number.
    for page in pages:
        assert re.search(r"Page \d+ of \d+", page), page[-300:]
    for sheet_name in workbook.sheetnames[1:-1]:
        sheet = workbook[sheet_name]
        widest = max(sheet.iter_rows(), key=lambda row: sum(c.value is not None for c in row))
        cells = [str(cell.value) for cell in widest if cell.value is not None]
        assert any(cells[0] in page and cells[-1] in page for page in pages), sheet_name


def libreoffice_csv_defaults() -> dict[str, str]:
    """What LibreOffice's CSV import dialog proposes to a new user, from its own registry."""
    program = Path(os.path.realpath(soffice())).parent
    registry = program.parent / "share" / "registry" / "main.xcd"
    text = registry.read_text(encoding="utf-8")
    group = text[text.index('oor:name="CSVImport"') :]
    group = group[: group.index("</group>")]

    def value(name: str) -> str:
        match = re.search(rf'oor:name="{name}"[^>]*>\s*<value>(.*?)</value>', group, re.DOTALL)
        assert match, name
        return match.group(1)

    return {
        "separators": value("Separators"),
        "text_separator": value("TextSeparators").replace("&quot;", '"'),
        "language": value("Language"),
    }


def dialog_defaults_filter() -> str:
    """The CSV filter's options as the import dialog's defaults give them (no separator of
    ours): its separators, its text delimiter, the system's character set (UTF-8 under
    ru_RU.UTF-8) and language (0: the system's, ru_RU), from line 1."""
    defaults = libreoffice_csv_defaults()
    separators = "/".join(str(ord(char)) for char in defaults["separators"])
    text_separator = ord(defaults["text_separator"])
    language = defaults["language"]
    return f"Text - txt - csv (StarCalc):{separators},{text_separator},{UTF8},1,,{language}"


def test_libreoffice_dialog_defaults_include_the_comma():
    """Why the semicolon CSV quotes its cells: LibreOffice also splits at commas by default."""
    assert "," in libreoffice_csv_defaults()["separators"]


def russian_locale_available() -> bool:
    result = subprocess.run(["locale", "-a"], capture_output=True, text=True)
    return any(name.lower().replace("-", "") == "ru_ru.utf8" for name in result.stdout.split())


@pytest.mark.parametrize("name", ["records-csv", "summary-csv"])
def test_semicolon_csv_opens_under_a_russian_locale_in_columns_with_numbers(
    client_for, office, records, profile, tmp_path, name
):
    assert russian_locale_available(), "make e2e generates ru_RU.UTF-8 (locale-gen)"
    office.profile.language = "ru"
    office.profile.save()
    source = tmp_path / f"{name.replace('-', '.')}"
    source = source.with_suffix(".csv")
    source.write_bytes(download(client_for(office), name, "?delimiter=semicolon"))

    converted = convert(
        source, "xlsx", profile, infilter=dialog_defaults_filter(), locale=RUSSIAN_LOCALE
    )

    sheet = load_workbook(converted).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    if name == "records-csv":
        header, *data = rows
        width = len(header)
        assert header[0] == "Год" and width > 10
        assert all(len([cell for cell in row if cell is not None]) <= width for row in data)
        days = header.index("Дни")
        assert all(isinstance(row[0], int) for row in data)  # the year
        assert all(isinstance(row[days], int) for row in data)
        institutions = {row[4] for row in data}
        assert "Institute of Physiology, Minsk" in institutions  # one cell, comma and all
    else:
        numbers = [cell for row in rows for cell in row if isinstance(cell, (int, float))]
        fractions = [cell for cell in numbers if isinstance(cell, float) and cell % 1]
        assert numbers and fractions  # average days such as 12,5 are numbers
        texts = [cell for row in rows for cell in row if isinstance(cell, str)]
        assert not any(re.fullmatch(r"-?\d+(,\d+)?", text) for text in texts)
