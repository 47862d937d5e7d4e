"""The office sets up two-factor sign-in in a real browser, then signs in with a code.

REQUIRE_2FA_FOR_OFFICE on, as in production: the first sign-in with a password leads to the
authenticator's setup (the key typed by hand, as a person without a camera would), then the
recovery codes; the next sign-in asks for a code, and a recovery code opens the admin once.
"""

import re
from base64 import b32decode
from binascii import hexlify

import pytest
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.e2e.portal import nav_link, person_menu, sign_in, sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_office_sets_up_two_factor_and_signs_in_with_a_code(portal, world, settings):
    settings.REQUIRE_2FA_FOR_OFFICE = True
    page = portal.page
    sign_in(page, world.office)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next="))
    portal.check("two-factor setup")
    expect(page.locator("figure svg")).to_be_visible()

    # The key typed into an authenticator app, and the code it then shows.
    key = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    code = f"{totp(b32decode(key)):06d}"
    page.get_by_role("textbox", name="Code").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("This code is not right")
    portal.check("two-factor setup, wrong code")
    page.get_by_role("textbox", name="Code").fill(code)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    portal.check("recovery codes")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept them, continue").click()
    expect(page).to_have_url(re.compile(r"/$"))
    person_menu(page).click()
    expect(nav_link(page, "Two-factor sign-in")).to_be_visible()
    sign_out(page)

    # The next sign-in asks for a code before any page, the admin included.
    sign_in(page, world.office)
    page.goto(reverse("admin:index"))
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/\?next=/admin/"))
    portal.check("two-factor code")
    page.get_by_role("textbox", name="Code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#site-name")).to_be_visible()
    assert hexlify(b32decode(key)).decode() == world.office.totpdevice_set.get().key

    # The recovery code worked once.
    sign_out(page)
    sign_in(page, world.office)
    page.get_by_role("textbox", name="Code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("This code is not right")
    page.goto(reverse("admin:index"))
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
