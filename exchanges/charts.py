"""Charts of the annual report as server-side SVG (pygal), placed inline in the page.

Content Security Policy: pygal always writes a configuration <script> and a tooltip group with a
style attribute; an XML filter removes both, so the markup carries no script and no style
attribute. What remains is pygal's <style> element, scoped to the chart's id; the ids are fixed
per chart so that its text is the same on every request (a CSP hash can allow it).
Every chart's numbers are also in a table beside it on the page.
"""

import pygal
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

from exchanges.reports import AnnualReport

COUNTRIES_SHOWN = 15
CHART_STYLE = Style(
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    background="transparent",
    plot_background="transparent",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    # Outgoing, incoming: Bootstrap's primary blue and a dark orange, distinguishable in greyscale.
    colors=("#0d6efd", "#b35c00"),
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    value_font_size=12,
)


def _local_name(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _without_script_and_style_attributes(title: str):
    def xml_filter(root):
        for parent in list(root.iter()):
            for child in list(parent):
                # Scripts go, and so do comments (pygal's carry the date of rendering).
                if not isinstance(child.tag, str) or _local_name(child.tag) == "script":
                    parent.remove(child)
                elif _local_name(child.tag) == "title":
                    child.text = title
        for element in root.iter():
            element.attrib.pop("style", None)
        root.set("role", "img")
        root.set("aria-label", title)
        return root

    return xml_filter


def _render(chart_class, chart_id: str, title: str, x_labels, series, **config) -> SafeString:
    options = {"width": 800, "height": 400} | config
    chart = chart_class(
        style=CHART_STYLE,
        js=[],
        disable_xml_declaration=True,
        legend_at_bottom=True,
        print_values=False,
        show_y_guides=True,
        truncate_label=-1,
        truncate_legend=-1,
        no_data_text=_("No records"),
        **options,
    )
    chart.add_xml_filter(_without_script_and_style_attributes(title))
    # A fixed id instead of a random one: the same chart gives the same <style> text every time.
    chart.uuid = chart_id
    chart.x_labels = x_labels
    for label, values in series:
        chart.add(label, values)
    # Markup made by pygal's XML serializer, which escapes every label taken from the data.
    return mark_safe(chart.render(is_unicode=True, disable_xml_declaration=True))  # noqa: S308


def country_chart(report: AnnualReport) -> SafeString:
    rows = [row for row in report.by_country if row.current][:COUNTRIES_SHOWN]
    return _render(
        pygal.HorizontalBar,
        "report-countries",
        _("Participants by partner country, %(period)s") % {"period": report.label},
        [row.label for row in rows],
        [
            (_("Outgoing"), [row.outgoing for row in rows]),
            (_("Incoming"), [row.incoming for row in rows]),
        ],
        height=max(300, 40 * len(rows) + 120),
    )


def category_chart(report: AnnualReport) -> SafeString:
    rows = report.by_category
    return _render(
        pygal.Bar,
        "report-categories",
        _("Participants by category and direction, %(period)s") % {"period": report.label},
        [row.label for row in rows],
        [
            (_("Outgoing"), [row.outgoing for row in rows]),
            (_("Incoming"), [row.incoming for row in rows]),
        ],
        x_label_rotation=15,
    )


def trend_chart(report: AnnualReport) -> SafeString:
    points = report.trend
    return _render(
        pygal.Bar,
        "report-trend",
        _("Participants per year, by direction"),
        [point.label for point in points],
        [
            (_("Outgoing"), [point.outgoing for point in points]),
            (_("Incoming"), [point.incoming for point in points]),
        ],
    )


def report_charts(report: AnnualReport) -> dict[str, SafeString]:
    """Charts keyed by the figure table they illustrate."""
    return {
        "categories": category_chart(report),
        "countries": country_chart(report),
        "trend": trend_chart(report),
    }
