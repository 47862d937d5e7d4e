"""Cached pages (core/cache.py): the next request after any write shows it, and no fragment is
ever served to a scope it was not rendered for.

Each write-path test first requests the pages twice, so that they are in the cache, then writes
the way the portal does, then reads again.
"""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from exchanges.models import Application
from partners.models import Partner
from tests.exchanges.test_imports import HEADER
from tests.factories import (
    ApplicationFactory,
    DepartmentFactory,
    MobilityRecordFactory,
    PartnerFactory,
    ProgramFactory,
    UserFactory,
)
from tests.outbox import closed_port
from tests.partners.test_admin import change_form_data
from tests.test_backup import restore, take_backup

PARTNERS = reverse("partners:partner-list")
AGREEMENTS = reverse("partners:agreement-list")
PROGRAMS = reverse("exchanges:program-list")
QUEUE = reverse("exchanges:review-list")
MY_APPLICATIONS = reverse("exchanges:application-list")
DASHBOARD = reverse("dashboard")
APPROVED = 'text-bg-success">Approved</span>'


def report_url(year=2025):
    return reverse("reports:detail", kwargs={"year": year})


def fragment(response) -> str:
    """The cached part of a page, as served."""
    assert response.status_code == 200
    context = response.context
    return str(context["content"])


def warm(client, *urls) -> dict[str, str]:
    """Request each page twice (the second answer comes from the cache); their fragments."""
    fragments = {}
    for url in urls:
        fragments[url] = fragment(client.get(url))
        assert fragment(client.get(url)) == fragments[url]
    return fragments


# Never stale: one test per write path


def test_an_admin_change_of_a_partners_name_shows_on_the_list_and_the_partner_page(
    client_for, office, partner
):
    client = client_for(office)
    before = warm(client, PARTNERS, partner.get_absolute_url())
    assert "Medical University of Bialystok" in before[PARTNERS]
    change_url = reverse("admin:partners_partner_change", args=[partner.pk])
    data = change_form_data(client.get(change_url)) | {"name": "Bialystok Medical University"}

    assert client.post(change_url, data).status_code == 302

    for url in (PARTNERS, partner.get_absolute_url()):
        page = fragment(client.get(url))
        assert "Bialystok Medical University" in page
        assert "Medical University of Bialystok" not in page


def test_an_application_sent_with_the_portal_form_shows_in_my_list_and_the_queue(
    client_for, staff_member, coordinator, program, department
):
    applicant = client_for(staff_member)
    warm(applicant, MY_APPLICATIONS)
    reviewer = Client()
    reviewer.force_login(coordinator)
    assert "Stas Staff" not in warm(reviewer, QUEUE)[QUEUE]

    apply_url = reverse("exchanges:application-create", args=[program.slug])
    data = {"motivation": "I want to learn.", "action": "submit", "department": department.pk}
    assert applicant.post(apply_url, data).status_code == 302

    assert program.title in fragment(applicant.get(MY_APPLICATIONS))
    assert "Stas Staff" in fragment(reviewer.get(QUEUE))


def test_a_decision_shows_in_the_queue_and_the_applicants_list(
    client_for, coordinator, student, program, department
):
    application = ApplicationFactory(applicant=student, program=program, department=department)
    applicant = client_for(student)
    assert APPROVED not in warm(applicant, MY_APPLICATIONS)[MY_APPLICATIONS]
    reviewer = Client()
    reviewer.force_login(coordinator)
    everything = f"{QUEUE}?status=all"
    assert APPROVED not in warm(reviewer, everything)[everything]

    decide_url = reverse("exchanges:review-detail", args=[application.pk])
    assert reviewer.post(decide_url, {"action": "approve", "comment": ""}).status_code == 302

    assert Application.objects.get().status == Application.Status.APPROVED
    assert APPROVED in fragment(reviewer.get(everything))
    assert APPROVED in fragment(applicant.get(MY_APPLICATIONS))


def test_a_decision_shows_on_the_dashboards_of_the_reviewer_and_the_applicant(
    client_for, coordinator, student, program, department
):
    application = ApplicationFactory(applicant=student, program=program, department=department)
    applicant = client_for(student)
    assert APPROVED not in warm(applicant, DASHBOARD)[DASHBOARD]
    reviewer = Client()
    reviewer.force_login(coordinator)
    review_url = reverse("exchanges:review-detail", args=[application.pk])
    assert review_url in warm(reviewer, DASHBOARD)[DASHBOARD]

    assert reviewer.post(review_url, {"action": "approve", "comment": ""}).status_code == 302

    assert review_url not in fragment(reviewer.get(DASHBOARD))
    assert APPROVED in fragment(applicant.get(DASHBOARD))


