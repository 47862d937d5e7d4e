from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mobility_portal.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Write a restorable, timestamped backup of the database and the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="Where to write the archive (default: var/backups).",
        )

    def handle(self, *args, directory, **options):
        directory = directory or Path(settings.BASE_DIR) / "var" / "backups"
        try:
            archive = create_backup(directory, progress=self.stdout.write)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        size = archive.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written: {archive} ({size:,} bytes)."))
