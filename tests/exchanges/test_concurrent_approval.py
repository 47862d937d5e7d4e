"""Two coordinators approving the last place at the same moment cannot both succeed.

Each approval runs in its own thread with its own database connection, released together by a
barrier, so both transactions are open at the same time.
"""

import json
import logging
import threading

import pytest
from django.db import connections

from exchanges import services
from exchanges.models import Application, MobilityRecord
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory


def approve_in_own_connection(application_pk, reviewer, barrier, outcomes):
    try:
        application = Application.objects.get(pk=application_pk)
        barrier.wait(timeout=10)
        services.approve_application(application=application, reviewer=reviewer)
        outcomes.append("approved")
    except services.WorkflowRefused as refusal:
        outcomes.append(refusal.message)
    finally:
        connections.close_all()


# SQLite has one writer at a time for the whole database and no SELECT ... FOR UPDATE: the race
# exists only on PostgreSQL, where this runs (see the `postgresql` marker in tests/conftest.py).
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_approvals_of_the_last_place_at_once_cannot_both_succeed(department, coordinator):
    program = ProgramFactory(department=department, places=1)
    first, second = ApplicationFactory.create_batch(2, program=program)
    other_reviewer = UserFactory()
    department.coordinators.add(other_reviewer)
    barrier = threading.Barrier(2)
    outcomes = []
    threads = [
        threading.Thread(
            target=approve_in_own_connection,
            args=(application.pk, reviewer, barrier, outcomes),
        )
        for application, reviewer in ((first, coordinator), (second, other_reviewer))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["All places of this program are taken.", "approved"]
    assert MobilityRecord.objects.filter(program=program).count() == 1
    assert Application.objects.filter(program=program, status="approved").count() == 1
    assert Application.objects.filter(program=program, status="submitted").count() == 1


@pytest.mark.django_db
def test_decisions_are_audited_once_committed(
    caplog, program, coordinator, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="mobility.audit")
    application = ApplicationFactory(program=program)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_application(
            application=application, reviewer=coordinator, comment="No places\nforged line"
        )
    lines = [r.getMessage() for r in caplog.records if r.name == "mobility.audit"]
    assert len(lines) == 1
    assert "\n" not in lines[0]
    entry = json.loads(lines[0])
    assert entry["event"] == "application_rejected"
    assert entry["user"] == coordinator.username
    assert entry["id"] == application.pk
    assert entry["comment"] == "No places\nforged line"
