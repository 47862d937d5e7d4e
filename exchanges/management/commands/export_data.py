"""Export partners, agreements, quotas, departments, people or mobility records to a file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from core.imports import formats
from exchanges.imports import RESOURCES

FORMATS = {"xlsx": formats.XLSX, "csv": formats.CSV, "ods": formats.ODS}


class Command(BaseCommand):
    help = "Export with the admin's columns: the file imports back as it is (import_data)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--format", choices=sorted(FORMATS), help="Else from --output.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="The language of countries' names and choices' labels.",
        )

    def handle(self, *args, kind, output, format, language, **options):
        file_format = FORMATS[format or formats.format_of(output.name)]()
        with translation.override(language):
            dataset = RESOURCES[kind]().export()
            content = file_format.export_data(dataset)
        if isinstance(content, str):
            content = content.encode()
        output.write_bytes(content)
        self.stdout.write(f"{output.name}: {len(dataset)} {kind} exported.")
