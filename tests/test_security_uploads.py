"""Decompression bombs sent through the real forms are refused at little cost.

The attack report's two bombs (tests/fixtures): a 3 KB zip whose bzip2 `mimetype` inflates to
4 GiB, and a 1 MB deflate bomb that also carries a DOCX's members. Before the fix, checking one
took a worker up to a minute and 8 GB.
"""

import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Application, ApplicationAttachment, MobilityRecord
from partners.models import AgreementDocument
from people.choices import Category
from tests.factories import ApplicationFactory, MobilityRecordFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BOMBS = [
    ("bzip2-bomb.zip", "cv.odt"),
    ("bzip2-bomb.zip", "cv.docx"),
    ("deflate-bomb.zip", "cv.odt"),
    ("deflate-bomb.zip", "cv.docx"),
]
# The request itself holds the upload a few times over (the test client's body, the parsed
# file); inflating the bombs would take gigabytes.
REQUEST_MEMORY_BOUND = 8 * 1024 * 1024


def bomb(fixture: str, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / fixture).read_bytes())


def post_measured(client, url, data):
    tracemalloc.start()
    try:
        response = client.post(url, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < REQUEST_MEMORY_BOUND
    return response


def refusal_of(response, field="attachments") -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors[field])


@pytest.mark.parametrize(("fixture", "name"), BOMBS)
def test_a_bomb_attached_to_a_new_application_is_refused(
    client_for, student, program, fixture, name
):
    response = post_measured(
        client_for(student),
        reverse("exchanges:application-create", args=[program.slug]),
        {
            "category": Category.UNDERGRADUATE,
            "motivation": "Please read my CV.",
            "action": "submit",
            "attachments": bomb(fixture, name),
        },
    )
    extension = name[name.rfind(".") :]
    assert f"The file's content does not match its type {extension}." in refusal_of(response)
    assert not Application.objects.exists()
    assert not ApplicationAttachment.objects.exists()


@pytest.mark.parametrize(("fixture", "name"), BOMBS[1:3])
def test_a_bomb_attached_to_a_draft_is_refused(client_for, student, program, fixture, name):
    draft = ApplicationFactory(
        applicant=student, program=program, status="draft", submitted_at=None, motivation="Old"
    )
    response = post_measured(
        client_for(student),
        reverse("exchanges:application-edit", args=[draft.pk]),
        {
            "category": Category.UNDERGRADUATE,
            "motivation": "New",
            "action": "draft",
            "attachments": bomb(fixture, name),
        },
    )
    assert "does not match its type" in refusal_of(response)
    draft.refresh_from_db()
    assert draft.motivation == "Old"
    assert not ApplicationAttachment.objects.exists()


def test_a_bomb_attached_to_a_mobility_report_is_refused(client_for, student, program):
    application = ApplicationFactory(
        applicant=student, program=program, status="approved", decided_at=timezone.now()
    )
    record = MobilityRecordFactory(
        application=application,
        person=student,
        program=program,
        start_date=timezone.localdate().replace(year=2020),
        end_date=timezone.localdate().replace(year=2020),
        status=MobilityRecord.Status.PLANNED,
    )
    response = post_measured(
        client_for(student),
        reverse("exchanges:mobility-report", args=[application.pk]),
        {"activities": "A", "outcomes": "B", "attachments": bomb("bzip2-bomb.zip", "report.odt")},
    )
    assert "does not match its type .odt" in refusal_of(response)
    record.refresh_from_db()
    assert record.report_submitted_at is None
    assert not record.report_attachments.exists()


def test_a_bomb_uploaded_in_the_admin_is_refused(client_for, office, agreement):
    response = post_measured(
        client_for(office),
        reverse("admin:partners_agreementdocument_add"),
        {
            "agreement": agreement.pk,
            "kind": AgreementDocument.Kind.OTHER,
            "title": "Signed agreement",
            "file": bomb("deflate-bomb.zip", "agreement.docx"),
        },
    )
    assert response.status_code == 200
    assert "does not match its type .docx" in " ".join(
        response.context["adminform"].form.errors["file"]
    )
    assert not AgreementDocument.objects.exists()


def test_a_request_with_more_files_than_allowed_is_refused_before_any_is_read(
    client_for, student, program, settings
):
    files = [
        SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4\n")
        for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    response = client_for(student).post(
        reverse("exchanges:application-create", args=[program.slug]),
        {"category": Category.UNDERGRADUATE, "motivation": "Many", "attachments": files},
    )
    assert response.status_code == 400
    assert not Application.objects.exists()
