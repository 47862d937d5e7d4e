"""The program catalogue and a program's page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.choices import ProgramDirection
from exchanges.models import Application, MobilityRecord, Program
from tests.factories import (
    ApplicationFactory,
    MobilityRecordFactory,
    PartnerFactory,
    ProgramFactory,
)

LIST_URL = reverse("exchanges:program-list")


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def titles(response):
    return [program.title for program in response.context["programs"]]


@pytest.fixture
def catalogue(db, program, department):
    """Programs that differ in one thing each, beside the open staff training `program`."""
    german = PartnerFactory(name="Charité Berlin", country="DE")
    return {
        "open": program,
        "incoming": ProgramFactory(
            title="Visiting professors from Berlin",
            kind=Program.Kind.VISITING_PROFESSOR,
            direction=ProgramDirection.INCOMING,
            host_institution=german,
            eligible_undergraduate=False,
            eligible_academic_staff=True,
        ),
        "both": ProgramFactory(
            title="Joint research in Berlin",
            kind=Program.Kind.JOINT_RESEARCH,
            direction=ProgramDirection.BOTH,
            host_institution=german,
            eligible_undergraduate=False,
            eligible_academic_staff=False,
            eligible_phd_student=True,
        ),
        "closed": ProgramFactory(
            title="Summer school that has closed",
            kind=Program.Kind.SUMMER_SCHOOL,
            call_opens=days(-60),
            call_closes=days(-30),
        ),
        "unpublished": ProgramFactory(title="Unpublished draft program", is_published=False),
        "archived": ProgramFactory(title="Archived old program", is_archived=True),
    }


def test_anonymous_visitor_is_sent_to_sign_in(client, program):
    for url in (
        LIST_URL,
        program.get_absolute_url(),
        reverse("exchanges:application-create", args=[program.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_program_list_shows_published_programs_only(client_for, student, catalogue):
    response = client_for(student).get(LIST_URL)
    assert response.status_code == 200
    shown = set(titles(response))
    assert shown == {
        "Clinical training in Bialystok",
        "Visiting professors from Berlin",
        "Joint research in Berlin",
        "Summer school that has closed",
    }
    assert response.context["page_obj"].paginator.count == 4
    assert b"4 programs found" in response.content


def test_program_list_pages_by_the_page_size_setting(settings, client_for, student, catalogue):
    settings.PAGE_SIZE = 3
    client = client_for(student)
    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})
    assert len(titles(first)) == 3
    assert first.context["page_obj"].paginator.num_pages == 2
    assert len(titles(second)) == 1


def test_program_list_row_shows_host_country_and_places_left(client_for, student, program):
    MobilityRecordFactory(program=program)
    MobilityRecordFactory(program=program, status=MobilityRecord.Status.CANCELLED)
    response = client_for(student).get(LIST_URL)
    content = response.content.decode()
    # The host's country under its name (a line of its own in the row, or on a phone's card).
    assert 'Medical University of Bialystok <span class="secondary">Poland</span>' in content
    assert "4 / 5" in content
    assert "Staff training or refresher course" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=berlin", {"Visiting professors from Berlin", "Joint research in Berlin"}),
        ("q=BIALY", {"Clinical training in Bialystok"}),
        ("kind=summer_school", {"Summer school that has closed"}),
        (
            "direction=incoming",
            {"Visiting professors from Berlin", "Joint research in Berlin"},
        ),
        (
            "direction=outgoing",
            {
                "Clinical training in Bialystok",
                "Joint research in Berlin",
                "Summer school that has closed",
            },
        ),
        ("category=phd_student", {"Joint research in Berlin"}),
        ("country=DE", {"Visiting professors from Berlin", "Joint research in Berlin"}),
        (
            "call_open=yes",
            {
                "Clinical training in Bialystok",
                "Visiting professors from Berlin",
                "Joint research in Berlin",
            },
        ),
        ("country=DE&category=academic_staff", {"Visiting professors from Berlin"}),
    ],
)
def test_program_list_filters_return_the_right_rows(
    client_for, student, catalogue, query, expected
):
    response = client_for(student).get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    assert set(titles(response)) == expected


@pytest.mark.parametrize(
    "query",
    ["kind=nonsense", "category=alien", "country=XX", "call_open=maybe", "direction=sideways"],
)
def test_invalid_filter_values_show_an_error_and_never_fail(client_for, student, catalogue, query):
    response = client_for(student).get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    assert response.context["filterset"].errors
    assert len(titles(response)) == 4


@pytest.mark.parametrize("page", ["999", "abc", "-1"])
def test_a_bad_page_number_still_shows_a_page(client_for, student, catalogue, page):
    response = client_for(student).get(f"{LIST_URL}?page={page}")
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_program_list_queries_do_not_grow_with_rows(
    client_for, student, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        program = ProgramFactory()
        MobilityRecordFactory(program=program)
    client = client_for(student)
    # session, user, country choices, count, page of programs with host and places taken,
    # reviewer checks for the navigation (group, departments), session save (savepoint: 3).
    with django_assert_max_num_queries(10):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(titles(response)) == min(rows, 25)


def test_program_page_shows_call_places_and_an_apply_button(client_for, student, program):
    MobilityRecordFactory(program=program)
    response = client_for(student).get(program.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Clinical training in Bialystok" in content
    assert "5 in total, 4 left" in content
    assert "Academic staff" in content and "Undergraduate student" in content
    assert reverse("exchanges:application-create", args=[program.slug]) in content
    assert program.agreement.reference in content
    assert "Department of Infectious Diseases" in content


def test_program_page_says_why_a_closed_call_cannot_be_applied_to(client_for, student):
    program = ProgramFactory(call_opens=days(-60), call_closes=days(-1))
    response = client_for(student).get(program.get_absolute_url())
    content = response.content.decode()
    assert "The call for applications to this program is not open." in content
    assert reverse("exchanges:application-create", args=[program.slug]) not in content


def test_program_page_says_when_all_places_are_taken(client_for, student):
    program = ProgramFactory(places=1)
    MobilityRecordFactory(program=program)
    response = client_for(student).get(program.get_absolute_url())
    content = response.content.decode()
    assert "All places of this program are taken." in content
    assert reverse("exchanges:application-create", args=[program.slug]) not in content


def test_program_page_links_to_the_existing_application(client_for, student, program):
    application = ApplicationFactory(applicant=student, program=program)
    response = client_for(student).get(program.get_absolute_url())
    content = response.content.decode()
    assert application.get_absolute_url() in content
    assert reverse("exchanges:application-create", args=[program.slug]) not in content


def test_a_withdrawn_application_does_not_block_applying_again(client_for, student, program):
    ApplicationFactory(applicant=student, program=program, status=Application.Status.WITHDRAWN)
    response = client_for(student).get(program.get_absolute_url())
    assert reverse("exchanges:application-create", args=[program.slug]) in response.content.decode()


@pytest.mark.parametrize(
    "state", [{"is_published": False}, {"is_published": False, "is_archived": True}]
)
def test_never_published_program_is_404_except_for_the_office(
    client_for, student, coordinator, office, state
):
    program = ProgramFactory(**state)
    assert client_for(student).get(program.get_absolute_url()).status_code == 404
    assert client_for(coordinator).get(program.get_absolute_url()).status_code == 404
    response = client_for(office).get(program.get_absolute_url())
    assert response.status_code == 200
    assert reverse("exchanges:application-create", args=[program.slug]) not in (
        response.content.decode()
    )


def test_archived_program_answers_200_with_an_archived_notice_and_no_way_to_apply(
    client_for, student, staff_member, coordinator, office
):
    """Issue 17 on purpose: a link to an archived program keeps working, read-only."""
    program = ProgramFactory(is_archived=True)
    for user in (student, staff_member, coordinator, office):
        response = client_for(user).get(program.get_absolute_url())
        assert response.status_code == 200
        content = response.content.decode()
        assert "This program is archived: it is shown for the record" in content
        assert reverse("exchanges:application-create", args=[program.slug]) not in content


def test_an_archived_program_takes_no_application(client_for, student):
    program = ProgramFactory(is_archived=True)
    url = reverse("exchanges:application-create", args=[program.slug])
    response = client_for(student).post(url, {"action": "submit", "motivation": "Please."})
    assert response.status_code == 302
    assert not Application.objects.filter(program=program).exists()


def test_unknown_program_is_404(client_for, student, db):
    response = client_for(student).get(reverse("exchanges:program-detail", args=["nope"]))
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_program_page_queries_do_not_grow_with_records(
    client_for, student, program, django_assert_max_num_queries, rows
):
    program.places = 100
    program.save()
    for _ in range(rows):
        MobilityRecordFactory(program=program)
    client = client_for(student)
    # session, user, office group check, program with relations and places taken, my live
    # application, coordinator check for the navigation, session save (in a savepoint: 3).
    with django_assert_max_num_queries(9):
        response = client.get(program.get_absolute_url())
    assert f"{100 - rows} left" in response.content.decode()
