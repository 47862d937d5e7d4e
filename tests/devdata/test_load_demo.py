"""`load_demo` reproduces the seed text's world and is safe to run again."""

import io
import random
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation

from core.periods import academic_year_of
from core.roles import is_international_office
from devdata import demo, facts
from exchanges.choices import MobilityStatus, Purpose
from exchanges.models import Application, MobilityRecord, Program
from partners.choices import Direction
from partners.models import (
    Agreement,
    AgreementQuota,
    Contact,
    Department,
    Partner,
    SubjectArea,
)
from people.choices import Category
from people.roles import is_coordinator, is_reviewer

SEED_INSTITUTIONS = [
    "Medical University of Bialystok",
    "Kazakh National Medical University",
    "Karolinska Institute",
    "Smolensk State Medical Academy",
    "Institute of Antimicrobial Chemotherapy",
    "Moscow State Medical and Dental University",
    "Saratov State Medical University",
    "DAAD",
]
SEED_DEPARTMENTS = [
    "Department of Infectious Diseases",
    "Department of Prosthetic Dentistry",
    "Department of Internal Diseases No. 3",
    "Department of Pathology",
    "Department of Pediatric Dentistry",
]
ALL_MODELS = [
    get_user_model(),
    Department,
    SubjectArea,
    Partner,
    Contact,
    Agreement,
    AgreementQuota,
    Program,
    MobilityRecord,
    Application,
]


