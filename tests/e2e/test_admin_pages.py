"""The admin's change forms, the office's main tool, pass the portal's checks (issue 17).

Signed in as the office (the only role with the admin: is_staff follows the office group), each
change form with its inlines and autocomplete widgets goes through axe (no serious or critical
violation; Django's own markup has moderate ones) and the Nu HTML Checker, at 1366 px and 390 px.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.portal import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("viewport"),  # each test at 1366 px and at 390 px
]


def test_admin_change_forms_of_the_office_are_accessible_and_valid(portal, world):
    page = portal.page
    sign_in(page, world.office)
    forms = {
        "admin partner": reverse("admin:partners_partner_change", args=[world.partner.pk]),
        "admin agreement": reverse("admin:partners_agreement_change", args=[world.agreement.pk]),
        "admin program": reverse("admin:exchanges_program_change", args=[world.program.pk]),
        "admin mobility record": reverse(
            "admin:exchanges_mobilityrecord_change", args=[world.records[0].pk]
        ),
        "admin account": reverse("admin:auth_user_change", args=[world.coordinator.pk]),
        "admin add agreement": reverse("admin:partners_agreement_add"),
    }
    for label, path in forms.items():
        portal.visit(path, label=label, ours=False)


def test_admin_agreement_form_with_an_added_inline_row_and_an_open_autocomplete(portal, world):
    page = portal.page
    sign_in(page, world.office)
    page.goto(reverse("admin:partners_agreement_change", args=[world.agreement.pk]))
    page.get_by_role("button", name="Add another Document").click()
    portal.check("admin agreement, a document row added", ours=False)
    page.locator(".select2-selection").first.click()
    expect(page.locator(".select2-results")).to_be_visible()
    portal.check("admin agreement, autocomplete open", ours=False)
