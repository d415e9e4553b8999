// Django's autocomplete widgets (Select2) name their combobox after the chosen value only, so an
// empty one has no accessible name (axe: aria-input-field-name). Give each the text of its
// field's <label>, also for rows an inline formset adds later.
"use strict";
(function () {
  function labelComboboxes() {
    document.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      if (box.hasAttribute("aria-label")) {
        return;
      }
      const rendered = box.querySelector(".select2-selection__rendered");
      const match = rendered && rendered.id.match(/^select2-(.+)-container$/);
      const label = match && document.querySelector('label[for="' + match[1] + '"]');
      if (label) {
        // aria-labelledby wins over aria-label: name the box after the label, then the value.
        label.id = label.id || match[1] + "-label";
        box.setAttribute("aria-labelledby", label.id + " " + rendered.id);
        box.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
        rendered.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
      }
    });
  }
  // Select2 is applied in a jQuery ready handler (admin/js/autocomplete.js); a handler added
  // after it runs after it.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(labelComboboxes);
  } else {
    window.addEventListener("load", labelComboboxes);
  }
  document.addEventListener("formset:added", function () {
    window.setTimeout(labelComboboxes, 0);
  });
})();
