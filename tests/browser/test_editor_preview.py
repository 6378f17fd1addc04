"""The article editor's preview: beside the text on a wide screen, below it on a phone, styled as readers' page."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, check_accessibility, screenshot, sign_in
from tests.factories import ArticleFactory, EditorFactory, published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BODY = """## What the trials found

Pulmonary rehabilitation probably improves breathlessness. See [the trial register](https://clinicaltrials.gov/).

- Exercise training
- Breathing exercises

> Small trials, short follow-up.
"""

# What readers' page gives each element of the body, read from the same element in the preview.
STYLES = """el => { const s = getComputedStyle(el);
  return [s.fontFamily, s.fontSize, s.lineHeight, s.color, s.marginTop, s.marginBottom, s.paddingLeft,
          s.borderLeftWidth, s.listStyleType]; }"""
ELEMENTS = ["h2", "p", "a", "ul", "li", "blockquote"]


def boxes(page):
    editor = page.locator("textarea.markdownx-editor").bounding_box()
    preview = page.locator("section.article-preview").bounding_box()
    return editor, preview


@pytest.mark.parametrize("viewport_name, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_preview_sits_beside_the_text_on_a_wide_screen_and_below_it_on_a_phone(
    browser, live_server, viewport_name, viewport
):
    editor = EditorFactory(username="writer")
    article = ArticleFactory(author=editor, body=BODY, slug="rehabilitation")
    published(article)
    page = browser.new_context(viewport=viewport).new_page()
    sign_in(page, live_server, "writer", "pass-for-tests-123")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    preview = page.locator("#article-preview")
    preview.locator("blockquote").wait_for()
    preview.scroll_into_view_if_needed()

    text, shown = boxes(page)
    if viewport_name == "desktop":
        assert shown["x"] >= text["x"] + text["width"], (text, shown)  # to the right of the text
        assert shown["y"] < text["y"] + text["height"] and text["y"] < shown["y"] + shown["height"]  # same row
        assert text["width"] > 300 and shown["width"] > 300
    else:
        assert shown["y"] >= text["y"] + text["height"], (text, shown)  # under the text
        assert shown["x"] + shown["width"] <= viewport["width"]  # nothing runs off the screen
    assert page.get_by_role("region", name="Preview, as readers will see it").count() == 1
    assert page.locator(".article-preview__status[aria-live=polite]").count() == 1
    screenshot(page, f"admin-editor-preview-{viewport_name}", full_page=False)
    assert check_accessibility(page) == []

    # The same body, element by element, looks as it does on readers' page...
    in_preview = {name: preview.locator(name).first.evaluate(STYLES) for name in ELEMENTS}
    # ...while the admin around it keeps its own type.
    admin_font = page.locator("#content h1").evaluate("el => getComputedStyle(el).fontFamily")
    reader = browser.new_context(viewport=viewport).new_page()
    reader.goto(f"{live_server.url}/articles/rehabilitation/")
    body = reader.locator(".article__body")
    on_page = {name: body.locator(name).first.evaluate(STYLES) for name in ELEMENTS}
    assert in_preview == on_page
    assert "Georgia" in in_preview["p"][0] and "Georgia" not in admin_font

    # Typing refreshes it, and the refresh is told in a word.
    page.locator("#id_body").fill(BODY + "\nA sentence typed for the preview.\n")
    preview.get_by_text("A sentence typed for the preview.").wait_for()
    page.wait_for_function("() => document.querySelector('.article-preview__status').textContent.trim() !== ''")
    assert page.locator(".article-preview__status").inner_text().strip() == "Preview updated."
