"""Every list page's GET parameters, fuzzed: 200 or 400/404, never 500, never an unbounded query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    AgreementFactory,
    ApplicationFactory,
    MobilityRecordFactory,
    OfficeUserFactory,
    ProgramFactory,
)

LIST_PAGES = [
    ("partners:partner-list", {}),
    ("partners:agreement-list", {}),
    ("exchanges:program-list", {}),
    ("exchanges:application-list", {}),
    ("exchanges:review-list", {}),
    ("reports:index", {}),
    ("reports:detail", {"year": 2025}),
    ("dashboard", {}),
]
PARAMETERS = [
    "q",
    "country",
    "kind",
    "has_active_agreement",
    "program_kind",
    "sort",
    "page",
    "status",
    "department",
    "expiring_within",
    "direction",
    "category",
    "call_open",
    "period",
    "year",
    "o",
]
# Each page makes a handful of queries; an unbounded query would show as many more.
QUERY_LIMIT = 25

values = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=500, max_size=3000),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "\x00", "a\x00b", "0", "-1", "1e309", "NaN", "2025-02-30", "9999-99-99"]),
    st.dates().map(lambda day: day.isoformat()),
)
query_strings = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=20)), values),
    max_size=6,
)


@pytest.fixture
def office_client(client, db):
    program = ProgramFactory(agreement=AgreementFactory())
    ApplicationFactory(program=program)
    MobilityRecordFactory(partner=program.agreement.partner)
    client.force_login(OfficeUserFactory())
    return client


@pytest.mark.parametrize(("url_name", "kwargs"), LIST_PAGES)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(parameters=query_strings)
def test_list_page_answers_bad_parameters_without_a_server_error(
    office_client, url_name, kwargs, parameters
):
    with CaptureQueriesContext(connection) as queries:
        response = office_client.get(reverse(url_name, kwargs=kwargs), parameters)
    assert response.status_code in (200, 400, 404), (parameters, response.status_code)
    assert len(queries) <= QUERY_LIMIT
