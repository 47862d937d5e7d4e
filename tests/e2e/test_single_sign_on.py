"""Single sign-on in the browser, through a real OpenID provider on loopback.

The provider (tests/oidc_provider: npm's certified oidc-provider) has its own sign-in page,
which Chromium fills in as a person would; the portal is pytest-django's live server.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from core.roles import is_international_office
from people.models import ExternalIdentity, Profile
from tests.e2e.portal import nav_link, person_menu, sign_out
from tests.factories import UserFactory
from tests.oidc_provider import ACCOUNTS, configure_portal, start_provider

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
User = get_user_model()
BUTTON = "Sign in with Test University"


@pytest.fixture(scope="session")
def live_provider(live_server, tmp_path_factory):
    callback = live_server.url + reverse("oidc:callback")
    provider = start_provider(tmp_path_factory.mktemp("oidc-e2e"), [callback])
    yield provider
    provider.stop()


@pytest.fixture
def provider(live_provider, settings):
    live_provider.reset_accounts()
    configure_portal(settings, live_provider)
    return live_provider


def sign_on(portal, provider, login: str) -> None:
    """From the portal's sign-in page through the provider's own sign-in form."""
    page = portal.page
    portal.visit(reverse("login"), label="sign-in page with single sign-on")
    page.get_by_role("link", name=BUTTON).click()
    expect(page).to_have_url(re.compile("^" + re.escape(provider.issuer) + "/interaction/"))
    page.get_by_label("University username").fill(login)
    page.get_by_label("University password").fill(ACCOUNTS[login]["password"])
    page.get_by_role("button", name="Continue").click()


def test_a_person_signs_in_through_the_university_provider(portal, provider, live_server):
    page = portal.page
    sign_on(portal, provider, "ada")

    expect(page).to_have_url(live_server.url + reverse("dashboard"))
    portal.check("dashboard after the first single sign-on")
    expect(person_menu(page)).to_have_text("Ada Lovelace")
    expect(nav_link(page, "Administration")).to_have_count(0)
    ada = User.objects.get(username="ada")
    assert ada.email == "ada.lovelace@university.test"
    assert Profile.objects.filter(user=ada).exists()
    assert ExternalIdentity.objects.get(user=ada).subject == ACCOUNTS["ada"]["sub"]

    # Again: the provider still knows the browser and sends it straight back, to the same account.
    sign_out(page)
    page.get_by_role("link", name=BUTTON).click()
    expect(page).to_have_url(live_server.url + reverse("dashboard"))
    expect(person_menu(page)).to_have_text("Ada Lovelace")
    assert User.objects.count() == 1
    assert ExternalIdentity.objects.count() == 1


def test_a_deactivated_person_is_refused_after_the_provider_lets_them_in(portal, provider):
    UserFactory(username="ada", email="ada.lovelace@university.test", is_active=False)
    page = portal.page
    sign_on(portal, provider, "ada")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_have_text(
        "Your account is deactivated. Ask the international office to reopen it."
    )
    portal.check("sign-in page, deactivated person refused")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_the_office_group_of_the_provider_makes_someone_office_staff(portal, provider):
    page = portal.page
    sign_on(portal, provider, "olga")

    expect(person_menu(page)).to_have_text("Olga Ivanova")
    assert is_international_office(User.objects.get(username="olga"))
    nav_link(page, "Administration").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    portal.check("admin of an office member signed in by single sign-on", ours=False)
