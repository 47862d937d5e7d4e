"""A university's own look: favicon, page description, logo and colour (PRIMARY_COLOUR)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.test_settings import read_setting

pytestmark = pytest.mark.django_db


def test_every_page_links_the_svg_favicon_and_favicon_ico_redirects_to_it(client):
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"


def test_every_page_describes_the_portal_in_the_readers_language(client):
    page = client.get(reverse("login")).content.decode()
    assert (
        '<meta name="description" content="Academic Mobility Portal: partner institutions, '
        'cooperation agreements and academic mobility of Belarusian State Medical University">'
    ) in page

    russian = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    description = re.search(r'<meta name="description" content="([^"]*)">', russian).group(1)
    assert "партнёр" in description.lower() or "партнер" in description.lower()
    assert "partner institutions" not in description


def test_no_logo_unless_university_logo_is_set(client):
    assert "portal-logo" not in client.get(reverse("login")).content.decode()


def test_the_university_logo_sits_in_the_navbar_named_by_the_university(client, settings):
    settings.UNIVERSITY_LOGO = "img/logo.svg"
    page = client.get(reverse("login")).content.decode()
    assert (
        '<img src="/static/img/logo.svg" alt="Belarusian State Medical University" '
        'class="portal-logo">'
    ) in page

    settings.UNIVERSITY_LOGO = "https://cdn.example.org/logo.png"
    page = client.get(reverse("login")).content.decode()
    assert '<img src="https://cdn.example.org/logo.png" alt="Belarusian' in page


def test_the_primary_colour_is_the_pages_design_token_under_the_csp_nonce(client, settings):
    settings.PRIMARY_COLOUR = "#004d40"
    response = client.get(reverse("login"))
    page = response.content.decode()
    style = re.search(r'<style nonce="([^"]+)">([^<]*)</style>', page)
    assert style is not None
    assert "--portal-primary: #004d40;" in style.group(2)
    if "Content-Security-Policy" in response:
        assert f"'nonce-{style.group(1)}'" in response["Content-Security-Policy"]


def test_the_default_primary_colour_is_the_navbar_blue():
    assert settings.PRIMARY_COLOUR == "#0d6efd"


def test_the_default_colour_needs_no_inline_style(client):
    assert "<style" not in client.get(reverse("login")).content.decode()


def test_a_primary_colour_that_is_not_a_hex_colour_is_refused_at_start():
    assert "PRIMARY_COLOUR must be a CSS hex colour" in read_setting("1", PRIMARY_COLOUR="blue")


def test_a_primary_colour_white_text_is_hard_to_read_on_is_refused_at_start():
    message = read_setting("1", PRIMARY_COLOUR="#ffcc00")
    assert "PRIMARY_COLOUR #ffcc00 is too light" in message
    assert "4.5:1" in message


def test_a_dark_primary_colour_is_accepted():
    assert read_setting("s.PRIMARY_COLOUR", PRIMARY_COLOUR="#004d40") == "#004d40"


def test_an_https_logo_is_allowed_by_the_csp_for_images_from_its_server_only():
    img_src = read_setting(
        "' '.join(s.SECURE_CSP['img-src'])", UNIVERSITY_LOGO="https://cdn.example.org/logo.png"
    )
    assert img_src.endswith("https://cdn.example.org")
