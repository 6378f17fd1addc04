/*
 * Evidence badges open their note in place, under the sentence, as disclosure buttons:
 * click, Enter or Space toggles the note, Escape closes it and returns to the badge.
 * Without this script each badge is a plain link to its note in "The evidence behind this article".
 */
(function () {
  "use strict";

  function isOpen(badge) {
    return badge.getAttribute("aria-expanded") === "true";
  }

  function setOpen(badge, open) {
    badge.setAttribute("aria-expanded", open ? "true" : "false");
    document.getElementById(badge.getAttribute("aria-controls")).hidden = !open;
  }

  // The page says each grade's meaning and each citation once (under "What the grades mean" and in the
  // References); the note links to them (its chip to the grade's meaning, its "Sources" to the References),
  // and its details under the sentence show them in full.
  function meaningOf(chip) {
    var meaning = document.getElementById(chip.hash.slice(1));
    var description = meaning && meaning.querySelector("dd");
    var term = meaning && meaning.querySelector("dt");
    if (!description || !term) {
      return null;
    }
    // The grade's words as "What the grades mean" gives them, without the symbol only the eye reads.
    var grade = term.cloneNode(true);
    grade.querySelectorAll("[aria-hidden='true']").forEach(function (hidden) {
      hidden.remove();
    });
    var paragraph = document.createElement("p");
    paragraph.className = "evidence-note__meaning";
    var words = document.createElement("strong");
    words.textContent = "What \u201c" + grade.textContent.trim() + "\u201d means:";
    paragraph.appendChild(words);
    paragraph.appendChild(document.createTextNode(" " + description.textContent));
    return paragraph;
  }

  function citationsOf(child) {
    var list = document.createElement("ul");
    list.className = "evidence-note__sources";
    child.querySelectorAll("a[href^='#reference-']").forEach(function (reference) {
      var citation = document.getElementById(reference.hash.slice(1));
      if (citation) {
        var item = citation.cloneNode(true);
        item.removeAttribute("id");
        list.appendChild(item);
      }
    });
    var title = document.createElement("span");
    title.className = "evidence-note__sources-title";
    title.textContent = "Sources";
    var block = document.createElement("div");
    block.appendChild(title);
    block.appendChild(list);
    return block;
  }

  // What a child of the note becomes under the sentence: itself, or itself and more.
  function inPlace(child) {
    var chip = child.querySelector("a.chip[href^='#grade-']");
    if (chip) {
      var meaning = meaningOf(chip);
      return meaning ? [child.cloneNode(true), meaning] : null;
    }
    if (child.tagName === "P" && child.querySelector("a[href^='#reference-']")) {
      return [citationsOf(child)];
    }
    return null;
  }

  function detailsFor(note, panelId) {
    var panel = document.createElement("span");
    panel.className = "badge-details";
    panel.id = panelId;
    panel.hidden = true;
    Array.prototype.forEach.call(note.children, function (child) {
      // The sentence is right above: the note's quote of it, which is its way back, is left out.
      if (child.tagName === "BLOCKQUOTE") {
        return;
      }
      (inPlace(child) || [child.cloneNode(true)]).forEach(function (copy) {
        copy.removeAttribute("id");
        copy.querySelectorAll("[id]").forEach(function (element) {
          element.removeAttribute("id");
        });
        panel.appendChild(copy);
      });
    });
    var more = document.createElement("a");
    more.className = "badge-details__more";
    more.href = "#" + note.id;
    more.textContent = "See it with all the evidence behind this article";
    var line = document.createElement("span");
    line.className = "badge-details__line";
    line.appendChild(more);
    panel.appendChild(line);
    return panel;
  }

  function enhance(badge, index) {
    var note = document.getElementById(badge.hash.slice(1));
    if (!note) {
      return;
    }
    var group = badge.closest(".badge-group") || badge;
    var panel = detailsFor(note, "badge-details-" + index);
    // A sentence's notes follow its badge group in the order of its badges.
    var previous = group.dataset.lastPanel ? document.getElementById(group.dataset.lastPanel) : group;
    previous.insertAdjacentElement("afterend", panel);
    group.dataset.lastPanel = panel.id;

    badge.setAttribute("role", "button");
    badge.setAttribute("aria-expanded", "false");
    badge.setAttribute("aria-controls", panel.id);
    badge.addEventListener("click", function (event) {
      event.preventDefault();
      setOpen(badge, !isOpen(badge));
    });
    badge.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault(); // a button does not scroll the page
      } else if (event.key === "Escape" && isOpen(badge)) {
        setOpen(badge, false);
      }
    });
    badge.addEventListener("keyup", function (event) {
      if (event.key === " ") {
        setOpen(badge, !isOpen(badge));
      }
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        setOpen(badge, false);
        badge.focus();
      }
    });
  }

  document.querySelectorAll(".article__body a.badge[href^='#evidence-']").forEach(function (badge, index) {
    enhance(badge, index + 1);
  });
})();
