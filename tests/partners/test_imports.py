"""Partners, agreements and departments from spreadsheets, in the admin as the office (issue 15)."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ImportLog
from partners.models import Agreement, AgreementQuota, Department, Partner
from partners.resources import AgreementResource, DepartmentResource, PartnerResource
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:partners_partner_import")
CONFIRM_URL = reverse("admin:partners_partner_process_import")
EXPORT_URL = reverse("admin:partners_partner_export")


def import_rows(resource, text, **kwargs):
    from core.imports.formats import read_rows

    return resource.import_data(read_rows(text.encode(), "csv"), file_name="test.csv", **kwargs)


def exported_xlsx(client) -> openpyxl.Workbook:
    response = client.post(EXPORT_URL, {"format": "0", "resource": "0"})
    assert response.status_code == 200, response.content[:500]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def xlsx_upload(book) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("partners.xlsx", buffer.getvalue())


def preview(client, upload):
    return client.post(IMPORT_URL, {"format": "0", "resource": "0", "import_file": upload})


def confirm(client, response):
    form = response.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(CONFIRM_URL, data)


def test_office_exports_adds_three_rows_and_imports_them(client_for, office, partner):
    client = client_for(office)
    book = exported_xlsx(client)
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    assert "erasmus_code" in headers and sheet.max_row == 2

    def row(**values):
        return [values.get(header, "") for header in headers]

    belarusian = row(
        name="Belarusian State University",
        name_original="Белорусский государственный университет",
        kind="University",
        country="Беларусь",
    )
    polish = row(
        name="Jagiellonian University",
        name_original="Uniwersytet Jagielloński",
        kind="university",
        country="Poland",
        city="Kraków",
    )
    unknown = row(name="Nowhere University", kind="university", country="Polnad")
    for values in (belarusian, polish, unknown):
        sheet.append(values)

    response = preview(client, xlsx_upload(book))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unknown country “Polnad”" in page
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert Partner.objects.count() == 1

    sheet.delete_rows(sheet.max_row)
    response = preview(client, xlsx_upload(book))
    assert response.context["confirm_form"] is not None
    assert Partner.objects.count() == 1  # the preview writes nothing
    response = confirm(client, response)
    assert response.status_code == 302
    assert Partner.objects.count() == 3
    jagiellonian = Partner.objects.get(name_original="Uniwersytet Jagielloński")
    assert (jagiellonian.country, jagiellonian.city) == ("PL", "Kraków")
    assert jagiellonian.history.first().history_change_reason == "import of partners.xlsx"
    assert jagiellonian.history.first().history_user == office
    log = ImportLog.objects.get()
    assert (log.file_name, log.imported_by, log.new, log.unchanged) == (
        "partners.xlsx",
        office,
        2,
        1,
    )
    assert len(log.sha256) == 64

    response = preview(client, xlsx_upload(book))
    result = response.context["result"]
    assert result.totals["skip"] == 3 and result.totals["new"] == 0
    confirm(client, response)
    assert Partner.objects.count() == 3
    assert jagiellonian.history.count() == 1
    assert client.get(reverse("admin:core_importlog_changelist")).status_code == 200


def test_the_import_page_needs_the_permission_to_add(client_for, staff_member):
    staff_member.is_staff = True
    staff_member.save()
    assert client_for(staff_member).get(IMPORT_URL).status_code == 403


def test_an_unreadable_file_is_refused_on_the_form(client_for, office):
    upload = SimpleUploadedFile("partners.xlsx", b"PK\x03\x04 not really")
    response = preview(client_for(office), upload)
    assert "not a spreadsheet" in response.content.decode()


def test_partner_found_by_erasmus_code_else_by_any_name_form_in_its_country(partner):
    partner.erasmus_code = "PL BIALYST02"
    partner.save()
    result = import_rows(
        PartnerResource(),
        "name,kind,country,erasmus_code,city\n"
        "Renamed University,university,PL,pl bialyst02,Białystok\n"
        "Uniwersytet Medyczny w Białymstoku,university,Poland,,Białystok\n"
        "Uniwersytet Medyczny w Białymstoku,university,Germany,,Berlin\n",
    )
    assert [row.import_type for row in result.rows] == ["update", "update", "new"]
    assert Partner.objects.count() == 2


def test_duplicate_rows_in_the_file_are_refused_and_nothing_written():
    result = import_rows(
        PartnerResource(),
        "name,kind,country\nA University,university,PL\nB University,university,PL\n"
        "A University,university,PL\n",
    )
    assert result.has_validation_errors()
    assert "repeats row 1" in str(result.invalid_rows[0].error)
    assert not Partner.objects.exists()


def test_missing_required_columns_are_named():
    result = import_rows(PartnerResource(), "name,city\nA University,Minsk\n")
    assert "Columns missing from the file: kind, country" in str(result.base_errors[0].error)
    assert not Partner.objects.exists()


def test_agreements_by_reference_with_partner_by_name_and_quotas(partner, department):
    text = (
        "reference,title,partner,kind,lifecycle,valid_from,valid_until,department\n"
        "BSMU-UMB-2004,Cooperation,UMB,general,signed,01.09.2004,,"
        "Department of Infectious Diseases\n"
    )
    assert not import_rows(AgreementResource(), text).has_validation_errors()
    result = import_rows(AgreementResource(), text)
    assert [row.import_type for row in result.rows] == ["skip"]
    agreement = Agreement.objects.get(reference="BSMU-UMB-2004")
    assert (agreement.partner, agreement.department) == (partner, department)

    from partners.resources import AgreementQuotaResource

    quotas = (
        "agreement,academic_year,mobility_type,direction,places\n"
        "BSMU-UMB-2004,2025,HE-STA,outgoing,3\n"
    )
    assert not import_rows(AgreementQuotaResource(), quotas).has_validation_errors()
    assert not import_rows(AgreementQuotaResource(), quotas).totals["new"]
    assert AgreementQuota.objects.get().places == 3


def test_an_unknown_partner_names_the_closest(partner):
    PartnerFactory(name="Medical University of Lublin", country="PL")
    result = import_rows(
        AgreementResource(),
        "reference,title,partner,kind\nX-1,Cooperation,Medical Univ. of Bialystok,general\n",
    )
    message = str(result.invalid_rows[0].error)
    assert "“Medical Univ. of Bialystok” not found" in message
    assert "Medical University of Bialystok" in message
    assert not Agreement.objects.exists()


def test_departments_by_name():
    text = "name,faculty\nDepartment of Surgery,Faculty of Medicine\n"
    import_rows(DepartmentResource(), text)
    assert [row.import_type for row in import_rows(DepartmentResource(), text).rows] == ["skip"]
    result = import_rows(DepartmentResource(), text.replace("Surgery", "surgery"))
    assert [row.import_type for row in result.rows] == ["update"]
    assert Department.objects.count() == 1


def test_the_template_of_a_kind_explains_its_columns_in_the_readers_language(client_for, office):
    client = client_for(office)
    assert "import/template/" in client.get(IMPORT_URL).content.decode()
    response = client.get(
        reverse("admin:partners_partner_import_template"), headers={"accept-language": "ru"}
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    data, columns = book.worksheets
    # Headed in the reader's language; the second sheet gives each label's field name.
    assert [cell.value for cell in data[1]][:2] == [
        "Название (на английском)",
        "Название на языке оригинала",
    ]
    assert data[2][0].value == "Medical University of Bialystok"
    explained = {row[1]: row for row in columns.iter_rows(min_row=2, values_only=True)}
    assert explained["country"][0] == "Страна"
    assert "ISO" in explained["country"][3]
    # The example imports as it is.
    template = SimpleUploadedFile("template.xlsx", response.content)
    assert preview(client, template).context["result"].totals["new"] == 1


def test_the_template_needs_the_permission_to_import(client_for, staff_member):
    staff_member.is_staff = True
    staff_member.save()
    response = client_for(staff_member).get(reverse("admin:partners_partner_import_template"))
    assert response.status_code == 403


def test_a_file_over_max_import_size_is_refused_on_the_form(client_for, office, settings):
    settings.MAX_IMPORT_SIZE = 100
    upload = SimpleUploadedFile("partners.csv", b"name,kind,country\n" + b"x,university,PL\n" * 20)
    response = client_for(office).post(
        IMPORT_URL, {"format": "1", "resource": "0", "import_file": upload}
    )
    assert "larger than 100" in response.content.decode()
    assert not Partner.objects.exists()


def test_the_preview_gives_reasons_in_the_persons_language(client_for, office):
    from people.models import Profile

    profile = Profile.objects.for_user(office)
    profile.language = "be"
    profile.save()
    upload = SimpleUploadedFile("partners.csv", b"name;kind;country\nX;university;Polnad\n")
    response = client_for(office).post(
        IMPORT_URL, {"format": "1", "resource": "0", "import_file": upload}
    )
    assert "Невядомая краіна «Polnad»" in response.content.decode()
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        "name,kind,country",
        "Name (English),Kind,Country",
        "Название (на английском),Вид,Страна",
        "назва (на англійскай мове);від;краіна",
    ],
)
def test_headers_are_read_as_field_names_or_labels_in_any_language(header):
    separator = ";" if ";" in header else ","
    row = separator.join(["Vilnius University", "university", "Lithuania"])
    result = import_rows(PartnerResource(), f"{header}\n{row}\n")
    assert not result.has_errors() and not result.has_validation_errors(), result.base_errors
    assert Partner.objects.get().country == "LT"
