"""Applying, my applications, withdrawing, the post-mobility report and attachment downloads."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingEmail
from exchanges.models import (
    Application,
    ApplicationAttachment,
    MobilityRecord,
)
from people.choices import Category
from tests.factories import (
    ApplicationAttachmentFactory,
    ApplicationFactory,
    MobilityRecordFactory,
    MobilityReportAttachmentFactory,
    ProgramFactory,
    UserFactory,
)

PDF = b"%PDF-1.4\n%test\n"


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def apply_url(program):
    return reverse("exchanges:application-create", args=[program.slug])


def pdf(name="cv.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_data(**overrides):
    data = {
        "motivation": "I want to learn laparoscopic surgery.",
        "action": "submit",
    }
    data.update(overrides)
    return data


@pytest.fixture
def approved(db, student, program):
    """An approved application whose mobility ended yesterday."""
    application = ApplicationFactory(
        applicant=student,
        program=program,
        status=Application.Status.APPROVED,
        decided_at=timezone.now(),
    )
    MobilityRecordFactory(
        application=application,
        person=student,
        program=program,
        start_date=days(-14),
        end_date=days(-1),
        status=MobilityRecord.Status.PLANNED,
    )
    return application


# Applying


def test_the_application_form_asks_nothing_about_who_the_applicant_is(client_for, student, program):
    response = client_for(student).get(apply_url(program))
    assert response.status_code == 200
    assert "category" not in response.context["form"].fields
    content = response.content.decode()
    assert 'name="action" value="draft"' in content
    assert 'name="action" value="submit"' in content


def test_submitting_an_application_saves_it_and_mails_applicant_and_coordinators(
    client_for, staff_member, coordinator, program, department, run_worker
):
    response = client_for(staff_member).post(
        apply_url(program), form_data(department=department.pk, attachments=pdf("My CV.pdf"))
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at is not None
    assert application.applicant == staff_member
    assert application.department == department
    assert application.attachments.get().original_name == "My CV.pdf"
    assert "Your application was submitted." in messages_of(response)

    # Queued with the application; the worker sends them.
    assert mail.outbox == []
    assert run_worker() == 2
    assert len(mail.outbox) == 2
    confirmation, notice = mail.outbox
    assert confirmation.to == ["staff@example.org"]
    assert "Your application to Clinical training in Bialystok was submitted" in (
        confirmation.subject
    )
    assert f"http://testserver{application.get_absolute_url()}" in confirmation.body
    assert notice.to == ["coordinator@example.org"]
    assert "New application to Clinical training in Bialystok" in notice.subject
    assert reverse("exchanges:review-detail", args=[application.pk]) in notice.body
    assert "Stas Staff" in notice.body


def test_a_program_title_with_line_breaks_gets_one_line_subjects(
    client_for, staff_member, program, run_worker
):
    program.title = "Clinical training\r\nin Bialystok\x07\tBcc: all@example.org"
    program.save()
    response = client_for(staff_member).post(apply_url(program), form_data())
    assert response.status_code == 302
    assert Application.objects.get().status == Application.Status.SUBMITTED

    assert run_worker() == 2
    assert [message.subject for message in mail.outbox] == [
        "[Academic Mobility Portal] Your application to Clinical training in Bialystok "
        "Bcc: all@example.org was submitted",
        "[Academic Mobility Portal] New application to Clinical training in Bialystok "
        "Bcc: all@example.org",
    ]
    for message in mail.outbox:
        assert message.bcc == []
        headers = message.message().as_bytes().split(b"\n\n", 1)[0]
        assert b"\nBcc:" not in headers
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_saving_a_draft_sends_no_mail(client_for, student, program, run_worker):
    response = client_for(student).post(apply_url(program), form_data(action="draft"))
    application = Application.objects.get()
    assert response.status_code == 302
    assert application.status == Application.Status.DRAFT
    assert application.submitted_at is None
    assert "Your application was saved as a draft." in messages_of(response)
    assert run_worker() == 0
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_several_attachments_are_stored_with_their_original_names(client_for, student, program):
    response = client_for(student).post(
        apply_url(program), form_data(attachments=[pdf("cv.pdf"), pdf("letter.pdf")])
    )
    assert response.status_code == 302
    names = sorted(ApplicationAttachment.objects.values_list("original_name", flat=True))
    assert names == ["cv.pdf", "letter.pdf"]
    stored = ApplicationAttachment.objects.first().file.name
    assert "cv" not in stored and stored.startswith("application-attachments/")


def test_an_attachment_of_a_forbidden_type_is_refused(client_for, student, program):
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client_for(student).post(apply_url(program), form_data(attachments=upload))
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"]
    assert not Application.objects.exists()


def test_an_attachment_over_the_size_limit_is_refused(client_for, student, program, settings):
    settings.MAX_UPLOAD_SIZE = 10
    response = client_for(student).post(apply_url(program), form_data(attachments=pdf()))
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"]
    assert not Application.objects.exists()


def test_motivation_is_required(client_for, student, program):
    response = client_for(student).post(apply_url(program), form_data(motivation=""))
    assert response.status_code == 200
    assert "motivation" in response.context["form"].errors
    assert not Application.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_closed_call_is_refused(client_for, student, method):
    program = ProgramFactory(call_opens=days(-30), call_closes=days(-1))
    response = getattr(client_for(student), method)(apply_url(program), form_data())
    assert response.status_code == 302
    assert response["Location"] == program.get_absolute_url()
    assert "The call for applications to this program is not open." in messages_of(response)
    assert not Application.objects.exists()


def test_a_call_that_has_not_opened_yet_is_refused(client_for, student):
    program = ProgramFactory(call_opens=days(5), call_closes=days(30))
    response = client_for(student).post(apply_url(program), form_data())
    assert response.status_code == 302
    assert not Application.objects.exists()


@pytest.fixture
def staff_only(program):
    program.eligible_undergraduate = False
    program.save()
    return program


@pytest.mark.parametrize("action", ["draft", "submit"])
def test_a_student_cannot_apply_to_a_staff_only_program_however_the_form_is_filled(
    client_for, student, staff_only, department, action
):
    forged = form_data(category=Category.ACADEMIC_STAFF, department=department.pk, action=action)
    response = client_for(student).post(apply_url(staff_only), forged)
    assert response.status_code == 200
    content = response.content.decode()
    assert "This program is not open to your category of participants." in content
    assert reverse("profile") in content
    assert "form" not in response.context or response.context["form"] is None
    assert not Application.objects.exists()


def test_the_application_records_the_category_of_the_profile(client_for, staff_member, program):
    client_for(staff_member).post(apply_url(program), form_data(category=Category.UNDERGRADUATE))
    assert Application.objects.get().category == Category.ACADEMIC_STAFF


@pytest.mark.parametrize(
    ("profile", "refusal"),
    [
        ({"category": ""}, "choose your category in your profile"),
        (
            {"category": Category.ACADEMIC_STAFF, "category__confirmed": False},
            "has not yet confirmed your category",
        ),
    ],
)
def test_a_profile_that_lacks_what_the_program_needs_links_to_the_profile_page(
    client_for, staff_only, profile, refusal
):
    client = client_for(UserFactory(**profile))
    for page in (staff_only.get_absolute_url(), apply_url(staff_only)):
        content = client.get(page).content.decode()
        assert refusal in content
        assert f'href="{reverse("profile")}"' in content
    response = client.post(apply_url(staff_only), form_data())
    assert refusal in response.content.decode()
    assert not Application.objects.exists()


def test_once_the_office_confirms_the_category_the_person_may_apply(client_for, staff_only):
    person = UserFactory(category=Category.ACADEMIC_STAFF, category__confirmed=False)
    person.profile.category_confirmed = True
    person.profile.save()
    response = client_for(person).post(apply_url(staff_only), form_data())
    assert response.status_code == 302
    assert Application.objects.get().category == Category.ACADEMIC_STAFF


def test_a_second_live_application_to_the_same_program_is_refused(client_for, student, program):
    existing = ApplicationFactory(
        applicant=student, program=program, status=Application.Status.DRAFT
    )
    for method in ("get", "post"):
        response = getattr(client_for(student), method)(apply_url(program), form_data())
        assert response.status_code == 302
        assert response["Location"] == existing.get_absolute_url()
        assert "You already have an application to this program." in messages_of(response)
    assert Application.objects.count() == 1


def test_a_new_application_is_accepted_after_a_rejected_one(client_for, student, program):
    ApplicationFactory(
        applicant=student,
        program=program,
        status=Application.Status.REJECTED,
        decided_at=timezone.now(),
    )
    response = client_for(student).post(apply_url(program), form_data())
    assert response.status_code == 302
    assert Application.objects.filter(status=Application.Status.SUBMITTED).count() == 1


def test_a_program_without_places_left_is_refused(client_for, student):
    program = ProgramFactory(places=1)
    MobilityRecordFactory(program=program)
    response = client_for(student).post(apply_url(program), form_data())
    assert response.status_code == 302
    assert "All places of this program are taken." in messages_of(response)
    assert not Application.objects.exists()


def test_an_unpublished_program_cannot_be_applied_to(client_for, student, office):
    program = ProgramFactory(is_published=False)
    assert client_for(student).post(apply_url(program), form_data()).status_code == 404
    response = client_for(office).post(apply_url(program), form_data())
    assert response.status_code == 302
    assert not Application.objects.exists()


# My applications


def test_my_applications_lists_only_mine(client_for, student, staff_member, program):
    mine = ApplicationFactory(applicant=student, program=program)
    ApplicationFactory(applicant=staff_member, program=program)
    response = client_for(student).get(reverse("exchanges:application-list"))
    assert response.status_code == 200
    assert list(response.context["applications"]) == [mine]
    assert "Submitted" in response.content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_my_applications_queries_do_not_grow_with_rows(
    client_for, student, django_assert_max_num_queries, rows
):
    for application in ApplicationFactory.create_batch(rows, applicant=student):
        MobilityRecordFactory(application=application, report_submitted_at=timezone.now())
    client = client_for(student)
    # session, user, count, page of applications with program, host and record, reviewer
    # checks for the navigation (group, departments), session save (in a savepoint: 3).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("exchanges:application-list"))
    assert len(response.context["applications"]) == min(rows, 25)


def test_application_page_shows_history_attachments_and_actions(client_for, student, program):
    application = ApplicationFactory(
        applicant=student, program=program, status=Application.Status.DRAFT, submitted_at=None
    )
    attachment = ApplicationAttachmentFactory(application=application, original_name="cv.pdf")
    application.status = Application.Status.SUBMITTED
    application.save()
    response = client_for(student).get(application.get_absolute_url())
    assert response.status_code == 200
    assert [entry.status for entry in response.context["history"]] == ["draft", "submitted"]
    content = response.content.decode()
    assert reverse("exchanges:attachment-download", args=["application", attachment.pk]) in content
    assert reverse("exchanges:application-withdraw", args=[application.pk]) in content
    assert reverse("exchanges:application-edit", args=[application.pk]) not in content


def test_another_persons_application_is_404_even_for_reviewers(
    client_for, student, staff_member, coordinator, office, program
):
    application = ApplicationFactory(applicant=student, program=program)
    for user in (staff_member, coordinator, office):
        client = client_for(user)
        for name in ("application-detail", "application-edit", "application-withdraw"):
            assert (
                client.get(reverse(f"exchanges:{name}", args=[application.pk])).status_code == 404
            )
        response = client.post(reverse("exchanges:application-withdraw", args=[application.pk]))
        assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_anonymous_visitor_is_sent_to_sign_in_for_applications(client, program):
    application = ApplicationFactory(program=program)
    for url in (reverse("exchanges:application-list"), application.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_draft_can_be_edited_and_submitted(client_for, student, program, run_worker):
    application = ApplicationFactory(
        applicant=student, program=program, status=Application.Status.DRAFT, submitted_at=None
    )
    client = client_for(student)
    url = reverse("exchanges:application-edit", args=[application.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(motivation="Changed my mind.", action="draft"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.motivation == "Changed my mind."
    assert application.status == Application.Status.DRAFT

    response = client.post(reverse("exchanges:application-submit", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at is not None
    run_worker()
    assert [message.to for message in mail.outbox] == [
        ["student@example.org"],
        ["coordinator@example.org"],
    ]


def test_submitting_is_only_by_post(client_for, student, program):
    application = ApplicationFactory(applicant=student, program=program, status="draft")
    response = client_for(student).get(
        reverse("exchanges:application-submit", args=[application.pk])
    )
    assert response.status_code == 405


def test_a_submitted_application_cannot_be_edited_or_submitted_again(client_for, student, program):
    application = ApplicationFactory(applicant=student, program=program)
    client = client_for(student)
    response = client.post(
        reverse("exchanges:application-edit", args=[application.pk]),
        form_data(motivation="Sneaky change"),
    )
    assert response.status_code == 302
    assert "Only a draft can be changed." in messages_of(response)
    response = client.post(reverse("exchanges:application-submit", args=[application.pk]))
    assert "Only a draft can be submitted." in messages_of(response)
    application.refresh_from_db()
    assert application.motivation != "Sneaky change"


def test_a_draft_cannot_be_submitted_after_the_call_closed(client_for, student):
    program = ProgramFactory(call_opens=days(-30), call_closes=days(-1))
    application = ApplicationFactory(applicant=student, program=program, status="draft")
    response = client_for(student).post(
        reverse("exchanges:application-submit", args=[application.pk])
    )
    assert "The call for applications to this program is not open." in messages_of(response)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


# Withdrawing


@pytest.mark.parametrize("status", [Application.Status.DRAFT, Application.Status.SUBMITTED])
def test_an_undecided_application_can_be_withdrawn_after_confirmation(
    client_for, student, program, status
):
    application = ApplicationFactory(applicant=student, program=program, status=status)
    client = client_for(student)
    url = reverse("exchanges:application-withdraw", args=[application.pk])
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "Do you really want to withdraw" in confirmation.content.decode()
    application.refresh_from_db()
    assert application.status == status

    response = client.post(url)
    assert response.status_code == 302
    assert "Your application was withdrawn." in messages_of(response)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_an_approved_application_cannot_be_withdrawn(client_for, student, approved):
    response = client_for(student).post(
        reverse("exchanges:application-withdraw", args=[approved.pk])
    )
    assert response.status_code == 302
    assert "This application is approved and can no longer be withdrawn." in messages_of(response)
    approved.refresh_from_db()
    assert approved.status == Application.Status.APPROVED


# The post-mobility report


def test_report_is_refused_before_the_mobility_ended(client_for, student, program):
    application = ApplicationFactory(
        applicant=student, program=program, status="approved", decided_at=timezone.now()
    )
    record = MobilityRecordFactory(
        application=application,
        start_date=days(10),
        end_date=days(20),
        status=MobilityRecord.Status.PLANNED,
    )
    url = reverse("exchanges:mobility-report", args=[application.pk])
    client = client_for(student)
    detail = client.get(application.get_absolute_url()).content.decode()
    assert url not in detail
    response = client.post(url, {"activities": "Early", "outcomes": "Early"})
    assert response.status_code == 302
    assert "The report can be written once the mobility has ended." in messages_of(response)
    record.refresh_from_db()
    assert record.report_submitted_at is None
    assert record.status == MobilityRecord.Status.PLANNED


def test_report_is_refused_without_a_mobility_record(client_for, student, program):
    application = ApplicationFactory(applicant=student, program=program)
    response = client_for(student).get(reverse("exchanges:mobility-report", args=[application.pk]))
    assert response.status_code == 302


def test_report_after_the_mobility_completes_the_record(client_for, student, approved):
    url = reverse("exchanges:mobility-report", args=[approved.pk])
    client = client_for(student)
    assert url in client.get(approved.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "activities": "Trained in the intensive care unit.",
            "outcomes": "A joint paper.",
            "attachments": pdf("certificate.pdf"),
        },
    )
    assert response.status_code == 302
    assert "Thank you: your report was saved." in messages_of(response)
    record = MobilityRecord.objects.get(application=approved)
    assert record.report_activities == "Trained in the intensive care unit."
    assert record.report_outcomes == "A joint paper."
    assert record.report_submitted_at is not None
    assert record.status == MobilityRecord.Status.COMPLETED
    assert record.report_attachments.get().original_name == "certificate.pdf"
    detail = client.get(approved.get_absolute_url()).content.decode()
    assert "A joint paper." in detail


def test_report_needs_both_texts(client_for, student, approved):
    response = client_for(student).post(
        reverse("exchanges:mobility-report", args=[approved.pk]), {"activities": "Only this"}
    )
    assert response.status_code == 200
    assert "outcomes" in response.context["form"].errors
    assert MobilityRecord.objects.get().report_submitted_at is None


def test_another_persons_report_page_is_404(client_for, staff_member, approved):
    url = reverse("exchanges:mobility-report", args=[approved.pk])
    assert (
        client_for(staff_member).post(url, {"activities": "x", "outcomes": "y"}).status_code == 404
    )


# Downloads


def download_url(kind, pk):
    return reverse("exchanges:attachment-download", args=[kind, pk])


def test_applicant_reviewers_and_office_may_download_an_application_attachment(
    client_for, student, coordinator, office, program
):
    application = ApplicationFactory(applicant=student, program=program)
    attachment = ApplicationAttachmentFactory(application=application, original_name="My CV.pdf")
    for user in (student, coordinator, office):
        response = client_for(user).get(download_url("application", attachment.pk))
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        assert 'attachment; filename="My CV.pdf"' in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == b"%PDF-1.4\n%cv\n"


def test_others_may_not_download_an_application_attachment(
    client_for, student, staff_member, other_coordinator, other_department, program
):
    attachment = ApplicationAttachmentFactory(
        application=ApplicationFactory(applicant=student, program=program)
    )
    for user in (staff_member, other_coordinator):
        assert client_for(user).get(download_url("application", attachment.pk)).status_code == 404


def test_report_attachments_are_downloadable_by_the_traveller_and_reviewers_only(
    client_for, student, staff_member, coordinator, office, approved
):
    attachment = MobilityReportAttachmentFactory(record=approved.mobility_record)
    for user in (student, coordinator, office):
        assert client_for(user).get(download_url("report", attachment.pk)).status_code == 200
    assert client_for(staff_member).get(download_url("report", attachment.pk)).status_code == 404


def test_a_report_attachment_of_a_record_without_application_is_for_the_person_and_office(
    client_for, student, staff_member, office
):
    attachment = MobilityReportAttachmentFactory(record=MobilityRecordFactory(person=student))
    assert client_for(student).get(download_url("report", attachment.pk)).status_code == 200
    assert client_for(office).get(download_url("report", attachment.pk)).status_code == 200
    assert client_for(staff_member).get(download_url("report", attachment.pk)).status_code == 404


def test_unknown_attachment_kind_or_id_is_404(client_for, office):
    assert client_for(office).get(download_url("agreement", 1)).status_code == 404
    assert client_for(office).get(download_url("application", 999)).status_code == 404


def test_anonymous_visitor_cannot_download(client, program):
    attachment = ApplicationAttachmentFactory(application=ApplicationFactory(program=program))
    response = client.get(download_url("application", attachment.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_attachment_whose_content_is_not_what_its_name_says_is_refused(
    client_for, student, program
):
    disguised = SimpleUploadedFile(
        "cv.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf"
    )
    response = client_for(student).post(apply_url(program), form_data(attachments=disguised))
    assert response.status_code == 200
    assert "does not match its type .pdf" in str(response.context["form"].errors["attachments"])
    assert not Application.objects.exists()
    assert not ApplicationAttachment.objects.exists()


def test_a_draft_is_not_changed_while_the_profile_lacks_what_the_program_needs(
    client_for, staff_member, staff_only
):
    draft = ApplicationFactory(
        applicant=staff_member, program=staff_only, status=Application.Status.DRAFT
    )
    staff_member.profile.category_confirmed = False
    staff_member.profile.save()
    client = client_for(staff_member)
    edit_url = reverse("exchanges:application-edit", args=[draft.pk])
    content = client.get(edit_url).content.decode()
    assert "has not yet confirmed your category" in content
    assert "Edit your application to" in content
    assert f'href="{reverse("profile")}"' in content
    client.post(edit_url, form_data(motivation="Changed."))
    draft.refresh_from_db()
    assert draft.motivation != "Changed."
    assert draft.status == Application.Status.DRAFT
