"""Exporters and writers, in pretix's shape.

An exporter yields a header and then rows (`rows`), or named sheets of such rows (`sheets`),
with everything fetched up front; it knows nothing of HTTP, the admin or files. A writer turns an
exporter into bytes on a stream: CSV through core.csv (the one safe CSV writer), XLSX through
core.xlsx, or CSV written by PostgreSQL itself with COPY for an exporter that offers the same
rows as one query (`copy_query`), byte for byte what the CSV writer writes
(tests/reporting/test_exports_copy.py). The page, the admin action and the command pick an
exporter and a writer; core.downloads turns the pair into a response.
"""

from collections.abc import Callable, Iterable, Iterator

from django.core.exceptions import EmptyResultSet
from django.db import connections

from core import csv, xlsx

Progress = Callable[[int], None] | None


class Exporter:
    """What every exporter offers. `rows` yields the header first."""

    sheet_name = "Sheet"
    # The sheet whose rows a workbook's writer counts and reports progress on (None: the first).
    counted_sheet: str | None = None
    # An exporter that can give its data rows as one query sets these (see copy_query).
    supports_copy = False
    using: str | None = None

    def rows(self) -> Iterator[list]:
        raise NotImplementedError

    def sheets(self) -> Iterator[tuple]:
        """(name, rows) pairs, or (name, rows, core.xlsx.Layout) for a laid-out sheet."""
        yield self.sheet_name, self.rows()

    def copy_query(self) -> tuple[str, list]:
        """SQL and parameters of a SELECT on the database `using` that gives the data rows as
        the CSV writer writes them, where `supports_copy`. Raises EmptyResultSet for a query
        that can match nothing."""
        raise NotImplementedError

    def header(self) -> list:
        return next(iter(self.rows()))


def _counted(rows: Iterable[list], progress: Progress, counter: list[int]) -> Iterator[list]:
    """Pass the rows on, counting the data rows (not the header) into counter[0]."""
    for number, row in enumerate(rows):
        if number:
            counter[0] = number
            if progress:
                progress(number)
        yield row


class CsvWriter:
    """Comma-separated with a decimal point, or with `delimiter=";"` semicolon-separated with a
    decimal comma (core.csv)."""

    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def __init__(self, delimiter: str = csv.COMMA):
        if delimiter not in csv.DELIMITERS:
            raise ValueError(f"A CSV is separated by one of {csv.DELIMITERS}, not {delimiter!r}.")
        self.delimiter = delimiter

    def write(self, exporter: Exporter, stream, *, progress: Progress = None) -> int:
        """The exporter's rows as CSV into a binary stream; returns the number of data rows."""
        counter = [0]
        rows = _counted(exporter.rows(), progress, counter)
        for chunk in csv.chunks(rows, delimiter=self.delimiter):
            stream.write(chunk.encode())
        return counter[0]


class CopyCsvWriter(CsvWriter):
    """PostgreSQL writes the CSV (COPY ... TO STDOUT), several times the rows per second."""

    def write(self, exporter: Exporter, stream, *, progress: Progress = None) -> int:
        stream.write("".join(csv.chunks([exporter.header()], delimiter=self.delimiter)).encode())
        try:
            sql, params = exporter.copy_query()
        except EmptyResultSet:  # a filter that can match nothing, such as department__in=[]
            return 0
        with connections[exporter.using].cursor() as cursor:
            # COPY takes no bind parameters: psycopg2 binds them into the text, quoted, as it
            # does for every query; the SQL around them is the exporter's.
            # The copy query's numbers are whole (years, days): no decimal comma to write.
            # The semicolon form quotes every value that is not NULL, as core.csv does.
            force_quote = ", FORCE_QUOTE *" if self.delimiter == csv.SEMICOLON else ""
            copy = cursor.mogrify(
                f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, ENCODING 'UTF8', DELIMITER %s"
                f"{force_quote})",
                [*params, self.delimiter],
            )
            cursor.copy_expert(copy.decode(), _RowCounter(stream, progress) if progress else stream)
            return cursor.rowcount


class _RowCounter:
    """COPY's output passed on and counted: PostgreSQL sends each row in a message of its own,
    which psycopg2 hands to write() on its own."""

    def __init__(self, stream, progress: Callable[[int], None]):
        self.stream, self.progress, self.rows = stream, progress, 0

    def write(self, row: bytes):
        self.rows += 1
        self.progress(self.rows)
        return self.stream.write(row)


class XlsxWriter:
    content_type = xlsx.CONTENT_TYPE
    extension = "xlsx"

    def write(self, exporter: Exporter, stream, *, progress: Progress = None) -> int:
        """The exporter's sheets as a workbook; returns the number of data rows of the sheet
        named `exporter.counted_sheet` (the first sheet when it names none)."""
        counter = [0]
        counted = exporter.counted_sheet

        def sheets():
            first = True
            for name, rows, *layout in exporter.sheets():
                if (counted is None and first) or (counted is not None and name == counted):
                    rows = _counted(rows, progress, counter)
                first = False
                yield name, rows, *layout

        xlsx.write(stream, sheets())
        return counter[0]


def csv_writer_for(exporter: Exporter, delimiter: str = csv.COMMA) -> CsvWriter:
    """COPY where the exporter offers its query and the database is PostgreSQL, else Python."""
    if exporter.supports_copy and connections[exporter.using].vendor == "postgresql":
        return CopyCsvWriter(delimiter)
    return CsvWriter(delimiter)
