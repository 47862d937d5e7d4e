"""The main journeys through the portal, in a real browser, asserting what a person sees.

Every page a journey passes is checked too (axe, CSP and script errors, Nu HTML Checker).
"""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from exchanges.models import Application, MobilityRecord
from partners.models import AgreementDocument
from tests.e2e.portal import nav_link, sign_in, sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_member_finds_a_partner_in_the_catalogue(portal, world):
    page = portal.page
    sign_in(page, world.staff)
    nav_link(page, "Partners").click()
    portal.check("catalogue")
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name=world.kz_partner.name)).to_be_visible()

    page.get_by_role("textbox", name="Search").fill("bialy")
    page.get_by_role("button", name="Apply").click()
    portal.check("catalogue searched")
    expect(table.get_by_role("link", name=world.partner.name)).to_be_visible()
    expect(table.get_by_role("link", name=world.kz_partner.name)).to_have_count(0)

    page.get_by_role("textbox", name="Search").fill("")
    page.get_by_label("Country").select_option(label="Kazakhstan")
    page.get_by_role("button", name="Apply").click()
    portal.check("catalogue by country")
    expect(page).to_have_url(re.compile(r"country=KZ"))
    expect(table.get_by_role("link", name=world.kz_partner.name)).to_be_visible()
    expect(table.get_by_role("link", name=world.partner.name)).to_have_count(0)

    page.get_by_role("link", name=world.kz_partner.name).click()
    portal.check("partner page")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.kz_partner.name)
    agreements = page.locator("section", has=page.get_by_role("heading", name="Agreements"))
    expect(agreements.get_by_role("link", name=world.kz_agreement.reference)).to_be_visible()
    mobility = page.locator("section", has=page.get_by_role("heading", name="Mobility by year"))
    row = mobility.get_by_role("row", name=str(world.records[2].start_date.year))
    # One incoming PhD student from Almaty: outgoing 0, incoming 1, total 1.
    expect(row.get_by_role("cell")).to_have_text(["0", "1", "1"])


def test_staff_member_applies_to_an_open_program_once(portal, world):
    page = portal.page
    sign_in(page, world.staff)
    nav_link(page, "Programs").click()
    portal.check("programs")
    page.get_by_role("link", name=world.program.title).click()
    portal.check("program")
    page.get_by_role("link", name="Apply", exact=True).click()
    portal.check("application form")

    # Who the applicant is comes from their profile: the form does not ask.
    expect(page.get_by_label("I apply as")).to_have_count(0)
    page.get_by_label("My department").select_option(label=world.department.name)
    page.get_by_label("Motivation").fill("I would like to learn how Bialystok trains residents.")
    page.get_by_role("button", name="Submit", exact=True).click()
    portal.check("application submitted")
    expect(
        page.get_by_role("status").filter(has_text="Your application was submitted.")
    ).to_be_visible()

    nav_link(page, "My applications").click()
    portal.check("my applications")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=world.program.title))
    expect(row).to_contain_text("Submitted")

    # A second try at the same program, straight to the form's address, is refused.
    page.goto(reverse("exchanges:application-create", args=[world.program.slug]))
    portal.check("second application refused")
    expect(page.get_by_text("You already have an application to this program.")).to_be_visible()
    assert Application.objects.filter(applicant=world.staff, program=world.program).count() == 1
    assert Application.objects.get(applicant=world.staff, program=world.program).category == (
        "academic_staff"
    )


def test_coordinator_approves_an_application_from_the_review_queue(portal, world):
    page = portal.page
    application = world.student_application
    sign_in(page, world.coordinator)
    nav_link(page, "Review").click()
    portal.check("review queue")
    page.get_by_role("link", name=world.student.get_full_name()).click()
    portal.check("review detail")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.program.title)

    page.get_by_label("Comment").fill("Welcome aboard: bring your vaccination record.")
    page.get_by_role("button", name="Approve").click()
    portal.check("decision recorded")
    expect(
        page.get_by_text("The decision was recorded and the applicant informed.")
    ).to_be_visible()

    sign_out(page)
    sign_in(page, world.student)
    page.goto(application.get_absolute_url())
    portal.check("applicant sees approval")
    expect(page.locator(".badge").first).to_have_text("Approved")
    expect(page.get_by_text("Welcome aboard: bring your vaccination record.")).to_be_visible()
    record = MobilityRecord.objects.get(application=application)
    assert record.person == world.student
    assert record.program == world.program
    assert record.partner == world.partner


