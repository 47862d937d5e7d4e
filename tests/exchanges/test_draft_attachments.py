"""An applicant removes attachments from their own draft; an application has a limited number."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from exchanges import services
from exchanges.models import Application, ApplicationAttachment
from people.choices import Category
from tests.factories import ApplicationAttachmentFactory, ApplicationFactory

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def remove_url(attachment):
    return reverse(
        "exchanges:application-attachment-remove",
        args=[attachment.application_id, attachment.pk],
    )


def edit_url(application):
    return reverse("exchanges:application-edit", args=[application.pk])


def pdfs(count, prefix="file"):
    return [SimpleUploadedFile(f"{prefix}{n}.pdf", b"%PDF-1.4\n") for n in range(count)]


def form_data(**overrides):
    data = {"category": Category.ACADEMIC_STAFF, "motivation": "Changed.", "action": "draft"}
    data.update(overrides)
    return data


@pytest.fixture
def draft(student, program):
    return ApplicationFactory(
        applicant=student, program=program, status=Application.Status.DRAFT, submitted_at=None
    )


@pytest.fixture
def attachment(draft):
    return ApplicationAttachmentFactory(application=draft, original_name="old-cv.pdf")


# Removing


def test_the_applicant_removes_an_attachment_of_their_draft_and_its_file(
    client_for, student, draft, attachment, django_capture_on_commit_callbacks
):
    kept = ApplicationAttachmentFactory(application=draft, original_name="diploma.pdf")
    stored = attachment.file.name
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(student).post(remove_url(attachment))
    assert response.status_code == 302
    assert response["Location"] == edit_url(draft)
    assert "old-cv.pdf was removed." in messages_of(response)
    assert list(draft.attachments.all()) == [kept]
    assert not default_storage.exists(stored)
    assert default_storage.exists(kept.file.name)


def test_the_edit_page_offers_a_remove_button_per_attachment(client_for, student, draft):
    attachments = ApplicationAttachmentFactory.create_batch(2, application=draft)
    content = client_for(student).get(edit_url(draft)).content.decode()
    for attachment in attachments:
        assert f'action="{remove_url(attachment)}"' in content


@pytest.mark.parametrize("rows", [1, 8])
def test_the_edit_page_queries_do_not_grow_with_attachments(
    client_for, student, draft, rows, django_assert_max_num_queries
):
    ApplicationAttachmentFactory.create_batch(rows, application=draft)
    client = client_for(student)
    # Session and user, the application with its program, the attachments, the form's
    # department choices, session save (in a savepoint: 3).
    with django_assert_max_num_queries(8):
        response = client.get(edit_url(draft))
    assert response.status_code == 200
    assert len(response.context["attachments"]) == rows


def test_removing_is_only_by_post(client_for, student, attachment):
    response = client_for(student).get(remove_url(attachment))
    assert response.status_code == 405
    assert ApplicationAttachment.objects.filter(pk=attachment.pk).exists()


def test_removing_from_someone_elses_draft_is_404_for_everyone(
    client_for, staff_member, coordinator, office, attachment
):
    for user in (staff_member, coordinator, office):
        assert client_for(user).post(remove_url(attachment)).status_code == 404
    assert ApplicationAttachment.objects.filter(pk=attachment.pk).exists()
    assert default_storage.exists(attachment.file.name)


def test_an_attachment_of_another_application_is_404_under_my_draft(
    client_for, student, draft, program
):
    other = ApplicationAttachmentFactory(
        application=ApplicationFactory(program=program, status="draft", submitted_at=None)
    )
    url = reverse("exchanges:application-attachment-remove", args=[draft.pk, other.pk])
    assert client_for(student).post(url).status_code == 404
    assert ApplicationAttachment.objects.filter(pk=other.pk).exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, attachment):
    response = client.post(remove_url(attachment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert ApplicationAttachment.objects.filter(pk=attachment.pk).exists()


@pytest.mark.parametrize(
    "status",
    [Application.Status.SUBMITTED, Application.Status.APPROVED, Application.Status.WITHDRAWN],
)
def test_removing_from_a_submitted_or_decided_application_is_refused(
    client_for, student, draft, attachment, status, django_capture_on_commit_callbacks
):
    now = timezone.now()
    decided_at = now if status == Application.Status.APPROVED else None
    Application.objects.filter(pk=draft.pk).update(
        status=status, submitted_at=now, decided_at=decided_at
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(student).post(remove_url(attachment))
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    assert "Attachments can be removed only from a draft." in messages_of(response)
    assert ApplicationAttachment.objects.filter(pk=attachment.pk).exists()
    assert default_storage.exists(attachment.file.name)


def test_a_submitted_applications_page_offers_no_remove_button(client_for, student, attachment):
    Application.objects.filter(pk=attachment.application_id).update(status="submitted")
    detail = client_for(student).get(attachment.application.get_absolute_url()).content.decode()
    assert remove_url(attachment) not in detail


# The limit per application


@pytest.fixture
def limit(settings):
    settings.MAX_ATTACHMENTS_PER_APPLICATION = 3
    return 3


def test_a_new_application_with_more_attachments_than_the_limit_writes_nothing(
    client_for, student, program, limit, settings
):
    response = client_for(student).post(
        reverse("exchanges:application-create", args=[program.slug]),
        form_data(attachments=pdfs(limit + 1)),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == [
        "An application may have at most 3 attachments (0 attached now)."
    ]
    assert not Application.objects.exists()
    assert not ApplicationAttachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "application-attachments").exists()


def test_a_new_application_may_reach_the_limit(client_for, student, program, limit):
    response = client_for(student).post(
        reverse("exchanges:application-create", args=[program.slug]),
        form_data(attachments=pdfs(limit)),
    )
    assert response.status_code == 302
    assert Application.objects.get().attachments.count() == limit


def test_a_draft_edit_going_over_the_limit_writes_nothing(
    client_for, student, draft, attachment, limit
):
    response = client_for(student).post(edit_url(draft), form_data(attachments=pdfs(limit)))
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == [
        "An application may have at most 3 attachments (1 attached now)."
    ]
    draft.refresh_from_db()
    assert draft.motivation != "Changed."
    assert list(draft.attachments.all()) == [attachment]


def test_a_draft_edit_may_fill_the_places_left(client_for, student, draft, attachment, limit):
    response = client_for(student).post(edit_url(draft), form_data(attachments=pdfs(limit - 1)))
    assert response.status_code == 302
    assert draft.attachments.count() == limit


def test_too_many_files_are_refused_before_their_content_is_checked(
    client_for, student, program, limit
):
    not_pdfs = [SimpleUploadedFile(f"{n}.pdf", b"MZ not a pdf") for n in range(limit + 1)]
    response = client_for(student).post(
        reverse("exchanges:application-create", args=[program.slug]),
        form_data(attachments=not_pdfs),
    )
    errors = response.context["form"].errors["attachments"]
    assert errors == ["An application may have at most 3 attachments (0 attached now)."]


def test_the_service_enforces_the_limit_under_the_lock(draft, attachment, limit):
    # What two edits at once would reach past the form's count.
    with pytest.raises(services.WorkflowRefused) as refusal:
        services.update_draft(
            application=draft,
            department=None,
            motivation="Changed.",
            files=pdfs(limit),
            submit=False,
        )
    assert refusal.value.field == "attachments"
    draft.refresh_from_db()
    assert draft.motivation != "Changed."
    assert draft.attachments.count() == 1


def test_removing_an_attachment_makes_room_for_another(
    client_for, student, draft, limit, django_capture_on_commit_callbacks
):
    attachments = ApplicationAttachmentFactory.create_batch(limit, application=draft)
    client = client_for(student)
    assert client.post(edit_url(draft), form_data(attachments=pdfs(1))).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(remove_url(attachments[0]))
    assert client.post(edit_url(draft), form_data(attachments=pdfs(1))).status_code == 302
    assert draft.attachments.count() == limit
