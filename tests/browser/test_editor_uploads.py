import io

import pytest
from PIL import Image

from tests.browser.conftest import screenshot, sign_in
from tests.factories import EditorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXT = "Stem cells may help. We do not know yet."
SELECTED = "We do not know yet."

DROP = """([name, bytes, type]) => {
  const transfer = new DataTransfer();
  transfer.items.add(new File([new Uint8Array(bytes)], name, {type}));
  document.querySelector("textarea.markdownx-editor").dispatchEvent(
    new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
}"""


def png_bytes():
    output = io.BytesIO()
    Image.new("RGB", (60, 40), "teal").save(output, "PNG")
    return list(output.getvalue())


def test_a_refused_image_is_explained_above_the_editor_and_leaves_the_text_as_it_was(
    page, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    EditorFactory(username="writer")
    sign_in(page, live_server, "writer", "pass-for-tests-123")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    body = page.locator("textarea.markdownx-editor")
    body.fill(TEXT)
    body.evaluate("(editor, start) => editor.setSelectionRange(start, editor.value.length)", TEXT.index(SELECTED))

    page.evaluate(DROP, ["notes.png", list(b"<html><script>alert(1)</script></html>"), "image/png"])

    refusal = page.locator(".markdownx-upload-errors[role=alert] li")
    refusal.wait_for()
    assert "“notes.png” is not a complete PNG, JPEG, GIF or WebP image" in refusal.inner_text()
    assert body.input_value() == TEXT  # nothing inserted, and the selected words are still there
    assert body.evaluate("editor => editor.value.slice(editor.selectionStart, editor.selectionEnd)") == SELECTED
    page.wait_for_timeout(1200)  # the preview refreshes after markdownx's latency
    assert "Invalid response" not in page.locator(".markdownx-preview").inner_text()
    screenshot(page, "admin-editor-upload-refused", full_page=False)

    body.evaluate("editor => editor.setSelectionRange(editor.value.length, editor.value.length)")
    page.evaluate(DROP, ["teal.png", png_bytes(), "image/png"])

    page.wait_for_function("() => document.querySelector('textarea.markdownx-editor').value.includes('![](')")
    assert body.input_value().startswith(TEXT + "\n\n![](/media/uploads/")  # a paragraph of its own
    assert refusal.count() == 0  # a new drop clears the old refusal
    assert len(list((tmp_path / "media" / "uploads").rglob("*.png"))) == 1
