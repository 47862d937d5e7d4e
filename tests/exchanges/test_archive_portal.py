"""What the portal shows of what the office archived.

Archived attachments and documents disappear from the pages and their downloads are a 404 for
everyone but the office. An archived application stays visible to its applicant, read-only and
marked as archived, and leaves the review queue.
"""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exchanges import services
from exchanges.models import Application, ApplicationAttachment, MobilityRecord
from tests.factories import (
    AgreementDocumentFactory,
    ApplicationAttachmentFactory,
    ApplicationFactory,
    MobilityRecordFactory,
    MobilityReportAttachmentFactory,
)

ARCHIVED_NOTICE = "The international office archived this application"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def download_url(kind, pk):
    return reverse("exchanges:attachment-download", args=[kind, pk])


@pytest.fixture
def application(db, student, program):
    return ApplicationFactory(applicant=student, program=program)


@pytest.fixture
def attachments(application):
    """One attachment kept, one archived by the office."""
    kept = ApplicationAttachmentFactory(application=application, original_name="kept-cv.pdf")
    archived = ApplicationAttachmentFactory(
        application=application, original_name="withdrawn-cv.pdf", is_archived=True
    )
    return kept, archived


# --- application attachments -------------------------------------------------------------------


def test_an_archived_attachment_is_not_shown_to_the_applicant(client_for, student, attachments):
    kept, archived = attachments
    response = client_for(student).get(kept.application.get_absolute_url())
    content = response.content.decode()
    assert "kept-cv.pdf" in content
    assert "withdrawn-cv.pdf" not in content
    assert download_url("application", archived.pk) not in content


