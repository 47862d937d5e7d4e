"""The report's bar lists (reporting/charts.py): labels placed by their length, every bar's
number, the data escaped, no style for the Content Security Policy to refuse (issue 17)."""

import re
from xml.etree import ElementTree

from reporting.charts import SCREEN_WIDTH, _bar_list_svg

SERIES = (("Outgoing", (12, 0, 3)), ("Incoming", (1, 2, 0)))


def draw(labels, series=SERIES, width=SCREEN_WIDTH) -> ElementTree.Element:
    _bar_list_svg.cache_clear()
    svg = _bar_list_svg("test", "A chart", tuple(labels), series, "No records", width)
    return ElementTree.fromstring(svg)


def texts(svg, **attributes) -> list[ElementTree.Element]:
    return [
        text
        for text in svg.iter("{http://www.w3.org/2000/svg}text")
        if all(text.get(name) == value for name, value in attributes.items())
    ]


def test_every_bar_has_its_number_zeros_too():
    svg = draw(["2024", "2025", "2026"])

    numbers = [text.text for text in texts(svg, **{"class": "value"})]
    assert sorted(numbers, key=int) == ["0", "0", "1", "2", "3", "12"]


def test_short_labels_stand_left_of_their_bars():
    svg = draw(["2024", "2025", "2026"])

    labels = texts(svg, **{"text-anchor": "end"})
    assert [label.text for label in labels] == ["2024", "2025", "2026"]
    assert all(float(label.get("x")) < 50 for label in labels)


def test_long_labels_stand_above_their_bars_with_the_whole_width_for_the_bars():
    long = "Профессорско-преподавательский состав"
    svg = draw(["Студент", long, "Аспирант"])

    label = next(text for text in texts(svg) if text.text == long)
    assert label.get("x") == "0" and label.get("text-anchor") == "start"
    bars = [rect for rect in svg.iter("{http://www.w3.org/2000/svg}rect") if rect.get("x") == "0"]
    longest = max(float(rect.get("width")) for rect in bars)
    assert longest > SCREEN_WIDTH * 0.8


def test_labels_from_the_data_are_escaped():
    svg_text = _bar_list_svg(
        "test", "A <chart>", ("<script>alert(1)</script>",), (("Out", (1,)),), "No", 400
    )

    assert "<script>" not in svg_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg_text


def test_no_figures_say_so():
    svg = draw(["2025", "2026"], series=(("Outgoing", (0, 0)), ("Incoming", (0, 0))))

    assert [text.text for text in texts(svg, **{"text-anchor": "middle"})] == ["No records"]


def test_the_chart_carries_no_style_attribute_or_element():
    svg_text = ElementTree.tostring(draw(["2024", "2025", "2026"]), encoding="unicode")

    assert not re.search(r"<[^>]*\sstyle=|<(\w+:)?style\b|<(\w+:)?script\b", svg_text)
