"""The person's menu: profile, two-factor for the office, password and sign out behind one
button, so that the navbar stays on one line at 1200 px and above (issue 17)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.portal import person_menu, sign_in, tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAVBAR_ROWS = """() => new Set([...document.querySelectorAll('nav.navbar .navbar-brand, '
  + 'nav.navbar .nav-item, nav.navbar .language-switcher')]
  .map(el => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2)))
  .size"""


@pytest.mark.parametrize("width", [1200, 1366])
def test_the_office_navbar_stays_on_one_line(portal, world, width):
    page = portal.page
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, world.office)
    assert page.evaluate(NAVBAR_ROWS) == 1


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
