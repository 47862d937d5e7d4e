"""The workflows without the pages: what each step writes, and that a refusal writes nothing."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from exchanges import services
from exchanges.choices import ProgramDirection
from exchanges.models import Application, MobilityRecord
from people.choices import Category
from tests.factories import (
    ApplicationFactory,
    MobilityRecordFactory,
    PartnerFactory,
    ProgramFactory,
    UserFactory,
)


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def create(**overrides):
    arguments = {
        "department": None,
        "motivation": "Motivated.",
        "submit": True,
    }
    arguments.update(overrides)
    return services.create_application(**arguments)


def test_a_second_live_application_is_refused_before_anything_is_written(student, program):
    create(applicant=student, program=program, submit=False)
    with pytest.raises(services.WorkflowRefused, match="already have an application") as refusal:
        create(applicant=student, program=program)
    assert refusal.value.field is None
    assert Application.objects.count() == 1


def test_a_closed_call_is_refused_with_no_field_named(student, program):
    program.call_closes = days(-1)
    program.call_opens = days(-5)
    program.save()
    with pytest.raises(services.WorkflowRefused, match="call for applications") as refusal:
        create(applicant=student, program=program)
    assert refusal.value.field is None
    assert not Application.objects.exists()


def test_a_concurrent_duplicate_becomes_a_refusal(monkeypatch, student, program):
    # The other tab's application is committed after this one looked for it: the database's
    # partial unique constraint is the last word.
    ApplicationFactory(applicant=student, program=program)
    monkeypatch.setattr(services, "live_application_of", lambda **kwargs: None)
    with pytest.raises(services.WorkflowRefused, match="already have an application"):
        create(applicant=student, program=program)
    assert Application.objects.count() == 1


def test_the_category_comes_from_the_profile_and_is_copied_onto_the_application(student, program):
    application = create(applicant=student, program=program)
    assert application.category == Category.UNDERGRADUATE


def test_a_category_the_program_is_not_open_to_is_refused(program):
    phd_student = UserFactory(category=Category.PHD_STUDENT)
    with pytest.raises(services.WorkflowRefused) as refusal:
        create(applicant=phd_student, program=program)
    assert refusal.value.message == "This program is not open to your category of participants."
    assert not Application.objects.exists()


def test_a_person_without_a_category_is_asked_to_complete_their_profile(program):
    newcomer = UserFactory(category="")
    with pytest.raises(services.WorkflowRefused, match="choose your category in your profile"):
        create(applicant=newcomer, program=program)
    assert not Application.objects.exists()


def test_a_student_without_faculty_and_year_is_asked_for_them(student, program):
    student.profile.year_of_study = None
    student.profile.save()
    with pytest.raises(services.WorkflowRefused, match="faculty and year of study"):
        create(applicant=student, program=program)
    assert not Application.objects.exists()


def test_an_unconfirmed_staff_category_may_not_apply_to_a_staff_program(program):
    program.eligible_undergraduate = False
    program.save()
    self_declared = UserFactory(category=Category.ACADEMIC_STAFF, category__confirmed=False)
    with pytest.raises(services.WorkflowRefused, match="not yet confirmed your category"):
        create(applicant=self_declared, program=program)
    assert not Application.objects.exists()


def test_submitting_a_draft_checks_the_profile_as_it_is_now(student, program):
    draft = create(applicant=student, program=program, submit=False)
    student.profile.category = Category.ACADEMIC_STAFF  # changed, so no longer confirmed
    student.profile.category_confirmed = False
    student.profile.save()
    with pytest.raises(services.WorkflowRefused, match="not yet confirmed"):
        services.submit_application(application=draft)
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert draft.category == Category.UNDERGRADUATE


def test_an_edited_draft_takes_the_profiles_category(student, program):
    draft = create(applicant=student, program=program, submit=False)
    student.profile.category = Category.RESIDENT
    student.profile.save()
    program.eligible_resident = True
    program.save()
    services.update_draft(
        application=draft, department=None, motivation="Still motivated.", submit=True
    )
    draft.refresh_from_db()
    assert (draft.category, draft.status) == (Category.RESIDENT, Application.Status.SUBMITTED)


def test_a_trip_report_before_the_mobility_ended_is_a_workflow_refusal(student, program):
    record = MobilityRecordFactory(
        person=student, start_date=days(10), status=MobilityRecord.Status.PLANNED
    )
    with pytest.raises(services.WorkflowRefused, match="once the mobility has ended"):
        services.submit_mobility_report(record=record, activities="Early", outcomes="Early")
    record.refresh_from_db()
    assert record.report_submitted_at is None


def test_approval_and_record_are_one_transaction(monkeypatch, program, coordinator):
    application = ApplicationFactory(program=program)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(MobilityRecord.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.approve_application(application=application, reviewer=coordinator)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.decided_at is None


def test_record_takes_the_programs_direction_unless_it_goes_both_ways(coordinator, db):
    incoming = ApplicationFactory(program=ProgramFactory(direction=ProgramDirection.INCOMING))
    both = ApplicationFactory(program=ProgramFactory(direction=ProgramDirection.BOTH))
    assert (
        services.approve_application(application=incoming, reviewer=coordinator).direction
        == "incoming"
    )
    assert (
        services.approve_application(application=both, reviewer=coordinator).direction == "outgoing"
    )


def test_record_falls_back_to_today_username_and_program_department(coordinator, department):
    applicant = UserFactory(username="nofullname", first_name="", last_name="")
    host = PartnerFactory(country="LT")
    program = ProgramFactory(
        starts_on=None, ends_on=None, host_institution=host, agreement=None, department=department
    )
    application = ApplicationFactory(applicant=applicant, program=program, department=None)
    record = services.approve_application(application=application, reviewer=coordinator)
    assert record.full_name == "nofullname"
    assert record.start_date == record.end_date == timezone.localdate()
    assert record.country == "LT"
    assert record.department == department
    assert record.agreement is None
    assert record.mobility_type == program.mobility_type
    assert record.purpose == program.purpose


def test_record_department_is_the_applicants_when_given(coordinator, program, other_department):
    application = ApplicationFactory(program=program, department=other_department)
    record = services.approve_application(application=application, reviewer=coordinator)
    assert record.department == other_department


def test_the_last_place_goes_to_one_approval_only(coordinator, db):
    program = ProgramFactory(places=1)
    first, second = ApplicationFactory.create_batch(2, program=program)
    services.approve_application(application=first, reviewer=coordinator)
    with pytest.raises(services.WorkflowRefused):
        services.approve_application(application=second, reviewer=coordinator)
    assert MobilityRecord.objects.count() == 1


def test_mails_without_a_request_use_the_site_url(settings, student, program, run_worker):
    settings.SITE_URL = "https://mobility.example.org/"
    application = create(applicant=student, program=program)
    run_worker()
    assert f"https://mobility.example.org{application.get_absolute_url()}" in mail.outbox[0].body


def test_new_submission_goes_to_the_office_when_the_department_has_no_coordinators(
    settings, student, run_worker
):
    settings.INTERNATIONAL_OFFICE_EMAIL = "io@example.org"
    program = ProgramFactory()
    program.department.coordinators.clear()
    create(applicant=student, program=program)
    run_worker()
    assert mail.outbox[1].to == ["io@example.org"]
