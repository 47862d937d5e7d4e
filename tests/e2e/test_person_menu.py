"""The person's menu: profile, two-factor for the office, password and sign out behind one
button, so that the navbar stays on one line at 1200 px and above (issue 17)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.portal import person_menu, sign_in, tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The rows the navbar's visible entries sit on (the person's menu, closed, hides its items).
NAVBAR_ROWS = """() => new Set([...document.querySelectorAll('nav.navbar .navbar-brand, '
  + 'nav.navbar .navbar-nav > .nav-item, nav.navbar .language-switcher')]
  .filter(el => el.getClientRects().length)
  .map(el => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2)))
  .size"""
SCROLLS_SIDEWAYS = (
    "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
)


@pytest.mark.parametrize("language", ["en", "ru", "be"])
@pytest.mark.parametrize("width", [1200, 1366])
def test_the_office_navbar_stays_on_one_line_in_every_language(portal, world, width, language):
    page = portal.page
    page.set_viewport_size({"width": width, "height": 800})
    world.office.profile.language = language
    world.office.profile.save()
    sign_in(page, world.office)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert page.evaluate(NAVBAR_ROWS) == 1
    assert not page.evaluate(SCROLLS_SIDEWAYS)


def test_a_signed_in_person_switches_language_in_their_menu(portal, world):
    page = portal.page
    sign_in(page, world.staff)
    expect(page.locator("#language-switcher-select")).to_be_hidden()
    person_menu(page).click()
    page.locator("#language-switcher-select").select_option("be")
    page.locator(".language-switcher button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "be")
    world.staff.profile.refresh_from_db()
    assert world.staff.profile.language == "be"


def test_the_person_menu_works_with_the_keyboard(portal, world):
    page = portal.page
    sign_in(page, world.office)
    tab_to(page, "#person-menu")
    page.keyboard.press("Enter")
    expect(person_menu(page)).to_have_attribute("aria-expanded", "true")
    menu = page.locator(".dropdown-menu")
    for name in ("My profile", "Two-factor sign-in", "Change password"):
        expect(menu.get_by_role("link", name=name)).to_be_visible()
    expect(menu.get_by_role("button", name="Sign out")).to_be_visible()
    portal.check("person menu open")
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("link", name="My profile")).to_be_focused()
    page.keyboard.press("Escape")
    expect(person_menu(page)).to_have_attribute("aria-expanded", "false")
    expect(person_menu(page)).to_be_focused()

    person_menu(page).click()
    menu.get_by_role("link", name="Change password").click()
    expect(page).to_have_url(re.compile(r"/password"))
