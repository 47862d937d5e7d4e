// After a failed submit, focus goes to the error summary (templates/includes/error_summary.html),
// so the errors are read out first; its links move the focus to the field, not just the view.
"use strict";
{
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach((link) => {
      link.addEventListener("click", (event) => {
        const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
        if (!field) return;
        event.preventDefault();
        field.focus();
        field.scrollIntoView({ block: "center" });
      });
    });
  }
}
