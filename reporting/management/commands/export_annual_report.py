"""Write the annual report to a file, for scheduled runs: the same exporters as the downloads.

    python manage.py export_annual_report --year 2025 [--period academic] [--format csv|xlsx]
        [--department ID] [--summary] [--output FILE]

CSV is records.csv (one row per record), or with --summary the figure tables (summary.csv);
XLSX is the workbook. The default file name is the download's; "-" writes a CSV to stdout.
Progress goes to stderr, so that stdout carries only the CSV.
"""

import codecs
import itertools
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partners.models import Department
from reporting import exports
from reporting.reports import (
    ACADEMIC,
    CALENDAR,
    MAX_YEAR,
    MIN_YEAR,
    build_annual_report,
    counted_records,
    period_bounds,
)

PROGRESS_EVERY = 10_000


class Command(BaseCommand):
    help = "Export the annual mobility report of a year as CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="The year, e.g. 2025.")
        parser.add_argument(
            "--period",
            choices=[CALENDAR, ACADEMIC],
            default=CALENDAR,
            help="calendar (default), or academic: September of --year to August.",
        )
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--department", type=int, help="Only this department's records.")
        parser.add_argument(
            "--summary",
            action="store_true",
            help="CSV only: write the figure tables instead of one row per record.",
        )
        parser.add_argument(
            "--output", help='File to write; the download\'s name by default, "-" for stdout.'
        )

    def handle(self, *args, year, period, format, department, summary, output, **options):
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(f"--year must be between {MIN_YEAR} and {MAX_YEAR}.")
        if department is not None and not Department.objects.filter(pk=department).exists():
            raise CommandError(f"There is no department with the id {department}.")
        if summary and format != "csv":
            raise CommandError("--summary goes with --format csv; the workbook has the tables.")
        kind = "summary" if summary else ("records" if format == "csv" else "report")
        output = output or exports.export_file_name(kind, year, period, format)
        if output == "-" and format == "xlsx":
            raise CommandError("A workbook cannot go to stdout; give --output FILE.")
        if output != "-" and not Path(output).resolve().parent.is_dir():
            raise CommandError(f"The folder of {output} does not exist.")

        first, last = period_bounds(year, period)
        records = counted_records(first, last, department=department)
        self.written = 0
        if format == "xlsx":
            self._write_xlsx(year, period, department, records, output)
        elif summary:
            report = build_annual_report(year, period=period, department=department)
            self._write_csv(exports.summary_rows(report), output)
        else:
            self._write_records_csv(records, period, output)

        scope = f"department {department}" if department is not None else "whole university"
        what = "figure tables" if summary else f"{self.written:,} records"
        self.stderr.write(f"Wrote {what} of {year} ({period}, {scope}) to {output}.")

    def _write_csv(self, rows, output: str) -> None:
        if output == "-":
            for chunk in exports.csv_chunks(rows):
                self.stdout.write(chunk, ending="")
            self.stdout.flush()
            return
        with open(output, "w", encoding="utf-8", newline="") as stream:
            exports.write_csv(rows, stream)

    def _write_records_csv(self, records, period: str, output: str) -> None:
        if output == "-":
            self.written = exports.write_records_csv(
                records, _TextOutput(self.stdout), period=period, progress=self._progress
            )
            self.stdout.flush()
            return
        with open(output, "wb") as stream:
            self.written = exports.write_records_csv(
                records, stream, period=period, progress=self._progress
            )

    def _write_xlsx(self, year, period, department, records, output: str) -> None:
        count = records.count()
        if count > exports.XLSX_MAX_RECORDS:
            raise CommandError(
                f"{count:,} records are more than a workbook takes "
                f"({exports.XLSX_MAX_RECORDS:,}); use --format csv."
            )
        report = build_annual_report(year, period=period, department=department)
        sheets = exports.report_sheets(report, records)
        name, rows = next(sheets)
        exports.write_xlsx(output, itertools.chain([(name, self._counted(rows))], sheets))

    def _counted(self, rows):
        """Pass the rows on, counting the records (not the header) and telling how far it got."""
        for number, row in enumerate(rows):
            if number:
                self._progress(number)
            self.written = number
            yield row

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
