"""The office manages an account in a real browser: creates it, gives it the coordinator role,
deactivates it; the invited person chooses a password and signs in."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from core.models import OutgoingEmail
from tests.e2e.portal import nav_link, sign_in, sign_out

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.translated,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_PASSWORD = "quiet-river-stones-2026"


def test_office_creates_invites_gives_a_role_and_deactivates_an_account(portal, world):
    page = portal.page
    sign_in(page, world.office)
    nav_link(page, "Administration").click()
    page.goto(reverse("admin:auth_user_add"))
    portal.check("admin add account", ours=False)
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Newcomer")
    page.get_by_label("Email address").fill("nadia@example.org")
    page.get_by_label("Language").select_option(label="Русский")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(
        "The invitation to choose a password was sent to nadia@example.org."
    )

    # The coordinator role: the department moves to the chosen side of the selector.
    page.locator("#id_coordinated_departments_from").select_option(label=world.department.name)
    page.locator("#id_coordinated_departments_add").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    nadia = get_user_model().objects.get(username="nadia")
    assert list(nadia.coordinated_departments.all()) == [world.department]
    assert not (nadia.is_staff or nadia.is_superuser)

    # The invited person chooses a password and signs in as a coordinator.
    link = re.search(r"http://[^/\s]+(/accounts/invitation/\S+/)", OutgoingEmail.objects.get().body)
    sign_out(page)
    page.goto(link.group(1))
    portal.check("choose your password")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the password").click()
    portal.check("password saved")
    page.get_by_role("link", name="Sign in").last.click()
    sign_in(page, nadia, NEW_PASSWORD)
    # She chose Russian on her account: the portal reads in it from her first sign-in.
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(nav_link(page, "Review", "ru")).to_be_visible()
    sign_out(page, "ru")

    # The office deactivates the account; the person can no longer sign in.
    sign_in(page, world.office)
    page.goto(reverse("admin:auth_user_change", args=[nadia.pk]))
    page.get_by_label("Active").uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    nadia.refresh_from_db()
    assert not nadia.is_active
    sign_out(page)
    sign_in(page, nadia, NEW_PASSWORD, expect_to_leave=False)
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()


def test_forgotten_password_page_answers_any_address(portal, world):
    page = portal.page
    page.goto(reverse("login"))
    page.get_by_role("link", name="Forgotten your password?").click()
    portal.check("forgotten password")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_role("button", name="Send the link").click()
    portal.check("check your e-mail")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
