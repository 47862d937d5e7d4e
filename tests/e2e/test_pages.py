"""Every page of the portal, as each role sees it, passes axe and the Nu HTML Checker.

`portal.visit()` checks each page (axe, any impact; CSP and script errors) and keeps its HTML;
the Nu HTML Checker runs over all of a test's pages when the test ends. Each test runs at
1366 px and at 390 px (the `viewport` fixture).
"""

import datetime
import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from exchanges.models import Application, MobilityRecord
from people.accounts import one_time_link
from tests.e2e.portal import sign_in, sign_out
from tests.factories import (
    AgreementDocumentFactory,
    AgreementFactory,
    ApplicationAttachmentFactory,
    ApplicationFactory,
    MobilityRecordFactory,
    PartnerFactory,
    ProgramFactory,
)

NEW_PASSWORD = "quiet-river-stones-2026"


def visit_pages_of_everyone(portal, world, role: str) -> None:
    """The pages every signed-in person reaches; each role sees them with its own links,
    columns and archived things, so each role's tour checks them again."""
    archived_partner = PartnerFactory(name="Old Partner University", is_active=False)
    archived_agreement = AgreementFactory(partner=archived_partner, is_archived=True)
    archived_program = ProgramFactory(
        agreement=world.agreement, department=world.department, is_archived=True
    )
    portal.visit(reverse("partners:partner-list"), label=f"{role}: partner list")
    portal.visit(world.partner.get_absolute_url(), label=f"{role}: partner detail")
    portal.visit(archived_partner.get_absolute_url(), label=f"{role}: archived partner")
    portal.visit(reverse("partners:agreement-list"), label=f"{role}: agreement list")
    portal.visit(world.agreement.get_absolute_url(), label=f"{role}: agreement detail")
    portal.visit(archived_agreement.get_absolute_url(), label=f"{role}: archived agreement")
    portal.visit(reverse("exchanges:program-list"), label=f"{role}: program list")
    portal.visit(world.program.get_absolute_url(), label=f"{role}: program detail")
    portal.visit(archived_program.get_absolute_url(), label=f"{role}: archived program")
    portal.visit(reverse("exchanges:application-list"), label=f"{role}: my applications")
    portal.visit(reverse("profile"), label=f"{role}: profile")
    portal.visit(reverse("password_change"), label=f"{role}: password change")


pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("viewport"),  # each test at 1366 px and at 390 px
]


