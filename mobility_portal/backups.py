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
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

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


def restore_backup(archive_path: Path, *, progress: Callable[[str], None] = print) -> dict:
    """Replace the database and the uploaded files with the archive's content."""
    engine = _engine()
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        with tarfile.open(archive_path, "r:gz") as archive:
            # The "data" filter refuses absolute paths, links out of the folder and devices.
            archive.extractall(work_dir, filter="data")
        manifest = json.loads((work_dir / MANIFEST).read_text())
        if manifest["engine"] != engine:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; "
                f"the portal now uses {engine}. Restore it into a {manifest['engine']} database."
            )
        dump = work_dir / manifest["database_file"]
        if engine == "postgresql":
            arguments, environment = _postgres_environment()
            progress("Restoring the PostgreSQL database with pg_restore…")
            connection.close()
            subprocess.run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
                + arguments
                + [str(dump)],
                env=environment,
                check=True,
            )
        else:
            progress("Restoring the SQLite database…")
            connection.ensure_connection()
            with sqlite3.connect(dump) as source:
                source.backup(connection.connection)
            source.close()
        media_root = Path(settings.MEDIA_ROOT)
        restored_media = work_dir / "media"
        files = 0
        if restored_media.is_dir():
            for path in sorted(restored_media.rglob("*")):
                if path.is_file():
                    destination = media_root / path.relative_to(restored_media)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, destination)
                    files += 1
        progress(f"{files} uploaded files restored.")
    return manifest
