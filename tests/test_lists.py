"""Lists that work on every screen, and one interface (issue 17): what the server sends.

The browser checks (the layout at 390 and 1366 px, the Filters toggle) are in
tests/e2e/test_lists.py.
"""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.forms import EMPTY_CHOICE
from exchanges.choices import CallStatus
from exchanges.filters import PartnerFilter, ProgramFilter
from exchanges.forms import ApplicationForm
from partners.filters import AgreementFilter
from people.forms import ProfileForm
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

FILTERED_LISTS = [
    "partners:partner-list",
    "partners:agreement-list",
    "exchanges:program-list",
    "exchanges:review-list",
]
# Every page with a list table: the lists, and the lists within the dashboard and the reports.
LIST_PAGES = [*FILTERED_LISTS, "exchanges:application-list", "dashboard", "reports:index"]


class _Tags(HTMLParser):
    """The start tags of a page, with their attributes, and the ids on it."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if "id" in attrs}


def _page(client, name: str) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200, name
    return response.content.decode()


@pytest.mark.parametrize("name", FILTERED_LISTS)
def test_each_filtered_list_has_the_one_filter_bar_behind_a_toggle_on_phones(
    client_for, world, name
):
    content = _page(client_for(world.coordinator), name)
    tags = _Tags(content).tags
    toggles = [a for t, a in tags if t == "button" and "filter-toggle" in a.get("class", "")]
    assert len(toggles) == 1
    toggle = toggles[0]
    assert toggle["aria-controls"] == "filters"
    assert toggle["aria-expanded"] == "false"
    assert toggle["data-bs-toggle"] == "collapse"
    assert "d-md-none" in toggle["class"]  # on wide screens the filters simply show
    (panel,) = [a for t, a in tags if a.get("id") == "filters"]
    assert panel["class"].split() == ["collapse", "d-md-block"]
    # The toggle, then the filters, then the results: closed on a phone, the results come first.
    assert content.index('id="filters"') < content.index('role="search"')
    assert content.index('role="search"') < content.index("<table")


def test_a_filter_with_an_error_stays_open_on_phones(client_for, world):
    client = client_for(world.staff)
    response = client.get(reverse("partners:agreement-list"), {"expiring_within": "soon"})
    tags = _Tags(response.content.decode()).tags
    (toggle,) = [a for t, a in tags if "filter-toggle" in a.get("class", "")]
    (panel,) = [a for t, a in tags if a.get("id") == "filters"]
    assert toggle["aria-expanded"] == "true"
    assert "show" in panel["class"].split()


@pytest.mark.parametrize("name", LIST_PAGES)
def test_each_list_table_scrolls_in_a_labelled_focusable_region_and_names_each_cell(
    client_for, world, name
):
    # The coordinator reviews; the staff member has applied.
    person = world.staff if name == "exchanges:application-list" else world.coordinator
    content = _page(client_for(person), name)
    parser = _Tags(content)
    regions = [a for t, a in parser.tags if "table-scroll" in a.get("class", "").split()]
    assert regions, f"{name}: no table"
    for region in regions:
        assert region["role"] == "region"
        assert region["tabindex"] == "0"
        # Named by the table's caption, or "Table: <section>" inside a named section.
        assert region.get("aria-labelledby") in parser.ids() or region.get(
            "aria-label", ""
        ).startswith("Table: "), region
    assert content.count("Scroll sideways to see more columns") == len(regions)
    # Cards on phones: every cell but the row's name says which column it is.
    cells = [a for t, a in parser.tags if t == "td"]
    assert cells and all(a.get("data-label") for a in cells), name
    assert "table-responsive" not in content


def test_the_agreement_list_shows_status_validity_days_to_expiry_and_department(client_for, world):
    content = _page(client_for(world.staff), "partners:agreement-list")
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', content)
    assert headers == [
        "Reference",
        "Title and kind",
        "Partner",
        "Status",
        "Valid from",
        "Valid until",
        "Days to expiry",
        "Department",
    ]


def test_the_program_list_says_where_each_call_stands(client_for, world):
    today = timezone.localdate()
    ProgramFactory(
        title="Summer school next year",
        call_opens=today + datetime.timedelta(days=30),
        call_closes=today + datetime.timedelta(days=60),
    )
    content = _page(client_for(world.staff), "exchanges:program-list")
    assert '<span class="badge text-bg-success">Call open</span>' in content
    assert '<span class="badge text-bg-primary">Call not open yet</span>' in content


def test_call_status_follows_the_call_window():
    today = datetime.date(2026, 11, 27)
    program = ProgramFactory.build(
        call_opens=datetime.date(2026, 11, 1), call_closes=datetime.date(2026, 11, 30)
    )
    assert program.call_status(today) == CallStatus.OPEN
    assert program.call_status(datetime.date(2026, 10, 31)) == CallStatus.UPCOMING
    assert program.call_status(datetime.date(2026, 12, 1)) == CallStatus.CLOSED
    program.is_archived = True
    assert program.call_status(today) == CallStatus.CLOSED
    program.call_opens = None
    assert program.call_status(today) == CallStatus.NONE


def test_every_page_title_has_the_one_style():
    """One h1 style, from portal.css: no page gives its h1 a size of its own."""
    templates = Path(settings.BASE_DIR) / "templates"
    sized = []
    for path in templates.rglob("*.html"):
        relative = path.relative_to(templates).as_posix()
        # Django's admin and the PDF (its own stylesheet) are not the portal's pages.
        if relative.startswith("admin/") or relative == "reports/report_pdf.html":
            continue
        sized += [f"{relative}: {tag}" for tag in re.findall(r"<h1\b[^>]*>", path.read_text())]
    sized = [tag for tag in sized if not tag.endswith("<h1>")]
    assert not sized, sized


def _empty_choices(form) -> list[str]:
    labels = []
    for field in form:
        if field.widget_type == "select":
            labels += [
                str(option.choice_label)
                for option in field.subwidgets
                if option.data["value"] in ("", None)
            ]
    return labels


def test_every_select_of_the_portal_names_its_empty_choice_alike(world):
    forms = [
        AgreementFilter().form,
        PartnerFilter().form,
        ProgramFilter().form,
        ApplicationForm(),
        ProfileForm(instance=world.staff.profile),
    ]
    labels = [label for form in forms for label in _empty_choices(form)]
    assert len(labels) >= 12
    assert set(labels) == {str(EMPTY_CHOICE)}


def test_pages_with_selects_show_no_other_empty_choice(client_for, world):
    client = client_for(world.staff)
    pages = [
        reverse("exchanges:application-create", args=[world.program.slug]),
        reverse("profile"),
        reverse("partners:agreement-list"),
        reverse("partners:partner-list"),
        reverse("exchanges:program-list"),
    ]
    for path in pages:
        content = client.get(path).content.decode()
        assert '<option value="">Not chosen</option>' in content or (
            '<option value="" selected>Not chosen</option>' in content
        ), path
        assert "---------" not in content, path
        assert ">Any<" not in content, path


def test_the_filter_bar_applies_filters_in_every_language(client_for, world):
    """Its "Apply" is not the "Apply" of an application ("Подать заявку")."""
    client = client_for(world.staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    content = client.get(reverse("partners:agreement-list")).content.decode()
    assert '<button type="submit" class="btn btn-primary">Применить</button>' in content
    assert "Подать заявку" not in content
