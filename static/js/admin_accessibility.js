// Names for what Django's and select2's scripts build in the admin (issue 17).
// The server side is in core/admin_accessibility.py; docs/architecture.md lists both.
"use strict";
{
  const labelTextOf = (field) => {
    const label = field.id && document.querySelector(`label[for="${field.id}"]`);
    if (label) return label.textContent.replace(/:\s*$/, "").trim();
    return field.getAttribute("aria-label") || "";
  };

  const labelAutocomplete = (select) => {
    const container = select.nextElementSibling;
    if (!container || !container.classList.contains("select2")) return;
    const name = labelTextOf(select);
    const combobox = container.querySelector(".select2-selection");
    const rendered = container.querySelector(".select2-selection__rendered");
    if (rendered && rendered.getAttribute("role") === "textbox") {
      // The chosen value is read as the combobox's value, not as a second, unnamed field.
      rendered.removeAttribute("role");
      rendered.removeAttribute("aria-readonly");
    }
    if (combobox && combobox.hasAttribute("aria-owns")) {
      combobox.setAttribute("aria-controls", combobox.getAttribute("aria-owns"));
    }
    if (combobox && name) {
      combobox.removeAttribute("aria-labelledby");
      combobox.setAttribute("aria-label", name);
    }
    const search = container.querySelector(".select2-search__field");
    if (search && name) search.setAttribute("aria-label", name);
  };

  const labelTooltips = () => {
    // SelectFilter2's help icons carry aria-label on a plain span: give them a role that takes it.
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
  };

  const linkTimeZoneWarnings = () => {
    // DateTimeShortcuts adds the warning only when the browser's time zone differs.
    document.querySelectorAll("[id$='_timezone_warning_helptext']").forEach((warning) => {
      const name = warning.id.replace(/^id_/, "").replace(/_timezone_warning_helptext$/, "");
      document.querySelectorAll(`input[name="${name}"], input[name^="${name}_"]`).forEach((input) => {
        const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
        if (!ids.includes(warning.id)) ids.push(warning.id);
        input.setAttribute("aria-describedby", ids.join(" "));
      });
    });
  };

  const labelAll = () => {
    document.querySelectorAll("select.admin-autocomplete").forEach(labelAutocomplete);
    labelTooltips();
    linkTimeZoneWarnings();
  };

  window.addEventListener("load", labelAll);
  document.addEventListener("formset:added", () => setTimeout(labelAll));
  if (window.django && window.django.jQuery) {
    // After autocomplete.js, whose ready handler was registered first, has built the widgets.
    window.django.jQuery(labelAll);
    window.django.jQuery(document).on("select2:open select2:select select2:unselect", (event) => {
      labelAutocomplete(event.target);
      const name = labelTextOf(event.target);
      document.querySelectorAll(".select2-container--open .select2-search__field").forEach((search) => {
        search.setAttribute("aria-label", name);
      });
    });
  }
}
