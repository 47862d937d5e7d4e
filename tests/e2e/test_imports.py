"""The office brings partners in from a spreadsheet in the admin, in a real browser (issue 15)."""

import openpyxl
import pytest
from playwright.sync_api import expect

from partners.models import Partner
from tests.e2e.portal import nav_link, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def upload_and_preview(page, path):
    page.get_by_label("Format").select_option(label="xlsx")
    page.get_by_label("File to import").set_input_files(path)
    page.get_by_role("button", name="Submit").click()


def test_office_exports_partners_adds_rows_and_imports_them_twice(portal, world, tmp_path):
    page = portal.page
    sign_in(page, world.office)
    nav_link(page, "Administration").click()
    page.get_by_role("link", name="Partner institutions").click()
    page.get_by_role("link", name="Export", exact=True).click()
    page.get_by_label("Format").select_option(label="xlsx")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Submit").click()
    path = tmp_path / "partners.xlsx"
    download_info.value.save_as(path)

    book = openpyxl.load_workbook(path)
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    before = Partner.objects.count()
    for values in (
        {
            "name": "Belarusian State University",
            "name_original": "Белорусский государственный университет",
            "kind": "University",
            "country": "Беларусь",
        },  # noqa: E501
        {
            "name": "Jagiellonian University",
            "name_original": "Uniwersytet Jagielloński",
            "kind": "university",
            "country": "Poland",
        },  # noqa: E501
        {"name": "Nowhere University", "kind": "university", "country": "Polnad"},
    ):
        sheet.append([values.get(header, "") for header in headers])
    book.save(path)

    page.get_by_role("link", name="Partner institutions").first.click()
    page.get_by_role("link", name="Import", exact=True).click()
    upload_and_preview(page, path)
    expect(page.locator("body")).to_contain_text("Unknown country “Polnad”")
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    assert Partner.objects.count() == before

    sheet.delete_rows(sheet.max_row)
    book.save(path)
    page.goto(page.url)
    upload_and_preview(page, path)
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist")).to_contain_text("Import finished")
    assert Partner.objects.count() == before + 2

    page.get_by_role("link", name="Import", exact=True).click()
    upload_and_preview(page, path)
    expect(page.locator("body")).to_contain_text("Skipped")
    page.get_by_role("button", name="Confirm import").click()
    assert Partner.objects.count() == before + 2
