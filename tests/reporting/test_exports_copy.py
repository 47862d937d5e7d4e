"""records.csv's two ways: PostgreSQL's COPY writes the same bytes as record_rows and csv.

Tests marked `postgresql` compare the two ways (COPY exists only there); the others check the
translated labels through whichever way the database takes.
"""

import datetime
import io
import struct

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core import csv as safe_csv
from core import xlsx
from core.exporters import csv_writer_for
from exchanges.choices import ProgramKind, Purpose
from exchanges.exporters import RecordsExporter
from exchanges.models import MobilityRecord
from partners.choices import Direction
from people.choices import Category
from reporting import exporters
from reporting.figures import ACADEMIC, CALENDAR, counted_records, period_bounds
from tests.factories import (
    AgreementFactory,
    DepartmentFactory,
    MobilityRecordFactory,
    PartnerFactory,
    ProgramFactory,
)

D = datetime.date
# A catalog of our own for Russian (the project ships none yet): some labels start with a
# formula character or hold a comma and quotes, which both ways must treat alike.
RUSSIAN = {
    "Year": "Год",
    "Full name": "ФИО",
    "Outgoing": "Выезд",
    "Incoming": "Въезд",
    "Academic staff": "=Преподаватели",
    "Undergraduate student": 'Студент, "бакалавр"',
    "Training": "-Стажировка|",
    "Completed": "Завершено",
    "Host institution": "Принимающая сторона",
}


def write_catalog(path, messages: dict[str, str]) -> None:
    """A compiled gettext catalog (.mo): header, two tables of (length, offset), the strings."""
    messages = {"": "Content-Type: text/plain; charset=UTF-8\n", **messages}
    originals = [key.encode() for key in sorted(messages)]
    translations = [messages[key].encode() for key in sorted(messages)]
    count = len(originals)
    data_start = 28 + 16 * count
    tables, data = b"", b""
    for string in originals + translations:
        tables += struct.pack("<2I", len(string), data_start + len(data))
        data += string + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, 28, 28 + 8 * count, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + tables + data)


@pytest.fixture
def russian_catalog(settings, tmp_path):
    write_catalog(tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.mo", RUSSIAN)
    # Changing LOCALE_PATHS clears Django's loaded catalogs (and again when it is restored).
    settings.LOCALE_PATHS = [tmp_path / "locale"]


def copy_csv(records, period=CALENDAR, delimiter=",") -> bytes:
    """records.csv as the page writes it: COPY on PostgreSQL."""
    stream = io.BytesIO()
    exporter = exporters.records_exporter(records, period)
    csv_writer_for(exporter, delimiter).write(exporter, stream)
    return stream.getvalue()


def python_csv(records, period=CALENDAR, delimiter=",") -> bytes:
    """records.csv the reference way, record_rows and the csv module, on any database."""
    rows = exporters.records_exporter(records, period).rows()
    return "".join(safe_csv.chunks(rows, delimiter=delimiter)).encode()


def test_labels_header_and_country_names_come_from_the_active_language(db, russian_catalog):
    MobilityRecordFactory(
        full_name="Anna",
        category=Category.ACADEMIC_STAFF,
        partner=PartnerFactory(country="PL"),
        start_date=D(2025, 3, 1),
    )
    first, last = period_bounds(2025)

    with translation.override("ru"):
        text = copy_csv(counted_records(first, last)).decode("utf-8")

    header, row = text.removeprefix(safe_csv.BOM).splitlines()
    assert header.startswith("Год,Direction,Category,ФИО,")  # untranslated labels stay English
    assert row.split(",")[:4] == ["2025", "Выезд", "'=Преподаватели", "Anna"]
    assert ",Польша," in row
    assert row.endswith(",'-Стажировка\\|,,2025-03-01,2025-03-14,14,Принимающая сторона,Завершено")


# --- the two ways give the same bytes (PostgreSQL) -------------------------------------------

# Starts and ends that the injection rule and the CSV quoting look at.
STARTS = ["", "=", "+", "-", "@", "|", "%", "\t", "\r", "'", '"', " ", "-1,5", "+1", "<r>"]
ENDS = ["", "\n", "\r\n", " ", "|", ",", '"', "</r>"]
PIECES = ["Щербаков", "Łukasz Żółw", 'say "hi"', "a,b", "line\nbreak", "1|2", "-1.5", "%d"]
# Whole values at the edges of the rule: numbers (with Python's `$` before a final newline).
EDGES = ["", "-", "-1,5", "-1,5\n", "-1.5\n\n", "-1\r\n", "+1", "1,5", "=", "|", "\t", "'=x"]
cell_texts = st.one_of(
    st.sampled_from(EDGES),
    st.builds(
        lambda start, middle, end: start + middle + end,
        st.sampled_from(STARTS),
        st.one_of(
            st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12),
            st.sampled_from(PIECES),
        ),
        st.sampled_from(ENDS),
    ),
)
record_specs = st.fixed_dictionaries(
    {
        "full_name": cell_texts,
        "home_institution": cell_texts,
        "department": st.none() | cell_texts,
        "partner": st.none() | st.tuples(cell_texts, st.sampled_from(["PL", "RU", "KR", "ZZ"])),
        "program": st.none() | st.tuples(cell_texts, st.sampled_from(ProgramKind.values)),
        "agreement": st.none() | cell_texts,
        "direction": st.sampled_from(Direction.values),
        "category": st.sampled_from(Category.values),
        "purpose": st.sampled_from(Purpose.values),
        # A value without a label (imported data) is written as it is, defused.
        "funding": st.sampled_from([*MobilityRecord.Funding.values, "=unknown|x"]),
        "status": st.sampled_from(MobilityRecord.Status.values),
        "start": st.dates(min_value=D(2024, 8, 25), max_value=D(2026, 9, 5)),
        "days": st.integers(min_value=0, max_value=400),
    }
)


