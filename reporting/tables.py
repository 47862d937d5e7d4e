"""The annual report as tables: titles, headers, sheet names and labels around the figures.

reporting.figures computes the numbers; this module names them. Each `Table` is one figure as
the page, summary.csv and the workbook's sheets print it; `report_tables(report)` gives them in
the report's order.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reporting.figures import AnnualReport, DurationRow, GroupRow, sum_rows

# Long tables (a thousand partners) show this many rows on the page; the downloads hold all.
PAGE_ROWS = 25


class CellRows(Sequence):
    """A long table's rows as cells, each row made when it is read: the page reads 25 of
    thousands (partners, programs, agreements), the downloads all of them once."""

    def __init__(self, items: Sequence, cells: Callable[..., list]):
        self.items, self.cells = items, cells

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.cells(item) for item in self.items[index]]
        return self.cells(self.items[index])

    def __iter__(self):
        return map(self.cells, self.items)


@dataclass
class Table:
    """One figure as a table: what the page, the summary CSV and the XLSX sheets print."""

    key: str
    title: str
    sheet_name: str
    header: list[str]
    rows: Sequence[list]
    footer: list[list] = field(default_factory=list)
    page_limit: int | None = None
    label_columns: int = 1  # the leading columns that name the row; the rest are numbers

    @property
    def page_rows(self) -> list[list]:
        return self.rows if self.page_limit is None else self.rows[: self.page_limit]

    @property
    def rows_not_shown(self) -> int:
        return len(self.rows) - len(self.page_rows)

    def _split(self, row: list) -> tuple:
        return row[0], row[1 : self.label_columns], row[self.label_columns :]

    # The page prints the cell that names a row, its other label cells and its numbers each in
    # their own way; handing them over apart spares the template a test per cell.
    @property
    def page_row_parts(self) -> list[tuple]:
        return [self._split(row) for row in self.page_rows]

    @property
    def footer_parts(self) -> list[tuple]:
        return [self._split(row) for row in self.footer]

    @property
    def header_parts(self) -> tuple[list, list]:
        return self.header[: self.label_columns], self.header[self.label_columns :]

    def rows_with_header(self):
        """Header, rows, then the total row: the table as a CSV or a sheet holds it."""
        yield self.header
        yield from self.rows
        yield from self.footer


def empty_labels() -> dict[str, str]:
    """What a group without a name is called, per table (figures leave its label empty)."""
    return {
        "categories": _("Other"),
        "countries": _("Country not given"),
        "partners": _("Individual trips without a partner institution (conferences, congresses)"),
        "programs": _("Outside exchange programs"),
        "program-kinds": _("Outside exchange programs"),
        "purposes": _("Other"),
        "departments": _("No department"),
    }


def group_label(row: GroupRow, table_key: str) -> str:
    return row.label or empty_labels().get(table_key, "")


def department_label(report: AnnualReport) -> str:
    if report.departments is None:
        return _("Whole university")
    return ", ".join(department.name for department in report.departments)


def report_title(report: AnnualReport) -> str:
    if report.is_academic:
        return _("Annual mobility report for the academic year %(period)s") % {
            "period": report.label
        }
    return _("Annual mobility report %(period)s") % {"period": report.label}


def period_text(report: AnnualReport) -> str:
    """The period's first and last days, as the reader's language writes dates."""
    first, last = (date_format(day, "DATE_FORMAT") for day in (report.first_day, report.last_day))
    return f"{first} – {last}"


def _breakdowns() -> list[tuple]:
    """(key, title, sheet name, label headers, page limit) of each breakdown table, in order."""
    return [
        (
            "categories",
            _("Participants by direction and category"),
            _("Categories"),
            [_("Category")],
            None,
        ),
        (
            "countries",
            _("Participants by country where the mobility took place"),
            _("Countries"),
            [_("Country code"), _("Country")],
            None,
        ),
        (
            "partners",
            _("Participants by partner institution"),
            _("Partners"),
            [_("Partner institution"), _("Country")],
            PAGE_ROWS,
        ),
        (
            "programs",
            _("Participants by program"),
            _("Programs"),
            [_("Program"), _("Program kind")],
            PAGE_ROWS,
        ),
        (
            "program-kinds",
            _("Participants by program kind"),
            _("Program kinds"),
            [_("Program kind")],
            None,
        ),
        ("purposes", _("Participants by purpose"), _("Purposes"), [_("Purpose")], None),
        ("departments", _("Participants by department"), _("Departments"), [_("Department")], None),
    ]


# Which of the report's rows each breakdown table shows.
BREAKDOWN_ROWS = {
    "categories": "by_category",
    "countries": "by_country",
    "partners": "by_partner",
    "programs": "by_program",
    "program-kinds": "by_program_kind",
    "purposes": "by_purpose",
    "departments": "by_department",
}


def report_tables(report: AnnualReport) -> list[Table]:
    breakdowns = [
        _group_table(
            report,
            key,
            title,
            sheet_name,
            label_header,
            getattr(report, BREAKDOWN_ROWS[key]),
            page_limit=page_limit,
        )
        for key, title, sheet_name, label_header, page_limit in _breakdowns()
    ]
    return [
        *breakdowns,
        _duration_table(report),
        _conference_table(report),
        _agreement_table(report),
        _trend_table(report),
    ]


def _counts_header(report: AnnualReport, directions: bool = True) -> list[str]:
    now, before = report.label, report.previous_label
    if not directions:
        return [now, before, pgettext("year-on-year difference", "Change")]
    return [
        _("Outgoing %(period)s") % {"period": now},
        _("Incoming %(period)s") % {"period": now},
        _("Total %(period)s") % {"period": now},
        _("Outgoing %(period)s") % {"period": before},
        _("Incoming %(period)s") % {"period": before},
        _("Total %(period)s") % {"period": before},
        pgettext("year-on-year difference", "Change"),
    ]


def _counts(row: GroupRow) -> list[int]:
    return [
        row.outgoing,
        row.incoming,
        row.current,
        row.previous_outgoing,
        row.previous_incoming,
        row.previous,
        row.change,
    ]


def _group_table(
    report: AnnualReport,
    key: str,
    title: str,
    sheet_name: str,
    label_header: list[str],
    rows: list[GroupRow],
    *,
    page_limit: int | None = None,
) -> Table:
    def labels(row: GroupRow) -> list:
        if key == "countries":
            return [row.key or "", group_label(row, key)]
        if key in ("partners", "programs"):
            return [group_label(row, key), row.detail]
        return [group_label(row, key)]

    total = sum_rows(rows)
    padding = [""] * (len(label_header) - 1)
    return Table(
        key=key,
        title=title,
        sheet_name=sheet_name,
        header=label_header + _counts_header(report),
        rows=CellRows(rows, lambda row: labels(row) + _counts(row)),
        footer=[[_("Total"), *padding, *_counts(total)]],
        page_limit=page_limit,
        label_columns=len(label_header),
    )


def _duration_table(report: AnnualReport) -> Table:
    now, before = report.label, report.previous_label

    def cells(row: DurationRow) -> list:
        return [
            row.label or _("Total"),
            row.participants,
            row.person_days,
            row.average_days,
            row.previous_participants,
            row.previous_person_days,
            row.previous_average_days,
            row.change,
        ]

    return Table(
        key="durations",
        title=_("Person-days and average duration"),
        sheet_name=_("Duration"),
        header=[
            _("Direction"),
            _("Participants %(period)s") % {"period": now},
            _("Person-days %(period)s") % {"period": now},
            _("Average days %(period)s") % {"period": now},
            _("Participants %(period)s") % {"period": before},
            _("Person-days %(period)s") % {"period": before},
            _("Average days %(period)s") % {"period": before},
            _("Change in person-days"),
        ],
        rows=[cells(row) for row in report.durations[:-1]],
        footer=[cells(report.durations[-1])],
    )


def _conference_table(report: AnnualReport) -> Table:
    total = report.conference_trip_total
    return Table(
        key="conferences",
        title=_("Conference and congress trips abroad"),
        sheet_name=_("Conferences"),
        header=[_("Country")] + _counts_header(report, directions=False),
        rows=[
            [row.label, row.current, row.previous, row.change] for row in report.conference_trips
        ],
        footer=[[_("Total"), total.current, total.previous, total.change]],
    )


def _agreement_table(report: AnnualReport) -> Table:
    return Table(
        key="agreements",
        title=_("Participants per active agreement"),
        sheet_name=_("Agreements"),
        header=[
            _("Agreement reference"),
            _("Partner institution"),
            _("Country"),
            _("Signed on"),
            *_counts_header(report, directions=False),
            _("Total since signed"),
        ],
        rows=CellRows(
            report.agreements,
            lambda row: [
                row.reference,
                row.partner,
                row.country,
                row.signed_on,
                row.current,
                row.previous,
                row.change,
                row.since_signed,
            ],
        ),
        page_limit=PAGE_ROWS,
        label_columns=3,
    )


def _trend_table(report: AnnualReport) -> Table:
    return Table(
        key="trend",
        title=_("Ten-year trend"),
        sheet_name=_("Trend"),
        header=[_("Year"), _("Outgoing"), _("Incoming"), _("Total")],
        rows=[[point.label, point.outgoing, point.incoming, point.total] for point in report.trend],
    )
