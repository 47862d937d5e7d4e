"""backup and restore: a round trip gives back every table's rows and every uploaded file."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from exchanges.models import MobilityRecord
from partners.models import AgreementDocument, Partner
from tests.factories import (
    AgreementDocumentFactory,
    ApplicationFactory,
    MobilityRecordFactory,
    PartnerFactory,
)


def all_rows() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            rows[table] = cursor.fetchall()
    return rows


@pytest.mark.django_db(transaction=True)
def test_restore_gives_back_every_table_and_uploaded_file(tmp_path, settings):
    PartnerFactory(name="Uniwersytet Medyczny w Białymstoku")
    document = AgreementDocumentFactory()
    ApplicationFactory()
    MobilityRecordFactory.create_batch(3)
    before = all_rows()
    stored_file = Path(settings.MEDIA_ROOT) / document.file.name
    assert stored_file.read_bytes().startswith(b"%PDF")

    call_command("backup", directory=tmp_path / "backups", stdout=open(tmp_path / "log", "w"))
    archives = list((tmp_path / "backups").glob("mobility-backup-*.tar.gz"))
    assert len(archives) == 1
    # A copy of every table: no other account on the server may read it.
    assert archives[0].stat().st_mode & 0o777 == 0o600

    # Lose data and files after the backup.
    MobilityRecord.objects.all().delete()
    AgreementDocument.objects.all().delete()
    Partner.objects.filter(agreements__isnull=True, mobility_records__isnull=True).delete()
    PartnerFactory(name="Created after the backup")
    stored_file.unlink()
    assert all_rows() != before

    call_command("restore", archives[0], yes=True, stdout=open(tmp_path / "log", "w"))

    assert all_rows() == before
    assert stored_file.read_bytes().startswith(b"%PDF")


@pytest.mark.django_db
def test_restore_of_a_missing_file_is_refused(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No such backup file"):
        call_command("restore", tmp_path / "nothing.tar.gz", yes=True)