def create_record(spec: dict, number: int) -> MobilityRecord:
    def unique(text):  # department names and agreement references are unique
        return f"{text}{number}" if number else text

    partner = None
    if spec["partner"] is not None:
        name, country = spec["partner"]
        partner = PartnerFactory(name=name, country=country)
    agreement = None
    if spec["agreement"] is not None:
        agreement = AgreementFactory(reference=unique(spec["agreement"]))
    program = None
    if spec["program"] is not None:
        title, kind = spec["program"]
        program = ProgramFactory(title=title, kind=kind, agreement=None)
    department = None
    if spec["department"] is not None:
        department = DepartmentFactory(name=unique(spec["department"]))
    return MobilityRecordFactory(
        full_name=spec["full_name"],
        home_institution=spec["home_institution"],
        department=department,
        partner=partner,
        program=program,
        agreement=agreement,
        direction=spec["direction"],
        category=spec["category"],
        purpose=spec["purpose"],
        funding=spec["funding"],
        status=spec["status"],
        start_date=spec["start"],
        end_date=spec["start"] + datetime.timedelta(days=spec["days"]),
    )


@pytest.mark.postgresql
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(record_specs, min_size=1, max_size=4),
    period=st.sampled_from([CALENDAR, ACADEMIC]),
    language=st.sampled_from(["en", "ru"]),
    delimiter=st.sampled_from([",", ";"]),
)
def test_copy_writes_the_same_bytes_as_record_rows(
    db, russian_catalog, specs, period, language, delimiter
):
    with transaction.atomic():
        for number, spec in enumerate(specs):
            create_record(spec, number)
        records = MobilityRecord.objects.all()

        with translation.override(language):
            written = copy_csv(records, period, delimiter)
            assert written == python_csv(records, period, delimiter)

        transaction.set_rollback(True)  # every example starts from an empty table


@pytest.mark.postgresql
@pytest.mark.parametrize("period", [CALENDAR, ACADEMIC])
def test_copy_of_a_report_year_matches_record_rows(db, department, other_department, period):
    for start in (D(2025, 1, 1), D(2025, 8, 31), D(2025, 9, 1), D(2026, 8, 31), D(2026, 9, 1)):
        MobilityRecordFactory(start_date=start, department=department)
        MobilityRecordFactory(
            start_date=start, department=other_department, direction=Direction.INCOMING
        )
    MobilityRecordFactory(start_date=D(2025, 5, 1), status=MobilityRecord.Status.CANCELLED)
    first, last = period_bounds(2025, period)
    records = counted_records(first, last, department=[department])

    written = copy_csv(records, period)

    assert written == python_csv(records, period)
    assert len(written.splitlines()) == 1 + (3 if period == CALENDAR else 2)


@pytest.mark.postgresql
def test_copy_query_keeps_values_out_of_its_sql(db):
    name = "O'Brien'); DROP TABLE exchanges_mobilityrecord; --"
    MobilityRecordFactory(full_name=name)
    records = MobilityRecord.objects.filter(full_name=name)

    sql, params = RecordsExporter(records).copy_query()

    assert "O'Brien" not in sql
    assert name in params
    assert sql.count("%s") == len(params)
    assert copy_csv(records) == python_csv(records)
    assert MobilityRecord.objects.count() == 1


@pytest.mark.postgresql
def test_copy_reports_progress_after_each_record(db):
    MobilityRecordFactory.create_batch(3)
    stream, seen = io.BytesIO(), []

    written = exporters.write_records_csv(
        MobilityRecord.objects.all(), stream, progress=seen.append
    )

    assert written == 3
    assert seen == [1, 2, 3]
    assert len(stream.getvalue().splitlines()) == 4


@pytest.mark.postgresql
def test_workbook_records_read_back_from_copy_match_record_rows(db):
    for name in ["=1+2", "\t=cmd", "-1,5", "a|b", "<r>x</r>", 'Щербаков, "Ш"\nИван', ""]:
        MobilityRecordFactory(full_name=name, home_institution=name, partner=None)
    MobilityRecordFactory(program=ProgramFactory(agreement=None), direction=Direction.INCOMING)
    records = MobilityRecord.objects.all()

    def cells(rows):
        output = io.BytesIO()
        xlsx.write(output, [("Records", rows)])
        output.seek(0)
        sheet = load_workbook(output)["Records"]
        return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]

    from_copy = cells(RecordsExporter(records).sheet_rows())

    assert from_copy == cells(RecordsExporter(records).rows())
    assert len(from_copy) == 9
    assert {row[0] for row in from_copy[1:]} == {(2025, "n")}
    assert {row[16] for row in from_copy[1:]} == {(14, "n")}


@pytest.mark.postgresql
def test_semicolon_copy_is_still_defused_and_quotes_what_holds_a_semicolon(db):
    MobilityRecordFactory(
        full_name="=HYPERLINK(1;2)", home_institution="A; B", start_date=D(2025, 3, 1)
    )
    first, last = period_bounds(2025)

    text = copy_csv(counted_records(first, last), delimiter=";").decode("utf-8")

    assert text.startswith(safe_csv.BOM)
    header, row = text.removeprefix(safe_csv.BOM).splitlines()
    assert header.startswith('"Year";"Direction";"Category";')
    assert '"\'=HYPERLINK(1;2)"' in row
