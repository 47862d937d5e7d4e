"""Import a spreadsheet of partners, agreements, quotas, departments, people or mobility records."""

import hashlib
import sys
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.imports.bulk import bulk_import
from core.imports.formats import FileRefused, format_of, read_rows
from core.imports.resources import counts, row_report
from core.imports.widgets import DATE_ORDERS
from exchanges.imports import RESOURCES


class Command(BaseCommand):
    help = (
        "Import a CSV, XLSX or ODS file with the admin's columns and rules. The whole file is "
        "imported or nothing is; exit status 0 when the file is valid (and imported). With "
        "--dry-run or on errors, the report of every row is printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file; write nothing.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="The language of the row report.",
        )
        parser.add_argument(
            "--invite",
            action="store_true",
            help="people only: e-mail each new account an invitation to choose a password.",
        )
        parser.add_argument(
            "--date-order",
            choices=DATE_ORDERS,
            help="How to read dates such as 03/04/2019 (dmy or mdy); else read from the file.",
        )

    def handle(self, *args, kind, file, dry_run, language, date_order, invite, **options):
        if invite and kind != "people":
            raise CommandError("--invite is for people only.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        with translation.override(language):
            try:
                dataset = read_rows(data, format_of(file.name))
            except FileRefused as refusal:
                raise CommandError(f"{file.name}: {refusal}") from refusal
            options = {"invite_base_url": settings.SITE_URL} if invite and kind == "people" else {}
            resource = RESOURCES[kind](date_order=date_order, progress=self._progress, **options)
            # Large files go in batches where the kind allows it (core/imports/bulk.py).
            run = partial(bulk_import, resource) if resource.supports_bulk else resource.import_data
            result = run(
                dataset,
                dry_run=dry_run,
                file_name=file.name,
                file_sha256=hashlib.sha256(data).hexdigest(),
            )
            self.stderr.write("")
            failed = result.has_errors() or getattr(result, "has_validation_errors", bool)()
            if dry_run or failed:
                for line in row_report(result):
                    self.stdout.write(line)
        summary = ", ".join(f"{n} {label}" for label, n in counts(result).items())
        if failed:
            raise CommandError(f"{file.name}: nothing imported ({summary}).")
        verb = "checked, nothing written" if dry_run else "imported"
        self.stdout.write(f"{file.name}: {verb} ({summary}).")

    def _progress(self, done: int, total: int):
        if total and (done == total or done % 100 == 0):
            width = 30
            filled = width * done // total
            bar = "#" * filled + "-" * (width - filled)
            self.stderr.write(f"\r[{bar}] {done}/{total}", ending="")
            sys.stderr.flush()
