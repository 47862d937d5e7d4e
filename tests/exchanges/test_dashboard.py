"""The dashboard: open calls and my applications for everybody, more for those who decide."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Application, MobilityRecord
from partners.choices import Direction
from tests.factories import (
    AgreementFactory,
    ApplicationFactory,
    MobilityRecordFactory,
    ProgramFactory,
)

URL = reverse("dashboard")


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_dashboard_shows_open_calls_with_their_categories_and_my_applications(
    client_for, student, staff_member, program
):
    closed = ProgramFactory(title="Closed call", call_opens=days(-30), call_closes=days(-1))
    ProgramFactory(title="Hidden draft", is_published=False)
    mine = ApplicationFactory(applicant=student, program=closed)
    ApplicationFactory(applicant=staff_member, program=program)
    response = client_for(student).get(URL)
    assert response.status_code == 200
    assert list(response.context["open_programs"]) == [program]
    assert list(response.context["my_applications"]) == [mine]
    content = response.content.decode()
    assert "Clinical training in Bialystok" in content
    assert "Undergraduate student, Academic staff" in content
    assert "Hidden draft" not in content
    assert "Waiting for your decision" not in content
    assert "Agreements expiring within 90 days" not in content


def test_dashboard_marks_programs_already_applied_to(client_for, student, program):
    ApplicationFactory(applicant=student, program=program, status=Application.Status.DRAFT)
    response = client_for(student).get(URL)
    assert response.context["applied_program_ids"] == {program.pk}
    assert "Applied" in response.content.decode()


def test_coordinator_sees_decisions_expiring_agreements_and_figures(
    client_for, coordinator, department, other_department, program
):
    waiting = ApplicationFactory(program=program)
    ApplicationFactory(program=ProgramFactory(department=other_department))
    expiring = AgreementFactory(title="Expiring soon", department=department, valid_until=days(30))
    AgreementFactory(title="Not mine", department=other_department, valid_until=days(30))
    AgreementFactory(title="Far away", department=department, valid_until=days(400))
    year = timezone.localdate().year
    MobilityRecordFactory(start_date=datetime.date(year, 1, 1))
    MobilityRecordFactory(start_date=datetime.date(year, 12, 31), direction=Direction.INCOMING)
    MobilityRecordFactory(start_date=datetime.date(year, 2, 1), direction=Direction.INCOMING)
    MobilityRecordFactory(
        start_date=datetime.date(year, 3, 1), status=MobilityRecord.Status.CANCELLED
    )
    MobilityRecordFactory(start_date=datetime.date(year - 1, 12, 31))

    response = client_for(coordinator).get(URL)
    assert list(response.context["awaiting"]) == [waiting]
    assert list(response.context["expiring_agreements"]) == [expiring]
    assert response.context["figures"] == {"outgoing": 1, "incoming": 2}
    content = response.content.decode()
    assert reverse("exchanges:review-detail", args=[waiting.pk]) in content
    assert f"Mobility in {year}" in content


def test_office_sees_every_decision_and_every_expiring_agreement(
    client_for, office, department, other_department, program
):
    ApplicationFactory(program=program)
    ApplicationFactory(program=ProgramFactory(department=other_department))
    AgreementFactory(department=department, valid_until=days(30))
    AgreementFactory(department=other_department, valid_until=days(60))
    response = client_for(office).get(URL)
    assert len(response.context["awaiting"]) == 2
    assert len(response.context["expiring_agreements"]) == 2


def test_the_expiry_window_is_the_expiry_warning_days_setting(
    settings, client_for, office, department
):
    settings.EXPIRY_WARNING_DAYS = 20
    soon = AgreementFactory(title="Ends in ten days", department=department, valid_until=days(10))
    AgreementFactory(title="Ends in thirty days", department=department, valid_until=days(30))
    response = client_for(office).get(URL)
    assert list(response.context["expiring_agreements"]) == [soon]
    assert "Agreements expiring within 20 days" in response.content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_dashboard_queries_do_not_grow_with_rows(
    client_for, office, student, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        program = ProgramFactory()
        ApplicationFactory(program=program)
        ApplicationFactory(program=program, applicant=office, status="draft")
        AgreementFactory(valid_until=days(20))
        MobilityRecordFactory(start_date=datetime.date(timezone.localdate().year, 1, 1))
    client = client_for(office)
    # session, user, open programs with host and places taken, my live program ids, my
    # applications, office group check, awaiting decisions, expiring agreements, figures,
    # session save (in a savepoint: 3).
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["awaiting"]) == min(rows, 10)
