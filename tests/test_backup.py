"""backup and restore: a round trip gives back every table's rows and exactly the uploaded files;
a corrupt or tampered archive is refused in one line and changes nothing."""

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
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
        # A restore gives the data version a new value on purpose: no page cached before it
        # may be shown after it (tests/test_page_cache.py).
        for table in set(tables) - {"core_dataversion"}:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            rows[table] = cursor.fetchall()
    return rows


def media_files(media_root) -> dict[str, bytes]:
    root = Path(media_root)
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def take_backup(tmp_path) -> Path:
    call_command("backup", directory=tmp_path / "backups", stdout=io.StringIO())
    (archive,) = (tmp_path / "backups").glob("mobility-backup-*.tar.gz")
    return archive


def restore(archive):
    call_command("restore", archive, yes=True, stdout=io.StringIO())


def rewrite(archive: Path, target: Path, *, replace=None, drop=()) -> Path:
    """A copy of `archive` with some members replaced (name -> bytes) or left out."""
    replace = replace or {}
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            if member.name in drop or member.name in replace:
                continue
            copy.addfile(member, source.extractfile(member) if member.isfile() else None)
        for name, content in replace.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            copy.addfile(info, io.BytesIO(content))
    return target


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as source:
        return json.load(source.extractfile("manifest.json"))


@pytest.mark.django_db(transaction=True)
def test_restore_gives_back_every_table_and_uploaded_file(tmp_path, settings):
    PartnerFactory(name="Uniwersytet Medyczny w Białymstoku")
    document = AgreementDocumentFactory()
    ApplicationFactory()
    MobilityRecordFactory.create_batch(3)
    before = all_rows()
    stored_file = Path(settings.MEDIA_ROOT) / document.file.name
    assert stored_file.read_bytes().startswith(b"%PDF")

    archive = take_backup(tmp_path)
    # A copy of every table: no other account on the server may read it.
    assert archive.stat().st_mode & 0o777 == 0o600

    # Lose data and files after the backup.
    MobilityRecord.objects.all().delete()
    AgreementDocument.objects.all().delete()
    Partner.objects.filter(agreements__isnull=True, mobility_records__isnull=True).delete()
    PartnerFactory(name="Created after the backup")
    stored_file.unlink()
    assert all_rows() != before

    restore(archive)

    assert all_rows() == before
    assert stored_file.read_bytes().startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_restore_removes_files_uploaded_after_the_backup(tmp_path, settings):
    media_root = Path(settings.MEDIA_ROOT)
    AgreementDocumentFactory()
    backed_up = media_files(media_root)
    assert backed_up
    archive = take_backup(tmp_path)

    # After the backup: a new upload in a new folder, one beside the backed-up file, and a
    # backed-up file changed in place.
    AgreementDocumentFactory()
    (media_root / "attachments" / "2099").mkdir(parents=True)
    (media_root / "attachments" / "2099" / "later.pdf").write_bytes(b"%PDF-later")
    changed = next(iter(backed_up))
    (media_root / changed).write_bytes(b"overwritten")
    assert media_files(media_root) != backed_up

    restore(archive)

    assert media_files(media_root) == backed_up
    assert not (media_root / "attachments").exists(), "folders left empty are removed too"


@pytest.mark.django_db(transaction=True)
def test_restore_replaces_a_link_in_the_upload_folder_without_writing_through_it(
    tmp_path, settings
):
    media_root = Path(settings.MEDIA_ROOT)
    document = AgreementDocumentFactory()
    archive = take_backup(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("must stay")
    stored_file = media_root / document.file.name
    stored_file.unlink()
    stored_file.symlink_to(outside)

    restore(archive)

    assert outside.read_text() == "must stay"
    assert not stored_file.is_symlink()
    assert stored_file.read_bytes().startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("pointing_at", ["absolute", "../../etc/passwd"])
def test_a_dump_path_in_the_manifest_is_ignored(tmp_path, settings, pointing_at):
    # The dump's name comes from the engine: a manifest naming a file outside the archive is
    # ignored (not refused), and the archive's own dump is restored.
    PartnerFactory(name="In the backup")
    before = all_rows()
    archive = take_backup(tmp_path)
    decoy = tmp_path / "decoy.sqlite3"
    decoy.write_bytes(b"")  # SQLite: an empty database; PostgreSQL: not a dump at all
    manifest = manifest_of(archive)
    manifest["database_file"] = str(decoy) if pointing_at == "absolute" else pointing_at
    tampered = rewrite(
        archive,
        tmp_path / "tampered.tar.gz",
        replace={"manifest.json": json.dumps(manifest).encode()},
    )
    PartnerFactory(name="After the backup")

    restore(tampered)

    assert all_rows() == before


def truncated(archive: Path, target: Path) -> Path:
    target.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    return target


def not_a_tar(archive: Path, target: Path) -> Path:
    target.write_bytes(gzip.compress(b"just some text, not a tar file\n" * 100))
    return target


def not_gzip(archive: Path, target: Path) -> Path:
    target.write_bytes(b"PK\x03\x04 a zip file, perhaps")
    return target


def without_manifest(archive: Path, target: Path) -> Path:
    return rewrite(archive, target, drop={"manifest.json"})


def bad_json(archive: Path, target: Path) -> Path:
    return rewrite(archive, target, replace={"manifest.json": b'{"engine": "sqlite",'})


def manifest_a_list(archive: Path, target: Path) -> Path:
    return rewrite(archive, target, replace={"manifest.json": b"[1, 2]"})


def without_dump(archive: Path, target: Path) -> Path:
    return rewrite(archive, target, drop={"database.dump", "database.sqlite3"})


def damaged_dump(archive: Path, target: Path) -> Path:
    junk = b"not a database " * 1000
    return rewrite(archive, target, replace={"database.dump": junk, "database.sqlite3": junk})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (truncated, "is not a readable backup archive"),
        (not_a_tar, "is not a readable backup archive"),
        (not_gzip, "is not a readable backup archive"),
        (without_manifest, "has no manifest.json"),
        (bad_json, "is not valid JSON"),
        (manifest_a_list, "lacks the engine or the date"),
        (without_dump, "nothing to restore"),
        (damaged_dump, "cannot be restored|is not a readable pg_dump archive"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_a_corrupt_archive_is_refused_in_one_line_and_changes_nothing(
    tmp_path, settings, damage, message
):
    AgreementDocumentFactory()
    archive = take_backup(tmp_path)
    # Changes after the backup that a refused restore must keep.
    PartnerFactory(name="After the backup")
    later = Path(settings.MEDIA_ROOT) / "attachments" / "later.pdf"
    later.parent.mkdir(parents=True)
    later.write_bytes(b"%PDF-later")
    rows, files = all_rows(), media_files(settings.MEDIA_ROOT)
    damaged = damage(archive, tmp_path / "damaged.tar.gz")

    with pytest.raises(CommandError, match=message) as refusal:
        restore(damaged)

    assert "\n" not in str(refusal.value)
    assert all_rows() == rows
    assert media_files(settings.MEDIA_ROOT) == files


@pytest.mark.django_db
def test_restore_of_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No such backup file"):
        call_command("restore", tmp_path / "nothing.tar.gz", yes=True)
