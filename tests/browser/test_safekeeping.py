"""In Chromium: an edit conflict on the article form, and archiving then restoring from the article's page."""

import pytest

from articles.models import Article
from tests.browser.conftest import AXE, DESKTOP, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SLUG = "stem-cell-therapy-interstitial-lung-disease"
TYPED = "What the trials show so far, typed while someone else saved the article."


def signed_in_page(browser, live_server, username, password):
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, username, password)
    return page


def axe_violations_in(page, selector):
    """axe-core's WCAG A/AA violations inside one element (Django's own admin markup is not ours to judge)."""
    if not page.evaluate("() => 'axe' in window"):
        page.evaluate(AXE.read_text())  # through DevTools: the page's Content-Security-Policy refuses inline scripts
    result = page.evaluate(
        "async (selector) => await axe.run(selector, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})", selector
    )
    return [(v["id"], v["help"]) for v in result["violations"]]


def test_an_editor_whose_article_was_saved_meanwhile_sees_both_versions_keeps_the_text_and_saves_again(
    browser, live_server, demo
):
    article = Article.objects.get(slug=SLUG)
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    editor = signed_in_page(browser, live_server, "editor", "editor-demo-2026")
    admin = signed_in_page(browser, live_server, "admin", "admin-demo-2026")
    editor.goto(url)
    admin.goto(url)
    admin.fill("#id_title", article.title + " (revised)")
    admin.click("input[name=_save]")
    admin.wait_for_load_state()

    editor.fill("#id_standfirst", TYPED)
    editor.click("input[name=_save]")
    editor.wait_for_load_state()

    conflict = editor.locator(".edit-conflict")
    assert "Not saved: this article changed after you opened it" in conflict.inner_text()
    assert "saved by admin" in conflict.inner_text()
    assert editor.input_value("#id_standfirst") == TYPED
    assert editor.input_value("#id_title") == article.title
    assert axe_violations_in(editor, ".edit-conflict") == []
    screenshot(editor, "admin-edit-conflict")
    assert Article.objects.get(pk=article.pk).standfirst == article.standfirst

    editor.fill("#id_title", article.title + " (revised)")  # merged by hand
    editor.click("input[name=_save]")
    editor.wait_for_load_state()

    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.standfirst) == (article.title + " (revised)", TYPED)


def test_an_editor_archives_an_article_and_restores_it_from_its_page(browser, live_server, demo):
    article = Article.objects.get(slug=SLUG)
    editor = signed_in_page(browser, live_server, "editor", "editor-demo-2026")
    editor.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    editor.click("a.archivelink")
    editor.wait_for_load_state()
    editor.click("input[value='Yes, archive it']")
    editor.wait_for_load_state()
    assert Article.objects.get(pk=article.pk).archived_at is not None
    reader = browser.new_context(viewport=DESKTOP).new_page()
    assert reader.goto(f"{live_server.url}{article.get_absolute_url()}").status == 404

    editor.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    screenshot(editor, "admin-archived-article", full_page=False)
    editor.click("text=Restore this article")
    editor.wait_for_load_state()

    assert Article.objects.get(pk=article.pk).archived_at is None
    assert "readers see it again" in editor.content()
    assert reader.goto(f"{live_server.url}{article.get_absolute_url()}").status == 200
