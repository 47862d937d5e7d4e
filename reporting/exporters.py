"""The annual report's exporters: summary.csv (the figure tables) and the workbook.

records.csv is exchanges' own exporter (exchanges.exporters.RecordsExporter); the workbook puts
its rows first. Writers and downloads are core's (core.exporters, core.downloads).
"""

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.exporters import Exporter, csv_writer_for
from exchanges.exporters import RecordsExporter
from reporting.figures import ACADEMIC, CALENDAR, AnnualReport, counted_records, period_bounds
from reporting.tables import department_label, report_tables

# Beyond this many records a workbook takes too long to write and to open: records.csv instead.
# Measured (bench/results.md) at about 9,000 records/s for the records sheet on the 2-core
# target under load, and about 2 s for the figure sheets, so the limit keeps a download within
# about 15 seconds.
XLSX_MAX_RECORDS = 120_000


def report_records(year: int, period: str, departments) -> RecordsExporter:
    """records.csv of one report: its counted records."""
    first, last = period_bounds(year, period)
    return records_exporter(counted_records(first, last, department=departments), period)


def records_exporter(records: QuerySet, period: str = CALENDAR) -> RecordsExporter:
    return RecordsExporter(records, academic=period == ACADEMIC)


class SummaryExporter(Exporter):
    """Every figure table one after another, each with a title row and a header row."""

    def __init__(self, report: AnnualReport):
        self.report = report

    def rows(self) -> Iterator[list]:
        report = self.report
        yield [_("Annual mobility report"), report.label, department_label(report)]
        yield [_("Archived mobility records (not counted)"), report.archived]
        for table in report_tables(report):
            yield []
            yield [table.title]
            yield from table.rows_with_header()


class WorkbookExporter(Exporter):
    """The workbook: a sheet of records, then one sheet per figure table."""

    def __init__(self, report: AnnualReport, records: RecordsExporter):
        self.report, self.records = report, records

    def sheets(self) -> Iterator[tuple[str, Iterable[list]]]:
        yield from self.records.sheets()
        for table in report_tables(self.report):
            yield table.sheet_name, table.rows_with_header()


def export_file_name(kind: str, year: int, period: str, extension: str) -> str:
    suffix = "" if period == CALENDAR else f"-{period}"
    return f"mobility-{kind}-{year}{suffix}.{extension}"


def write_records_csv(records: QuerySet, stream, *, period: str = CALENDAR, progress=None) -> int:
    """records.csv of the queryset into a binary stream, by COPY where the database can."""
    exporter = records_exporter(records, period)
    return csv_writer_for(exporter).write(exporter, stream, progress=progress)