def test_records_imported_by_command_show_on_the_partner_page(
    client_for, office, partner, tmp_path
):
    client = client_for(office)
    page = partner.get_absolute_url()
    assert "No mobility recorded" in warm(client, page)[page]
    records = tmp_path / "records.csv"
    records.write_text(
        HEADER + "Anna Ivanova,,academic_staff,outgoing,research,03.02.2019,14.02.2019,Poland,UMB\n"
    )

    call_command("import_data", "records", str(records), stdout=io.StringIO())

    assert "No mobility recorded" not in fragment(client.get(page))
    assert '<th scope="row">2019</th>' in fragment(client.get(page))


def test_an_admin_action_shows_on_the_list(client_for, office, partner):
    client = client_for(office)
    assert partner.name in warm(client, PARTNERS)[PARTNERS]
    changelist = reverse("admin:partners_partner_changelist")

    response = client.post(
        changelist, {"action": "archive_selected", "_selected_action": [partner.pk]}
    )

    assert response.status_code == 302
    assert partner.name not in fragment(client.get(PARTNERS))


def test_a_queryset_update_shows_on_the_list_and_the_partner_page(
    client_for, staff_member, partner
):
    client = client_for(staff_member)
    warm(client, PARTNERS, partner.get_absolute_url())

    Partner.objects.filter(pk=partner.pk).update(city="Suwałki")

    assert "Suwałki" in fragment(client.get(PARTNERS))
    assert "Suwałki" in fragment(client.get(partner.get_absolute_url()))


def test_generated_data_shows_on_the_lists(client_for, staff_member):
    client = client_for(staff_member)
    assert "No partner institution matches" in warm(client, PARTNERS)[PARTNERS]

    call_command("generate_data", "--scale", "small", "--force", stdout=io.StringIO())

    assert "No partner institution matches" not in fragment(client.get(PARTNERS))
    assert Partner.objects.first().display_name in fragment(client.get(PARTNERS))


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_shows_on_the_list(client_for, tmp_path):
    client = client_for(UserFactory(username="reader"))
    partner = PartnerFactory(name="Name in the backup")
    archive = take_backup(tmp_path)
    Partner.objects.filter(pk=partner.pk).update(name="Name after the backup")
    assert "Name after the backup" in warm(client, PARTNERS)[PARTNERS]

    restore(archive)

    page = fragment(client.get(PARTNERS))
    assert "Name in the backup" in page
    assert "Name after the backup" not in page


# Never across scopes


@pytest.fixture
def applications(office, student, program, department, other_department, coordinator):
    """Office's own application; one to each department's programs."""
    ApplicationFactory(
        applicant=UserFactory(first_name="Anna", last_name="Ours"),
        program=program,
        department=department,
    )
    ApplicationFactory(
        applicant=UserFactory(first_name="Boris", last_name="Theirs"),
        program=ProgramFactory(department=other_department, title="Their program"),
        department=other_department,
    )
    ApplicationFactory(applicant=office, program=program, department=department)


@pytest.fixture
def report_records(agreement, department, other_department):
    MobilityRecordFactory(
        full_name="Ours", department=department, start_date=datetime.date(2025, 3, 1)
    )
    MobilityRecordFactory.create_batch(
        3, department=other_department, start_date=datetime.date(2025, 4, 1)
    )


CACHED_PAGES = [PARTNERS, AGREEMENTS, PROGRAMS, QUEUE, MY_APPLICATIONS, DASHBOARD, report_url()]


def test_a_student_never_receives_a_fragment_rendered_for_the_office(
    client_for, office, student, applications, report_records
):
    office_client = Client()
    office_client.force_login(office)
    for_office = warm(office_client, *CACHED_PAGES)
    assert "Anna Ours" in for_office[QUEUE]
    assert "Clinical training in Bialystok" in for_office[MY_APPLICATIONS]

    student_client = client_for(student)
    after_office = {url: student_client.get(url) for url in CACHED_PAGES}
    assert after_office[QUEUE].status_code == 403
    assert after_office[report_url()].status_code == 403
    assert "You have not applied" in fragment(after_office[MY_APPLICATIONS])
    assert "Anna Ours" in for_office[DASHBOARD]
    assert "Anna Ours" not in fragment(after_office[DASHBOARD])

    # What the student got is what they get with nothing cached at all.
    cache.clear()
    for url in (PARTNERS, AGREEMENTS, PROGRAMS, MY_APPLICATIONS, DASHBOARD):
        assert fragment(after_office[url]) == fragment(student_client.get(url))


