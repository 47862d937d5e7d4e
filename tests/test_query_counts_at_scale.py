"""Every page makes as many SQL queries over 2,000 generated mobility records as over 300.

The per-page tests count queries at 5 and at 50 rows of one kind; this one fills every table
at once with `generate_data`'s generator, twice, and compares each page's count. The benchmark
(bench/) does the same at 1,000,000 records on PostgreSQL, with times.
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from devdata.generator import (
    COORDINATOR_USERNAME,
    OFFICE_USERNAME,
    PREFIX,
    SCALES,
    STUDENT_USERNAME,
    Generator,
    Scale,
    wipe_all,
)
from exchanges.models import Program
from partners.models import Partner

FEWER = Scale(
    departments=4,
    applicants=20,
    partners=10,
    agreements=20,
    programs=10,
    applications=60,
    records=300,
)
# The backend a password sign-in ends with (django-axes only guards the door).
BACKEND = next(path for path in settings.AUTHENTICATION_BACKENDS if "axes" not in path)


def fill(scale: Scale) -> None:
    wipe_all()
    Generator(scale, seed=5).run()


def pages() -> list[tuple[str, str, str]]:
    """(name, URL, who): every page, as the user who sees the most on it."""
    partner = Partner.objects.filter(slug__startswith=PREFIX).order_by("pk").first()
    program = Program.objects.filter(slug__startswith=PREFIX).order_by("pk").first()
    year = timezone.localdate().year
    # The first generated partner, the Medical University of Bialystok, matches the filter.
    filtered = "/partners/?q=university&country=PL&sort=-participants"
    return [
        ("dashboard", "/", OFFICE_USERNAME),
        ("dashboard", "/", COORDINATOR_USERNAME),
        ("dashboard", "/", STUDENT_USERNAME),
        ("partners", "/partners/", OFFICE_USERNAME),
        ("partners filtered", filtered, OFFICE_USERNAME),
        ("partner", partner.get_absolute_url(), OFFICE_USERNAME),
        ("agreements", "/agreements/", OFFICE_USERNAME),
        ("programs", "/programs/", STUDENT_USERNAME),
        ("program", program.get_absolute_url(), STUDENT_USERNAME),
        ("my applications", "/applications/", STUDENT_USERNAME),
        ("review queue", "/review/", OFFICE_USERNAME),
        ("review queue", "/review/", COORDINATOR_USERNAME),
        ("reports", "/reports/", OFFICE_USERNAME),
        ("annual report", f"/reports/{year}/", OFFICE_USERNAME),
    ]


def query_counts(client) -> dict[str, int]:
    counts = {}
    for name, url, username in pages():
        client.force_login(get_user_model().objects.get(username=username), backend=BACKEND)
        client.get(url)  # once before counting: per-process caches are not the page's cost
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, f"{url} as {username}: {response.status_code}"
        counts[f"{name} as {username}"] = len(queries)
    return counts


@pytest.mark.django_db
def test_no_page_makes_more_queries_when_every_table_grows(client):
    fill(FEWER)
    fewer = query_counts(client)

    fill(SCALES["small"])
    more = query_counts(client)

    assert more == fewer
