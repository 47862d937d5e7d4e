"""Mobility records from spreadsheets and the import_data / export_data commands (issue 15)."""

import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from exchanges.models import MobilityRecord
from tests.factories import MobilityRecordFactory

pytestmark = pytest.mark.django_db

RUSSIAN_EXCEL = Path(__file__).parent.parent / "fixtures" / "imports" / "records-russian-excel.csv"
HEADER = "full_name,person,category,direction,purpose,start_date,end_date,country,partner\n"


def import_data(*args):
    """The command's output and exit status (0 valid, 1 refused)."""
    import io

    out = io.StringIO()
    try:
        call_command("import_data", *args, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return out.getvalue() + str(error), error.returncode
    return out.getvalue(), 0


@pytest.fixture
def records_file(tmp_path, partner):
    path = tmp_path / "records.csv"
    path.write_text(
        HEADER
        + "Anna Ivanova,,academic_staff,outgoing,research,03.02.2019,14.02.2019,Poland,UMB\n"
        + "Ivan Petrov,,phd_student,incoming,research,01.10.2020,31.02.2020,Germany,\n"
        + "Olga Sidorova,,resident,outgoing,training,2021-05-10,2021-05-20,PL,\n"
    )
    return path


def test_dry_run_with_a_bad_date_exits_non_zero_names_the_row_and_writes_nothing(records_file):
    output, status = import_data("records", str(records_file), "--dry-run")
    assert status == 1
    assert "Row 2, column “end_date”, value “31.02.2020”" in output
    assert "not a day of the calendar" in output
    assert "Row 1: new" in output
    assert not MobilityRecord.objects.exists()


def test_without_the_bad_row_it_imports_and_a_second_run_changes_nothing(records_file, partner):
    lines = records_file.read_text().splitlines(keepends=True)
    records_file.write_text("".join(lines[:2] + lines[3:]))
    output, status = import_data("records", str(records_file))
    assert status == 0, output
    assert "2 new" in output
    anna = MobilityRecord.objects.get(full_name="Anna Ivanova")
    assert (anna.partner, anna.country, anna.start_date) == (
        partner,
        "PL",
        datetime.date(2019, 2, 3),
    )

    output, status = import_data("records", str(records_file), "--dry-run")
    assert status == 0
    assert "Row 1: unchanged" in output and "Row 2: unchanged" in output
    output, status = import_data("records", str(records_file))
    assert "0 new, 0 updated, 2 unchanged" in output
    assert MobilityRecord.objects.count() == 2


def test_the_report_is_in_the_language_asked_for(records_file):
    output, _status = import_data("records", str(records_file), "--dry-run", "--language", "ru")
    assert "Строка 2" in output


def test_a_csv_saved_by_russian_excel_imports(partner):
    partner.name_ru = "Медицинский университет Белостока"
    partner.save()
    output, status = import_data("records", str(RUSSIAN_EXCEL))
    assert status == 0, output
    anna = MobilityRecord.objects.get(full_name="Иванова Анна Петровна")
    assert anna.partner == partner
    assert (anna.category, anna.direction, anna.purpose) == (
        "academic_staff",
        "outgoing",
        "research",
    )
    assert (anna.start_date, anna.end_date) == (
        datetime.date(2019, 2, 3),
        datetime.date(2019, 2, 14),
    )
    assert anna.status == MobilityRecord.Status.COMPLETED
    assert MobilityRecord.objects.get(full_name="Петров Иван").country == "DE"


def test_a_record_is_found_by_person_or_name_start_and_partner_or_country(
    tmp_path, partner, staff_member
):
    existing = MobilityRecordFactory(
        full_name="Someone Else", person=staff_member, partner=partner,
        start_date=datetime.date(2022, 3, 1), end_date=datetime.date(2022, 3, 10),
    )  # fmt: skip
    path = tmp_path / "records.csv"
    path.write_text(
        HEADER + f"Stas Staff,{staff_member.email},academic_staff,outgoing,teaching,"
        "01/03/2022,20/03/2022,PL,Medical University of Bialystok\n"
    )
    output, status = import_data("records", str(path))
    assert status == 0, output
    existing.refresh_from_db()
    assert (existing.full_name, existing.end_date) == ("Stas Staff", datetime.date(2022, 3, 20))
    assert MobilityRecord.objects.count() == 1


def test_a_record_without_an_account_is_found_by_its_name_in_any_case_and_start(tmp_path, partner):
    """The name and the start date are looked up as a pair: a namesake starting on another day
    and another traveller starting that day are other records."""
    existing = MobilityRecordFactory(
        full_name="Anna Ivanova", person=None, partner=partner,
        start_date=datetime.date(2022, 3, 1), end_date=datetime.date(2022, 3, 10),
    )  # fmt: skip
    MobilityRecordFactory(
        full_name="Anna Ivanova", person=None, partner=partner,
        start_date=datetime.date(2023, 3, 1), end_date=datetime.date(2023, 3, 10),
    )  # fmt: skip
    path = tmp_path / "records.csv"
    stay = (
        "academic_staff,outgoing,teaching,01/03/2022,20/03/2022,PL,Medical University of Bialystok"
    )
    path.write_text(f"{HEADER}ANNA IVANOVA,,{stay}\nBoris Ivanov,,{stay}\n")
    output, status = import_data("records", str(path), "--date-order", "dmy")
    assert status == 0, output
    existing.refresh_from_db()
    assert (existing.full_name, existing.end_date) == ("ANNA IVANOVA", datetime.date(2022, 3, 20))
    assert MobilityRecord.objects.filter(full_name__iexact="Anna Ivanova").count() == 2
    assert MobilityRecord.objects.filter(full_name="Boris Ivanov").count() == 1


def test_ambiguous_slashed_dates_need_an_order(tmp_path):
    path = tmp_path / "records.csv"
    path.write_text(HEADER + "A B,,resident,outgoing,training,03/04/2021,05/06/2021,PL,\n")
    output, status = import_data("records", str(path), "--dry-run")
    assert status == 1 and "give the date order" in output
    output, status = import_data("records", str(path), "--date-order", "mdy")
    assert status == 0, output
    assert MobilityRecord.objects.get().start_date == datetime.date(2021, 3, 4)


def test_not_a_spreadsheet_is_refused(tmp_path):
    path = tmp_path / "records.xlsx"
    path.write_bytes(b"%PDF-1.4 not a sheet")
    with pytest.raises(CommandError, match="not a spreadsheet"):
        call_command("import_data", "records", str(path))


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_export_then_import_is_a_round_trip(tmp_path, partner, file_format):
    MobilityRecordFactory(full_name="=HYPERLINK(evil)", partner=partner, notes="+375 17 1234567")
    path = tmp_path / f"records.{file_format}"
    call_command(
        "export_data", "records", "--output", str(path), stdout=__import__("io").StringIO()
    )
    output, status = import_data("records", str(path))
    assert status == 0, output
    assert "0 new, 0 updated, 1 unchanged" in output
    assert MobilityRecord.objects.get().full_name == "=HYPERLINK(evil)"


def _many_records(tmp_path, n, name="many.csv"):
    path = tmp_path / name
    rows = [
        f"Traveller {i},,academic_staff,outgoing,research,{1 + i % 28:02d}.03.2019,"
        f"30.03.2019,Poland,UMB\n"
        for i in range(n)
    ]
    path.write_text(HEADER + "".join(rows))
    return path


def test_the_command_imports_records_in_a_constant_number_of_queries(
    tmp_path, partner, django_assert_max_num_queries
):
    # The indexes of people, partners, departments and agreements, the matching records (by
    # person, by name), the records and their history rows, the log: per file, not per row.
    with django_assert_max_num_queries(20):
        output, status = import_data("records", str(_many_records(tmp_path, 10, "ten.csv")))
    assert status == 0, output
    with django_assert_max_num_queries(20):
        output, status = import_data("records", str(_many_records(tmp_path, 60, "sixty.csv")))
    assert status == 0, output
    assert "50 new, 0 updated, 10 unchanged" in output
    assert MobilityRecord.objects.count() == 60
    version = MobilityRecord.objects.get(full_name="Traveller 59").history.get()
    assert (version.history_type, version.history_change_reason) == ("+", "import of sixty.csv")


def test_an_edited_file_updates_its_rows_with_their_history(tmp_path, partner):
    path = _many_records(tmp_path, 3)
    import_data("records", str(path))
    edited = path.read_text().replace("Traveller 1,,academic_staff", "Traveller 1,,resident")
    path.write_text(edited)
    output, status = import_data("records", str(path), "--dry-run")
    assert status == 0 and "Row 2: updated" in output
    assert MobilityRecord.objects.get(full_name="Traveller 1").category == "academic_staff"
    output, status = import_data("records", str(path))
    assert "0 new, 1 updated, 2 unchanged" in output
    record = MobilityRecord.objects.get(full_name="Traveller 1")
    assert record.category == "resident"
    assert [v.history_type for v in record.history.all()] == ["~", "+"]


def test_a_row_with_an_end_before_its_start_is_refused_by_name(tmp_path):
    path = tmp_path / "records.csv"
    path.write_text(HEADER + "A B,,resident,outgoing,training,10.05.2021,01.05.2021,PL,\n")
    output, status = import_data("records", str(path))
    assert status == 1
    assert "Row 1, column “end_date”, value “01.05.2021”: The end date is before" in output
    assert not MobilityRecord.objects.exists()


RECORDS_IMPORT_URL = "admin:exchanges_mobilityrecord_import"


def _admin_preview(client, text, name="records.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    upload = SimpleUploadedFile(name, text.encode())
    return client.post(
        reverse(RECORDS_IMPORT_URL), {"format": "1", "resource": "0", "import_file": upload}
    )


def test_the_admin_previews_and_imports_records_through_the_bulk_path(
    client_for, office, partner, django_assert_max_num_queries
):
    from django.urls import reverse

    from core.models import ImportLog

    client = client_for(office)
    good = "Anna Ivanova,,academic_staff,outgoing,research,03.02.2019,14.02.2019,Poland,UMB\n"
    bad = "Ivan Petrov,,phd_student,incoming,research,01.10.2020,31.02.2020,Germany,\n"
    response = _admin_preview(client, HEADER + good + bad)
    page = response.content.decode()
    assert response.status_code == 200
    assert "not a day of the calendar" in page and "31.02.2020" in page
    assert response.context.get("confirm_form") is None
    assert not MobilityRecord.objects.exists()

    # The preview's queries do not grow with the rows (indexes and matches per batch).
    many = "".join(
        f"Traveller {i},,resident,outgoing,training,{1 + i % 28:02d}.04.2021,30.04.2021,PL,\n"
        for i in range(50)
    )
    with django_assert_max_num_queries(25):
        response = _admin_preview(client, HEADER + good + many)
    assert response.context["result"].totals["new"] == 51
    assert not MobilityRecord.objects.exists()

    form = response.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    response = client.post(reverse("admin:exchanges_mobilityrecord_process_import"), data)
    assert response.status_code == 302
    assert MobilityRecord.objects.count() == 51
    version = MobilityRecord.objects.get(full_name="Anna Ivanova").history.get()
    assert (version.history_user, version.history_change_reason) == (
        office,
        "import of records.csv",
    )
    log = ImportLog.objects.get()
    assert (log.new, log.imported_by, len(log.sha256)) == (51, office, 64)
