"""Charts of the annual report as SVG made on the server, placed inline in the page and the PDF.

Content Security Policy (style-src 'self', no inline scripts): a chart carries SVG presentation
attributes (fill, font-size...), which are markup, not styles, and no script. Every chart's
numbers are also in a table beside it.

On the page, every chart is a list of horizontal bars (`_bar_list_svg`), drawn here for a phone
first. An inline SVG scales with its width: its text is FONT_SIZE units of a SCREEN_WIDTH-unit-wide
picture, so a chart filling a 390 px phone's column (about 366 px) shows 12.8 px text, and the
stylesheet (.chart, at most 480 px) keeps it near the page's own size on wider screens. Each
group's label stands to the left of its bars when every label is short (years, most countries),
else above them, so that a long category in Russian leaves the bars their room; each bar's
number stands at its end. The PDF draws the same lists wider (PRINT_WIDTH) and its ten-year
trend as columns with pygal, whose SVG is cleaned of what the policy refuses (`_csp_safe`).
"""

import functools
from xml.etree import ElementTree

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
SCREEN_WIDTH = 400
PRINT_WIDTH = 800  # the A4 text width (180 mm): 14 units are 9 pt
BAR_HEIGHT = 16
BAR_GAP = 2
GROUP_GAP = 12
# Average letter width as a share of the font size, generous for Latin and Cyrillic alike.
CHAR_WIDTH = 0.62
# Labels at most this share of the width stand left of their bars; longer ones go above them.
LABELS_LEFT_AT_MOST = 0.3
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
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


def _units(number: float) -> str:
    return f"{number:.1f}".removesuffix(".0")


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH * FONT_SIZE


class _Drawing:
    """An SVG element tree with the chart's text attributes."""

    def __init__(self, chart_id: str, title: str):
        self.root = ElementTree.Element(
            "svg",
            {"xmlns": SVG_NAMESPACE, "id": f"chart-{chart_id}", "role": "img", "aria-label": title},
        )
        ElementTree.SubElement(self.root, "title").text = title

    def text(self, x: float, y: float, content: str, *, anchor="start", kind="") -> None:
        attributes = {
            "x": _units(x),
            "y": _units(y),
            "fill": TEXT_COLOUR,
            "font-family": FONT_FAMILY,
            "font-size": str(FONT_SIZE),
            "text-anchor": anchor,
        }
        if kind:
            attributes["class"] = kind
        ElementTree.SubElement(self.root, "text", attributes).text = content

    def rect(self, x: float, y: float, width: float, height: float, colour: str) -> None:
        sizes = {"x": x, "y": y, "width": width, "height": height}
        attributes = {name: _units(value) for name, value in sizes.items()}
        ElementTree.SubElement(self.root, "rect", attributes | {"fill": colour})

    def svg(self, width: int, height: float) -> str:
        self.root.set("viewBox", f"0 0 {width} {_units(height)}")
        return ElementTree.tostring(self.root, encoding="unicode")


# Drawing is the slowest part of the page after the queries, and the picture depends on nothing
# but these arguments (the figures, the translated texts): a report seen again with the same
# figures reuses it. No data can go stale here; new figures are new arguments.
@functools.lru_cache(maxsize=128)
def _bar_list_svg(chart_id, title, labels, series, no_data_text, width) -> str:
    drawing = _Drawing(chart_id, title)
    # The legend on top: a swatch and a name for each series, side by side while they fit.
    x = y = 0
    for (name, _values), colour in zip(series, SERIES_COLOURS, strict=False):
        item = FONT_SIZE + 6 + _text_width(name)
        if x and x + item > width:
            x, y = 0, y + FONT_SIZE + 8
        drawing.rect(x, y, FONT_SIZE, FONT_SIZE, colour)
        drawing.text(x + FONT_SIZE + 6, y + FONT_SIZE * 0.85, name)
        x += item + 16
    y += FONT_SIZE + 16

    largest = max((value for _name, values in series for value in values), default=0)
    if not largest:
        drawing.text(width / 2, y + FONT_SIZE * 2, no_data_text, anchor="middle")
        return drawing.svg(width, y + FONT_SIZE * 3)
    longest_label = max(_text_width(label) for label in labels)
    labels_left = longest_label <= width * LABELS_LEFT_AT_MOST
    left = longest_label + 8 if labels_left else 0
    number_room = FONT_SIZE * (0.5 + CHAR_WIDTH * len(str(largest))) + 4
    scale = (width - left - number_room) / largest
    bars_height = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    top = y
    for index, label in enumerate(labels):
        if labels_left:
            middle = y + bars_height / 2 + FONT_SIZE * 0.35
            drawing.text(left - 8, middle, label, anchor="end")
        else:
            drawing.text(0, y + FONT_SIZE, label)
            y += FONT_SIZE + 6
        for (_name, values), colour in zip(series, SERIES_COLOURS, strict=False):
            length = values[index] * scale
            if length:
                drawing.rect(left, y, max(length, 1), BAR_HEIGHT, colour)
            # Zero too: a group without bars still says what it counts.
            number_y = y + BAR_HEIGHT / 2 + FONT_SIZE * 0.35
            drawing.text(left + length + 4, number_y, str(values[index]), kind="value")
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP - BAR_GAP
    if labels_left:
        # The line the bars start from, between the labels and the bars.
        path = f"M{_units(left)} {_units(top - 4)}V{_units(y - GROUP_GAP + 4)}"
        ElementTree.SubElement(
            drawing.root, "path", {"d": path, "stroke": AXIS_COLOUR, "fill": "none"}
        )
    return drawing.svg(width, y)


