"""Lists that work on every screen (issue 17): every key column in view at 1366 px, cards at
390 px with each row's name and status, the filters behind a "Filters" toggle on phones."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from partners.models import Agreement
from tests.e2e.portal import sign_in, tab_to
from tests.factories import AgreementFactory, DepartmentFactory, PartnerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
HINT = "Scroll sideways to see more columns"

# Each row of each list table: is its name, and its status where the list has one, on screen?
ROWS_IN_VIEW = """() => [...document.querySelectorAll('table.list-table > tbody > tr')].map(row => {
  const inView = (el) => {
    if (!el || !el.checkVisibility()) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= innerWidth;
  };
  const status = row.querySelector('.list-status');
  return {
    name: row.querySelector('th').textContent.trim(),
    nameInView: inView(row.querySelector('th a') || row.querySelector('th')),
    status: status ? status.textContent.trim() : null,
    statusInView: status ? inView(status) : null,
  };
})"""

SCROLLS_SIDEWAYS = (
    "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
)


def _long_agreement(world) -> Agreement:
    """An agreement whose every column is as wide as real ones get."""
    partner = PartnerFactory(
        name="Institute of Antimicrobial Chemotherapy, Smolensk State Medical Academy",
        country="RU",
    )
    return AgreementFactory(
        partner=partner,
        reference="BSMU-SSMA-IAC-2024-AMENDMENT",
        title="Agreement on joint research into antimicrobial resistance and clinical training",
        department=DepartmentFactory(name="Department of Cardiology and Internal Diseases"),
    )


def _header_in_view(page: Page, name: str, width: int) -> None:
    header = page.get_by_role("columnheader", name=name, exact=True)
    expect(header).to_be_visible()
    box = header.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{name} is off-screen: {box}"


def test_at_1366_px_the_agreement_list_shows_every_key_column_without_scrolling(portal, world):
    page = portal.page
    page.set_viewport_size(WIDE)
    agreement = _long_agreement(world)
    sign_in(page, world.office)
    portal.visit(reverse("partners:agreement-list"), label="agreement list at 1366 px")

    for name in ("Reference", "Partner", "Status", "Valid until", "Days to expiry", "Department"):
        _header_in_view(page, name, WIDE["width"])
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=agreement.reference))
    department = row.get_by_role("cell", name=agreement.department.name)
    box = department.bounding_box()
    assert box["x"] + box["width"] <= WIDE["width"], box
    region = page.get_by_role("region", name="Cooperation agreements")
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
    expect(page.get_by_text(HINT)).to_be_hidden()  # nothing to scroll, nothing to say
    assert not page.evaluate(SCROLLS_SIDEWAYS)
    # On a wide screen the filters simply show; the toggle is for phones.
    expect(page.get_by_role("button", name="Filters")).to_be_hidden()
    expect(page.get_by_role("search").get_by_label("Search")).to_be_visible()


def test_where_a_table_must_scroll_its_region_says_so_and_scrolls_with_the_keyboard(portal, world):
    page = portal.page
    page.set_viewport_size({"width": 800, "height": 900})
    _long_agreement(world)
    sign_in(page, world.office)
    portal.visit(reverse("partners:agreement-list"), label="agreement list at 800 px")

    region = page.get_by_role("region", name="Cooperation agreements")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    expect(page.get_by_text(HINT)).to_be_visible()
    assert not page.evaluate(SCROLLS_SIDEWAYS)  # the region scrolls, not the page
    tab_to(page, ".table-scroll")
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-scroll').scrollLeft > 0")


def test_at_390_px_no_list_scrolls_sideways_and_each_row_shows_its_name_and_status(portal, world):
    page = portal.page
    page.set_viewport_size(PHONE)
    _long_agreement(world)
    sign_in(page, world.coordinator)
    lists = {
        reverse("partners:partner-list"): True,
        reverse("partners:agreement-list"): True,
        reverse("exchanges:program-list"): True,
        f"{reverse('exchanges:review-list')}?status=all": True,
        reverse("dashboard"): False,  # its lists have no status: what waits, what is open
        reverse("reports:index"): False,
        world.partner.get_absolute_url(): True,
    }
    for path, has_status in lists.items():
        portal.visit(path, label=f"phone list {path}")
        assert not page.evaluate(SCROLLS_SIDEWAYS), f"{path} scrolls sideways at 390 px"
        rows = page.evaluate(ROWS_IN_VIEW)
        assert rows, f"{path}: no rows"
        for row in rows:
            assert row["nameInView"], f"{path}: {row}"
            if has_status:
                assert row["status"] and row["statusInView"], f"{path}: {row}"
        expect(page.get_by_text(HINT)).to_have_count(page.locator(".table-scroll").count())
        expect(page.get_by_text(HINT).first).to_be_hidden()

    sign_in_as_applicant = world.staff
    page.context.clear_cookies()
    sign_in(page, sign_in_as_applicant)
    portal.visit(reverse("exchanges:application-list"), label="phone my applications")
    assert not page.evaluate(SCROLLS_SIDEWAYS)
    rows = page.evaluate(ROWS_IN_VIEW)
    assert rows and all(row["nameInView"] and row["statusInView"] for row in rows), rows


def test_at_390_px_the_results_come_first_and_the_filters_open_and_close_by_keyboard(portal, world):
    page = portal.page
    page.set_viewport_size(PHONE)
    sign_in(page, world.staff)
    portal.visit(reverse("partners:agreement-list"), label="phone agreements, filters closed")

    toggle = page.get_by_role("button", name="Filters")
    search = page.get_by_role("search", name="Search and filter agreements")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "filters")
    expect(search).to_be_hidden()
    first_row = page.locator("table.list-table tbody tr").first
    assert first_row.bounding_box()["y"] < PHONE["height"] / 2  # results on the first screen

    tab_to(page, ".filter-toggle")
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(search).to_be_visible()
    expect(page.locator("#filters")).to_have_class(re.compile(r"\bshow\b"))
    portal.check("phone agreements, filters open")
    # From the toggle, the next Tab is the first filter; the form works as on a wide screen.
    page.keyboard.press("Tab")
    expect(search.get_by_label("Search")).to_be_focused()
    page.keyboard.type("KAZNMU")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=KAZNMU"))
    expect(page.get_by_role("link", name=world.kz_agreement.reference)).to_be_visible()
    expect(page.get_by_role("link", name=world.agreement.reference)).to_have_count(0)

    # Filters closed again on the new page; open and close them with Space this time.
    expect(search).to_be_hidden()
    tab_to(page, ".filter-toggle")
    page.keyboard.press("Space")
    expect(search).to_be_visible()
    # Bootstrap ignores a toggle while the panel is still sliding open.
    expect(page.locator("#filters")).to_have_class(re.compile(r"\bcollapse\b.*\bshow\b"))
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(search).to_be_hidden()
    portal.check("phone agreements, filtered, filters closed")