def test_office_downloads_the_annual_report_that_matches_the_page(portal, world, tmp_path):
    page = portal.page
    year = timezone.localdate().year
    sign_in(page, world.office)
    nav_link(page, "Reports").click()
    portal.check("report index")
    page.get_by_role("link", name=str(year), exact=True).first.click()
    portal.check("annual report")
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    brief = page.locator("section", has=page.get_by_role("heading", name="In brief"))
    participants = brief.locator("dt:has-text('Participants') + dd")
    expect(participants).to_contain_text("3 (2 outgoing, 1 incoming)")
    person_days = int(brief.locator("dt:has-text('Person-days') + dd").inner_text().split()[0])
    assert person_days == sum(record.duration_days for record in world.records)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Records (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == f"mobility-records-{year}.csv"
    rows = list(csv.reader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["Year", "Direction", "Category", "Full name"]
    assert len(rows) - 1 == 3
    assert sorted(row[3] for row in rows[1:]) == sorted(r.full_name for r in world.records)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Workbook (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == f"mobility-report-{year}.xlsx"
    workbook_path = tmp_path / download.suggested_filename  # openpyxl goes by the extension
    download.save_as(workbook_path)
    workbook = openpyxl.load_workbook(workbook_path, read_only=True)
    records = list(workbook["Records"].iter_rows(values_only=True))
    assert list(records[0]) == rows[0]
    assert len(records) - 1 == 3
    days = records[0].index("Days")
    assert sum(row[days] for row in records[1:]) == person_days


def test_office_admin_changes_an_agreement_and_sees_it_in_the_history(portal, world):
    page = portal.page
    agreement = world.agreement
    new_end = datetime.date(timezone.localdate().year + 5, 6, 30)
    sign_in(page, world.office)
    nav_link(page, "Administration").click()
    portal.check("admin index", ours=False)
    page.get_by_role("link", name="Cooperation agreements").click()
    page.get_by_role("link", name=agreement.reference).click()
    expect(page.get_by_role("heading", name="Change cooperation agreement")).to_be_visible()
    portal.check("admin agreement", ours=False)

    page.locator("#id_valid_until").fill(new_end.isoformat())
    page.get_by_role("button", name="Add another Document").click()
    page.locator("#id_documents-0-kind").select_option(label="Amendment or renewal")
    page.locator("#id_documents-0-title").fill("Renewal until " + new_end.isoformat())
    page.locator("#id_documents-0-file").set_input_files(
        files=[
            {"name": "renewal.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
        ]
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")

    portal.check("admin agreement list", ours=False)
    page.get_by_role("link", name=agreement.reference, exact=True).click()
    page.get_by_role("link", name="History").click()
    portal.check("admin history", ours=False)
    history = page.locator("#change-history")
    change = history.get_by_role("listitem").filter(has_text="Valid until")
    expect(change).to_contain_text(f"→ {new_end.isoformat()}")
    expect(history).to_contain_text(world.office.username)

    agreement.refresh_from_db()
    assert agreement.valid_until == new_end
    document = AgreementDocument.objects.get(agreement=agreement)
    assert document.original_name == "renewal.pdf"
    assert document.uploaded_by == world.office

    # The portal's own agreement page shows the new date and the document.
    page.goto(agreement.get_absolute_url())
    portal.check("agreement after admin change")
    expect(page.get_by_role("link", name="Renewal until")).to_be_visible()


def test_strangers_application_is_not_found_and_sign_in_returns_to_the_page(portal, world):
    page = portal.page
    sign_in(page, world.student)
    portal.visit(world.staff_application.get_absolute_url(), label="not mine", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text(world.staff_application.motivation)).to_have_count(0)
    sign_out(page)

    wanted = world.program.get_absolute_url()
    page.goto(wanted)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=" + re.escape(wanted)))
    portal.check("sign-in asked")
    sign_in(page, world.staff)
    expect(page).to_have_url(re.compile(re.escape(wanted) + "$"))
    portal.check("back on the page asked for")
    expect(page.get_by_role("heading", level=1)).to_have_text(world.program.title)
