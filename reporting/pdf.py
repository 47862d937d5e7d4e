"""The annual report as a PDF: a template of its own (reports/report_pdf.html) laid out by
WeasyPrint, in the language active when it is made (the reader's, or the command's --language).

WeasyPrint draws text with Pango, a system library: where Pango is missing, importing it raises
OSError, and `PdfUnavailable` carries a message that says what to install, which the page shows
instead of a server error. The document fetches nothing over the network: the only resources it
may load are the portal's static files (its stylesheet), read from disk as collectstatic finds
them; any other URL is refused.
"""

import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reporting.charts import report_charts, trend_chart
from reporting.figures import AnnualReport
from reporting.tables import department_label, period_text, report_tables, report_title

CONTENT_TYPE = "application/pdf"
TEMPLATE = "reports/report_pdf.html"


class PdfUnavailable(Exception):
    """WeasyPrint cannot run here: the system lacks Pango (or WeasyPrint is not installed)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return _(
            "The PDF cannot be made on this server: it needs the Pango text library and a font "
            "with Cyrillic letters, which are not installed. An administrator can install them "
            "(on Debian or Ubuntu: libpango-1.0-0, libpangoft2-1.0-0 and fonts-dejavu-core). "
            "The other downloads work as usual."
        )


def _weasyprint():
    try:
        import weasyprint  # noqa: PLC0415  # here, so that a missing Pango fails only the PDF
    except (OSError, ImportError) as error:
        raise PdfUnavailable(str(error)) from error
    return weasyprint


def static_file_path(url: str) -> str | None:
    """The file on disk behind a URL of the portal's static files, else None."""
    # STATIC_URL, not static(""): the manifest storage of a deployment has no entry for "".
    prefix = urlsplit(settings.STATIC_URL).path
    path = unquote(urlsplit(url).path)
    if not path.startswith(prefix):
        return None
    name = path.removeprefix(prefix)
    if not name or ".." in name.split("/"):
        return None
    found = finders.find(name)
    if found:
        return found
    # Collected (and, with the manifest storage, renamed) files of a deployment.
    if staticfiles_storage.exists(name):
        return staticfiles_storage.path(name)
    return None


def _static_files_fetcher(weasyprint):
    class StaticFilesFetcher(weasyprint.urls.URLFetcher):
        """Only the portal's static files, read from disk: no network, no other file."""

        def fetch(self, url, headers=None):
            path = static_file_path(url)
            if path is None:
                raise ValueError(f"The report's PDF loads only static files, not {url}")
            with open(path, "rb") as file:
                body = file.read()
            mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(
                url, body, headers={"Content-Type": mime_type}
            )

    return StaticFilesFetcher(allowed_protocols={"file"})


def logo_url() -> str:
    """UNIVERSITY_LOGO for the document's cover: a static file's URL, which the fetcher reads
    from disk; "" for none, and for an https address, since the PDF fetches nothing over the
    network."""
    logo = settings.UNIVERSITY_LOGO
    if not logo or logo.startswith("https://"):
        return ""
    return static(logo)


def page_counter_css() -> SafeString:
    """ "Page X of Y" as the CSS content of a page margin box, in the active language."""
    text = _("Page %(page)s of %(pages)s") % {"page": "\0page\0", "pages": "\0pages\0"}
    parts = []
    for number, part in enumerate(text.split("\0")):
        if number % 2:
            parts.append(f"counter({part})")
        elif part:
            parts.append(css_string(part))
    # The parts are CSS strings and counters made here, escaped for a <style> element.
    return mark_safe(" ".join(parts))  # noqa: S308  # nosec B308 B703


def css_string(text: str) -> SafeString:
    """A CSS string literal; < and & are escaped too, so no text can close a <style> element."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\<>&\n' else char for char in text.replace("\0", "")
    )
    # Every character that could end the string or the element is a CSS escape now.
    return mark_safe(f'"{escaped}"')  # noqa: S308  # nosec B308 B703


def headline_figures(report: AnnualReport) -> list[tuple]:
    """(label, this period, the previous one, change) of the first page's figures."""
    totals, duration = report.totals, report.total_duration
    conferences = report.conference_trip_total

    def row(label, current, previous):
        return (label, current, previous, round(current - previous, 1))

    return [
        row(_("Participants"), totals.current, totals.previous),
        row(_("Outgoing"), totals.outgoing, totals.previous_outgoing),
        row(_("Incoming"), totals.incoming, totals.previous_incoming),
        row(_("Person-days"), duration.person_days, duration.previous_person_days),
        row(_("Average duration, days"), duration.average_days, duration.previous_average_days),
        row(_("Conference and congress trips abroad"), conferences.current, conferences.previous),
    ]


class ReportDocument:
    """The annual report as one HTML document for WeasyPrint."""

    def __init__(self, report: AnnualReport, *, generated_by: str = ""):
        self.report, self.generated_by = report, generated_by

    def context(self) -> dict:
        report = self.report
        charts = {} if report.is_empty else report_charts(report, for_print=True)
        return {
            "report": report,
            "language_code": get_language(),
            "university": settings.UNIVERSITY_NAME,
            "logo_url": logo_url(),
            "title": report_title(report),
            "period": period_text(report),
            "department_label": department_label(report),
            "generated_on": timezone.localtime(),
            "generated_by": self.generated_by,
            "page_counter": page_counter_css(),
            "running_header": css_string(f"{report_title(report)} · {period_text(report)}"),
            "running_university": css_string(settings.UNIVERSITY_NAME),
            "headline": [] if report.is_empty else headline_figures(report),
            "trend_chart": None if report.is_empty else trend_chart(report, for_print=True),
            "sections": [
                (table, charts.get(table.key))
                for table in report_tables(report)
                if table.key != "trend"  # on the first page
            ],
        }

    def html(self) -> str:
        return render_to_string(TEMPLATE, self.context())


class PdfWriter:
    """Writes a ReportDocument as PDF; raises PdfUnavailable where WeasyPrint cannot run."""

    content_type = CONTENT_TYPE
    extension = "pdf"

    def write(self, document: ReportDocument, stream, *, progress=None) -> int:
        self.render(document).write_pdf(stream)
        return 0

    def render(self, document: ReportDocument):
        """The laid-out pages (a weasyprint Document), before they are written."""
        weasyprint = _weasyprint()
        html = weasyprint.HTML(
            string=document.html(),
            # Root-relative URLs ({% static %}) resolve against this; the fetcher reads them
            # from disk and never goes to the network.
            base_url="file:///",
            url_fetcher=_static_files_fetcher(weasyprint),
        )
        return html.render()