@functools.lru_cache(maxsize=128)
def _columns_svg(chart_id, title, x_labels, series, no_data_text, width) -> str:
    """Vertical bars with pygal, their numbers on top: the PDF's ten-year trend."""
    chart = pygal.Bar(
        js=[],
        disable_xml_declaration=True,
        style=STYLE,
        width=width,
        height=width // 2,
        margin=8,
        spacing=8,
        legend_at_bottom=True,
        legend_box_size=FONT_SIZE,
        print_values=True,
        print_values_position="top",
        print_zeroes=False,
        show_y_labels=False,
        show_x_guides=False,
        show_y_guides=False,
        truncate_label=-1,
        truncate_legend=-1,
        no_data_text=no_data_text,
    )
    chart.add_xml_filter(_csp_safe(title))
    chart.uuid = chart_id  # a readable, stable id instead of a random one
    chart.x_labels = list(x_labels)
    for label, values in series:
        chart.add(label, list(values))
    return chart.render(is_unicode=True, disable_xml_declaration=True)


def _render(draw, chart_id: str, title: str, labels, series, width: int) -> SafeString:
    svg = draw(
        chart_id,
        title,
        tuple(str(label) for label in labels),
        tuple((str(name), tuple(values)) for name, values in series),
        _("No records"),
        width,
    )
    # Markup made by an XML serializer (ElementTree's or pygal's), which escapes every label
    # taken from the data.
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703


def _directions(rows) -> list[tuple[str, list]]:
    return [
        (_("Outgoing"), [row.outgoing for row in rows]),
        (_("Incoming"), [row.incoming for row in rows]),
    ]


def country_chart(report: AnnualReport, width: int = SCREEN_WIDTH) -> SafeString:
    rows = [row for row in report.by_country if row.current][:COUNTRIES_SHOWN]
    return _render(
        _bar_list_svg,
        "report-countries",
        _("Participants by country where the mobility took place, %(period)s")
        % {"period": report.label},
        [group_label(row, "countries") for row in rows],
        _directions(rows),
        width,
    )


def category_chart(report: AnnualReport, width: int = SCREEN_WIDTH) -> SafeString:
    rows = report.by_category
    return _render(
        _bar_list_svg,
        "report-categories",
        _("Participants by category and direction, %(period)s") % {"period": report.label},
        [group_label(row, "categories") for row in rows],
        _directions(rows),
        width,
    )


def trend_chart(report: AnnualReport, *, for_print: bool = False) -> SafeString:
    """A list of years on the page; on paper, columns side by side, which fit the first page."""
    points = report.trend
    return _render(
        _columns_svg if for_print else _bar_list_svg,
        "report-trend",
        _("Participants per year, by direction"),
        [point.label for point in points],
        _directions(points),
        PRINT_WIDTH if for_print else SCREEN_WIDTH,
    )


def report_charts(report: AnnualReport, *, for_print: bool = False) -> dict[str, SafeString]:
    """Charts keyed by the figure table they illustrate."""
    width = PRINT_WIDTH if for_print else SCREEN_WIDTH
    return {
        "categories": category_chart(report, width),
        "countries": country_chart(report, width),
        "trend": trend_chart(report, for_print=for_print),
    }