def test_a_coordinator_never_receives_another_departments_queue_or_report(
    office, coordinator, other_coordinator, other_department, applications, report_records
):
    clients = {}
    for user in (office, coordinator, other_coordinator):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    pages = {name: warm(client, QUEUE, report_url()) for name, client in clients.items()}

    assert "Anna Ours" in pages["office"][QUEUE] and "Boris Theirs" in pages["office"][QUEUE]
    assert "Anna Ours" in pages["coordinator"][QUEUE]
    assert "Boris Theirs" not in pages["coordinator"][QUEUE]
    assert "Boris Theirs" in pages["other-coordinator"][QUEUE]
    assert "Anna Ours" not in pages["other-coordinator"][QUEUE]
    # The figures: the office counts 4, each coordinator only their department's.
    assert len({pages[name][report_url()] for name in pages}) == 3
    # A coordinator asking for the other department's figures still gets only their own.
    narrowed = f"{report_url()}?department={other_department.pk}"
    assert fragment(clients["coordinator"].get(narrowed)) == pages["coordinator"][report_url()]


def test_cached_fragments_hold_nothing_of_who_asked(client_for, office, program, department):
    ApplicationFactory(program=program, department=department)
    client = client_for(office)
    for url, page in warm(client, *CACHED_PAGES).items():
        assert "csrfmiddlewaretoken" not in page, url
        assert "Olga" not in page, url  # the office's name is in the menu, never in a fragment


def test_the_same_list_in_another_language_is_another_entry(client_for, staff_member, partner):
    client = client_for(staff_member)
    english = fragment(client.get(PARTNERS))
    russian = fragment(client.get(PARTNERS, headers={"accept-language": "ru"}))
    assert "Partner institutions" in english
    assert "Partner institutions" not in russian


def test_parameters_the_page_ignores_share_an_entry_and_never_reach_its_links(
    settings, client_for, staff_member
):
    settings.PAGE_SIZE = 1
    PartnerFactory.create_batch(3)
    client = client_for(staff_member)
    plain = fragment(client.get(PARTNERS))
    noisy = client.get(f"{PARTNERS}?utm_source=mail&q=")
    assert fragment(noisy) == plain
    assert "utm_source" not in plain


def test_a_new_record_shows_on_the_report_page_and_in_its_downloads(
    client_for, office, department, report_records
):
    client = client_for(office)
    summary = reverse("reports:summary-csv", kwargs={"year": 2025})
    page_before = warm(client, report_url())[report_url()]
    before = b"".join(client.get(summary).streaming_content)
    assert b"".join(client.get(summary).streaming_content) == before  # from the cache
    assert '<dd class="col-sm-7">4 (' in page_before

    MobilityRecordFactory(department=department, start_date=datetime.date(2025, 5, 1))

    page_after = fragment(client.get(report_url()))
    assert '<dd class="col-sm-7">5 (' in page_after
    after = b"".join(client.get(summary).streaming_content)
    assert after != before
    cache.clear()  # what they are is what they are when built afresh
    assert fragment(client.get(report_url())) == page_after
    assert b"".join(client.get(summary).streaming_content) == after


def test_pages_are_built_while_the_cache_server_is_down(
    settings, client_for, staff_member, partner
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    client = client_for(staff_member)
    for url in (PARTNERS, partner.get_absolute_url()):
        assert partner.name in fragment(client.get(url))


def test_coordinators_sharing_a_department_never_see_each_others_choices(
    coordinator, other_coordinator, department, other_department, report_records
):
    department.coordinators.add(other_coordinator)  # both coordinate it; each has one more
    DepartmentFactory(name="Department of Pathology", coordinators=[coordinator])
    pages = {}
    for user in (coordinator, other_coordinator):
        client = Client()
        client.force_login(user)
        pages[user.username] = warm(client, report_url())[report_url()]

    assert "Department of Pathology" in pages["coordinator"]
    assert "Department of Pathology" not in pages["other-coordinator"]
    assert "Department of Prosthetic Dentistry" in pages["other-coordinator"]
    assert "Department of Prosthetic Dentistry" not in pages["coordinator"]
