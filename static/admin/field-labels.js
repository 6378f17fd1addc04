// The admin's autocomplete boxes (select2) draw a search field of their own, with no label: screen
// readers then announce an unnamed text box. Each such field is named after the label of the list it
// searches, whenever select2 (re)draws it; so is the read-only box showing a single list's choice, which a
// screen reader would otherwise announce as an unnamed text box.
(function () {
  "use strict";

  function labelOf(select) {
    if (!select || !select.id) {
      return "";
    }
    var label = document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function name(field) {
    if (field.hasAttribute("aria-label")) {
      return;
    }
    var container = field.closest(".select2-container");
    var select = container && container.previousElementSibling;
    var label = labelOf(select && select.tagName === "SELECT" ? select : null);
    field.setAttribute("aria-label", label ? "Search " + label.toLowerCase() : "Search");
  }

  function nameChoice(box) {
    if (box.hasAttribute("aria-label")) {
      return;
    }
    var container = box.closest(".select2-container");
    var select = container && container.previousElementSibling;
    var label = labelOf(select && select.tagName === "SELECT" ? select : null);
    if (label) {
      box.setAttribute("aria-label", label);
    }
  }

  function nameAll(root) {
    root.querySelectorAll(".select2-search__field").forEach(name);
    root.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach(nameChoice);
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === Node.ELEMENT_NODE) {
            if (node.matches(".select2-search__field")) {
              name(node);
            }
            if (node.matches(".select2-selection__rendered[role=textbox]")) {
              nameChoice(node);
            }
            nameAll(node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
