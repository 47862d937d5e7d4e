"""Backups that can be restored: the database and the uploaded files in one archive.

The archive is a gzipped tar file with:
- manifest.json: when, which database engine, the applied migrations;
- database.dump (PostgreSQL, pg_dump's custom format) or database.sqlite3 (SQLite's online
  backup API, consistent while the portal keeps serving);
- media/...: the uploaded documents and attachments.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from core import dataversion

POSTGRES_DUMP = "database.dump"
SQLITE_DUMP = "database.sqlite3"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _postgres_environment() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore; the password goes through the environment."""
    params = connection.get_connection_params()
    arguments = []
    for option, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            arguments += [option, str(params[key])]
    environment = dict(os.environ)
    if params.get("password"):
        environment["PGPASSWORD"] = str(params["password"])
    return arguments + ["--dbname", params["dbname"]], environment


def create_backup(directory: Path, *, progress: Callable[[str], None] = print) -> Path:
    """Write a timestamped archive into `directory` and return its path."""
    engine = _engine()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = directory / f"mobility-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        if engine == "postgresql":
            dump = work_dir / POSTGRES_DUMP
            arguments, environment = _postgres_environment()
            progress("Dumping the PostgreSQL database with pg_dump…")
            subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *arguments],
                env=environment,
                check=True,
            )
        else:
            dump = work_dir / SQLITE_DUMP
            progress("Copying the SQLite database with its online backup API…")
            connection.ensure_connection()
            with sqlite3.connect(dump) as destination:
                connection.connection.backup(destination)
            destination.close()
        migrations = sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        )
        manifest = {
            "created_at": stamp,
            "engine": engine,
            "database_file": dump.name,
            "migrations": migrations,
        }
        (work_dir / MANIFEST).write_text(json.dumps(manifest, indent=2))
        media_root = Path(settings.MEDIA_ROOT)
        files = 0
        # A whole copy of the database: readable by the portal's own account only, whatever
        # the umask of the cron job that runs it.
        target.touch(mode=0o600, exist_ok=False)
        with tarfile.open(target, "w:gz") as archive:
            archive.add(work_dir / MANIFEST, arcname=MANIFEST)
            archive.add(dump, arcname=dump.name)
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file():
                        archive.add(path, arcname=f"media/{path.relative_to(media_root)}")
                        files += 1
                        if files % 500 == 0:
                            progress(f"  {files} uploaded files archived…")
        progress(f"{files} uploaded files archived.")
    return target


def _read_archive(archive_path: Path, work_dir: Path) -> dict:
    """Unpack the archive into `work_dir` and return its manifest, or refuse it in one line.

    Nothing outside `work_dir` is touched here: a refused archive changes nothing.
    """
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            # The "data" filter refuses absolute paths, links out of the folder and devices.
            archive.extractall(work_dir, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(
            f"{archive_path.name} is not a readable backup archive (a gzipped tar file): {error}"
        ) from error
    manifest_path = work_dir / MANIFEST
    if not manifest_path.is_file() or manifest_path.is_symlink():
        raise BackupError(f"{archive_path.name} has no {MANIFEST}: it is not a portal backup.")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"The {MANIFEST} of {archive_path.name} is not valid JSON.") from error
    if not (
        isinstance(manifest, dict)
        and manifest.get("engine") in ("postgresql", "sqlite")
        and isinstance(manifest.get("created_at"), str)
    ):
        raise BackupError(
            f"The {MANIFEST} of {archive_path.name} lacks the engine or the date of the backup."
        )
    return manifest


def _pg_restore(arguments: list[str], environment: dict[str, str], failure: str) -> None:
    result = subprocess.run(
        ["pg_restore", *arguments], env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no detail"])[-1]
        raise BackupError(f"The database dump {failure} (pg_restore: {detail}).")


def _restore_database(engine: str, dump: Path, progress: Callable[[str], None]) -> None:
    """Replace the database with the dump, all or nothing; refuse a dump that cannot be read."""
    if engine == "postgresql":
        arguments, environment = _postgres_environment()
        # --list reads the dump's whole table of contents: a damaged dump is refused before the
        # database is touched.
        _pg_restore(["--list", str(dump)], environment, "is not a readable pg_dump archive")
        progress("Restoring the PostgreSQL database with pg_restore…")
        connection.close()
        # One transaction: the dump applies entirely or not at all.
        _pg_restore(
            ["--clean", "--if-exists", "--no-owner", "--single-transaction", *arguments, str(dump)],
            environment,
            "could not be restored; the database was left as it was",
        )
        return
    progress("Restoring the SQLite database…")
    try:
        with closing(sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True)) as source:
            # A file that is not a database, or a damaged one, fails here, before the copy.
            if source.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise sqlite3.DatabaseError("the integrity check failed")
            connection.ensure_connection()
            source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(
            f"The database copy in the archive cannot be restored: {error}."
        ) from error


def _replace_media(restored_media: Path, media_root: Path) -> int:
    """Make MEDIA_ROOT hold exactly the archive's files; return how many were restored.

    The folder itself stays (it may be a mount point, or sit in a directory the portal may not
    write): its content is replaced in place.
    """
    wanted = set()
    if restored_media.is_dir():
        wanted = {
            path.relative_to(restored_media)
            for path in restored_media.rglob("*")
            if path.is_file() and not path.is_symlink()
        }
    media_root.mkdir(parents=True, exist_ok=True)
    # Files uploaded after the backup go, and so do folders left empty or in a file's way. Links
    # go too: copying onto one would write wherever it points.
    for folder, folders, files in os.walk(media_root, topdown=False):
        folder_path = Path(folder)
        for name in files + [name for name in folders if (folder_path / name).is_symlink()]:
            path = folder_path / name
            if path.relative_to(media_root) not in wanted or path.is_symlink():
                path.unlink()
        if folder_path != media_root and (
            folder_path.relative_to(media_root) in wanted or not any(folder_path.iterdir())
        ):
            shutil.rmtree(folder_path)
    for relative in sorted(wanted):
        destination = media_root / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(restored_media / relative, destination)
    return len(wanted)


def restore_backup(archive_path: Path, *, progress: Callable[[str], None] = print) -> dict:
    """Replace the database and the uploaded files with the archive's content.

    A corrupt archive, or one of another engine, is refused before anything changes; the
    uploaded files are replaced only once the database has been restored.
    """
    engine = _engine()
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        manifest = _read_archive(archive_path, work_dir)
        if manifest["engine"] != engine:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; "
                f"the portal now uses {engine}. Restore it into a {manifest['engine']} database."
            )
        # The dump's name comes from the engine, never from the manifest: a manifest naming
        # ../../etc/passwd or an absolute path is ignored, not followed.
        dump = work_dir / (POSTGRES_DUMP if engine == "postgresql" else SQLITE_DUMP)
        if not dump.is_file() or dump.is_symlink():
            raise BackupError(f"{archive_path.name} holds no {dump.name}: nothing to restore.")
        _restore_database(engine, dump, progress)
        # pg_restore loads the rows before it makes the triggers, and SQLite's copy brings the
        # backup's own version: a new one, so no page cached before the restore is shown.
        dataversion.bump_if_installed()
        files = _replace_media(work_dir / "media", Path(settings.MEDIA_ROOT))
        progress(f"{files} uploaded files restored; files uploaded since were removed.")
    return manifest
