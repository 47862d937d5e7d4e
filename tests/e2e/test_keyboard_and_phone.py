"""Journeys 7 and 8: the portal with the keyboard alone, and on a phone-sized screen."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from exchanges.models import Application
from tests.e2e.portal import FOCUS_IS_VISIBLE, nav_link, sign_in, tab_to
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def press_enter_to_load_a_page(page: Page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_keyboard_alone_searches_filters_and_applies(portal, world):
    page = portal.page
    page.goto(reverse("login"))
    expect(page.get_by_label("Username")).to_be_focused()  # the sign-in form has autofocus
    page.keyboard.type(world.staff.username)
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    press_enter_to_load_a_page(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    tab_to(page, "nav a[href='/partners/']")
    press_enter_to_load_a_page(page)
    expect(page).to_have_url(re.compile(r"/partners/$"))
    # The first Tab stop is the skip link; it shows when focused and leads into the main content.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    assert page.evaluate(FOCUS_IS_VISIBLE)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(page, "input[name=q]")
    page.keyboard.type("bialy")
    press_enter_to_load_a_page(page)
    portal.check("catalogue searched by keyboard")
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name=world.partner.name)).to_be_visible()
    expect(results.get_by_role("link", name=world.kz_partner.name)).to_have_count(0)

    tab_to(page, "input[name=q]")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    tab_to(page, "select[name=country]")
    page.keyboard.type("Kaz")  # a closed select picks the option starting with what is typed
    expect(page.locator("select[name=country]")).to_have_value("KZ")
    tab_to(page, "form[role=search] button[type=submit]")
    press_enter_to_load_a_page(page)
    expect(page).to_have_url(re.compile(r"country=KZ"))
    portal.check("catalogue filtered by keyboard")
    expect(results.get_by_role("link", name=world.kz_partner.name)).to_be_visible()
    expect(results.get_by_role("link", name=world.partner.name)).to_have_count(0)

    tab_to(page, "nav a[href='/programs/']")
    press_enter_to_load_a_page(page)
    tab_to(page, f"main a[href='{world.program.get_absolute_url()}']")
    press_enter_to_load_a_page(page)
    tab_to(page, f"a[href='{reverse('exchanges:application-create', args=[world.program.slug])}']")
    press_enter_to_load_a_page(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Apply to")

    tab_to(page, "textarea[name=motivation]")
    page.keyboard.type("Typed without a mouse: I want to learn clinical teaching.")
    tab_to(page, "button[value=submit]")
    press_enter_to_load_a_page(page)
    expect(page.get_by_text("Your application was submitted.")).to_be_visible()
    portal.check("applied by keyboard")
    application = Application.objects.get(applicant=world.staff, program=world.program)
    assert application.status == Application.Status.SUBMITTED
    assert application.category == "academic_staff"  # from the staff member's profile


def assert_no_sideways_scroll(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, location.pathname]"
    )
    assert widths[0] <= widths[1], f"{widths[2]} scrolls sideways: {widths[0]} > {widths[1]}"


def test_phone_sized_screen_collapses_the_menu_and_never_scrolls_sideways(portal, world):
    page = portal.page
    page.set_viewport_size({"width": 390, "height": 844})
    portal.visit(reverse("login"), label="phone sign-in")
    assert_no_sideways_scroll(page)
    sign_in(page, world.office)

    toggler = page.get_by_role("button", name="Toggle navigation")
    expect(toggler).to_be_visible()
    expect(nav_link(page, "Partners")).to_be_hidden()
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    for name in ("Partners", "Programs", "Agreements", "Review", "Reports"):
        expect(nav_link(page, name)).to_be_visible()
    nav_link(page, "Partners").click()
    expect(page).to_have_url(re.compile(r"/partners/$"))
    expect(nav_link(page, "Partners")).to_be_hidden()  # the menu is closed again on a new page

    year = timezone.localdate().year
    pages = [
        reverse("dashboard"),
        reverse("partners:partner-list"),
        f"{reverse('partners:partner-list')}?country=KZ",
        world.partner.get_absolute_url(),
        reverse("partners:agreement-list"),
        world.agreement.get_absolute_url(),
        reverse("exchanges:program-list"),
        world.program.get_absolute_url(),
        reverse("exchanges:application-create", args=[world.program.slug]),
        reverse("exchanges:application-list"),
        reverse("exchanges:review-list"),
        reverse("exchanges:review-detail", args=[world.student_application.pk]),
        reverse("reports:index"),
        reverse("reports:detail", args=[year]),
    ]
    for path in pages:
        portal.visit(path, label=f"phone {path}")
        assert_no_sideways_scroll(page)