def test_pages_of_a_staff_member_are_accessible_and_valid(portal, world):
    page = portal.page
    draft = ApplicationFactory(
        applicant=world.staff,
        program=ProgramFactory(
            agreement=world.agreement, department=world.department, title="Research stay"
        ),
        status=Application.Status.DRAFT,
        submitted_at=None,
    )
    ApplicationAttachmentFactory(application=draft)
    sign_in(page, world.staff)

    portal.visit(reverse("dashboard"), label="dashboard")
    partners = reverse("partners:partner-list")
    portal.visit(partners, label="partner list")
    portal.visit(f"{partners}?q=bial&country=PL&sort=country", label="partner list filtered")
    portal.visit(f"{partners}?country=XX&sort=nonsense&page=99", label="partner list bad filter")
    portal.visit(world.partner.get_absolute_url(), label="partner detail")
    agreements = reverse("partners:agreement-list")
    portal.visit(agreements, label="agreement list")
    portal.visit(f"{agreements}?status=active&country=KZ", label="agreement list filtered")
    portal.visit(
        f"{agreements}?expiring_within=0&department=999", label="agreement list bad filter"
    )
    portal.visit(world.agreement.get_absolute_url(), label="agreement detail")
    programs = reverse("exchanges:program-list")
    portal.visit(programs, label="program list")
    portal.visit(f"{programs}?call_open=yes&country=PL&q=clinical", label="program list filtered")
    portal.visit(world.program.get_absolute_url(), label="program detail")
    portal.visit(world.kz_program.get_absolute_url(), label="program detail, applied")

    portal.visit(reverse("exchanges:application-create", args=[world.program.slug]), label="apply")
    page.get_by_role("button", name="Submit").click()
    motivation = page.get_by_role("textbox", name="Motivation")
    expect(motivation).to_have_attribute("aria-invalid", "true")
    # check() also makes sure that each invalid field names its message in aria-describedby.
    expect(motivation).to_have_accessible_description(re.compile("This field is required"))
    portal.check("apply with errors")

    portal.visit(reverse("exchanges:application-list"), label="my applications")
    portal.visit(world.staff_application.get_absolute_url(), label="application detail")
    portal.visit(draft.get_absolute_url(), label="draft application detail")
    portal.visit(reverse("exchanges:application-edit", args=[draft.pk]), label="edit draft")
    portal.visit(reverse("exchanges:application-withdraw", args=[draft.pk]), label="withdraw")
    portal.visit(reverse("password_change"), label="password change")
    portal.visit(reverse("profile"), label="profile")
    visit_pages_of_everyone(portal, world, "staff")

    portal.visit(reverse("exchanges:review-list"), label="review refused", status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text("Access denied")
    portal.visit(reverse("reports:index"), label="reports refused", status=403)
    portal.visit(world.student_application.get_absolute_url(), label="not mine", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    portal.visit("/no-such-page/", label="no such page", status=404)


def test_pages_of_a_student_after_a_mobility_are_accessible_and_valid(portal, world):
    page = portal.page
    ended = timezone.localdate() - datetime.timedelta(days=10)
    application = ApplicationFactory(
        applicant=world.student,
        program=world.kz_program,
        status=Application.Status.APPROVED,
        decided_by=world.coordinator,
        decided_at=timezone.now(),
        decision_comment="Approved: enjoy Almaty.",
    )
    MobilityRecordFactory(
        full_name="Sasha Student",
        person=world.student,
        application=application,
        program=world.kz_program,
        partner=world.kz_partner,
        department=world.department,
        start_date=ended - datetime.timedelta(days=14),
        end_date=ended,
        status=MobilityRecord.Status.COMPLETED,
    )
    sign_in(page, world.student)
    portal.visit(reverse("dashboard"), label="student dashboard")
    portal.visit(application.get_absolute_url(), label="approved application")
    report = reverse("exchanges:mobility-report", args=[application.pk])
    portal.visit(report, label="mobility report form")
    page.get_by_role("button", name="Save the report").click()
    expect(page.locator(".invalid-feedback, .is-invalid").first).to_be_visible()
    portal.check("mobility report with errors")
    visit_pages_of_everyone(portal, world, "student")


def test_pages_of_a_coordinator_are_accessible_and_valid(portal, world):
    page = portal.page
    sign_in(page, world.coordinator)
    portal.visit(reverse("dashboard"), label="coordinator dashboard")
    review = reverse("exchanges:review-list")
    portal.visit(review, label="review queue")
    portal.visit(f"{review}?status=all&q=sasha", label="review queue filtered")
    portal.visit(f"{review}?status=nonsense", label="review queue bad filter")
    portal.visit(
        reverse("exchanges:review-detail", args=[world.student_application.pk]),
        label="review detail",
    )
    portal.visit(reverse("reports:index"), label="coordinator reports")
    year = timezone.localdate().year
    portal.visit(reverse("reports:detail", args=[year]), label="coordinator report")
    visit_pages_of_everyone(portal, world, "coordinator")


def test_pages_of_the_international_office_are_accessible_and_valid(portal, world):
    page = portal.page
    AgreementDocumentFactory(agreement=world.agreement, uploaded_by=world.office)
    world.agreement.valid_until = timezone.localdate() + datetime.timedelta(days=30)
    world.agreement.save()  # expiring soon: the dashboard lists it, the history shows a change
    sign_in(page, world.office)
    portal.visit(reverse("dashboard"), label="office dashboard")
    portal.visit(world.agreement.get_absolute_url(), label="agreement with documents and history")
    portal.visit(world.kz_partner.get_absolute_url(), label="partner detail, office")
    portal.visit(f"{reverse('partners:agreement-list')}?status=expiring", label="expiring")
    portal.visit(reverse("reports:index"), label="report index")
    portal.visit(f"{reverse('reports:index')}?period=academic", label="report index academic")
    year = timezone.localdate().year
    report = reverse("reports:detail", args=[year])
    portal.visit(report, label="annual report")
    portal.visit(
        f"{report}?period=academic&department={world.department.pk}",
        label="annual report academic, one department",
    )
    portal.visit(f"{reverse('exchanges:review-list')}?status=approved", label="office review queue")
    portal.visit(f"{report}?period=nonsense", label="bad request", status=400)
    visit_pages_of_everyone(portal, world, "office")


def test_sign_in_page_and_its_errors_are_accessible_and_valid(portal, world):
    page = portal.page
    portal.visit(reverse("login"), label="sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    sign_in(page, world.student, password="not-the-password", expect_to_leave=False)
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    portal.check("sign-in with errors")


def test_account_pages_are_accessible_and_valid(portal, world):
    """The pages around signing in that no role's tour above reaches: the e-mailed links, the
    password pages after saving, and the office's two-factor pages."""
    page = portal.page
    portal.visit(reverse("password_reset"), label="forgotten password")
    portal.visit(reverse("password_reset_done"), label="check your e-mail")
    portal.visit(one_time_link(world.student, "password_reset_confirm", ""), label="new password")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill("not-the-same-password")
    page.get_by_role("button", name="Save the password").click()
    portal.check("new password with errors")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the password").click()
    expect(page).to_have_url(reverse("password_reset_complete"))
    portal.check("password saved")
    invitation = one_time_link(world.staff, "invitation_confirm", "")
    portal.visit(invitation, label="choose your password")
    portal.visit(reverse("login"), label="sign-in, signed out")

    sign_in(page, world.office)
    portal.visit(reverse("password_change_done"), label="password changed")
    portal.visit(reverse("two_factor:setup"), label="two-factor setup")
    key = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    page.get_by_role("textbox", name="Code").fill(f"{totp(b32decode(key)):06d}")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    portal.check("recovery codes")
    portal.visit(reverse("two_factor:setup"), label="two-factor status")
    sign_out(page)
    sign_in(page, world.office)  # a new session, not verified yet
    portal.visit(reverse("two_factor:verify"), label="two-factor code")
