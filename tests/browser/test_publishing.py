"""Signing off and publishing an article's draft through the admin's pages, the publish button by keyboard."""

import pytest

from articles.models import Article, ArticleRevision
from claims.services import claim_approve
from tests.browser.conftest import DESKTOP, check_accessibility, screenshot, sign_in
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, EditorFactory, ReviewerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pass-for-tests-123"


def tab_to(page, name, presses=80):
    """Press Tab until the focused element's accessible text starts with `name`; fail if it never does."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => (document.activeElement.innerText || document.activeElement.value || '')")
        if focused.strip().startswith(name):
            return
    raise AssertionError(f"“{name}” is never reached with the Tab key")


def test_a_reviewer_signs_off_and_an_editor_publishes_with_the_keyboard(browser, live_server):
    editor = EditorFactory(username="writer")
    reviewer = ReviewerFactory(username="signer")
    approver = ReviewerFactory(username="grader")
    article = ArticleFactory(author=editor, status=Article.Status.DRAFT, title="Stem cells and lung scarring")
    claim = ClaimFactory(article=article, sentence=1, condition=ConditionFactory(name="Idiopathic pulmonary fibrosis"))
    claim_approve(claim=claim, reviewer=approver)
    change_url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"

    # The reviewer signs off from the article's page.
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, reviewer.username, PASSWORD)
    page.goto(change_url)
    assert "Not published" in page.locator(".publication-status").inner_text()
    page.get_by_role("link", name="Sign off…").click()
    page.wait_for_load_state()
    assert claim.quote in page.locator(".publication-claims").inner_text()
    assert check_accessibility(page) == []
    page.get_by_role("button", name="Sign off this draft").click()
    page.wait_for_load_state()
    assert "Signed off revision 1; an editor can publish it." in page.content()
    assert ArticleRevision.objects.get(article=article).signed_off_by == reviewer

    # The editor publishes, keyboard only.
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, editor.username, PASSWORD)
    page.goto(change_url)
    tab_to(page, "Publish…")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/article/{article.pk}/publish/")
    assert "Nothing blocks this draft." in page.content()
    screenshot(page, "admin-publish-page")
    assert check_accessibility(page) == []
    tab_to(page, "Publish or schedule this draft")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "Published revision 1: readers now see this draft." in page.content()
    assert "Live: revision 1, published" in page.locator(".publication-status").inner_text()
    live = ArticleRevision.objects.get(article=article, is_live=True)
    assert live.published_by == editor
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    assert check_accessibility(page) == []
