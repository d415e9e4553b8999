/*
 * Order by dragging or by keyboard, on the release form: the claims (responses), and inside each
 * claim its figures and sources (templates/admin/myths/release/response_inline.html and
 * response_parts.html).
 *
 * Every movable row (.pd-sortable-row) gets "Move up" and "Move down" buttons, reachable with Tab,
 * and a handle to drag it with a mouse. After a move the position fields of the rows are
 * renumbered 1..n in the order shown and the new place is announced (aria-live), so a screen
 * reader user hears where the row went. The server closes any gaps again when it saves
 * (Release.positions_renumber); without JavaScript the position fields set the order.
 * "Add a figure" and "Add a source" copy the hidden blank row of their list.
 * The labels come translated from data attributes of #pd-ordering-strings.
 */
(function () {
  "use strict";

  var strings = {};
  var dragged = null;

  function text(name, values) {
    var value = strings[name] || "";
    Object.keys(values || {}).forEach(function (key) {
      value = value.replace("{" + key + "}", values[key]);
    });
    return value;
  }

  function containerOf(row) {
    return row.parentElement.closest(".pd-sortable");
  }

  function rowsOf(container) {
    return Array.prototype.filter.call(
      container.querySelectorAll(".pd-sortable-row"),
      function (row) {
        return containerOf(row) === container && !row.classList.contains("empty-form") &&
          !row.hidden && !row.closest(".empty-form, [hidden]");
      }
    );
  }

  function prefixOf(row) {
    // Django's inlines.js renumbers ids and names of a copied claim but not data-prefix, so a
    // figure or source row of a claim added on this page is named by its id ("…-row").
    var prefix = row.getAttribute("data-prefix");
    if (prefix && prefix.indexOf("__prefix__") === -1) { return prefix; }
    return row.id.replace(/-row$/, "");
  }

  function positionInput(row) {
    return row.querySelector("[name='" + prefixOf(row) + "-position']");
  }

  function renumber(container) {
    var rows = rowsOf(container);
    rows.forEach(function (row, index) {
      var input = positionInput(row);
      if (input) { input.value = String(index + 1); }
      // A claim not saved yet is labelled by its place ("#2"), which has just changed.
      var number = row.classList.contains("has_original") ? null : row.querySelector(":scope > h3 .inline_label");
      if (number) { number.textContent = "#" + (index + 1); }
      var label = row.querySelector(".pd-move-place");
      if (label) { label.textContent = text("place", {position: index + 1, count: rows.length}); }
    });
    return rows;
  }

  function announce(row) {
    var rows = renumber(containerOf(row));
    var live = document.getElementById("pd-ordering-live");
    if (live) {
      live.textContent = text("moved", {position: rows.indexOf(row) + 1, count: rows.length});
    }
  }

  function button(className, label, symbol) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button pd-move-button " + className;
    element.textContent = symbol + " " + label;
    return element;
  }

  function decorate(row) {
    if (row.querySelector(":scope > .pd-move")) { return; }
    var bar = document.createElement("div");
    bar.className = "pd-move";
    var handle = document.createElement("span");
    handle.className = "pd-drag-handle";
    handle.setAttribute("aria-hidden", "true");
    handle.title = strings.drag || "";
    handle.textContent = "⠿";
    handle.draggable = true;
    var place = document.createElement("span");
    place.className = "pd-move-place";
    bar.appendChild(handle);
    bar.appendChild(button("pd-move-up", strings.up, "↑"));
    bar.appendChild(button("pd-move-down", strings.down, "↓"));
    bar.appendChild(place);
    var heading = row.querySelector(":scope > h3");
    row.insertBefore(bar, heading ? heading.nextSibling : row.firstChild);
  }

  function addButtons(part) {
    if (part.querySelector(":scope > .pd-add-row")) { return; }
    var kind = part.getAttribute("data-kind");
    var add = document.createElement("button");
    add.type = "button";
    add.className = "button pd-add-row";
    add.textContent = "+ " + (kind === "figures" ? strings.addFigure : strings.addSource);
    part.appendChild(add);
  }

  function setUp(root) {
    root.querySelectorAll(".pd-sortable").forEach(function (container) {
      if (container.closest(".empty-form")) { return; }
      rowsOf(container).forEach(decorate);
      renumber(container);
      if (container.classList.contains("pd-parts")) { addButtons(container); }
    });
  }

  function move(row, direction) {
    var rows = rowsOf(containerOf(row));
    var index = rows.indexOf(row);
    var other = rows[index + direction];
    if (!other) { return; }
    if (direction < 0) {
      other.parentElement.insertBefore(row, other);
    } else {
      other.parentElement.insertBefore(row, other.nextSibling);
    }
    announce(row);
  }

  function addRow(part) {
    var blank = part.querySelector(":scope > .pd-part-blank");
    var total = part.querySelector("input[name$='-TOTAL_FORMS']");
    if (!blank || !total) { return; }
    var prefix = total.name.replace(/-TOTAL_FORMS$/, "");
    var index = parseInt(total.value, 10);
    var row = blank.cloneNode(true);
    row.hidden = false;
    row.classList.remove("pd-part-blank");
    row.classList.add("pd-sortable-row");
    var from = prefix + "-__prefix__";
    var to = prefix + "-" + index;
    [row].concat(Array.prototype.slice.call(row.querySelectorAll("*"))).forEach(function (el) {
      ["id", "name", "for", "data-prefix"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value && value.indexOf(from) !== -1) { el.setAttribute(attr, value.split(from).join(to)); }
      });
    });
    part.insertBefore(row, blank);
    total.value = String(index + 1);
    decorate(row);
    renumber(part);
    var first = row.querySelector("input:not([type=hidden]), textarea, select");
    if (first) { first.focus(); }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("button") : null;
    if (!target) { return; }
    var row = target.closest(".pd-sortable-row");
    if (target.classList.contains("pd-move-up") || target.classList.contains("pd-move-down")) {
      move(row, target.classList.contains("pd-move-up") ? -1 : 1);
      target.focus();
    } else if (target.classList.contains("pd-add-row")) {
      addRow(target.closest(".pd-parts"));
    }
  });

  // Dragging: from the handle (draggable), so text in the row can still be selected.
  document.addEventListener("dragstart", function (event) {
    var handle = event.target.closest ? event.target.closest(".pd-drag-handle") : null;
    if (!handle) { return; }
    dragged = handle.closest(".pd-sortable-row");
    dragged.classList.add("pd-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.id);
    event.dataTransfer.setDragImage(dragged, 0, 0);
  });
  document.addEventListener("dragover", function (event) {
    var row = dragged && event.target.closest ? event.target.closest(".pd-sortable-row") : null;
    if (row && row !== dragged && containerOf(row) === containerOf(dragged)) {
      event.preventDefault();
    }
  });
  document.addEventListener("drop", function (event) {
    var row = dragged && event.target.closest ? event.target.closest(".pd-sortable-row") : null;
    if (!row || row === dragged || containerOf(row) !== containerOf(dragged)) { return; }
    event.preventDefault();
    var box = row.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    row.parentElement.insertBefore(dragged, after ? row.nextSibling : row);
    announce(dragged);
  });
  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("pd-dragging"); }
    dragged = null;
  });

  // A claim added with "Add another": its own buttons, and those of its figures and sources.
  document.addEventListener("formset:added", function (event) {
    var row = event.target;
    decorate(row);
    setUp(row);
    announce(row);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("pd-ordering-strings");
    if (!source) { return; }
    ["up", "down", "drag", "moved", "place", "addFigure", "addSource"].forEach(function (name) {
      strings[name] = source.getAttribute("data-" + name.replace(/[A-Z]/g, function (c) {
        return "-" + c.toLowerCase();
      })) || "";
    });
    setUp(document);
  });
})();
