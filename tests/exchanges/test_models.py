"""Rules of programs, applications and mobility records: constraints and querysets."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from exchanges.choices import MobilityStatus
from exchanges.models import Application, MobilityRecord, Program
from partners.choices import Direction, MobilityType
from people.choices import Category
from tests.factories import (
    AgreementFactory,
    AgreementQuotaFactory,
    ApplicationAttachmentFactory,
    ApplicationFactory,
    MobilityRecordFactory,
    MobilityReportAttachmentFactory,
    ProgramFactory,
    UserFactory,
)

D = datetime.date
DAY = datetime.timedelta(days=1)
OPENS = D(2025, 3, 1)
CLOSES = D(2025, 3, 31)
Status = Application.Status


# --- Program constraints ----------------------------------------------------------------------


@pytest.mark.django_db
def test_program_call_cannot_close_before_it_opens(agreement):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(agreement=agreement, call_opens=OPENS, call_closes=OPENS - DAY)

    assert Program.objects.count() == 0


@pytest.mark.django_db
def test_program_call_may_open_and_close_on_the_same_day(agreement):
    ProgramFactory(agreement=agreement, call_opens=OPENS, call_closes=OPENS)

    assert Program.objects.count() == 1


@pytest.mark.django_db
def test_program_cannot_end_before_it_starts(agreement):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(agreement=agreement, starts_on=D(2025, 7, 1), ends_on=D(2025, 6, 30))

    assert Program.objects.count() == 0


@pytest.mark.django_db
def test_program_places_cannot_be_negative(agreement):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(agreement=agreement, places=-1)

    assert Program.objects.count() == 0


@pytest.mark.django_db
def test_program_slug_is_unique(agreement):
    ProgramFactory(agreement=agreement, slug="summer-practice")

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(agreement=agreement, slug="summer-practice")

    assert Program.objects.count() == 1


# --- Application constraints ------------------------------------------------------------------


def application(program, applicant, status, **kwargs):
    decided = status in (Status.APPROVED, Status.REJECTED)
    return ApplicationFactory(
        program=program,
        applicant=applicant,
        status=status,
        decided_at=timezone.now() if decided else None,
        **kwargs,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("first", [Status.DRAFT, Status.SUBMITTED, Status.APPROVED])
@pytest.mark.parametrize("second", [Status.DRAFT, Status.SUBMITTED])
def test_second_live_application_to_same_program_is_refused(program, staff_member, first, second):
    application(program, staff_member, first)

    with pytest.raises(IntegrityError), transaction.atomic():
        application(program, staff_member, second)

    assert Application.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("earlier", [Status.WITHDRAWN, Status.REJECTED])
def test_new_application_after_withdrawal_or_rejection_is_allowed(program, staff_member, earlier):
    application(program, staff_member, earlier)
    application(program, staff_member, earlier)

    application(program, staff_member, Status.SUBMITTED)

    assert Application.objects.count() == 3
    assert Application.objects.live().count() == 1


@pytest.mark.django_db
def test_other_people_and_other_programs_do_not_count_as_a_second_application(
    program, staff_member, student
):
    application(program, staff_member, Status.SUBMITTED)
    application(program, student, Status.SUBMITTED, category=Category.UNDERGRADUATE)
    application(ProgramFactory(agreement=program.agreement), staff_member, Status.SUBMITTED)

    assert Application.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.APPROVED, Status.REJECTED])
def test_decision_without_a_date_is_refused(program, staff_member, status):
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(program=program, applicant=staff_member, status=status, decided_at=None)

    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_decision_with_a_date_is_stored(program, staff_member, coordinator):
    application(program, staff_member, Status.APPROVED, decided_by=coordinator)

    assert Application.objects.get().decided_by == coordinator


# --- MobilityRecord ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_mobility_record_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        MobilityRecordFactory(start_date=D(2025, 3, 10), end_date=D(2025, 3, 9))

    assert MobilityRecord.objects.count() == 0


@pytest.mark.django_db
def test_one_day_mobility_record_is_allowed():
    record = MobilityRecordFactory(start_date=D(2025, 3, 10), end_date=D(2025, 3, 10))

    assert MobilityRecord.objects.get().duration_days == 1 == record.duration_days


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (D(2025, 3, 10), D(2025, 3, 14), 5),  # Monday to Friday
        (D(2025, 7, 1), D(2025, 7, 28), 28),
        (D(2024, 2, 28), D(2024, 3, 1), 3),  # across a leap day
    ],
)
def test_duration_counts_the_first_and_the_last_day(start, end, days):
    assert MobilityRecordFactory.build(start_date=start, end_date=end).duration_days == days


@pytest.mark.django_db
def test_a_mobility_has_ended_once_completed_or_past_its_last_day():
    today = timezone.localdate()
    planned = MobilityRecordFactory(
        start_date=today - 3 * DAY, end_date=today + 3 * DAY, status=MobilityStatus.PLANNED
    )
    assert not planned.has_ended()
    assert planned.has_ended(on=today + 3 * DAY)
    planned.status = MobilityStatus.COMPLETED
    assert planned.has_ended()
    planned.status = MobilityStatus.CANCELLED
    assert not planned.has_ended(on=today + 10 * DAY)


@pytest.mark.django_db
def test_counted_records_leave_out_cancelled_ones():
    kept = MobilityRecordFactory(status=MobilityStatus.PLANNED)
    MobilityRecordFactory(status=MobilityStatus.CANCELLED)

    assert list(MobilityRecord.objects.counted()) == [kept]


@pytest.mark.django_db
def test_records_starting_between_includes_both_ends():
    first = MobilityRecordFactory(start_date=D(2025, 1, 1))
    last = MobilityRecordFactory(start_date=D(2025, 12, 31))
    MobilityRecordFactory(start_date=D(2024, 12, 31))

    found = MobilityRecord.objects.starting_between(D(2025, 1, 1), D(2025, 12, 31))

    assert set(found) == {first, last}


# --- ProgramQuerySet and Program ---------------------------------------------------------------


@pytest.fixture
def call_programs(agreement):
    return {
        "in_window": ProgramFactory(agreement=agreement, call_opens=OPENS, call_closes=CLOSES),
        "earlier": ProgramFactory(agreement=agreement, call_opens=OPENS - 60 * DAY,
                                  call_closes=OPENS - DAY),
        "later": ProgramFactory(agreement=agreement, call_opens=CLOSES + DAY,
                                call_closes=CLOSES + 30 * DAY),
        "no_call": ProgramFactory(agreement=agreement, call_opens=None, call_closes=None),
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "open_ones"),
    [
        (OPENS - DAY, {"earlier"}),
        (OPENS, {"in_window"}),
        (CLOSES, {"in_window"}),
        (CLOSES + DAY, {"later"}),
    ],
)
def test_call_open_includes_the_first_and_last_day_of_the_window(call_programs, on, open_ones):
    expected = {call_programs[name].pk for name in open_ones}

    assert set(Program.objects.call_open(on).values_list("pk", flat=True)) == expected
    assert {p.pk for p in call_programs.values() if p.is_call_open(on)} == expected


@pytest.mark.django_db
def test_call_open_defaults_to_today(agreement):
    today = timezone.localdate()
    current = ProgramFactory(agreement=agreement, call_opens=today, call_closes=today)
    ProgramFactory(agreement=agreement, call_opens=today - 9 * DAY, call_closes=today - DAY)

    assert list(Program.objects.call_open()) == [current]
    assert current.is_call_open()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes", [{"is_published": False}, {"is_archived": True}, {"call_closes": None}]
)
def test_call_is_not_open_for_unpublished_archived_or_undated_programs(agreement, changes):
    program = ProgramFactory(
        agreement=agreement, **({"call_opens": OPENS, "call_closes": CLOSES} | changes)
    )

    assert not program.is_call_open(OPENS)


@pytest.mark.django_db
def test_published_leaves_out_drafts_and_archived_programs(agreement):
    public = ProgramFactory(agreement=agreement)
    ProgramFactory(agreement=agreement, is_published=False)
    ProgramFactory(agreement=agreement, is_archived=True)

    assert list(Program.objects.published()) == [public]


@pytest.mark.django_db
def test_eligible_for_filters_by_participant_category(agreement):
    staff_only = ProgramFactory(
        agreement=agreement, eligible_academic_staff=True, eligible_undergraduate=False
    )
    students = ProgramFactory(
        agreement=agreement, eligible_academic_staff=False, eligible_undergraduate=True
    )

    assert list(Program.objects.eligible_for(Category.ACADEMIC_STAFF)) == [staff_only]
    assert list(Program.objects.eligible_for(Category.UNDERGRADUATE)) == [students]
    assert not Program.objects.eligible_for(Category.PHD_STUDENT).exists()
    assert students.eligible_categories == [Category.UNDERGRADUATE]


def test_unknown_participant_category_is_an_error():
    with pytest.raises(ValueError, match="visitor"):
        Program.objects.eligible_for("visitor")


@pytest.mark.django_db
def test_places_left_counts_records_that_were_not_cancelled(agreement):
    program = ProgramFactory(agreement=agreement, places=3)
    MobilityRecordFactory(program=program, status=MobilityStatus.PLANNED)
    MobilityRecordFactory(program=program, status=MobilityStatus.COMPLETED)
    MobilityRecordFactory(program=program, status=MobilityStatus.CANCELLED)
    MobilityRecordFactory(program=ProgramFactory(agreement=agreement))

    assert program.places_left() == 1
    annotated = Program.objects.annotate_places_taken().get(pk=program.pk)
    assert annotated.places_taken() == 2
    assert annotated.places_left() == 1


@pytest.mark.django_db
def test_places_left_never_goes_below_zero(agreement):
    program = ProgramFactory(agreement=agreement, places=1)
    MobilityRecordFactory.create_batch(2, program=program)

    assert program.places_left() == 0


@pytest.mark.django_db
def test_application_is_live_until_withdrawn_or_decided_against(program):
    applicant = UserFactory()
    draft = application(program, applicant, Status.DRAFT)
    live = Application.objects.live()

    assert live.filter(pk=draft.pk).exists()
    assert draft.can_be_withdrawn and not draft.can_be_decided
    draft.status = Status.WITHDRAWN
    draft.save()
    assert not live.filter(pk=draft.pk).exists()
    assert not draft.can_be_withdrawn


# --- Who may apply ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_refusal_for_is_none_while_the_call_is_open_with_places_left(program):
    assert program.refusal_for() is None
    assert program.refusal_for(profile=UserFactory().profile) is None


@pytest.mark.django_db
def test_refusal_for_names_an_existing_application_first(program, student):
    existing = application(program, student, Status.DRAFT)
    program.places = 0

    assert program.refusal_for(existing=existing) == (
        "You already have an application to this program."
    )


@pytest.mark.django_db
def test_refusal_for_a_closed_call_on_the_day_asked(program):
    after = program.call_closes + DAY

    assert program.refusal_for(on=program.call_closes) is None
    assert program.refusal_for(on=after) == (
        "The call for applications to this program is not open."
    )


@pytest.mark.django_db
def test_refusal_for_a_program_with_every_place_taken(program):
    MobilityRecordFactory.create_batch(program.places, program=program)

    assert program.refusal_for() == "All places of this program are taken."


@pytest.mark.django_db
def test_refusal_for_a_category_the_program_is_not_open_to(program):
    phd_student = UserFactory(category=Category.PHD_STUDENT)
    assert program.refusal_for(profile=phd_student.profile) == (
        "This program is not open to your category of participants."
    )


@pytest.mark.django_db
def test_what_a_profile_lacks_for_a_program(program):
    def missing(**profile):
        return UserFactory(**profile).profile.missing_for(program)

    assert missing(category="") == (
        "Your profile does not say who you are yet: choose your category in your profile."
    )
    assert missing(category=Category.ACADEMIC_STAFF, category__confirmed=False) == (
        "The international office has not yet confirmed your category: you may apply once it has."
    )
    assert missing(category=Category.ACADEMIC_STAFF) is None
    assert missing(category=Category.UNDERGRADUATE) is None
    student = UserFactory(category=Category.UNDERGRADUATE)
    student.profile.faculty = ""
    assert student.profile.missing_for(program) == (
        "Your profile lacks your faculty and year of study: add them in your profile."
    )
    # A category the program is not open to is the program's refusal, not a gap in the profile.
    assert missing(category=Category.PHD_STUDENT) is None


@pytest.mark.django_db
def test_refusal_for_a_program_open_to_no_category(agreement):
    program = ProgramFactory(
        agreement=agreement, eligible_academic_staff=False, eligible_undergraduate=False
    )

    assert program.refusal_for() == ("This program does not accept applications from any category.")
    assert program.refusal_for(profile=UserFactory().profile) == (
        "This program does not accept applications from any category."
    )


# --- Who may download an attachment -----------------------------------------------------------


def submitted(program, applicant, **kwargs):
    return application(program, applicant, Status.SUBMITTED, submitted_at=timezone.now(), **kwargs)


@pytest.mark.django_db
def test_application_files_go_to_the_applicant_its_reviewers_and_the_office(
    program, student, coordinator, other_coordinator, office, staff_member
):
    attachment = ApplicationAttachmentFactory(application=submitted(program, student))

    assert attachment.may_be_downloaded_by(student)
    assert attachment.may_be_downloaded_by(coordinator)
    assert attachment.may_be_downloaded_by(office)
    assert not attachment.may_be_downloaded_by(other_coordinator)
    assert not attachment.may_be_downloaded_by(staff_member)
    assert not attachment.may_be_downloaded_by(AnonymousUser())


@pytest.mark.django_db
def test_a_drafts_files_are_the_applicants_alone(program, student, coordinator, office):
    attachment = ApplicationAttachmentFactory(
        application=application(program, student, Status.DRAFT)
    )

    assert attachment.may_be_downloaded_by(student)
    assert not attachment.may_be_downloaded_by(coordinator)
    assert not attachment.may_be_downloaded_by(office)


@pytest.mark.django_db
def test_an_archived_application_file_is_the_offices_alone(program, student, coordinator, office):
    attachment = ApplicationAttachmentFactory(
        application=submitted(program, student), is_archived=True
    )

    assert attachment.may_be_downloaded_by(office)
    assert not attachment.may_be_downloaded_by(student)
    assert not attachment.may_be_downloaded_by(coordinator)


@pytest.mark.django_db
def test_a_report_of_an_application_goes_with_the_applications_files(
    program, student, coordinator, other_coordinator, office
):
    approved = application(program, student, Status.APPROVED, submitted_at=timezone.now())
    record = MobilityRecordFactory(application=approved, person=student)
    attachment = MobilityReportAttachmentFactory(record=record)

    assert attachment.may_be_downloaded_by(student)
    assert attachment.may_be_downloaded_by(coordinator)
    assert attachment.may_be_downloaded_by(office)
    assert not attachment.may_be_downloaded_by(other_coordinator)


@pytest.mark.django_db
def test_a_report_without_an_application_is_the_travellers_and_the_offices(
    student, coordinator, office, staff_member
):
    attachment = MobilityReportAttachmentFactory(record=MobilityRecordFactory(person=student))
    archived = MobilityReportAttachmentFactory(record=attachment.record, is_archived=True)

    assert attachment.may_be_downloaded_by(student)
    assert attachment.may_be_downloaded_by(office)
    assert not attachment.may_be_downloaded_by(coordinator)
    assert not attachment.may_be_downloaded_by(staff_member)
    assert not attachment.may_be_downloaded_by(AnonymousUser())
    assert archived.may_be_downloaded_by(office)
    assert not archived.may_be_downloaded_by(student)


# --- MobilityRecord.objects.counting_against(quota) ---------------------------------------------


@pytest.mark.django_db
def test_quota_counts_records_of_its_year_type_and_direction_that_were_not_cancelled(agreement):
    quota = AgreementQuotaFactory(
        agreement=agreement,
        academic_year=2025,
        mobility_type=MobilityType.HE_STT,
        direction=Direction.OUTGOING,
    )

    def record(**kwargs):
        values = {
            "agreement": agreement,
            "mobility_type": MobilityType.HE_STT,
            "direction": Direction.OUTGOING,
            "start_date": D(2025, 10, 1),
            "status": MobilityStatus.COMPLETED,
        }
        return MobilityRecordFactory(**(values | kwargs))

    first_day = record(start_date=D(2025, 9, 1))
    last_day = record(start_date=D(2026, 8, 31))
    planned = record(status=MobilityStatus.PLANNED)
    record(status=MobilityStatus.CANCELLED)
    record(start_date=D(2025, 8, 31))
    record(start_date=D(2026, 9, 1))
    record(direction=Direction.INCOMING)
    record(mobility_type=MobilityType.HE_STA)
    record(agreement=AgreementFactory())

    counting = MobilityRecord.objects.counting_against(quota)
    assert set(counting.values_list("pk", flat=True)) == {first_day.pk, last_day.pk, planned.pk}
