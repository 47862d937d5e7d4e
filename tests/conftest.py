"""The fixed cast of users every view test speaks of, and shared settings for the suite."""

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.tasks import DEFAULT_TASK_QUEUE_NAME
from django.utils import timezone, translation
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tests.factories import (
    PASSWORD,
    AgreementFactory,
    DepartmentFactory,
    OfficeUserFactory,
    PartnerFactory,
    ProgramFactory,
    UserFactory,
)
from tests.outbox import closed_port


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` test what only PostgreSQL has (row locks under
    concurrency, the COPY export).

    On SQLite they are deselected, not skipped: CI runs the suite on PostgreSQL as well.
    """
    if connection.vendor == "postgresql":
        return
    deselected = [item for item in items if item.get_closest_marker("postgresql")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    # Uploaded files of one test never land in the project's var/ or leak into another test.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _language_of_its_own():
    """Each test starts in LANGUAGE_CODE. The locale middleware activates a language per request
    and nothing resets it after the response, so a request by a Russian reader would leave the
    next test, in the same thread, reading Russian."""
    yield
    translation.deactivate()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def office(db):
    return OfficeUserFactory(username="office", first_name="Olga", last_name="Office")


@pytest.fixture
def department(db, coordinator):
    return DepartmentFactory(name="Department of Infectious Diseases", coordinators=[coordinator])


@pytest.fixture
def coordinator(db):
    return UserFactory(username="coordinator", first_name="Cora", last_name="Coordinator")


@pytest.fixture
def other_department(db, other_coordinator):
    return DepartmentFactory(
        name="Department of Prosthetic Dentistry", coordinators=[other_coordinator]
    )


@pytest.fixture
def other_coordinator(db):
    return UserFactory(username="other-coordinator", first_name="Otto", last_name="Other")


@pytest.fixture
def staff_member(db):
    return UserFactory(username="staff", first_name="Stas", last_name="Staff")


@pytest.fixture
def student(db):
    return UserFactory(
        username="student", first_name="Sasha", last_name="Student", category="undergraduate"
    )


@pytest.fixture
def partner(db):
    return PartnerFactory(
        name="Medical University of Bialystok",
        name_original="Uniwersytet Medyczny w Białymstoku",
        acronym="UMB",
        slug="medical-university-of-bialystok",
        country="PL",
        city="Białystok",
    )


@pytest.fixture
def agreement(db, partner, department):
    return AgreementFactory(partner=partner, department=department, reference="BSMU-UMB-2004")


@pytest.fixture
def program(db, agreement, department):
    return ProgramFactory(
        agreement=agreement,
        department=department,
        title="Clinical training in Bialystok",
        slug="clinical-training-bialystok",
    )


@pytest.fixture
def run_worker(db):
    """Run the queued tasks that are due, as `manage.py db_worker --batch` does, and count them.

    E-mails go through the production path: queued in the database (core.mail), sent by
    django-tasks-db's own worker code, here in the test's process and transaction. (The command
    itself recycles the database connection between tasks, which would end the transaction a
    test runs in; tests/test_smtp_outage.py runs the command itself on committed data.)
    """
    worker = Worker(
        queue_names=[DEFAULT_TASK_QUEUE_NAME],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )

    def run() -> int:
        ran = 0
        while (result := DBTaskResult.objects.ready().get_locked()) is not None:
            result.claim(worker.worker_id)
            worker.run_task(result)
            ran += 1
        return ran

    return run


@pytest.fixture
def smtp_port():
    """A loopback port with no mail server behind it, until a test starts one there."""
    return closed_port()


@pytest.fixture
def client_for(client):
    """Return a test client signed in as the given user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _empty_cache():
    # The rate limits count in the cache (local memory): one test's requests never count in
    # another's.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    office: object
    coordinator: object
    staff: object
    student: object
    department: object
    partner: object
    kz_partner: object
    agreement: object
    kz_agreement: object
    program: object
    kz_program: object
    student_application: object
    staff_application: object
    records: list


@pytest.fixture
def world(office, coordinator, department, staff_member, student, partner, agreement, program):
    """A small portal: a Polish and a Kazakh partner, their agreements, two open calls,
    a submitted application from the student and one from the staff member, past mobility."""
    from exchanges.models import Application, MobilityRecord
    from partners.choices import Direction
    from people.choices import Category
    from tests.factories import (
        AgreementFactory,
        AgreementQuotaFactory,
        ApplicationFactory,
        ContactFactory,
        MobilityRecordFactory,
        PartnerFactory,
        ProgramFactory,
    )

    today = timezone.localdate()
    ContactFactory(partner=partner, name="Anna Kowalska", is_primary=True)
    kz_partner = PartnerFactory(
        name="Kazakh National Medical University",
        name_original="Қазақ ұлттық медицина университеті",
        acronym="KazNMU",
        slug="kazakh-national-medical-university",
        country="KZ",
        city="Almaty",
    )
    kz_agreement = AgreementFactory(
        partner=kz_partner, department=department, reference="BSMU-KAZNMU-2019"
    )
    AgreementQuotaFactory(agreement=agreement, academic_year=_academic_year(today), places=4)
    kz_program = ProgramFactory(
        agreement=kz_agreement,
        department=department,
        title="Summer school in Almaty",
        slug="summer-school-almaty",
    )
    student_application = ApplicationFactory(
        applicant=student,
        program=program,
        category=Category.UNDERGRADUATE,
        department=department,
        motivation="I want to see how infectious diseases are treated in Poland.",
    )
    staff_application = ApplicationFactory(
        applicant=staff_member,
        program=kz_program,
        category=Category.ACADEMIC_STAFF,
        department=department,
        status=Application.Status.SUBMITTED,
    )
    # Within this calendar year, which the dashboard and the report open on.
    start = max(today - datetime.timedelta(days=30), datetime.date(today.year, 1, 1))
    records = [
        MobilityRecordFactory(
            full_name="Irina Outgoing",
            partner=partner,
            agreement=agreement,
            department=department,
            direction=Direction.OUTGOING,
            category=Category.ACADEMIC_STAFF,
            start_date=start,
            end_date=start + datetime.timedelta(days=13),
            status=MobilityRecord.Status.COMPLETED,
        ),
        MobilityRecordFactory(
            full_name="Pavel Resident",
            partner=partner,
            agreement=agreement,
            department=department,
            direction=Direction.OUTGOING,
            category=Category.RESIDENT,
            start_date=start,
            end_date=start + datetime.timedelta(days=6),
            status=MobilityRecord.Status.COMPLETED,
        ),
        MobilityRecordFactory(
            full_name="Aigerim Incoming",
            partner=kz_partner,
            agreement=kz_agreement,
            department=department,
            direction=Direction.INCOMING,
            category=Category.PHD_STUDENT,
            home_institution=kz_partner.name,
            start_date=start,
            end_date=start + datetime.timedelta(days=20),
            status=MobilityRecord.Status.COMPLETED,
        ),
    ]
    return World(
        office=office,
        coordinator=coordinator,
        staff=staff_member,
        student=student,
        department=department,
        partner=partner,
        kz_partner=kz_partner,
        agreement=agreement,
        kz_agreement=kz_agreement,
        program=program,
        kz_program=kz_program,
        student_application=student_application,
        staff_application=staff_application,
        records=records,
    )


def _academic_year(day: datetime.date) -> int:
    from core.periods import academic_year_of

    return academic_year_of(day)
