"""People from spreadsheets: accounts with their profiles, never passwords (issue 15)."""

import io

import pytest
from django.contrib.auth import get_user_model

from core.imports.formats import read_rows
from people.models import Profile
from people.resources import PersonResource
from tests.factories import DepartmentFactory, OfficeUserFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

FILE = (
    "email,username,first_name,last_name,is_active,language\n"
    "anna@example.org,anna,Анна,Іванова,yes,Беларуская\n"
    "piotr@example.org,,Piotr,Kowalski,,en\n"
)


def import_people(text, **kwargs):
    return PersonResource().import_data(read_rows(text.encode(), "csv"), **kwargs)


def test_accounts_and_their_language_are_imported_without_passwords():
    result = import_people(FILE)
    assert not result.has_validation_errors(), result.invalid_rows
    anna = User.objects.get(email="anna@example.org")
    assert (anna.first_name, anna.last_name, anna.is_active) == ("Анна", "Іванова", True)
    assert not anna.has_usable_password()
    assert Profile.objects.for_user(anna).language == "be"
    assert User.objects.get(email="piotr@example.org").username == "piotr@example.org"


def test_the_same_file_twice_changes_nothing_and_a_changed_language_updates():
    import_people(FILE)
    assert [row.import_type for row in import_people(FILE).rows] == ["skip", "skip"]
    result = import_people(FILE.replace("Беларуская", "ru"))
    assert [row.import_type for row in result.rows] == ["update", "skip"]
    assert Profile.objects.get(user__email="anna@example.org").language == "ru"
    assert User.objects.count() == 2


def test_a_person_is_found_by_e_mail_whatever_its_case():
    existing = UserFactory(email="Anna@Example.org", username="anna.old")
    import_people(FILE)
    existing.refresh_from_db()
    assert existing.first_name == "Анна"
    assert User.objects.count() == 2


def test_an_account_with_more_roles_than_the_importer_is_left_alone():
    office = OfficeUserFactory(username="office")
    UserFactory(email="anna@example.org", username="root", is_superuser=True)
    result = import_people(FILE, user=office)
    assert result.has_validation_errors()
    assert "roles you do not hold" in str(result.invalid_rows[0].error)
    assert not User.objects.filter(email="piotr@example.org").exists()


def test_no_invitation_unless_asked(tmp_path):
    from django.core.management import call_command

    from core.models import OutgoingEmail

    path = tmp_path / "people.csv"
    path.write_text(FILE)
    call_command("import_data", "people", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not OutgoingEmail.objects.exists()
    path.write_text(FILE.replace("anna", "maria").replace("piotr", "jan"))
    call_command(
        "import_data", "people", str(path), "--invite", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert sorted(email.recipients for email in OutgoingEmail.objects.all()) == [
        "jan@example.org",
        "maria@example.org",
    ]


def test_the_admin_invites_new_accounts_only_when_the_box_is_ticked(client_for, office):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from core.models import OutgoingEmail

    client = client_for(office)
    for invite, address in ((False, "anna@example.org"), (True, "maria@example.org")):
        upload = SimpleUploadedFile(
            "people.csv", FILE.replace("anna", address.split("@")[0]).encode()
        )
        data = {"format": "1", "resource": "0", "import_file": upload}
        if invite:
            data["invite"] = "on"
        response = client.post(reverse("admin:auth_user_import"), data)
        form = response.context["confirm_form"]
        confirmed = {name: form[name].value() for name in form.fields}
        assert client.post(reverse("admin:auth_user_process_import"), confirmed).status_code == 302
        assert User.objects.filter(email=address).exists()
    assert [email.recipients for email in OutgoingEmail.objects.all()] == ["maria@example.org"]


def test_profile_columns_are_imported_and_the_office_s_categories_count_as_confirmed():
    DepartmentFactory(name="Department of Surgery")
    text = (
        "email,first_name,last_name,category,department,faculty,year_of_study,position,phone\n"
        "lena@example.org,Lena,Staff,Academic staff,department of surgery,,,Professor,+375 17 1\n"
        "ivan@example.org,Ivan,Student,Студент,,Medical,3,,\n"
    )
    result = import_people(text)
    assert not result.has_validation_errors(), result.invalid_rows
    lena = Profile.objects.select_related("department").get(user__email="lena@example.org")
    assert (lena.category, lena.category_confirmed) == ("academic_staff", True)
    assert (lena.department.name, lena.position, lena.phone) == (
        "Department of Surgery",
        "Professor",
        "+375 17 1",
    )
    ivan = Profile.objects.get(user__email="ivan@example.org")
    assert (ivan.faculty, ivan.year_of_study) == ("Medical", 3)
    assert [row.import_type for row in import_people(text).rows] == ["skip", "skip"]


def test_a_year_of_study_out_of_range_is_refused_and_nothing_written():
    text = "email,category,year_of_study\nivan@example.org,undergraduate,9\n"
    result = import_people(text)
    assert result.has_validation_errors()
    assert "between 1 and 7" in str(result.invalid_rows[0].error_dict)
    assert not User.objects.exists()
