// The editor's preview says, in a word, that it changed: screen readers hear "Preview updated" after a pause
// in typing, not the whole article again (markdownx replaces the preview's content on each refresh).
(function () {
  "use strict";

  function announce(event) {
    const wrapper = event.currentTarget;
    if (!wrapper.dataset.previewShown) {
      wrapper.dataset.previewShown = "yes"; // the first fill, as the page opens, is nothing new
      if (event.type === "markdownx.update") return;
    }
    const status = wrapper.querySelector(".article-preview__status");
    if (!status) return;
    const failed = event.type === "markdownx.updateError";
    // A different text each time, so that a second refresh is announced too.
    const text = failed ? "The preview could not be refreshed." : "Preview updated.";
    status.textContent = status.textContent === text ? text + "\u00a0" : text;
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const wrapper of document.querySelectorAll(".article-editor")) {
      wrapper.addEventListener("markdownx.update", announce);
      wrapper.addEventListener("markdownx.updateError", announce);
    }
  });
})();