def test_an_archived_attachment_is_not_shown_on_the_draft_form(client_for, student, draft):
    ApplicationAttachmentFactory(application=draft, original_name="kept-cv.pdf")
    ApplicationAttachmentFactory(
        application=draft, original_name="withdrawn-cv.pdf", is_archived=True
    )
    response = client_for(student).get(reverse("exchanges:application-edit", args=[draft.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "kept-cv.pdf" in content
    assert "withdrawn-cv.pdf" not in content


def test_an_archived_attachment_is_not_shown_to_the_reviewer(client_for, coordinator, attachments):
    kept, _archived = attachments
    response = client_for(coordinator).get(
        reverse("exchanges:review-detail", args=[kept.application.pk])
    )
    content = response.content.decode()
    assert "kept-cv.pdf" in content
    assert "withdrawn-cv.pdf" not in content


def test_an_archived_attachment_is_downloaded_by_the_office_only(
    client_for, student, coordinator, office, attachments
):
    kept, archived = attachments
    for user in (student, coordinator):
        assert client_for(user).get(download_url("application", archived.pk)).status_code == 404
        assert client_for(user).get(download_url("application", kept.pk)).status_code == 200
    response = client_for(office).get(download_url("application", archived.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%cv\n"


def remove_url(attachment):
    return reverse(
        "exchanges:application-attachment-remove",
        args=[attachment.application_id, attachment.pk],
    )


@pytest.fixture
def draft(db, student, program):
    return ApplicationFactory(
        applicant=student, program=program, status=Application.Status.DRAFT, submitted_at=None
    )


def test_the_applicant_still_removes_an_attachment_of_their_draft(client_for, student, draft):
    """Archiving binds the admin only: the portal's own removal of a draft's file still works."""
    attachment = ApplicationAttachmentFactory(application=draft)
    response = client_for(student).post(remove_url(attachment))
    assert response.status_code == 302
    assert not ApplicationAttachment.objects.filter(pk=attachment.pk).exists()


def test_an_archived_attachment_is_not_the_applicants_to_remove(client_for, student, draft):
    archived = ApplicationAttachmentFactory(application=draft, is_archived=True)
    assert client_for(student).post(remove_url(archived)).status_code == 404
    assert ApplicationAttachment.objects.filter(pk=archived.pk).exists()


def test_nothing_is_removed_from_an_archived_draft(client_for, student, draft):
    attachment = ApplicationAttachmentFactory(application=draft)
    draft.is_archived = True
    draft.save()
    response = client_for(student).post(remove_url(attachment))
    assert response.status_code == 302
    assert any(ARCHIVED_NOTICE in message for message in messages_of(response))
    assert ApplicationAttachment.objects.filter(pk=attachment.pk).exists()


def test_archived_attachments_take_no_place_in_the_limit(client_for, student, draft, settings):
    settings.MAX_ATTACHMENTS_PER_APPLICATION = 2
    ApplicationAttachmentFactory.create_batch(2, application=draft, is_archived=True)
    files = [SimpleUploadedFile(f"cv{n}.pdf", b"%PDF-1.4\n") for n in range(2)]
    response = client_for(student).post(
        reverse("exchanges:application-edit", args=[draft.pk]),
        {
            "category": draft.category,
            "motivation": "With two new files.",
            "attachments": files,
            "action": "draft",
        },
    )
    assert response.status_code == 302
    assert draft.attachments.unarchived().count() == 2
    assert draft.attachments.count() == 4


# --- report attachments ------------------------------------------------------------------------


def test_an_archived_report_attachment_is_hidden_and_downloaded_by_the_office_only(
    client_for, student, office, application
):
    application.status = Application.Status.APPROVED
    application.decided_at = application.submitted_at
    application.save()
    record = MobilityRecordFactory(
        application=application, person=student, report_activities="Taught", full_name="S"
    )
    record.report_submitted_at = application.submitted_at
    record.save()
    kept = MobilityReportAttachmentFactory(record=record, original_name="photos.pdf")
    archived = MobilityReportAttachmentFactory(
        record=record, original_name="certificate.pdf", is_archived=True
    )

    content = client_for(student).get(application.get_absolute_url()).content.decode()

    assert "photos.pdf" in content
    assert "certificate.pdf" not in content
    assert client_for(student).get(download_url("report", kept.pk)).status_code == 200
    assert client_for(student).get(download_url("report", archived.pk)).status_code == 404
    assert client_for(office).get(download_url("report", archived.pk)).status_code == 200


# --- agreement documents -----------------------------------------------------------------------


def test_an_archived_document_is_hidden_and_downloaded_by_the_office_only(
    client_for, coordinator, office, agreement
):
    AgreementDocumentFactory(agreement=agreement, title="Signed scan")
    archived = AgreementDocumentFactory(
        agreement=agreement, title="Superseded draft", is_archived=True
    )
    url = reverse("partners:agreement-detail", args=[agreement.pk])
    download = reverse("partners:document-download", kwargs={"pk": archived.pk})

    for user in (coordinator, office):
        content = client_for(user).get(url).content.decode()
        assert "Signed scan" in content
        assert "Superseded draft" not in content
    assert client_for(coordinator).get(download).status_code == 404
    assert client_for(office).get(download).status_code == 200


# --- archived applications ---------------------------------------------------------------------


@pytest.fixture
def archived_draft(db, student, program):
    return ApplicationFactory(
        applicant=student,
        program=program,
        status=Application.Status.DRAFT,
        submitted_at=None,
        is_archived=True,
    )


def test_the_applicant_still_sees_an_archived_application_read_only(
    client_for, student, archived_draft
):
    client = client_for(student)
    detail = client.get(archived_draft.get_absolute_url())
    content = detail.content.decode()

    assert detail.status_code == 200
    assert ARCHIVED_NOTICE in content
    assert reverse("exchanges:application-edit", args=[archived_draft.pk]) not in content
    assert reverse("exchanges:application-submit", args=[archived_draft.pk]) not in content
    assert reverse("exchanges:application-withdraw", args=[archived_draft.pk]) not in content
    listed = client.get(reverse("exchanges:application-list")).content.decode()
    assert "Archived" in listed


def test_an_archived_application_cannot_be_edited_submitted_or_withdrawn(
    client_for, student, archived_draft
):
    client = client_for(student)
    pk = archived_draft.pk

    edit = client.get(reverse("exchanges:application-edit", args=[pk]))
    submit = client.post(reverse("exchanges:application-submit", args=[pk]))
    withdraw = client.post(reverse("exchanges:application-withdraw", args=[pk]))

    for response in (edit, submit, withdraw):
        assert response.status_code == 302
        assert any(ARCHIVED_NOTICE in message for message in messages_of(response))
    archived_draft.refresh_from_db()
    assert archived_draft.status == Application.Status.DRAFT
    assert archived_draft.submitted_at is None


def test_an_archived_draft_cannot_be_changed_by_posting_the_form(
    client_for, student, archived_draft
):
    response = client_for(student).post(
        reverse("exchanges:application-edit", args=[archived_draft.pk]),
        {"category": archived_draft.category, "motivation": "Changed", "action": "submit"},
    )
    assert response.status_code == 302
    archived_draft.refresh_from_db()
    assert archived_draft.motivation != "Changed"
    assert archived_draft.status == Application.Status.DRAFT


@pytest.mark.parametrize("reviewer", ["office", "coordinator"])
def test_an_archived_application_leaves_the_review_queue(request, client_for, program, reviewer):
    user = request.getfixturevalue(reviewer)
    waiting = ApplicationFactory(program=program)
    archived = ApplicationFactory(program=program, is_archived=True)
    client = client_for(user)

    for params in ("", "?status=all"):
        response = client.get(reverse("exchanges:review-list") + params)
        assert list(response.context["applications"]) == [waiting]
    assert client.get(reverse("exchanges:review-detail", args=[archived.pk])).status_code == 404


def test_an_archived_application_cannot_be_decided(office, program):
    archived = ApplicationFactory(program=program, is_archived=True)
    with pytest.raises(services.WorkflowRefused, match=ARCHIVED_NOTICE):
        services.approve_application(application=archived, reviewer=office)
    archived.refresh_from_db()
    assert archived.status == Application.Status.SUBMITTED
    assert not MobilityRecord.objects.filter(application=archived).exists()
