from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mobility_portal.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from an archive written by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Do not ask: the current data is replaced by the backup's.",
        )

    def handle(self, *args, archive, yes, **options):
        if not archive.is_file():
            raise CommandError(f"No such backup file: {archive}")
        if not yes:
            answer = input("This replaces all current data with the backup's. Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            manifest = restore_backup(archive, progress=self.stdout.write)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {archive.name} (taken {manifest['created_at']}, {manifest['engine']})."
            )
        )
