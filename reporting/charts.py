"""Charts of the annual report as server-side SVG (pygal), placed inline in the page.

Content Security Policy (style-src 'self', no inline scripts): pygal always writes a
configuration <script>, a <style> element and a tooltip group with a style attribute. An XML
filter removes all three and gives the elements SVG presentation attributes instead (fill,
stroke, font-size...), which are markup, not styles, so the strict policy lets them through.
Every chart's numbers are also in a table beside it on the page.
"""

import functools

import pygal
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reporting.figures import AnnualReport
from reporting.tables import group_label

COUNTRIES_SHOWN = 15
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
TEXT_COLOUR = "#212529"
# Outgoing, incoming: Bootstrap's primary blue and a dark orange, distinguishable in greyscale.
SERIES_COLOURS = ("#0d6efd", "#b35c00")
GUIDE_COLOUR = "#dee2e6"
AXIS_COLOUR = "#6c757d"


def _local_name(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _classes(element) -> set[str]:
    return set(element.get("class", "").split())


def _present(element, ancestors: set[str]) -> None:
    """Presentation attributes for what pygal's stylesheet would have said."""
    tag, classes = _local_name(element.tag), _classes(element)
    for index, colour in enumerate(SERIES_COLOURS):
        if f"color-{index}" in classes:
            element.set("fill", colour)
            element.set("stroke", colour)
    if "reactive" in classes:
        element.set("fill-opacity", "0.85")
    if tag == "rect" and "background" in classes:
        element.set("fill", "none")
    if tag == "path" and "line" in classes:
        element.set("fill", "none")
        element.set("stroke", GUIDE_COLOUR if "guide" in classes else AXIS_COLOUR)
    if tag == "text":
        element.set("fill", TEXT_COLOUR)
        element.set("font-family", FONT_FAMILY)
        element.set("font-size", "16" if {"title", "no_data"} & classes else "12")
        if {"title", "no_data", "centered"} & classes:
            element.set("text-anchor", "middle")
        elif "x" in ancestors and "axis" in ancestors:
            element.set("text-anchor", "start" if element.get("transform") else "middle")
        elif "y" in ancestors and "axis" in ancestors:
            element.set("text-anchor", "end")


def _csp_safe(title: str):
    def xml_filter(root):
        def walk(element, ancestors: set[str]) -> None:
            for child in list(element):
                tag, classes = _local_name(child.tag), _classes(child)
                # Scripts, the stylesheet, interactive tooltips (which need the script) and
                # comments (pygal's carry the date of rendering) go.
                if (
                    not isinstance(child.tag, str)
                    or tag in ("script", "style")
                    or "tooltip-overlay" in classes
                ):
                    element.remove(child)
                    continue
                if tag == "title" and element is root:
                    child.text = title
                child.attrib.pop("style", None)
                # Inline in HTML, ids must be unique on the page and a rect needs a width:
                # pygal repeats its legend ids (for its script) and leaves out zero widths.
                if child.get("id", "").startswith("activate-serie"):
                    del child.attrib["id"]
                if tag == "rect" and "width" not in child.attrib:
                    child.set("width", "0")
                _present(child, ancestors)
                walk(child, ancestors | classes)

        walk(root, set())
        root.set("role", "img")
        root.set("aria-label", title)
        return root

    return xml_filter


def _render(chart_class, chart_id: str, title: str, x_labels, series, **config) -> SafeString:
    svg = _svg(
        chart_class,
        chart_id,
        title,
        tuple(x_labels),
        tuple((label, tuple(values)) for label, values in series),
        _("No records"),
        tuple(sorted(config.items())),
    )
    # Markup made by pygal's XML serializer, which escapes every label taken from the data.
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703


# Drawing is the slowest part of the page after the queries, and the picture depends on nothing
# but these arguments (the figures, the translated texts): a report seen again with the same
# figures reuses it. No data can go stale here; new figures are new arguments.
@functools.lru_cache(maxsize=128)
def _svg(chart_class, chart_id, title, x_labels, series, no_data_text, config) -> str:
    options = {"width": 800, "height": 400} | dict(config)
    chart = chart_class(
        js=[],
        disable_xml_declaration=True,
        legend_at_bottom=True,
        print_values=False,
        show_y_guides=True,
        truncate_label=-1,
        truncate_legend=-1,
        no_data_text=no_data_text,
        **options,
    )
    chart.add_xml_filter(_csp_safe(title))
    chart.uuid = chart_id  # a readable, stable id instead of a random one
    chart.x_labels = list(x_labels)
    for label, values in series:
        chart.add(label, list(values))
    return chart.render(is_unicode=True, disable_xml_declaration=True)


def country_chart(report: AnnualReport) -> SafeString:
    # pygal draws a horizontal chart's first label at the bottom: largest last, so it is on top.
    rows = [row for row in report.by_country if row.current][:COUNTRIES_SHOWN][::-1]
    return _render(
        pygal.HorizontalBar,
        "report-countries",
        _("Participants by country where the mobility took place, %(period)s")
        % {"period": report.label},
        [group_label(row, "countries") for row in rows],
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
        [group_label(row, "categories") for row in rows],
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
