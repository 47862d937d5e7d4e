"""A journey in Russian: the switcher with the keyboard, signed out; the portal in Russian after
signing in; the choice still there after signing out and in again.

The Russian the page must show is taken from our catalogue (gettext in Russian), so the test
follows the translations; each must differ from the English, or there is nothing to see.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.e2e.portal import person_menu, tab_to
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def russian(message: str) -> str:
    with translation.override("ru"):
        text = translation.gettext(message)
    assert text != message, f"our catalogue has no Russian for {message!r}"
    return text


def sign_in_in_russian(page: Page, user) -> None:
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=russian("Sign in"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        russian("Welcome, %(name)s").split("%(name)s")[0].strip()
    )


def main_navigation(page: Page):
    return page.get_by_role("navigation", name=russian("Main navigation"))


def test_a_visitor_switches_to_russian_with_the_keyboard_and_keeps_it(portal, world):
    page = portal.page
    world.partner.name_ru = "Медицинский университет в Белостоке"
    world.partner.save()
    world.program.title_ru = "Клиническая практика в Белостоке"
    world.program.save()

    page.goto(reverse("login"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    tab_to(page, "#language-switcher-select")
    page.keyboard.press("ArrowDown")  # English, then Русский
    expect(page.locator("#language-switcher-select")).to_have_value("ru")
    tab_to(page, ".language-switcher button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text(russian("Sign in"))
    expect(page.get_by_role("combobox", name=russian("Language"))).to_have_value("ru")
    portal.check("sign-in in Russian, with the switcher")

    sign_in_in_russian(page, world.staff)
    portal.check("dashboard in Russian")
    main_navigation(page).get_by_role("link", name=russian("Partners"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(russian("Partner institutions"))
    expect(page.get_by_role("link", name=world.partner.name_ru)).to_be_visible()
    portal.check("partners in Russian")

    main_navigation(page).get_by_role("link", name=russian("Programs"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(russian("Exchange programs"))
    page.get_by_role("link", name=world.program.title_ru).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.program.title_ru)
    expect(page.get_by_text(russian("Host institution"), exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=world.partner.name_ru)).to_be_visible()
    portal.check("program in Russian")

    person_menu(page).click()
    page.get_by_role("button", name=russian("Sign out")).click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text(russian("Sign in"))
    sign_in_in_russian(page, world.staff)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    portal.check("dashboard in Russian, signed in again")
