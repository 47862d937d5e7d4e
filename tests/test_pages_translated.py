"""In Russian and Belarusian no page, admin screen, e-mail, export or error page shows a
message of ours in English; and every language writes its dates one way, never month first.

Each page is rendered as its reader gets it (signed in as the role that uses it, the browser
asking for the language), its visible text read (tests/visible_text.py) and compared with the
English messages of our catalogue for that language.
"""

import csv
import datetime
import io
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.test.signals import template_rendered
from django.urls import get_resolver, resolve, reverse
from django.utils import timezone, translation
from django.views.defaults import server_error
from openpyxl import load_workbook

from core.mail import queue_email
from core.models import OutgoingEmail
from exchanges import emails
from exchanges.models import Application, MobilityRecord
from partners.models import Agreement
from partners.notifications import DueReminder, queue_reminder, recipients_for
from people import two_factor
from people.accounts import invite, one_time_link, send_password_reset
from people.models import Profile
from tests.factories import (
    AgreementDocumentFactory,
    ApplicationAttachmentFactory,
    ApplicationFactory,
    MobilityRecordFactory,
    OfficeUserFactory,
    ProgramFactory,
    UserFactory,
)
from tests.visible_text import (
    MONTH_FIRST,
    EnglishMessages,
    collapse,
    date_pattern,
    dates_in,
    visible_text,
)

pytestmark = pytest.mark.django_db

TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
# Named URLs of the portal that are no page to read: downloads and POST-only actions (their
# answer is a redirect to a page read here), the switcher's target, the health check, the
# favicon's redirect to the SVG icon.
NOT_PAGES = {
    "set_language", "logout", "healthz", "favicon", "partners:document-download",
    "oidc:sign-in", "oidc:callback",  # redirects to and from the identity provider
    "exchanges:attachment-download", "exchanges:application-submit",
    "exchanges:application-attachment-remove", "two_factor:new-recovery-codes",
    "reports:records-csv", "reports:summary-csv", "reports:report-xlsx",  # the exports test
    "reports:report-pdf",
}  # fmt: skip
# The admin pages the office uses: list, add and change form of each.
ADMIN_MODELS = [
    "partners.partner", "partners.agreement", "exchanges.program", "exchanges.application",
    "exchanges.mobilityrecord", "partners.department", "partners.contact", "core.outgoingemail",
    "auth.user", "people.profile",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _language_restored():
    # A request leaves its reader's language active in the thread; the next test reads English.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class Page:
    label: str
    path: str
    segments: list[str]  # what a reader sees (tests/visible_text.py), or lines of text


@pytest.fixture
def portal(world):
    """The e2e suite's small portal, plus a draft, a finished mobility and documents."""
    world.draft = ApplicationFactory(
        applicant=world.staff,
        program=ProgramFactory(
            agreement=world.agreement, department=world.department, title="Winter school"
        ),
        status=Application.Status.DRAFT,
        submitted_at=None,
    )
    ApplicationAttachmentFactory(application=world.draft)
    AgreementDocumentFactory(agreement=world.agreement, uploaded_by=world.office)
    ended = timezone.localdate() - datetime.timedelta(days=10)
    world.approved = ApplicationFactory(
        applicant=world.student,
        program=world.kz_program,
        status=Application.Status.APPROVED,
        decided_by=world.coordinator,
        decided_at=timezone.now(),
    )
    MobilityRecordFactory(
        person=world.student,
        application=world.approved,
        program=world.kz_program,
        partner=world.kz_partner,
        department=world.department,
        start_date=ended - datetime.timedelta(days=14),
        end_date=ended,
        status=MobilityRecord.Status.COMPLETED,
    )
    # Names that are also messages of ours ("Coordinator") would read as English left over.
    world.coordinator.username, world.coordinator.last_name = "cora", "Kowal"
    world.coordinator.save()
    queue_email(to=["anna@example.org"], subject="Hello", body="Hello")
    return world


class Reader:
    """A browser asking for one language, signed in as one person or nobody."""

    def __init__(self, language: str, user=None):
        self.language = language
        self.client = Client(headers={"accept-language": language})
        if user is not None:
            self.client.force_login(user)

    def page(self, label: str, path: str, *, status: int = 200, data=None, follow=False) -> Page:
        if data is None:
            response = self.client.get(path, follow=follow)
        else:
            response = self.client.post(path, data, follow=True)
            path = response.redirect_chain[-1][0] if response.redirect_chain else path
        assert response.status_code == status, f"{label} ({path}): HTTP {response.status_code}"
        html = response.content.decode()
        assert f'<html lang="{self.language}"' in html, f"{label} ({path}): not {self.language}"
        return Page(label, path, visible_text(html, self.language))


def portal_pages(world, language: str, settings) -> list[Page]:
    """Every page of the portal, as each role sees it."""
    year = timezone.localdate().year
    nobody = Reader(language)
    staff = Reader(language, world.staff)
    student = Reader(language, world.student)
    coordinator = Reader(language, world.coordinator)
    office = Reader(language, world.office)
    # A member of staff by their own word: the office has not confirmed it yet.
    awaiting = Reader(
        language,
        UserFactory(username="self-declared", category="academic_staff", category__confirmed=False),
    )
    partners, agreements = reverse("partners:partner-list"), reverse("partners:agreement-list")
    programs, report = reverse("exchanges:program-list"), reverse("reports:detail", args=[year])
    review = reverse("exchanges:review-list")
    draft = world.draft
    pages = [
        nobody.page("sign-in", reverse("login")),
        nobody.page("sign-in refused", reverse("login"), data={"username": "x", "password": "y"}),
        staff.page("dashboard", reverse("dashboard")),
        staff.page("partner list", f"{partners}?q=bial&country=PL&sort=country"),
        staff.page("partner list, nothing found", f"{partners}?q=nothing-of-the-kind"),
        staff.page("partner list, bad filter", f"{partners}?country=XX&sort=nonsense&page=99"),
        staff.page("partner detail", world.partner.get_absolute_url()),
        staff.page("agreement list", f"{agreements}?status=active"),
        staff.page("agreement list, bad filter", f"{agreements}?expiring_within=0&department=9"),
        staff.page("agreement detail", world.agreement.get_absolute_url()),
        staff.page("program list", f"{programs}?call_open=yes&country=PL&q=clinical"),
        staff.page("program detail", world.program.get_absolute_url()),
        staff.page("program detail, applied", world.kz_program.get_absolute_url()),
        staff.page("apply", reverse("exchanges:application-create", args=[world.program.slug])),
        staff.page(
            "apply with errors",
            reverse("exchanges:application-create", args=[world.program.slug]),
            data={"action": "submit"},
        ),
        staff.page("my applications", reverse("exchanges:application-list")),
        staff.page("application detail", world.staff_application.get_absolute_url()),
        staff.page("draft detail", draft.get_absolute_url()),
        staff.page("edit draft", reverse("exchanges:application-edit", args=[draft.pk])),
        staff.page("withdraw", reverse("exchanges:application-withdraw", args=[draft.pk])),
        staff.page("profile", reverse("profile")),
        staff.page("profile with errors", reverse("profile"), data={"year_of_study": "9"}),
        awaiting.page("profile awaiting confirmation", reverse("profile")),
        awaiting.page("program detail, profile lacking", world.program.get_absolute_url()),
        awaiting.page(
            "apply, profile lacking",
            reverse("exchanges:application-create", args=[world.program.slug]),
        ),
        staff.page("password change", reverse("password_change")),
        staff.page("password change refused", reverse("password_change"), data={"x": "y"}),
        staff.page("password changed", reverse("password_change_done")),
        staff.page("refused (403)", review, status=403),
        staff.page("not found (404)", "/no-such-page/", status=404),
        student.page("student dashboard", reverse("dashboard")),
        student.page("approved application", world.approved.get_absolute_url()),
        student.page(
            "mobility report", reverse("exchanges:mobility-report", args=[world.approved.pk])
        ),
        student.page(
            "mobility report with errors",
            reverse("exchanges:mobility-report", args=[world.approved.pk]),
            data={"activities": ""},
        ),
        coordinator.page("coordinator dashboard", reverse("dashboard")),
        coordinator.page("review queue", f"{review}?status=all&q=sasha"),
        coordinator.page("review queue, bad filter", f"{review}?status=nonsense"),
        coordinator.page(
            "review detail",
            reverse("exchanges:review-detail", args=[world.student_application.pk]),
        ),
        office.page("office dashboard", reverse("dashboard")),
        office.page("expiring agreements", f"{agreements}?status=expiring"),
        office.page("report index", f"{reverse('reports:index')}?period=academic"),
        office.page("annual report", report),
        office.page("annual report, academic", f"{report}?period=academic"),
        office.page("bad request (400)", f"{report}?period=nonsense", status=400),
        locked_out_page(language, settings),
        *one_time_link_pages(world, nobody),
        *two_factor_pages(office, language),
    ]
    # After the pages they change: each action and the page it leads to, with its message.
    pages += [
        staff.page(
            "draft submitted",
            reverse("exchanges:application-submit", args=[draft.pk]),
            data={},
        ),
        coordinator.page(
            "decision recorded",
            reverse("exchanges:review-detail", args=[world.student_application.pk]),
            data={"action": "approve", "comment": "Welcome."},
        ),
        staff.page(
            "application withdrawn",
            reverse("exchanges:application-withdraw", args=[world.staff_application.pk]),
            data={},
        ),
    ]
    return pages


def one_time_link_pages(world, nobody: Reader) -> list[Page]:
    """The forgotten-password pages and the invitation's, each link used as it is e-mailed."""
    invited = UserFactory(username="new.colleague", email="new@example.org")
    invited.set_unusable_password()
    invited.save()
    reset = one_time_link(world.staff, "password_reset_confirm", "")
    invitation = one_time_link(invited, "invitation_confirm", "")
    chosen = {"new_password1": "quiet-river-stones-2026", "new_password2": "x"}
    return [
        nobody.page("password reset", reverse("password_reset")),
        nobody.page("password reset sent", reverse("password_reset"), data={"email": "a@b.org"}),
        nobody.page("new password", reset, follow=True),
        nobody.page("new password refused", nobody.client.get(reset).url, data=chosen),
        nobody.page("dead link", reset.replace(reset.split("/")[-2], "0-0")),
        nobody.page("password reset done", reverse("password_reset_complete")),
        nobody.page("invitation", invitation, follow=True),
        nobody.page("dead invitation", invitation.replace(invitation.split("/")[-2], "0-0")),
    ]


def two_factor_pages(office: Reader, language: str) -> list[Page]:
    """Setting up the authenticator (the cast's office has none), then as a colleague who has."""
    setup, verify = reverse("two_factor:setup"), reverse("two_factor:verify")
    keeper = OfficeUserFactory(username=f"keeper-{language}")
    two_factor.enrol(user=keeper, secret=two_factor.new_secret(), step=0)
    colleague = Reader(language, keeper)
    return [
        office.page("two-factor setup", setup),
        office.page("two-factor setup, wrong code", setup, data={"code": "12"}),
        colleague.page("two-factor status", setup),
        colleague.page("two-factor code", verify),
        colleague.page("two-factor code, wrong", verify, data={"code": "abc"}),
        colleague.page("recovery codes, shown before", reverse("two_factor:recovery-codes")),
        colleague.page("new recovery codes", reverse("two_factor:new-recovery-codes"), data={}),
    ]


def locked_out_page(language: str, settings) -> Page:
    settings.AXES_ENABLED = True
    reader = Reader(language)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        reader.page("sign-in refused", reverse("login"), data={"username": "x", "password": "y"})
    login = reverse("login")
    page = reader.page("locked out", login, status=429, data={"username": "x", "password": "y"})
    settings.AXES_ENABLED = False
    return page


def admin_pages(world, language: str) -> list[Page]:
    office = Reader(language, world.office)
    pages = [office.page("admin index", reverse("admin:index"))]
    objects = {
        "partners.partner": world.partner,
        "partners.agreement": world.agreement,
        "exchanges.program": world.program,
        "exchanges.application": world.student_application,
        "exchanges.mobilityrecord": world.records[0],
        "partners.department": world.department,
        "partners.contact": world.partner.contacts.first(),
        "core.outgoingemail": OutgoingEmail.objects.first(),
        "auth.user": world.student,
        "people.profile": world.student.profile,
    }
    for model, obj in objects.items():
        prefix = "admin:" + model.replace(".", "_")
        pages.append(office.page(f"admin {model} list", reverse(f"{prefix}_changelist")))
        change = reverse(f"{prefix}_change", args=[obj.pk])
        pages.append(office.page(f"admin {model} change", change))
        if model not in ("core.outgoingemail", "auth.user", "people.profile"):  # not added by hand
            pages.append(office.page(f"admin {model} add", reverse(f"{prefix}_add")))
    pages.append(
        office.page(
            "admin agreement history",
            reverse("admin:partners_agreement_history", args=[world.agreement.pk]),
        )
    )
    return pages


def error_pages(language: str) -> list[Page]:
    request = RequestFactory().get("/", headers={"accept-language": language})
    with translation.override(language):
        html = server_error(request).content.decode()
    return [Page("server error (500)", "/", visible_text(html, language))]


def english_left(pages: list[Page], language: str, *, not_ours=()) -> list[str]:
    messages = EnglishMessages(language)
    found = []
    for page in pages:
        for segment in page.segments:
            message = messages.find(segment)
            if message is not None and segment not in not_ours:
                found.append(f"{page.label} ({page.path}): {segment!r} is the message {message}")
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_portal_page_shows_a_message_of_ours_in_english(portal, language, settings):
    pages = portal_pages(portal, language, settings) + error_pages(language)
    left = english_left(pages, language)
    assert not left, f"In {language}, messages left in English:\n" + "\n".join(left)


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_admin_page_the_office_uses_shows_a_message_of_ours_in_english(portal, language):
    # Not messages: Django's admin writes the search icon's alt text in English; the office
    # group's name is data (from its migration), shown in the accounts' filter.
    not_ours = {"Search", "International office"}
    left = english_left(admin_pages(portal, language), language, not_ours=not_ours)
    assert not left, f"In {language}, messages left in English:\n" + "\n".join(left)


def test_every_page_of_the_portal_is_read(portal, settings):
    """A new page is read by the tests above the day it is added, or named in NOT_PAGES."""
    read = {
        resolve(page.path.split("?")[0]).view_name
        for page in portal_pages(portal, "ru", settings)
        if page.path != "/no-such-page/"
    }
    names = {
        name
        for name in _url_names(get_resolver())
        if not name.startswith("admin:") and name not in NOT_PAGES
    }
    assert names - read == set(), "pages no test reads in Russian and Belarusian"


def _url_names(resolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


# --- e-mails and exports ---------------------------------------------------------------------


def email_pages(world, language: str) -> list[Page]:
    """Every e-mail the portal sends, to recipients who read `language`."""
    Profile.objects.update(language=language)
    # Fresh from the database: the people's profiles now hold the language.
    application = Application.objects.select_related("applicant__profile").get(
        pk=world.student_application.pk
    )
    agreement = Agreement.objects.select_related("coordinator__profile").get(pk=world.agreement.pk)
    rendered: list[str] = []
    template_rendered.connect(receiver := lambda template, **kwargs: rendered.append(template.name))
    try:
        with translation.override(language):
            emails.queue_submission_emails(application=application)
            for status in (Application.Status.APPROVED, Application.Status.REJECTED):
                application.status = status
                emails.queue_decision_email(application=application)
            queue_reminder(DueReminder(agreement, 30, 30, recipients_for(agreement)))
            invited = UserFactory(username="invited.colleague", email="invited@example.org")
            invited.set_unusable_password()
            invited.save()
            Profile.objects.filter(user=invited).update(language=language)
            invited.refresh_from_db()
            invite(person=invited, invited_by=world.office, base_url="http://testserver")
            send_password_reset.call(world.staff.email, "http://testserver")
    finally:
        template_rendered.disconnect(receiver)
    templates = {path.name for path in (Path(settings.BASE_DIR) / "templates/emails").iterdir()}
    assert {name.removeprefix("emails/") for name in rendered} >= templates, "an e-mail not sent"
    return [
        Page(f"e-mail {email.subject!r}", "", [subject_text(email.subject), *lines(email.body)])
        # The office's own address is no account: it reads the portal's language, English here.
        for email in OutgoingEmail.objects.exclude(
            recipients=settings.INTERNATIONAL_OFFICE_EMAIL
        ).order_by("pk")
        if email.subject != "Hello"
    ]


def subject_text(subject: str) -> str:
    return subject.removeprefix(f"[{settings.PORTAL_NAME}] ")


def lines(text: str) -> list[str]:
    return [collapse(line) for line in text.splitlines() if line.strip()]


def export_pages(world, language: str) -> list[Page]:
    """The report's downloads and the admin's exports: every cell, the header row first."""
    office = Reader(language, world.office).client
    year = timezone.localdate().year
    pages = []
    for name in ("reports:records-csv", "reports:summary-csv"):
        pages.append(csv_page(name, office.get(reverse(name, args=[year]))))
    workbook = office.get(reverse("reports:report-xlsx", args=[year]))
    pages.append(xlsx_page("reports:report-xlsx", workbook))
    pdf = office.get(reverse("reports:report-pdf", args=[year]))
    pages.append(pdf_page("reports:report-pdf", pdf))
    for model, action, selected in [
        ("partners_partner", "export_as_csv", world.partner.pk),
        ("exchanges_mobilityrecord", "export_records_csv_action", world.records[0].pk),
    ]:
        url = reverse(f"admin:{model}_changelist")
        response = office.post(url, {"action": action, "_selected_action": [selected]})
        pages.append(csv_page(f"admin {model} {action}", response))
    return pages


def csv_page(label: str, response) -> Page:
    assert response.status_code == 200, label
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return Page(label, "", [cell for row in csv.reader(io.StringIO(content)) for cell in row])


def pdf_page(label: str, response) -> Page:
    """The PDF's text blocks (poppler's word boxes): a table cell's wrapped lines are one."""
    assert response.status_code == 200, label
    boxes = subprocess.run(
        ["pdftotext", "-bbox-layout", "-", "-"],
        input=b"".join(response.streaming_content),
        capture_output=True,
        check=True,
    ).stdout
    xhtml = "{http://www.w3.org/1999/xhtml}"
    blocks = ElementTree.fromstring(boxes).iter(f"{xhtml}block")
    texts = [" ".join(word.text for word in block.iter(f"{xhtml}word")) for block in blocks]
    return Page(label, "", texts)


def xlsx_page(label: str, response) -> Page:
    assert response.status_code == 200, label
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    cells = [sheet.title for sheet in workbook.worksheets]
    for sheet in workbook.worksheets:
        cells += [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value]
    return Page(label, "", cells)


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_email_or_export_has_a_message_of_ours_in_english(portal, language):
    pages = email_pages(portal, language) + export_pages(portal, language)
    left = english_left(pages, language)
    assert not left, f"In {language}, messages left in English:\n" + "\n".join(left)


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_page_and_email_writes_dates_one_way(portal, language, settings):
    pages = (
        portal_pages(portal, language, settings)
        + admin_pages(portal, language)
        + email_pages(portal, language)
    )
    one_way = date_pattern(language)
    wrong = [
        f"{page.label} ({page.path}): {date!r} in {segment!r}"
        for page in pages
        for segment in page.segments
        for date in dates_in(segment)
        if not one_way.fullmatch(date)
    ]
    if language == "en":
        wrong += [
            f"{page.label} ({page.path}): month first in {segment!r}"
            for page in pages
            for segment in page.segments
            if MONTH_FIRST.search(segment)
        ]
    assert not wrong, f"Dates not written as {one_way.pattern!r}:\n" + "\n".join(wrong)
    assert any(dates_in(" ".join(page.segments)) for page in pages), "no date on any page?"
