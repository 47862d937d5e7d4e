"""Write the annual report to a file, for scheduled runs: the same exporters as the downloads.

    python manage.py export_annual_report --year 2025 [--period academic] [--format csv|xlsx|pdf]
        [--department ID] [--summary] [--output FILE] [--language en|ru|be] [--delimiter ';']

CSV is records.csv (one row per record), or with --summary the figure tables (summary.csv);
XLSX is the workbook, PDF the page's report.pdf (it needs Pango, see docs/deploy.md). The
default file name is the download's; "-" writes a CSV to stdout.
Progress goes to stderr, so that stdout carries only the CSV. Headers, labels and sheet names are
in --language (LANGUAGE_CODE by default), as a download is in its reader's language; the CSV's
dates stay ISO 8601. --delimiter ';' writes the semicolon form with decimal commas that
spreadsheets set up for Russian or Belarusian open in columns; the default is commas and dots.
"""

import codecs
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from core import csv
from core.exporters import CsvWriter, XlsxWriter, csv_writer_for
from core.periods import MAX_YEAR, MIN_YEAR
from partners.models import Department
from reporting.exporters import (
    XLSX_MAX_RECORDS,
    SummaryExporter,
    WorkbookExporter,
    export_file_name,
    report_records,
)
from reporting.figures import ACADEMIC, CALENDAR, build_annual_report
from reporting.pdf import PdfUnavailable, PdfWriter, ReportDocument

PROGRESS_EVERY = 10_000


def _scheduled_export() -> str:
    return _("the scheduled export (export_annual_report)")


class Command(BaseCommand):
    help = "Export the annual mobility report of a year as CSV, XLSX or PDF."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="The year, e.g. 2025.")
        parser.add_argument(
            "--period",
            choices=[CALENDAR, ACADEMIC],
            default=CALENDAR,
            help="calendar (default), or academic: September of --year to August.",
        )
        parser.add_argument("--format", choices=["csv", "xlsx", "pdf"], default="csv")
        parser.add_argument("--department", type=int, help="Only this department's records.")
        parser.add_argument(
            "--summary",
            action="store_true",
            help="CSV only: write the figure tables instead of one row per record.",
        )
        parser.add_argument(
            "--output", help='File to write; the download\'s name by default, "-" for stdout.'
        )
        parser.add_argument(
            "--delimiter",
            choices=list(csv.DELIMITERS),
            default=csv.COMMA,
            help="CSV only: ',' (default, decimal point) or ';' (decimal comma).",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="The language of headers and labels (default: LANGUAGE_CODE, now %(default)s).",
        )

    def handle(self, *args, language, **options):
        # A cron job has no request to choose a language: the exporter's rows are written in
        # the one asked for.
        with translation.override(language):
            self._export(**options)

    def _export(self, *, year, period, format, department, summary, output, delimiter, **options):
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(f"--year must be between {MIN_YEAR} and {MAX_YEAR}.")
        if department is not None and not Department.objects.filter(pk=department).exists():
            raise CommandError(f"There is no department with the id {department}.")
        if delimiter != csv.COMMA and format != "csv":
            raise CommandError("--delimiter goes with --format csv.")
        if summary and format != "csv":
            raise CommandError("--summary goes with --format csv; the workbook has the tables.")
        kind = "summary" if summary else ("records" if format == "csv" else "report")
        output = output or export_file_name(kind, year, period, format)
        if output == "-" and format != "csv":
            raise CommandError(f"A {format.upper()} file cannot go to stdout; give --output FILE.")
        if output != "-" and not Path(output).resolve().parent.is_dir():
            raise CommandError(f"The folder of {output} does not exist.")

        records = report_records(year, period, department)
        if format == "pdf":
            report = build_annual_report(year, period=period, department=department)
            exporter = ReportDocument(report, generated_by=_scheduled_export())
            writer = PdfWriter()
        elif format == "xlsx":
            count = records.records.count()
            if count > XLSX_MAX_RECORDS:
                raise CommandError(
                    f"{count:,} records are more than a workbook takes "
                    f"({XLSX_MAX_RECORDS:,}); use --format csv."
                )
            report = build_annual_report(year, period=period, department=department)
            exporter = WorkbookExporter(report, records, generated_by=_scheduled_export())
            writer = XlsxWriter()
        elif summary:
            report = build_annual_report(year, period=period, department=department)
            exporter, writer = SummaryExporter(report), CsvWriter(delimiter)
        else:
            exporter, writer = records, csv_writer_for(records, delimiter)
        try:
            self.written = self._write(exporter, writer, output)
        except PdfUnavailable as unavailable:
            Path(output).unlink(missing_ok=True)
            raise CommandError(f"{unavailable.message} ({unavailable.reason})") from unavailable

        scope = f"department {department}" if department is not None else "whole university"
        what = "figure tables" if summary or format == "pdf" else f"{self.written:,} records"
        self.stderr.write(f"Wrote {what} of {year} ({period}, {scope}) to {output}.")

    def _write(self, exporter, writer, output: str) -> int:
        if output == "-":
            written = writer.write(exporter, _TextOutput(self.stdout), progress=self._progress)
            self.stdout.flush()
            return written
        with open(output, "wb") as stream:
            return writer.write(exporter, stream, progress=self._progress)

    def _progress(self, records: int) -> None:
        if records % PROGRESS_EVERY == 0:
            self.stderr.write(f"{records:,} records…")


class _TextOutput:
    """The command's text stdout as the binary stream write_records_csv writes to."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, data: bytes) -> None:
        self.stdout.write(self.decoder.decode(data), ending="")
