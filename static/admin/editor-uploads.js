// Shows why the server refused an image dropped or pasted into the Markdown editor.
// markdownx's own script only logs the answer and types "Invalid response" into the text where
// the cursor was (replacing any selected words); this puts the editor's text back as it was and
// shows the server's message above the text instead.
(() => {
  const INSERTED_ON_ERROR = "Invalid response";

  function messagesFrom(detail) {
    const answer = Array.isArray(detail) ? detail[0] : detail;
    if (answer && typeof answer === "object") {
      const messages = Object.values(answer).flat().filter((message) => typeof message === "string");
      if (messages.length) return messages;
    }
    return ["The image could not be uploaded (no answer from the server). Check your connection and try again."];
  }

  function messageBox(wrapper) {
    let box = wrapper.querySelector(":scope > .markdownx-upload-errors");
    if (!box) {
      box = document.createElement("ul");
      box.className = "messagelist markdownx-upload-errors";
      box.setAttribute("role", "alert");
      wrapper.prepend(box);
    }
    return box;
  }

  function showRefusal(event) {
    const wrapper = event.currentTarget;
    const editor = wrapper.querySelector("textarea.markdownx-editor");
    const box = messageBox(wrapper);
    for (const message of messagesFrom(event.detail)) {
      const item = document.createElement("li");
      item.className = "error";
      item.textContent = message; // never HTML: the message may quote the file's name
      box.appendChild(item);
    }
    if (!editor) return;
    // markdownx inserts its placeholder right after this event, in the same task.
    const before = { value: editor.value, start: editor.selectionStart, end: editor.selectionEnd };
    const expected = before.value.slice(0, before.start) + INSERTED_ON_ERROR + before.value.slice(before.end);
    queueMicrotask(() => {
      if (editor.value !== expected) return;
      editor.value = before.value;
      editor.setSelectionRange(before.start, before.end);
      editor.dispatchEvent(new Event("input", { bubbles: true })); // refresh the preview
    });
  }

  function clearRefusals(event) {
    const files = (event.dataTransfer || event.clipboardData || {}).files;
    if (!files || !files.length) return;
    const box = event.currentTarget.querySelector(":scope > .markdownx-upload-errors");
    if (box) box.replaceChildren();
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const wrapper of document.querySelectorAll(".markdownx")) {
      wrapper.addEventListener("markdownx.fileUploadError", showRefusal);
      wrapper.addEventListener("fileUploadError", showRefusal); // markdownx's name when the request fails
      // A new drop or paste starts a new attempt: earlier refusals no longer apply.
      wrapper.addEventListener("drop", clearRefusals, true);
      wrapper.addEventListener("paste", clearRefusals, true);
    }
  });
})();