def load_demo(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """Load the demo once per module, inside a transaction rolled back after the last test.

    Every test still runs in its own savepoint, so what one test writes is gone for the next.
    """
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        output = load_demo()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def demo_output(demo_world, db):
    return demo_world


def counted_records():
    return MobilityRecord.objects.counted()


def generated(seed: int) -> list[demo.RecordDraft]:
    today = timezone.localdate()
    slugs = [spec.slug for spec in facts.programs(today)]
    return demo.RecordGenerator(rng=random.Random(seed), today=today).generate(slugs)


def test_every_demo_account_has_a_complete_confirmed_profile(demo_output):
    for person in get_user_model().objects.select_related("profile", "profile__department"):
        profile = person.profile
        assert profile.category, person.username
        assert profile.category_confirmed, person.username
        if profile.is_studying:
            assert profile.faculty and profile.year_of_study, person.username
        else:
            assert profile.department or profile.category == Category.OTHER_STAFF, person.username
    assert get_user_model().objects.get(username="student").profile.category == (
        Category.UNDERGRADUATE
    )
    assert get_user_model().objects.get(username="staff").profile.category == (
        Category.ACADEMIC_STAFF
    )


def test_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    counts = {model: model.objects.count() for model in ALL_MODELS}

    with pytest.raises(CommandError, match="DEBUG"):
        load_demo()

    assert {model: model.objects.count() for model in ALL_MODELS} == counts


def test_runs_with_debug_off_when_forced(demo_output, settings):
    settings.DEBUG = False

    output = load_demo("--force")

    assert Partner.objects.filter(slug="medical-university-of-bialystok").exists()
    assert "Demo data ready" in output


def test_loads_the_institutions_the_seed_names(demo_output):
    for name in SEED_INSTITUTIONS:
        assert Partner.objects.filter(name__contains=name).exists(), name
    bialystok = Partner.objects.get(slug="medical-university-of-bialystok")
    assert bialystok.name_original == "Uniwersytet Medyczny w Białymstoku"
    assert bialystok.country.code == "PL"
    assert bialystok.contacts.exists()
    assert Partner.objects.get(acronym="DAAD").kind == Partner.Kind.FUNDING_AGENCY
    # Original-language names in their own scripts.
    assert "Смоленская" in Partner.objects.get(acronym="SSMA").name_original
    # Every partner has somebody to write to.
    assert not Partner.objects.filter(contacts__isnull=True).exists()
    # More partners than the seed names, so that lists are worth browsing.
    assert Partner.objects.count() >= 12


def test_demo_partners_and_programs_carry_russian_and_belarusian_forms(demo_output):
    bialystok = Partner.objects.get(slug="medical-university-of-bialystok")
    assert bialystok.name_ru == "Медицинский университет в Белостоке"
    assert bialystok.name_be == "Медыцынскі ўніверсітэт у Беластоку"
    assert Partner.objects.get(acronym="KI").name_be == "Каралінскі інстытут"
    assert not Partner.objects.filter(name_ru="").exists()
    assert not Partner.objects.filter(name_be="").exists()
    assert not Program.objects.filter(title_ru="").exists()
    assert not Program.objects.filter(title_be="").exists()
    # Search finds them by both forms, as loaded (through save, not a bulk path).
    assert list(Partner.objects.search("Беласток медыцынскі")) == [bialystok]
    assert bialystok in Partner.objects.search("Белосток")
    with translation.override("be"):
        assert Program.objects.get(
            slug="bialystok-staff-clinical-training"
        ).display_description.startswith("Два тыдні")


def test_loads_the_departments_the_seed_names(demo_output):
    for name in SEED_DEPARTMENTS:
        assert Department.objects.filter(name=name).exists(), name


def test_bialystok_agreement_of_2004_has_its_programs_and_records(demo_output):
    agreement = Agreement.objects.get(
        partner__slug="medical-university-of-bialystok", signed_on__year=2004
    )

    assert agreement.kind == Agreement.Kind.ACADEMIC_SCIENTIFIC
    assert Agreement.objects.active().filter(pk=agreement.pk).exists()
    assert agreement.programs.filter(kind=Program.Kind.STAFF_TRAINING).count() >= 5
    assert agreement.programs.filter(kind=Program.Kind.RESEARCH_TRAINING).exists()
    assert agreement.mobility_records.exists()
    assert agreement.quotas.filter(academic_year=academic_year_of(timezone.localdate())).exists()
    # The student exchange (summer clinical practice) runs under the same agreement.
    assert agreement.programs.filter(kind=Program.Kind.SUMMER_PRACTICE).exists()


def test_bialystok_exchange_counts_about_350_participants_on_both_sides(demo_output):
    # The seed's "about 350 people ... on both sides since 2004", the summer practice included:
    # the agreement's total and the partner's total are the same figure.
    records = counted_records().filter(
        agreement__partner__slug="medical-university-of-bialystok",
        agreement__kind=Agreement.Kind.ACADEMIC_SCIENTIFIC,
    )

    assert 300 <= records.count() <= 400
    assert counted_records().filter(partner__slug="medical-university-of-bialystok").count() == (
        records.count()
    )
    assert records.filter(direction=Direction.INCOMING).count() > 50
    assert records.filter(direction=Direction.OUTGOING).count() > 50
    assert set(records.values_list("category", flat=True)) == {
        Category.ACADEMIC_STAFF,
        Category.PHD_STUDENT,
        Category.YOUNG_SCIENTIST,
        Category.UNDERGRADUATE,
    }
    assert records.order_by("start_date").first().start_date.year == 2004


def test_summer_clinical_practice_counts_about_150_belarusian_and_polish_students(demo_output):
    records = counted_records().filter(
        partner__slug="medical-university-of-bialystok", purpose=Purpose.CLINICAL_PRACTICE
    )

    assert 130 <= records.count() <= 170
    assert set(records.values_list("category", flat=True)) == {Category.UNDERGRADUATE}
    assert records.filter(direction=Direction.INCOMING).count() > 50
    assert records.filter(direction=Direction.OUTGOING).count() > 50


def test_annual_report_shows_the_summer_practice_and_the_clinical_training_sessions(demo_output):
    from reporting.figures import build_annual_report
    from reporting.tables import group_label

    # The summer practice's students are clinical practice with the Bialystok partner.
    summer = build_annual_report(2019)
    purposes = {row.key: row.current for row in summer.by_purpose}
    assert purposes[Purpose.CLINICAL_PRACTICE] > 0
    # Each clinical training session is a program of its own, in the year it took place.
    training_2006 = {
        group_label(row, "programs"): row.current for row in build_annual_report(2006).by_program
    }
    assert 5 <= training_2006["Clinical training for academic staff in Bialystok (2006)"] <= 6


def test_each_summer_practice_is_a_closed_program_of_its_year_with_its_students(demo_output):
    from reporting.figures import build_annual_report
    from reporting.tables import group_label

    past = Program.objects.filter(slug__startswith="bialystok-summer-clinical-practice-")
    years = sorted(int(slug.rsplit("-", 1)[1]) for slug in past.values_list("slug", flat=True))
    assert years[0] == 2011 and years == list(range(2011, years[-1] + 1))
    assert not past.call_open().exists()
    assert (
        Program.objects.published()
        .call_open()
        .filter(slug="bialystok-summer-clinical-practice")
        .exists()
    )
    report = build_annual_report(2019)
    by_program = {group_label(row, "programs"): row for row in report.by_program}
    summer = by_program["Summer clinical practice in Bialystok (2019)"]
    clinical = {row.key: row.current for row in report.by_purpose}[Purpose.CLINICAL_PRACTICE]
    assert summer.current == clinical > 0
    assert summer.outgoing > 0 and summer.incoming > 0
    # Every counted summer practice student is in a program.
    assert (
        not counted_records()
        .filter(
            purpose=Purpose.CLINICAL_PRACTICE,
            partner__slug="medical-university-of-bialystok",
            program=None,
        )
        .exists()
    )


def test_academic_staff_attend_more_than_100_conferences_abroad_in_recent_years(demo_output):
    this_year = timezone.localdate().year
    trips = counted_records().filter(
        purpose=Purpose.CONFERENCE,
        direction=Direction.OUTGOING,
        category=Category.ACADEMIC_STAFF,
    )

    for year in range(this_year - 5, this_year):
        in_year = trips.filter(start_date__year=year)
        assert in_year.count() > 100, year
        assert in_year.filter(partner__isnull=True).count() > in_year.count() / 2
        assert in_year.values("country").distinct().count() >= 10


def test_records_before_today_are_completed_and_later_ones_planned(demo_output):
    today = timezone.localdate()
    records = MobilityRecord.objects.exclude(status=MobilityStatus.CANCELLED)

    assert not records.filter(end_date__lt=today).exclude(status=MobilityStatus.COMPLETED).exists()
    assert not records.filter(start_date__gt=today).exclude(status=MobilityStatus.PLANNED).exists()
    assert records.filter(status=MobilityStatus.PLANNED).exists()
    assert MobilityRecord.objects.filter(status=MobilityStatus.CANCELLED).exists()
    assert MobilityRecord.objects.filter(start_date__year=2004).exists()


def test_agreements_cover_every_status_and_validity_kind(demo_output):
    today = timezone.localdate()
    statuses = {agreement.status_on(today) for agreement in Agreement.objects.all()}

    assert {
        Agreement.Status.ACTIVE,
        Agreement.Status.EXPIRING,
        Agreement.Status.EXPIRED,
        Agreement.Status.NEGOTIATION,
    } <= statuses
    assert Agreement.objects.active().filter(valid_until__isnull=True).exists()
    assert Agreement.objects.active().filter(auto_renewal=True).exists()
    assert Agreement.objects.expiring_within(days=90).count() == 1
    assert AgreementQuota.objects.filter(academic_year=academic_year_of(today) - 1).exists()
    assert Agreement.objects.filter(subject_areas__isced_code="0911").exists()
    assert SubjectArea.objects.filter(isced_code="0912", name="Medicine").exists()


def test_programs_include_open_calls_and_past_ones(demo_output):
    open_calls = Program.objects.published().call_open()

    assert open_calls.filter(agreement__reference="BSMU-UMB-2004").exists()
    assert open_calls.filter(kind=Program.Kind.SUMMER_PRACTICE).exists()
    assert all(program.places_left() > 0 for program in open_calls)
    assert all(program.eligible_categories for program in open_calls)
    assert Program.objects.filter(ends_on__lt=timezone.localdate()).exists()
    assert Program.objects.filter(kind=Program.Kind.COMPETITION, title__contains="UPGRADE")
    assert Program.objects.filter(kind=Program.Kind.SANDWICH_PHD).exists()
    assert Program.objects.filter(kind=Program.Kind.VISITING_PROFESSOR).exists()


def test_second_run_changes_and_duplicates_nothing(demo_output, settings):
    counts = {model: model.objects.count() for model in ALL_MODELS}
    history = Agreement.history.count(), Partner.history.count()

    output = load_demo()

    assert {model: model.objects.count() for model in ALL_MODELS} == counts
    assert (Agreement.history.count(), Partner.history.count()) == history
    assert "Demo data ready (seed 2004): 0 rows created, 0 updated" in output


def test_same_seed_generates_the_same_records(demo_output):
    first, second = generated(facts.DEFAULT_SEED), generated(facts.DEFAULT_SEED)
    stored = MobilityRecord.objects.filter(notes=facts.DEMO_MARKER)

    assert first == second
    assert generated(facts.DEFAULT_SEED + 1) != first
    assert stored.count() == len(first)
    assert set(stored.values_list("start_date", "end_date", "country", "purpose")) == {
        (d.start_date, d.end_date, d.country, d.purpose) for d in first
    }


def test_demo_accounts_have_their_roles_and_the_printed_password_works(demo_output, client):
    password = re.search(r"password: (\S+)", demo_output).group(1)
    assert "http://127.0.0.1:8000/" in demo_output
    users = {u.username: u for u in get_user_model().objects.all()}

    for username in ("office", "coordinator", "staff", "student"):
        assert client.login(username=username, password=password), username
        validate_password(password, users[username])
    assert is_international_office(users["office"]) and users["office"].is_staff
    assert is_coordinator(users["coordinator"])
    assert not is_international_office(users["coordinator"])
    assert not is_reviewer(users["staff"])
    assert not is_reviewer(users["student"])


def test_staff_application_to_an_open_bialystok_program_reaches_the_coordinator(demo_output):
    User = get_user_model()
    staff, student = User.objects.get(username="staff"), User.objects.get(username="student")
    coordinator = User.objects.get(username="coordinator")
    open_bialystok = (
        Program.objects.published()
        .call_open()
        .filter(host_institution__slug="medical-university-of-bialystok")
    )
    assert open_bialystok.count() >= 2

    for program in open_bialystok:
        assert not Application.objects.filter(applicant__in=[staff, student]).exists()
        assert program.department.coordinators.filter(pk=coordinator.pk).exists()
        category = Category.ACADEMIC_STAFF if program.eligible_academic_staff else None
        if category:
            application = Application.objects.create(
                applicant=staff,
                program=program,
                category=category,
                motivation="Clinical training",
                status=Application.Status.SUBMITTED,
                submitted_at=timezone.now(),
            )
            assert Application.objects.for_reviewer(coordinator).filter(pk=application.pk)
            application.delete()


def test_demo_applications_are_in_various_states(demo_output):
    statuses = set(Application.objects.values_list("status", flat=True))

    assert statuses == set(Application.Status.values)
    assert not Application.objects.filter(
        applicant__username__in=["office", "coordinator", "staff", "student"]
    ).exists()
    approved = Application.objects.filter(status=Application.Status.APPROVED)
    assert all(application.mobility_record for application in approved)


def test_staff_and_student_have_a_past_stay_of_their_own(demo_output):
    today = timezone.localdate()
    for username in ("staff", "student"):
        record = MobilityRecord.objects.get(person__username=username)
        assert record.end_date < today
        assert record.status == MobilityStatus.COMPLETED
        assert record.report_submitted_at is None


@pytest.mark.parametrize("seed", [1, 7, 2025])
def test_any_seed_keeps_the_seed_figures(seed):
    drafts = [draft for draft in generated(seed) if not draft.cancelled]
    bialystok = [d for d in drafts if d.agreement == facts.UMB_AGREEMENT]
    summer = [d for d in drafts if d.purpose == Purpose.CLINICAL_PRACTICE]
    last_year = timezone.localdate().year - 1
    conferences = [
        d
        for d in drafts
        if d.purpose == Purpose.CONFERENCE
        and d.category == Category.ACADEMIC_STAFF
        and d.start_date.year == last_year
    ]

    assert 300 <= len(bialystok) <= 400
    assert 130 <= len(summer) <= 170
    assert len(conferences) > 100
