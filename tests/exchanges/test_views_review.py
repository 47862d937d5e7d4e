"""The decision queue: who sees what, approving, rejecting and the refusals."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Application, MobilityRecord
from tests.factories import (
    ApplicationAttachmentFactory,
    ApplicationFactory,
    MobilityRecordFactory,
    ProgramFactory,
    UserFactory,
)

LIST_URL = reverse("exchanges:review-list")


def review_url(application):
    return reverse("exchanges:review-detail", args=[application.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def applicant(db):
    return UserFactory(username="anna", first_name="Anna", last_name="Applicant")


@pytest.fixture
def submitted(db, applicant, program, department):
    return ApplicationFactory(applicant=applicant, program=program, department=department)


@pytest.fixture
def elsewhere(db, other_department):
    """An application to a program of the other department."""
    return ApplicationFactory(
        applicant=UserFactory(username="boris", first_name="Boris", last_name="Other"),
        program=ProgramFactory(department=other_department),
    )


# Who may see the queue


def test_anonymous_visitor_is_sent_to_sign_in(client, submitted):
    for url in (LIST_URL, review_url(submitted)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_people_who_decide_nothing_get_403_on_the_queue(client_for, student, staff_member):
    for user in (student, staff_member):
        assert client_for(user).get(LIST_URL).status_code == 403


def test_people_who_decide_nothing_get_404_on_an_application(
    client_for, student, staff_member, submitted
):
    for user in (student, staff_member):
        client = client_for(user)
        assert client.get(review_url(submitted)).status_code == 404
        assert client.post(review_url(submitted), {"action": "approve"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED


def test_coordinator_sees_only_their_departments_applications(
    client_for, coordinator, submitted, elsewhere
):
    response = client_for(coordinator).get(LIST_URL)
    assert response.status_code == 200
    assert list(response.context["applications"]) == [submitted]
    assert "Anna Applicant" in response.content.decode()


def test_coordinator_of_another_department_gets_404_on_the_application(
    client_for, other_coordinator, submitted, elsewhere
):
    client = client_for(other_coordinator)
    assert list(client.get(LIST_URL).context["applications"]) == [elsewhere]
    assert client.get(review_url(submitted)).status_code == 404
    assert client.post(review_url(submitted), {"action": "approve"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED
    assert not MobilityRecord.objects.exists()


def test_office_sees_every_application(client_for, office, submitted, elsewhere):
    response = client_for(office).get(LIST_URL)
    assert set(response.context["applications"]) == {submitted, elsewhere}
    assert client_for(office).get(review_url(elsewhere)).status_code == 200


def test_queue_pages_by_the_page_size_setting(settings, client_for, office, submitted, elsewhere):
    settings.PAGE_SIZE = 1
    client = client_for(office)
    pages = [client.get(LIST_URL, {"page": n}).context["applications"] for n in (1, 2)]
    assert [len(page) for page in pages] == [1, 1]
    assert {*pages[0], *pages[1]} == {submitted, elsewhere}


def test_queue_shows_submitted_by_default_and_other_statuses_on_request(
    client_for, coordinator, submitted, program
):
    draft = ApplicationFactory(program=program, status=Application.Status.DRAFT)
    rejected = ApplicationFactory(
        program=program, status=Application.Status.REJECTED, decided_at=timezone.now()
    )
    client = client_for(coordinator)
    assert list(client.get(LIST_URL).context["applications"]) == [submitted]
    assert list(client.get(f"{LIST_URL}?status=rejected").context["applications"]) == [rejected]
    everything = client.get(f"{LIST_URL}?status=all").context["applications"]
    assert set(everything) == {submitted, rejected}
    assert draft not in everything  # an unsubmitted draft is the applicant's alone


# Unsubmitted drafts are the applicant's alone


@pytest.fixture
def draft(db, applicant, program, department):
    return ApplicationFactory(
        applicant=applicant,
        program=program,
        department=department,
        status=Application.Status.DRAFT,
        submitted_at=None,
    )


def test_reviewers_never_see_a_draft_in_the_queue(client_for, coordinator, office, draft):
    for user in (coordinator, office):
        client = client_for(user)
        for query in ("", "?status=all", "?status=draft"):
            response = client.get(f"{LIST_URL}{query}")
            assert response.status_code == 200
            assert draft not in response.context["applications"]
        assert 'value="draft"' not in response.content.decode()  # the filter offers no "draft"


def test_a_draft_is_404_to_reviewers(client_for, coordinator, office, draft):
    for user in (coordinator, office):
        client = client_for(user)
        assert client.get(review_url(draft)).status_code == 404
        assert client.post(review_url(draft), {"action": "approve"}).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert not MobilityRecord.objects.exists()


def test_a_drafts_attachment_is_for_the_applicant_only(
    client_for, applicant, coordinator, office, draft
):
    url = reverse("exchanges:attachment-download", args=["application", attachment_of(draft)])
    for user in (coordinator, office):
        assert client_for(user).get(url).status_code == 404
    assert client_for(applicant).get(url).status_code == 200
    assert client_for(applicant).get(draft.get_absolute_url()).status_code == 200


def test_once_submitted_the_draft_and_its_files_reach_the_reviewers(
    client_for, coordinator, office, draft
):
    url = reverse("exchanges:attachment-download", args=["application", attachment_of(draft)])
    Application.objects.filter(pk=draft.pk).update(
        status=Application.Status.SUBMITTED, submitted_at=timezone.now()
    )
    for user in (coordinator, office):
        client = client_for(user)
        assert client.get(review_url(draft)).status_code == 200
        assert client.get(url).status_code == 200


def test_a_withdrawn_application_is_shown_to_reviewers_only_if_it_was_submitted(
    client_for, coordinator, program, draft
):
    withdrawn_draft = draft
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.WITHDRAWN)
    withdrawn_after_submission = ApplicationFactory(
        program=program, status=Application.Status.WITHDRAWN
    )
    client = client_for(coordinator)
    shown = client.get(f"{LIST_URL}?status=withdrawn").context["applications"]
    assert list(shown) == [withdrawn_after_submission]
    assert client.get(review_url(withdrawn_after_submission)).status_code == 200
    assert client.get(review_url(withdrawn_draft)).status_code == 404


def attachment_of(application) -> int:
    return ApplicationAttachmentFactory(application=application).pk


def test_queue_search_finds_applicant_and_program(client_for, office, submitted, elsewhere):
    client = client_for(office)
    assert list(client.get(f"{LIST_URL}?q=anna").context["applications"]) == [submitted]
    assert list(client.get(f"{LIST_URL}?q=bialystok").context["applications"]) == [submitted]


@pytest.mark.parametrize("query", ["status=bogus", "page=abc", "page=999"])
def test_bad_queue_parameters_never_fail(client_for, office, submitted, query):
    assert client_for(office).get(f"{LIST_URL}?{query}").status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_queue_queries_do_not_grow_with_rows(
    client_for, coordinator, program, department, django_assert_max_num_queries, rows
):
    ApplicationFactory.create_batch(rows, program=program, department=department)
    client = client_for(coordinator)
    # session, user, office group check, coordinated departments, count, page of applications
    # with applicant, department, program and host, session save (in a savepoint: 3).
    with django_assert_max_num_queries(9):
        response = client.get(LIST_URL)
    assert len(response.context["applications"]) == min(rows, 25)


# The application page


def test_review_page_shows_the_application_and_places_left(
    client_for, coordinator, submitted, program
):
    MobilityRecordFactory(program=program)
    response = client_for(coordinator).get(review_url(submitted))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Anna Applicant" in content
    assert "Academic staff" in content
    assert "Department of Infectious Diseases" in content
    assert submitted.motivation in content
    assert "4 / 5" in content
    assert 'value="approve"' in content and 'value="reject"' in content


def test_approving_creates_the_mobility_record_and_mails_the_applicant(
    client_for, coordinator, submitted, program, run_worker
):
    response = client_for(coordinator).post(
        review_url(submitted), {"action": "approve", "comment": "Welcome aboard."}
    )
    assert response.status_code == 302
    assert "The decision was recorded and the applicant informed." in messages_of(response)
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.APPROVED
    assert submitted.decided_by == coordinator
    assert submitted.decided_at is not None
    assert submitted.decision_comment == "Welcome aboard."

    record = MobilityRecord.objects.get()
    assert record.application == submitted
    assert record.full_name == "Anna Applicant"
    assert record.person == submitted.applicant
    assert record.partner == program.host_institution
    assert record.program == program
    assert record.agreement == program.agreement
    assert record.start_date == program.starts_on
    assert record.end_date == program.ends_on
    assert record.country == "PL"
    assert record.direction == "outgoing"
    assert record.status == MobilityRecord.Status.PLANNED

    assert mail.outbox == []
    assert run_worker() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.org"]
    assert "was approved" in mail.outbox[0].subject
    assert "Welcome aboard." in mail.outbox[0].body


def test_rejecting_records_the_decision_without_a_mobility_record(
    client_for, office, submitted, run_worker
):
    response = client_for(office).post(
        review_url(submitted), {"action": "reject", "comment": "No places for surgeons."}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.REJECTED
    assert submitted.decided_by.username == "office"
    assert not MobilityRecord.objects.exists()
    assert run_worker() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.org"]
    assert "was not approved" in mail.outbox[0].subject
    assert "No places for surgeons." in mail.outbox[0].body


def test_deciding_twice_is_refused(client_for, coordinator, submitted, run_worker):
    client = client_for(coordinator)
    client.post(review_url(submitted), {"action": "approve"})
    response = client.post(review_url(submitted), {"action": "reject", "comment": "Oops"})
    assert response.status_code == 302
    assert "This application is approved: there is nothing to decide." in messages_of(response)
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.APPROVED
    assert submitted.decision_comment == ""
    assert MobilityRecord.objects.count() == 1
    # Only the approval's e-mail: the refused rejection queued none.
    assert run_worker() == 1
    assert [message.subject for message in mail.outbox] == [
        "[Academic Mobility Portal] Your application to Clinical training in Bialystok was approved"
    ]


def test_deciding_a_withdrawn_application_is_refused(client_for, coordinator, program):
    withdrawn = ApplicationFactory(program=program, status=Application.Status.WITHDRAWN)
    response = client_for(coordinator).post(review_url(withdrawn), {"action": "approve"})
    assert response.status_code == 302
    assert "This application is withdrawn: there is nothing to decide." in messages_of(response)
    withdrawn.refresh_from_db()
    assert withdrawn.status == Application.Status.WITHDRAWN
    assert withdrawn.decided_at is None
    assert not MobilityRecord.objects.exists()


def test_approving_with_no_places_left_is_refused(client_for, coordinator, department):
    program = ProgramFactory(places=1, department=department)
    MobilityRecordFactory(program=program)
    application = ApplicationFactory(program=program)
    response = client_for(coordinator).post(review_url(application), {"action": "approve"})
    assert "All places of this program are taken." in messages_of(response)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.decided_by is None
    assert MobilityRecord.objects.count() == 1


def test_a_rejection_is_possible_with_no_places_left(client_for, coordinator, department):
    program = ProgramFactory(places=1, department=department)
    MobilityRecordFactory(program=program)
    application = ApplicationFactory(program=program)
    client_for(coordinator).post(review_url(application), {"action": "reject"})
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED


def test_an_unknown_action_changes_nothing(client_for, coordinator, submitted):
    response = client_for(coordinator).post(review_url(submitted), {"action": "delete"})
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED


def test_decision_form_is_hidden_once_decided(client_for, coordinator, program):
    approved = ApplicationFactory(
        program=program, status=Application.Status.APPROVED, decided_at=timezone.now()
    )
    content = client_for(coordinator).get(review_url(approved)).content.decode()
    assert 'value="approve"' not in content
