"""The page checks themselves: a moderate axe violation fails a page of ours, and only serious
or critical ones fail an admin page (Django's markup), so a green suite means what it says."""

import pytest

from tests.e2e.portal import Portal

# The live server the browser fixtures start needs the database; the same mark as every other
# browser test keeps the serialized rollback of the next test working.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Two navigation landmarks of one name: axe's landmark-unique, of moderate impact.
TWO_NAVIGATIONS_OF_ONE_NAME = """<!doctype html>
<html lang="en"><head><title>Checks</title></head>
<body><nav aria-label="Pages"><a href="#main">One</a></nav>
<nav aria-label="Pages"><a href="#main">Two</a></nav>
<main id="main"><h1>Checks</h1></main></body></html>"""

# An image without a text alternative: axe's image-alt, of critical impact.
IMAGE_WITHOUT_TEXT = """<!doctype html>
<html lang="en"><head><title>Checks</title></head>
<body><main id="main"><h1>Checks</h1><img src="data:,"></main></body></html>"""


def test_a_moderate_violation_fails_our_page_and_not_an_admin_page(page, tmp_path):
    checked = Portal(page, tmp_path)
    page.set_content(TWO_NAVIGATIONS_OF_ONE_NAME)
    with pytest.raises(AssertionError, match=r"\[moderate\] landmark-unique"):
        checked.assert_accessible("ours")
    checked.assert_accessible("admin", ours=False)


def test_a_critical_violation_fails_an_admin_page(page, tmp_path):
    checked = Portal(page, tmp_path)
    page.set_content(IMAGE_WITHOUT_TEXT)
    with pytest.raises(AssertionError, match=r"\[critical\] image-alt"):
        checked.assert_accessible("admin", ours=False)
