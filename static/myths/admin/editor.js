/*
 * Two gaps of django-markdownx in the admin, filled here.
 *
 * 1. Inline rows added with "Add another …" are copies of a hidden template row that markdownx
 *    already set up (and marked data-markdownx-init), so they got no live preview and no image
 *    upload. On "formset:added" the mark is taken off the new row and markdownx's own script is
 *    run once more: it sets up every editor that is not marked, i.e. just the new one.
 *
 * 2. django-markdownx reports a refused upload only by typing "Invalid response" into the text.
 * Show the server's message next to the editor instead (role="alert", so screen readers hear
 * it) and take the placeholder text back out. Without JavaScript nothing here is needed: the
 * editor's upload is a JavaScript feature in the first place.
 */
(function () {
  "use strict";
  var PLACEHOLDER = "Invalid response";

  function messageOf(detail) {
    var answer = detail && detail[0];
    if (answer && typeof answer === "string") {
      try { answer = JSON.parse(answer); } catch (e) { answer = null; }
    }
    return (answer && answer.message) || "The image could not be uploaded. Try a JPEG, PNG or WebP file.";
  }

  function showError(event) {
    var container = event.target;
    if (!container || !container.querySelector) { return; }
    var editor = container.querySelector("textarea");
    var note = container.querySelector(".pressdesk-upload-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "errornote pressdesk-upload-error";
      note.setAttribute("role", "alert");
      container.insertBefore(note, container.firstChild);
    }
    note.textContent = messageOf(event.detail);
    // markdownx inserts its placeholder right after firing the event.
    window.setTimeout(function () {
      if (editor && editor.value.indexOf(PLACEHOLDER) !== -1) {
        editor.value = editor.value.replace(PLACEHOLDER, "");
        editor.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }, 0);
  }

  function clearError(event) {
    var note = event.target && event.target.querySelector && event.target.querySelector(".pressdesk-upload-error");
    if (note) { note.remove(); }
  }

  function setUpNewRow(event) {
    var row = event.target;
    var editors = row && row.querySelectorAll ? row.querySelectorAll(".markdownx-editor") : [];
    if (!editors.length) { return; }
    editors.forEach(function (editor) { editor.removeAttribute("data-markdownx-init"); });
    var loaded = document.querySelector("script[src*='markdownx/js/markdownx']");
    if (!loaded) { return; }
    var again = document.createElement("script");
    again.src = loaded.src;
    document.body.appendChild(again);
  }

  document.addEventListener("formset:added", setUpNewRow);

  // The upload events do not bubble: listen in the capture phase on the document.
  document.addEventListener("markdownx.fileUploadError", showError, true);
  document.addEventListener("fileUploadError", showError, true);
  document.addEventListener("markdownx.fileUploadEnd", clearError, true);
})();
