"""Charts of the annual report as server-side SVG (pygal), placed inline in the page.

Content Security Policy (style-src 'self', no inline scripts): pygal always writes a
configuration <script>, a <style> element and a tooltip group with a style attribute. An XML
filter removes all three and gives the elements SVG presentation attributes instead (fill,
stroke, font-size...), which are markup, not styles, so the strict policy lets them through.
Every chart's numbers are also in a table beside it on the page.

Sized for a phone first. An inline SVG scales with its width: its text is drawn at FONT_SIZE
units of a SCREEN.width-unit-wide picture, so a chart filling a 390 px phone's column (about
366 px) shows 12.8 px text, and the stylesheet (.chart, at most 480 px) keeps it near the page's
own size on wide screens. Bars lie horizontal, labels to their left and each bar's number at its
end, so that no label needs turning and the numbers are read without the table. The PDF draws
the same charts wider (PRINT), for a page of paper.
"""

import functools
from typing import NamedTuple

import pygal
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

from reporting.figures import AnnualReport
from reporting.tables import group_label

COUNTRIES_SHOWN = 15
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
TEXT_COLOUR = "#212529"
# Outgoing, incoming: Bootstrap's primary blue and a dark orange, distinguishable in greyscale.
SERIES_COLOURS = ("#0d6efd", "#b35c00")
GUIDE_COLOUR = "#dee2e6"
AXIS_COLOUR = "#6c757d"
FONT_SIZE = 14
# pygal lays out with these sizes; the same sizes go into the markup (_present).
STYLE = Style(
    font_family=FONT_FAMILY,
    colors=SERIES_COLOURS,
    label_font_size=FONT_SIZE,
    major_label_font_size=FONT_SIZE,
    value_font_size=FONT_SIZE,
    legend_font_size=FONT_SIZE,
    title_font_size=FONT_SIZE,
    no_data_font_size=FONT_SIZE,
)


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
        element.set("stroke", "none")  # not the series' colour of the group around it
        element.set("font-family", FONT_FAMILY)
        element.set("font-size", str(FONT_SIZE))
        if "value" in classes and "horizontal" in ancestors:
            # A bar's number just past its end, where it reads on the page's background.
            element.set("text-anchor", "start")
        elif {"title", "no_data", "centered"} & classes:
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
                # Scripts, the stylesheet, interactive tooltips and their data (which need the
                # script), comments (pygal's carry the date of rendering) and the empty labels
                # of zero values go.
                if (
                    not isinstance(child.tag, str)
                    or tag in ("script", "style", "desc")
                    or "tooltip-overlay" in classes
                    or (tag == "text" and not child.text)
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


class Layout(NamedTuple):
    width: int  # units of the SVG's viewBox
    group_height: int  # units of height for each group of bars (a country, a category, a year)


# The page: a chart fills the column of a phone and grows to at most 600 px (portal.css).
SCREEN = Layout(width=400, group_height=48)
# The PDF: a chart fills the A4 text width (180 mm), where 14 units of 800 are 9 pt.
PRINT = Layout(width=800, group_height=36)


def _render(chart_class, chart_id: str, title: str, x_labels, series, layout: Layout) -> SafeString:
    svg = _svg(
        chart_class,
        chart_id,
        title,
        tuple(x_labels),
        tuple((label, tuple(values)) for label, values in series),
        _("No records"),
        layout,
    )
    # Markup made by pygal's XML serializer, which escapes every label taken from the data.
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703


def _longest_number(series) -> int:
    return max((len(str(value)) for _, values in series for value in values), default=1)


# Drawing is the slowest part of the page after the queries, and the picture depends on nothing
# but these arguments (the figures, the translated texts): a report seen again with the same
# figures reuses it. No data can go stale here; new figures are new arguments.
@functools.lru_cache(maxsize=128)
def _svg(chart_class, chart_id, title, x_labels, series, no_data_text, layout) -> str:
    horizontal = issubclass(chart_class, pygal.HorizontalBar)
    if horizontal:
        # Groups on the left, top to bottom; room for the longest number after the longest
        # bar (pygal leaves it only above vertical bars). pygal's y labels are the groups here.
        height = max(160, layout.group_height * len(x_labels) + 90)
        number_room = round(FONT_SIZE * (0.5 + 0.65 * _longest_number(series)))
        options = {"margin_right": 8 + number_room, "show_x_labels": False}
        # pygal draws a horizontal chart's first label at the bottom: reversed, it is on top.
        x_labels = x_labels[::-1]
        series = tuple((label, values[::-1]) for label, values in series)
    else:
        height = layout.width // 2
        options = {"show_y_labels": False}
    chart = chart_class(
        js=[],
        disable_xml_declaration=True,
        style=STYLE,
        width=layout.width,
        height=height,
        margin=8,
        spacing=8,
        # One series a line: a legend beside a narrow plot would run into itself.
        legend_at_bottom=True,
        legend_at_bottom_columns=1,
        legend_box_size=FONT_SIZE,
        # The numbers stand at the bars' ends: no value axis, no guides to read them from.
        print_values=True,
        print_values_position="top",
        print_zeroes=False,
        show_x_guides=False,
        show_y_guides=False,
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


def country_chart(report: AnnualReport, layout: Layout = SCREEN) -> SafeString:
    rows = [row for row in report.by_country if row.current][:COUNTRIES_SHOWN]
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
        layout,
    )


def category_chart(report: AnnualReport, layout: Layout = SCREEN) -> SafeString:
    rows = report.by_category
    return _render(
        pygal.HorizontalBar,
        "report-categories",
        _("Participants by category and direction, %(period)s") % {"period": report.label},
        [group_label(row, "categories") for row in rows],
        [
            (_("Outgoing"), [row.outgoing for row in rows]),
            (_("Incoming"), [row.incoming for row in rows]),
        ],
        layout,
    )


def trend_chart(report: AnnualReport, layout: Layout = SCREEN) -> SafeString:
    """Horizontal on the page (a phone's column is narrow); years side by side on paper,
    where the first page has room for the chart's width but not for its height."""
    points = report.trend
    return _render(
        pygal.HorizontalBar if layout is SCREEN else pygal.Bar,
        "report-trend",
        _("Participants per year, by direction"),
        [point.label for point in points],
        [
            (_("Outgoing"), [point.outgoing for point in points]),
            (_("Incoming"), [point.incoming for point in points]),
        ],
        layout,
    )


def report_charts(report: AnnualReport, layout: Layout = SCREEN) -> dict[str, SafeString]:
    """Charts keyed by the figure table they illustrate."""
    return {
        "categories": category_chart(report, layout),
        "countries": country_chart(report, layout),
        "trend": trend_chart(report, layout),
    }
