// The hint above a table that scrolls sideways ("Scroll sideways to see more columns") shows
// only while the table is wider than its region: at some widths every column fits.
"use strict";
{
  const regions = [...document.querySelectorAll(".table-scroll")];
  const update = () => {
    for (const region of regions) {
      const hint = region.previousElementSibling;
      if (hint && hint.classList.contains("table-scroll-hint")) {
        hint.hidden = region.scrollWidth <= region.clientWidth + 1;
      }
    }
  };
  if (regions.length) {
    update();
    window.addEventListener("resize", update);
  }
}
