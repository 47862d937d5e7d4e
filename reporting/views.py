"""The annual report pages and downloads: /reports/ and /reports/<year>/...

Who sees what: the international office the whole university (it may narrow the report to one
department with ?department=<id>); a coordinator only their own departments, whatever the
parameters say; everybody else is refused. ?period=academic switches from the calendar year
to the academic year that starts in <year>.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import cache, csv
from core.downloads import download
from core.exporters import CsvWriter, XlsxWriter, csv_writer_for
from core.periods import MAX_YEAR, MIN_YEAR
from core.roles import is_international_office
from partners.models import Department
from people.roles import is_coordinator
from reporting.charts import report_charts
from reporting.exporters import (
    XLSX_MAX_RECORDS,
    SummaryExporter,
    WorkbookExporter,
    export_file_name,
    report_records,
)
from reporting.figures import ACADEMIC, CALENDAR, PERIODS, build_annual_report, years_with_records
from reporting.pdf import PdfUnavailable, PdfWriter, ReportDocument
from reporting.tables import department_label, report_tables

SEMICOLON_PARAMETER = "semicolon"


class ReportFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        choices=[
            (CALENDAR, gettext_lazy("Calendar year")),
            (ACADEMIC, gettext_lazy("Academic year (September to August)")),
        ],
        required=False,
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=gettext_lazy("All departments"),
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


@dataclass
class ReportScope:
    """What one request may see: the period, and the departments (None: whole university)."""

    period: str
    departments: list[Department] | None
    department_choices: object  # the departments the person may narrow the report to
    chosen_department: int | None

    @property
    def query(self) -> str:
        """The parameters that links to other years and to the downloads keep."""
        params = {}
        if self.period != CALENDAR:
            params["period"] = self.period
        if self.chosen_department is not None:
            params["department"] = self.chosen_department
        return urlencode(params)


def _requested_period(request) -> str:
    period = request.GET.get("period") or CALENDAR
    if period not in PERIODS:
        raise BadRequest("Unknown report period.")
    return period


def _requested_delimiter(request) -> str:
    """?delimiter=semicolon: the CSV that spreadsheets set up for Russian or Belarusian open."""
    return csv.SEMICOLON if request.GET.get("delimiter") == SEMICOLON_PARAMETER else csv.COMMA


def _requested_department_id(request) -> int | None:
    try:
        return int(request.GET.get("department", ""))
    except ValueError:
        return None  # a bad filter value is ignored, never a server error


def _report_scope(request) -> ReportScope:
    cache.page_query(request, ["period", "department", "delimiter"])
    user = request.user
    period = _requested_period(request)
    wanted = _requested_department_id(request)
    if is_international_office(user):
        choices = Department.objects.all()
        chosen = Department.objects.filter(pk=wanted).first() if wanted is not None else None
        departments = None if chosen is None else [chosen]
    elif is_coordinator(user):
        choices = Department.objects.coordinated_by(user)
        own = list(choices)
        # A coordinator may narrow to one of their departments, never widen beyond them.
        narrowed = [department for department in own if department.pk == wanted]
        chosen = narrowed[0] if narrowed else None
        departments = narrowed or own
    else:
        raise PermissionDenied
    return ReportScope(
        period=period,
        departments=departments,
        department_choices=choices,
        chosen_department=chosen.pk if chosen else None,
    )


def _checked_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("No report for that year.")
    return year


def _url(name: str, scope: ReportScope, **kwargs) -> str:
    url = reverse(f"reports:{name}", kwargs=kwargs)
    return f"{url}?{scope.query}" if scope.query else url


def _semicolon(url: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}delimiter={SEMICOLON_PARAMETER}"


def report_index(request):
    scope = _report_scope(request)
    years = [
        (point, _url("detail", scope, year=point.year))
        for point in years_with_records(scope.period, department=scope.departments)
    ]
    context = {
        "years": years,
        "scope": scope,
        "is_academic": scope.period == ACADEMIC,
        "calendar_url": reverse("reports:index"),
        "academic_url": f"{reverse('reports:index')}?period={ACADEMIC}",
    }
    return render(request, "reports/report_index.html", context)


def _cache_scope(request, scope: ReportScope) -> str:
    """Whose page: the office's (any department it narrows to is in the parameters), or that of
    a coordinator's set of departments, which fixes their figures and their form's choices."""
    if is_international_office(request.user):
        return "office"
    # Evaluated by _report_scope already: no query.
    own = [department.pk for department in scope.department_choices]
    return f"coordinator-{cache.departments_scope(own)}"


def _annual_report(request, year: int, scope: ReportScope):
    """The report's figures for the downloads (summary CSV, workbook, PDF), computed once per
    data version: the office often downloads several after another."""
    return cache.cached(
        request,
        "report-figures",
        scope=_cache_scope(request, scope),
        build=lambda: build_annual_report(year, period=scope.period, department=scope.departments),
        extra=[year, scope.period],
    )


def report_detail(request, year: int):
    year = _checked_year(year)
    scope = _report_scope(request)
    # Everything on the page but the menu depends on the year, the parameters and the scope:
    # rendered once per data version (the form's choices are the scope's departments).
    page = cache.cached(
        request,
        "report-page",
        scope=_cache_scope(request, scope),
        build=lambda: _report_page(request, year, scope),
        extra=[year],
    )
    return render(request, "reports/report_detail.html", page)


def _report_page(request, year: int, scope: ReportScope) -> dict:
    # Not through _annual_report: the page keeps only what it shows (about 120 KB at scale
    # medium), where the figures with every agreement's row take three times that and more.
    report = build_annual_report(year, period=scope.period, department=scope.departments)
    form = ReportFilterForm(
        initial={"period": scope.period, "department": scope.chosen_department},
        departments=scope.department_choices,
    )
    if not is_international_office(request.user) and len(scope.departments or []) < 2:
        del form.fields["department"]  # nothing to choose between
    charts = report_charts(report)
    context = {
        "report": report,
        "department_label": department_label(report),
        "sections": [(table, charts.get(table.key)) for table in report_tables(report)],
        "form": form,
        "scope": scope,
        "downloads": {
            "records": _url("records-csv", scope, year=year),
            "records_semicolon": _semicolon(_url("records-csv", scope, year=year)),
            "summary": _url("summary-csv", scope, year=year),
            "summary_semicolon": _semicolon(_url("summary-csv", scope, year=year)),
            "xlsx": _url("report-xlsx", scope, year=year),
            "pdf": _url("report-pdf", scope, year=year),
        },
        "previous_url": _url("detail", scope, year=year - 1) if year > MIN_YEAR else None,
        "next_url": _url("detail", scope, year=year + 1) if year < MAX_YEAR else None,
    }
    return {
        # What the title and the printed page's heading need, not the whole report.
        "heading": {
            "label": str(report.label),
            "is_academic": report.is_academic,
            "first_day": report.first_day,
            "last_day": report.last_day,
            "department_label": str(department_label(report)),
        },
        "content": render_to_string("reports/report_detail_content.html", context, request),
    }


def records_csv(request, year: int):
    year = _checked_year(year)
    scope = _report_scope(request)
    exporter = report_records(year, scope.period, scope.departments)
    filename = export_file_name("records", year, scope.period, "csv")
    return download(exporter, csv_writer_for(exporter, _requested_delimiter(request)), filename)


def summary_csv(request, year: int):
    year = _checked_year(year)
    scope = _report_scope(request)
    report = _annual_report(request, year, scope)
    filename = export_file_name("summary", year, scope.period, "csv")
    return download(SummaryExporter(report), CsvWriter(_requested_delimiter(request)), filename)


def report_xlsx(request, year: int):
    year = _checked_year(year)
    scope = _report_scope(request)
    records = report_records(year, scope.period, scope.departments)
    if records.records.count() > XLSX_MAX_RECORDS:
        messages.error(
            request,
            _(
                "This report has more than %(limit)s records, too many for a workbook. "
                "Please download records.csv instead."
            )
            % {"limit": f"{XLSX_MAX_RECORDS:,}"},
        )
        return redirect(_url("detail", scope, year=year))
    report = _annual_report(request, year, scope)
    filename = export_file_name("report", year, scope.period, "xlsx")
    exporter = WorkbookExporter(report, records, generated_by=_generated_by(request.user))
    return download(exporter, XlsxWriter(), filename)


def report_pdf(request, year: int):
    year = _checked_year(year)
    scope = _report_scope(request)
    report = _annual_report(request, year, scope)
    document = ReportDocument(report, generated_by=_generated_by(request.user))
    filename = export_file_name("report", year, scope.period, "pdf")
    try:
        return download(document, PdfWriter(), filename)
    except PdfUnavailable as unavailable:
        # Without Pango the rest of the report works; the page says what the server lacks.
        context = {"message": unavailable.message, "report_url": _url("detail", scope, year=year)}
        return render(request, "reports/report_pdf_unavailable.html", context, status=503)


def _generated_by(user) -> str:
    return user.get_full_name() or user.get_username()
