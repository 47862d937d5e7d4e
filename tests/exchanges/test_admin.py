"""The admin for programs, applications and mobility records."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Application, MobilityRecord, Program
from partners.choices import Direction
from people.choices import Category
from tests.factories import (
    ApplicationAttachmentFactory,
    ApplicationFactory,
    DepartmentFactory,
    MobilityRecordFactory,
    MobilityReportAttachmentFactory,
    PartnerFactory,
    ProgramFactory,
    UserFactory,
)

MODELS = [
    "program",
    "application",
    "applicationattachment",
    "mobilityrecord",
    "mobilityreportattachment",
]


def admin_url(model, action="changelist", *args):
    return reverse(f"admin:exchanges_{model}_{action}", args=args)


def results(response):
    return list(response.context["cl"].result_list)


def export_csv(client, url, objects):
    response = client.post(
        url, {"action": "export_as_csv", "_selected_action": [obj.pk for obj in objects]}
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return response, list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))


@pytest.fixture
def staff_without_permissions(db):
    return UserFactory(username="bare-staff", is_staff=True)


@pytest.fixture
def objects(program, student):
    application = ApplicationFactory(program=program, applicant=student)
    record = MobilityRecordFactory(program=program, agreement=program.agreement)
    return {
        "program": program,
        "application": application,
        "applicationattachment": ApplicationAttachmentFactory(application=application),
        "mobilityrecord": record,
        "mobilityreportattachment": MobilityReportAttachmentFactory(record=record),
    }


# --- Who may use it ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_office_user_sees_every_changelist_add_and_change_page(client_for, office, objects, model):
    client = client_for(office)
    assert client.get(admin_url(model)).status_code == 200
    assert client.get(admin_url(model, "add")).status_code == 200
    assert client.get(admin_url(model, "change", objects[model].pk)).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_anonymous_visitor_is_sent_to_sign_in(client, objects, model):
    url = admin_url(model, "change", objects[model].pk)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("model", MODELS)
def test_signed_in_non_staff_user_is_sent_to_the_admin_login(client_for, student, objects, model):
    client = client_for(student)
    for url in (admin_url(model), admin_url(model, "add")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", MODELS)
def test_staff_user_without_permissions_is_refused(
    client_for, staff_without_permissions, objects, model
):
    client = client_for(staff_without_permissions)
    assert client.get(admin_url(model)).status_code == 403
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.get(admin_url(model, "change", objects[model].pk)).status_code == 403


@pytest.mark.parametrize("model", ["program", "application", "mobilityrecord"])
def test_office_user_sees_the_change_history(client_for, office, objects, model):
    response = client_for(office).get(admin_url(model, "history", objects[model].pk))
    assert response.status_code == 200


# --- Programs ------------------------------------------------------------------------------------


def test_program_list_shows_the_call_window(client_for, office, program):
    program.call_opens = datetime.date(2026, 2, 1)
    program.call_closes = datetime.date(2026, 3, 15)
    program.save()
    response = client_for(office).get(admin_url("program"))
    # Day before month (never 02/01/2026, which half our readers take for 2 January).
    assert "1 February 2026 – 15 March 2026" in response.content.decode()


def test_program_filters_by_kind_and_start_year(client_for, office, program):
    summer = ProgramFactory(
        kind=Program.Kind.SUMMER_PRACTICE,
        starts_on=datetime.date(2024, 7, 1),
        ends_on=datetime.date(2024, 7, 28),
    )
    client = client_for(office)
    assert results(client.get(admin_url("program"), {"kind": "summer_practice"})) == [summer]
    assert results(client.get(admin_url("program"), {"year": "2024"})) == [summer]


def test_deleting_a_program_with_mobility_records_shows_the_protected_page(client_for, program):
    MobilityRecordFactory(program=program, full_name="Jan Nowak")
    url = admin_url("program", "delete", program.pk)
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)

    response = client_for(superuser).post(url, {"post": "yes"})

    assert response.status_code == 200
    assert response.context["protected"]
    assert b"Jan Nowak" in response.content
    assert Program.objects.filter(pk=program.pk).exists()


# --- Applications --------------------------------------------------------------------------------


def test_application_search_finds_the_applicant_by_name(client_for, office, program, student):
    mine = ApplicationFactory(program=program, applicant=student)
    ApplicationFactory(program=program)
    client = client_for(office)
    assert results(client.get(admin_url("application"), {"q": "Student"})) == [mine]
    assert results(client.get(admin_url("application"), {"q": "student"})) == [mine]


def test_application_status_filter(client_for, office, program):
    draft = ApplicationFactory(program=program, status=Application.Status.DRAFT, submitted_at=None)
    ApplicationFactory(program=program)
    response = client_for(office).get(admin_url("application"), {"status": "draft"})
    assert results(response) == [draft]


def test_the_admin_cannot_decide_an_application_behind_the_review_queue(
    client_for, office, objects
):
    application = objects["application"]
    url = admin_url("application", "change", application.pk)
    data = {
        "applicant": application.applicant.pk,
        "program": application.program.pk,
        "category": application.category,
        "motivation": "Updated motivation.",
        "status": Application.Status.APPROVED,
        "decision_comment": "Welcome.",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }

    response = client_for(office).post(url, data)

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.motivation == "Updated motivation."
    assert application.status == Application.Status.SUBMITTED
    assert application.decided_by is None
    assert application.decision_comment == ""
    assert not MobilityRecord.objects.filter(application=application).exists()


def test_application_changelist_queries_do_not_grow_with_rows(
    client_for, office, program, django_assert_max_num_queries
):
    client = client_for(office)
    for count in (5, 50):
        ApplicationFactory.create_batch(count - Application.objects.count(), program=program)
        # session, user, user and group permissions, department filter choices, two counts,
        # the page with applicants, programs and departments, two for the date hierarchy,
        # the session update (with savepoints on PostgreSQL).
        with django_assert_max_num_queries(14):
            response = client.get(admin_url("application"))
        assert len(results(response)) == count


# --- Mobility records ----------------------------------------------------------------------------


def test_record_year_filter_uses_the_start_year(client_for, office):
    last_year = MobilityRecordFactory(start_date=datetime.date(2024, 12, 20))
    MobilityRecordFactory(start_date=datetime.date(2025, 1, 5))
    client = client_for(office)

    assert results(client.get(admin_url("mobilityrecord"), {"year": "2024"})) == [last_year]
    assert len(results(client.get(admin_url("mobilityrecord"), {"year": "abc"}))) == 2


def test_record_filters_by_direction_country_and_department(client_for, office):
    department = DepartmentFactory(name="Department of Internal Diseases No. 3")
    incoming = MobilityRecordFactory(
        direction=Direction.INCOMING,
        partner=PartnerFactory(country="KZ"),
        department=department,
    )
    MobilityRecordFactory()
    client = client_for(office)
    url = admin_url("mobilityrecord")
    assert results(client.get(url, {"direction": "incoming"})) == [incoming]
    assert results(client.get(url, {"country": "KZ"})) == [incoming]
    assert results(client.get(url, {"department__id__exact": department.pk})) == [incoming]


def test_record_search_finds_name_and_partner(client_for, office, partner):
    nowak = MobilityRecordFactory(full_name="Jan Nowak", partner=partner)
    MobilityRecordFactory(full_name="Anna Smirnova")
    client = client_for(office)
    assert results(client.get(admin_url("mobilityrecord"), {"q": "Nowak"})) == [nowak]
    assert results(client.get(admin_url("mobilityrecord"), {"q": "UMB"})) == [nowak]


def test_record_csv_export_uses_labels_and_escapes_formulas(client_for, office, partner):
    record = MobilityRecordFactory(
        full_name='=HYPERLINK("http://evil")',
        partner=partner,
        category=Category.PHD_STUDENT,
        direction=Direction.INCOMING,
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 3, 14),
    )

    response, (header, *rows) = export_csv(
        client_for(office), admin_url("mobilityrecord"), [record]
    )

    assert response["Content-Disposition"] == (
        f'attachment; filename="mobility-records-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert header == [
        "Full name",
        "Direction",
        "Category",
        "Partner institution",
        "Country",
        "Start date",
        "End date",
        "Status",
    ]
    assert rows == [
        [
            '\'=HYPERLINK("http://evil")',
            "Incoming",
            "PhD student",
            "Medical University of Bialystok",
            "Poland",
            "2025-03-01",
            "2025-03-14",
            "Completed",
        ]
    ]


def test_record_csv_export_makes_no_query_per_row(
    client_for, office, partner, django_assert_max_num_queries
):
    client = client_for(office)
    for count in (5, 50):
        MobilityRecordFactory.create_batch(count - MobilityRecord.objects.count(), partner=partner)
        selected = list(MobilityRecord.objects.all())
        # session, user, user and group permissions, the changelist the action runs from
        # (country, department and year filter choices, built twice by Django, two counts),
        # the session update (with savepoints), the selected rows with their partners.
        with django_assert_max_num_queries(16):
            _, (header, *rows) = export_csv(client, admin_url("mobilityrecord"), selected)
        assert len(rows) == count


def test_record_changelist_queries_do_not_grow_with_rows(
    client_for, office, partner, django_assert_max_num_queries
):
    client = client_for(office)
    for count in (5, 50):
        MobilityRecordFactory.create_batch(count - MobilityRecord.objects.count(), partner=partner)
        # session, user, user and group permissions, country, department and year filter
        # choices, two counts, the page with partners, two for the date hierarchy, the session
        # update (with savepoints on PostgreSQL).
        with django_assert_max_num_queries(16):
            response = client.get(admin_url("mobilityrecord"))
        assert len(results(response)) == count


def test_the_office_archives_programs_instead_of_deleting_them(client_for, office, program):
    client = client_for(office)
    assert client.get(admin_url("program", "delete", program.pk)).status_code == 403
    response = client.post(
        admin_url("program"), {"action": "archive_selected", "_selected_action": [program.pk]}
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.is_archived is True
