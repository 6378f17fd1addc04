// Selecting words inside a listed sentence picks that sentence and copies the words to "part".
document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById("id_sentence");
  const part = document.getElementById("id_part");
  if (!list || !part) return;
  const checked = list.querySelector("input:checked");
  // Scroll the list, not the page: messages at the top of the form must stay in view.
  if (checked) {
    const label = checked.closest("label");
    list.scrollTop = label.offsetTop - list.offsetTop - (list.clientHeight - label.offsetHeight) / 2;
  }
  list.addEventListener("mouseup", () => {
    const selection = window.getSelection();
    const words = selection ? selection.toString().replace(/\s+/g, " ").trim() : "";
    if (!words) return;
    const label = selection.anchorNode && selection.anchorNode.parentElement.closest("label");
    if (!label || !list.contains(label)) return;
    const radio = label.querySelector("input[type=radio]");
    if (radio) radio.checked = true;
    part.value = words === label.textContent.replace(/\s+/g, " ").trim() ? "" : words;
  });
});
