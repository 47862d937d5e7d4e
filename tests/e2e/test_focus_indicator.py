"""One focus indicator, at least 3:1 against every background it appears on (issue 17)."""

import pytest
from django.urls import reverse

from tests.e2e.portal import sign_in, tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The focused element's outline colour and the colour behind it: backgrounds and Bootstrap's
# inset shadows (how striped rows are painted) blended from the page up to the element.
FOCUS_CONTRAST = """() => {
  const el = document.activeElement;
  const parse = (text) => {
    const match = (text || '').match(/rgba?\\(([^)]+)\\)/);
    if (!match) return null;
    const [r, g, b, a = 1] = match[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const blend = (top, below) => ({
    r: top.r * top.a + below.r * (1 - top.a),
    g: top.g * top.a + below.g * (1 - top.a),
    b: top.b * top.a + below.b * (1 - top.a),
    a: 1,
  });
  const layers = [];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    const shadow = style.boxShadow.includes('inset') ? parse(style.boxShadow) : null;
    if (shadow && shadow.a > 0) layers.push(shadow);
    const background = parse(style.backgroundColor);
    if (background && background.a > 0) {
      layers.push(background);
      if (background.a === 1) break;
    }
  }
  let behind = { r: 255, g: 255, b: 255, a: 1 };
  for (const layer of layers.reverse()) behind = blend(layer, behind);
  const luminance = ({ r, g, b }) => {
    const [R, G, B] = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const style = getComputedStyle(el);
  const pair = [luminance(parse(style.outlineColor)), luminance(behind)];
  const [light, dark] = pair.sort((x, y) => y - x);
  return {
    contrast: (light + 0.05) / (dark + 0.05),
    outline: style.outlineStyle + ' ' + style.outlineWidth,
    boxShadow: style.boxShadow,
  };
}"""


def _focus_facts(page, selector):
    tab_to(page, selector)
    return page.evaluate(FOCUS_CONTRAST)


def test_the_focus_outline_stands_out_on_the_navbar_a_table_row_and_an_input(portal, world):
    page = portal.page
    sign_in(page, world.staff)
    page.goto(reverse("partners:partner-list"))

    navbar_link = _focus_facts(page, "nav .nav-link[href$='/partners/']")
    assert navbar_link["contrast"] >= 3, navbar_link
    assert navbar_link["outline"] == "solid 3px"

    # The filter bar comes before the results: its search box first, then a row's link.
    search = _focus_facts(page, "main input[type='search'], main input[name='q']")
    assert search["contrast"] >= 3, search
    assert search["outline"] == "solid 3px"
    # One indicator: no second, fainter Bootstrap ring around the input.
    assert search["boxShadow"] == "none", search

    row_link = _focus_facts(page, "table.list-table tbody tr:first-child a")
    assert row_link["contrast"] >= 3, row_link
