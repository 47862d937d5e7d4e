"""Sign-in, and what an anonymous visitor or a stranger sees (journey 6)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.portal import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_sign_in_page_and_its_errors_are_accessible_and_valid(portal, world):
    page = portal.page
    portal.visit(reverse("login"), label="sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    sign_in(page, world.student, password="not-the-password", expect_to_leave=False)
    expect(page.get_by_role("alert").or_(page.locator(".alert-danger")).first).to_be_visible()
    portal.check("sign-in with errors")
