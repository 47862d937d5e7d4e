"""Reverting an import from the admin (issue 15): while nothing has changed its rows since,
in one transaction; refused with what changed otherwise; the office's permission."""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from core.models import ImportLog
from exchanges.models import MobilityRecord
from tests.factories import MobilityRecordFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:core_importlog_changelist")
HEADER = "full_name,category,direction,purpose,start_date,end_date,country,partner\n"


@pytest.fixture
def imported(tmp_path, partner):
    """An import of two records: Anna's is updated, Ivan's is new."""
    anna = MobilityRecordFactory(
        full_name="Anna Ivanova", partner=partner, country="PL", purpose="research",
        category="academic_staff", direction="outgoing",
        start_date=datetime.date(2019, 2, 3), end_date=datetime.date(2019, 2, 10),
    )  # fmt: skip
    path = tmp_path / "records.csv"
    path.write_text(
        HEADER
        + "Anna Ivanova,academic_staff,outgoing,research,03.02.2019,14.02.2019,PL,UMB\n"
        + "Ivan Petrov,phd_student,incoming,research,01.10.2020,20.10.2020,DE,\n"
    )
    call_command("import_data", "records", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    log = ImportLog.objects.get()
    assert (log.new, log.updated) == (1, 1)
    return log, anna


def revert(client, log):
    return client.post(
        CHANGELIST,
        {"action": "revert_import", "_selected_action": [log.pk]},
        follow=True,
    )


def test_revert_deletes_the_created_rows_and_restores_the_updated_ones(
    client_for, office, imported
):
    log, anna = imported
    response = revert(client_for(office), log)
    assert "1 rows deleted, 1 restored" in response.content.decode()
    assert list(MobilityRecord.objects.all()) == [anna]
    anna.refresh_from_db()
    assert anna.end_date == datetime.date(2019, 2, 10)
    assert anna.history.first().history_change_reason == "revert of the import of records.csv"
    assert anna.history.first().history_user == office
    log.refresh_from_db()
    assert (log.reverted_by, log.reverted_at is not None) == (office, True)
    # Once is enough.
    response = revert(client_for(office), log)
    assert "already been reverted" in response.content.decode()


def test_revert_is_refused_after_a_later_edit_and_writes_nothing(client_for, office, imported):
    log, anna = imported
    anna.refresh_from_db()
    anna.notes = "Edited by hand after the import"
    anna._history_user = office
    anna.save()
    response = revert(client_for(office), log)
    page = response.content.decode()
    assert "Not reverted, nothing was changed: 1 row was changed after the import" in page
    assert "Anna Ivanova" in page and "edited by" in page
    assert MobilityRecord.objects.count() == 2
    anna.refresh_from_db()
    assert anna.end_date == datetime.date(2019, 2, 14)
    log.refresh_from_db()
    assert log.reverted_at is None


def test_a_deleted_row_refuses_the_revert(client_for, office, imported):
    log, _anna = imported
    MobilityRecord.objects.get(full_name="Ivan Petrov").delete()
    response = revert(client_for(office), log)
    assert "deleted by" in response.content.decode()
    assert MobilityRecord.objects.count() == 1


def test_only_a_person_with_the_permission_may_revert(client_for, coordinator, imported):
    log, _anna = imported
    # Staff who may read the log of imports but not revert them: the action is not offered.
    coordinator.is_staff = True
    coordinator.save()
    coordinator.user_permissions.add(Permission.objects.get(codename="view_importlog"))
    client = client_for(coordinator)
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    assert "Revert this import" not in page.content.decode()
    revert(client, log)
    assert MobilityRecord.objects.count() == 2
    assert ImportLog.objects.get().reverted_at is None


def test_without_the_log_s_view_permission_the_admin_is_refused(client_for, coordinator, imported):
    log, _anna = imported
    coordinator.is_staff = True
    coordinator.save()
    assert revert(client_for(coordinator), log).status_code == 403
    assert MobilityRecord.objects.count() == 2


def test_the_office_holds_the_permission(office):
    assert office.has_perm("core.revert_importlog")


def test_an_import_through_the_admin_s_path_reverts_too(office):
    from core.imports.formats import read_rows
    from core.imports.revert import revert_import
    from partners.models import Partner
    from partners.resources import PartnerResource

    rows = read_rows(b"name,kind,country\nVilnius University,university,LT\n", "csv")
    result = PartnerResource().import_data(rows, file_name="partners.csv", user=office)
    assert not result.has_errors() and not result.has_validation_errors()
    log = ImportLog.objects.get()
    assert revert_import(log, by=office) == {"deleted": 1, "restored": 0}
    assert not Partner.objects.exists()


def test_a_kind_without_history_cannot_be_reverted(office, tmp_path):
    from core.imports.revert import RevertRefused, revert_import

    path = tmp_path / "departments.csv"
    path.write_text("name\nDepartment of Surgery\n")
    call_command(
        "import_data", "departments", str(path), stdout=io.StringIO(), stderr=io.StringIO()
    )
    with pytest.raises(RevertRefused, match="cannot be reverted"):
        revert_import(ImportLog.objects.get(), by=office)
