"""After a failed submit the errors are read out first: focus is on the error summary (issue 17)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.portal import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_failed_sign_in_puts_the_focus_on_the_error_summary(portal, world):
    page = portal.page
    sign_in(page, world.student, "not the password", expect_to_leave=False)
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Please enter a correct username and password")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    portal.check("sign-in with errors")


def test_failed_apply_puts_the_focus_on_the_summary_whose_link_leads_to_the_field(portal, world):
    page = portal.page
    sign_in(page, world.staff)
    page.goto(reverse("exchanges:application-create", args=[world.program.slug]))
    page.get_by_role("button", name="Submit").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Apply"))
    portal.check("apply with errors")
    summary.get_by_role("link", name=re.compile("^Motivation")).click()
    expect(page.get_by_role("textbox", name="Motivation")).to_be_focused()
