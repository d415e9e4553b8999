/*
 * Accessible names for the boxes of autocomplete fields (Django's select2): select2 hides the
 * labelled <select> and shows a combobox named only by its current value, which is nothing
 * while the field is empty. Each box is given the text of the select's own <label>.
 */
(function () {
  "use strict";

  function name(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector("label[for='" + select.id + "']");
      var box = select.nextElementSibling;
      if (!label || !box) { return; }
      var text = label.textContent.replace(/:\s*$/, "").trim();
      box.querySelectorAll("[role=combobox], [role=textbox]").forEach(function (element) {
        element.setAttribute("aria-label", text);
      });
    });
  }

  // After select2 has drawn its boxes (django's autocomplete.js, on the same events).
  document.addEventListener("DOMContentLoaded", function () {
    window.setTimeout(function () { name(document); }, 0);
  });
  document.addEventListener("formset:added", function (event) {
    window.setTimeout(function () { name(event.target); }, 0);
  });
})();
