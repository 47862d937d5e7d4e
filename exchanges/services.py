"""Workflows that touch several rows: apply, submit, withdraw, decide, report back.

Each one is a keyword-only function in one transaction. A refusal raises `WorkflowRefused`
before anything is written (or rolls everything back), and the view turns it into a message.
E-mails are queued in the same transaction (core.mail) and leave once it has committed.
"""

import logging
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.audit import audit
from exchanges import emails
from exchanges.models import (
    ALREADY_APPLIED,
    REPORT_BEFORE_THE_END,
    Application,
    ApplicationAttachment,
    MobilityRecord,
    MobilityReportAttachment,
    Program,
)
from partners.models import Department
from people.models import Profile

UrlBuilder = Callable[[str], str]

logger = logging.getLogger(__name__)


ARCHIVED_APPLICATION_MESSAGE = _lazy(
    "The international office archived this application: it can no longer be changed."
)


class WorkflowRefused(Exception):
    """A workflow step that may not happen (applying, deciding, reporting back); `field` names the
    form field to blame, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def live_application_of(*, applicant, program: Program) -> Application | None:
    return Application.objects.live().filter(applicant=applicant, program=program).first()


def _check_may_apply(
    *, program: Program, profile: Profile, existing: Application | None = None
) -> str:
    """Refuse unless the applicant's profile lets them apply; returns the category to record.

    Who the applicant is comes from their profile, never from a form: the application keeps a
    copy of the category (reports and exports count by it).
    """
    refusal = program.refusal_for(profile=profile, existing=existing)
    if refusal is not None:
        raise WorkflowRefused(refusal)
    return profile.category


def _check_attachment_limit(*, attached: int, adding: int) -> None:
    limit = settings.MAX_ATTACHMENTS_PER_APPLICATION
    if adding and attached + adding > limit:
        raise WorkflowRefused(
            _("An application may have at most %(limit)d attachments (%(attached)d attached now).")
            % {"limit": limit, "attached": attached},
            field="attachments",
        )


def _store_application_files(application: Application, files: Iterable[UploadedFile]) -> None:
    for upload in files:
        ApplicationAttachment.objects.create(
            application=application, file=upload, original_name=upload.name[:255]
        )


def _refuse_if_archived(application: Application) -> None:
    """An archived application is read-only: the office took it out of the workflow."""
    if application.is_archived:
        raise WorkflowRefused(str(ARCHIVED_APPLICATION_MESSAGE))


def _mark_submitted(application: Application, build_url: UrlBuilder | None) -> None:
    application.status = Application.Status.SUBMITTED
    application.submitted_at = timezone.now()
    # The category too: submitting records who the applicant is now, by their profile.
    application.save(update_fields=["category", "status", "submitted_at", "updated_at"])
    emails.queue_submission_emails(application=application, build_url=build_url)


@transaction.atomic
def create_application(
    *,
    applicant,
    program: Program,
    department: Department | None,
    motivation: str,
    files: Sequence[UploadedFile] = (),
    submit: bool,
    build_url: UrlBuilder | None = None,
) -> Application:
    """A new application, saved as a draft or submitted at once."""
    existing = live_application_of(applicant=applicant, program=program)
    profile = Profile.objects.for_user(applicant)
    category = _check_may_apply(program=program, profile=profile, existing=existing)
    _check_attachment_limit(attached=0, adding=len(files))
    try:
        # A savepoint, so that a concurrent duplicate becomes a refusal, not a broken transaction.
        with transaction.atomic():
            application = Application.objects.create(
                applicant=applicant,
                program=program,
                category=category,
                department=department,
                motivation=motivation,
                status=Application.Status.DRAFT,
            )
    except IntegrityError as error:
        raise WorkflowRefused(str(ALREADY_APPLIED)) from error
    _store_application_files(application, files)
    if submit:
        _mark_submitted(application, build_url)
    return application


@transaction.atomic
def update_draft(
    *,
    application: Application,
    department: Department | None,
    motivation: str,
    files: Sequence[UploadedFile] = (),
    submit: bool,
    build_url: UrlBuilder | None = None,
) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    _refuse_if_archived(application)
    if application.status != Application.Status.DRAFT:
        raise WorkflowRefused(_("Only a draft can be changed."))
    profile = Profile.objects.for_user(application.applicant)
    category = _check_may_apply(program=application.program, profile=profile)
    # Under the application's lock: two edits at once cannot both fill the last places.
    # Files the office archived are no longer the applicant's: they take no place.
    attached = application.attachments.unarchived().count()
    _check_attachment_limit(attached=attached, adding=len(files))
    application.category = category
    application.department = department
    application.motivation = motivation
    application.save(update_fields=["category", "department", "motivation", "updated_at"])
    _store_application_files(application, files)
    if submit:
        _mark_submitted(application, build_url)
    return application


@transaction.atomic
def remove_draft_attachment(*, attachment: ApplicationAttachment) -> None:
    """Delete an attachment of an unsubmitted draft, and its file once that has committed."""
    application = Application.objects.select_for_update().get(pk=attachment.application_id)
    _refuse_if_archived(application)
    if application.status != Application.Status.DRAFT:
        raise WorkflowRefused(_("Attachments can be removed only from a draft."))
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: _delete_stored_file(storage, name))


def _delete_stored_file(storage, name: str) -> None:
    # The row is gone: a file left behind is never served, while an error here would turn the
    # removal the applicant sees as done into a server error.
    try:
        storage.delete(name)
    except Exception:
        logger.exception("Could not delete the stored file %s", name)


@transaction.atomic
def submit_application(
    *, application: Application, build_url: UrlBuilder | None = None
) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    _refuse_if_archived(application)
    if application.status != Application.Status.DRAFT:
        raise WorkflowRefused(_("Only a draft can be submitted."))
    profile = Profile.objects.for_user(application.applicant)
    application.category = _check_may_apply(program=application.program, profile=profile)
    _mark_submitted(application, build_url)
    return application


@transaction.atomic
def withdraw_application(*, application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    _refuse_if_archived(application)
    if not application.can_be_withdrawn:
        raise WorkflowRefused(
            _("This application is %(status)s and can no longer be withdrawn.")
            % {"status": application.get_status_display().lower()}
        )
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    return application


def _lock_for_decision(application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    _refuse_if_archived(application)
    if not application.can_be_decided:
        raise WorkflowRefused(
            _("This application is %(status)s: there is nothing to decide.")
            % {"status": application.get_status_display().lower()}
        )
    return application


def _record_decision(application: Application, *, status: str, reviewer, comment: str) -> None:
    application.status = status
    application.decided_by = reviewer
    application.decided_at = timezone.now()
    application.decision_comment = comment
    application.save(
        update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"]
    )
    transaction.on_commit(
        lambda: audit(
            f"application_{status}",
            user=reviewer,
            id=application.pk,
            applicant=application.applicant.get_username(),
            program=application.program_id,
            comment=comment,
        )
    )


@transaction.atomic
def approve_application(
    *, application: Application, reviewer, comment: str = "", build_url: UrlBuilder | None = None
) -> MobilityRecord:
    """Approve and create the mobility record, both or neither."""
    application = _lock_for_decision(application)
    # The program row is the lock that keeps two approvals from taking the last place together.
    program = (
        Program.objects.select_for_update(of=("self",))
        .select_related("agreement__partner", "host_institution")
        .get(pk=application.program_id)
    )
    if program.places_left() <= 0:
        raise WorkflowRefused(_("All places of this program are taken."))
    _record_decision(
        application, status=Application.Status.APPROVED, reviewer=reviewer, comment=comment
    )
    record = MobilityRecord.create_planned_for(application, program)
    emails.queue_decision_email(application=application, build_url=build_url)
    return record


@transaction.atomic
def reject_application(
    *, application: Application, reviewer, comment: str = "", build_url: UrlBuilder | None = None
) -> Application:
    application = _lock_for_decision(application)
    _record_decision(
        application, status=Application.Status.REJECTED, reviewer=reviewer, comment=comment
    )
    emails.queue_decision_email(application=application, build_url=build_url)
    return application


@transaction.atomic
def submit_mobility_report(
    *,
    record: MobilityRecord,
    activities: str,
    outcomes: str,
    files: Iterable[UploadedFile] = (),
) -> MobilityRecord:
    record = MobilityRecord.objects.select_for_update().get(pk=record.pk)
    if not record.has_ended():
        raise WorkflowRefused(str(REPORT_BEFORE_THE_END))
    record.report_activities = activities
    record.report_outcomes = outcomes
    record.report_submitted_at = timezone.now()
    record.status = MobilityRecord.Status.COMPLETED
    record.save(
        update_fields=[
            "report_activities",
            "report_outcomes",
            "report_submitted_at",
            "status",
            "updated_at",
        ]
    )
    for upload in files:
        MobilityReportAttachment.objects.create(
            record=record, file=upload, original_name=upload.name[:255]
        )
    return record
