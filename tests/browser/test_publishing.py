"""Signing off and publishing an article's draft through the admin's pages, the publish button by keyboard."""

import pytest

from articles.models import Article, ArticleRevision
from articles.services import article_update
from claims.publishing import article_publish, article_sign_off, draft_digest
from claims.services import claim_approve
from tests.browser.conftest import DESKTOP, check_accessibility, screenshot, sign_in
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, EditorFactory, ReviewerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pass-for-tests-123"
# One health claim, and that one claimed: nothing else for the publication gate to hold.
BODY = "## Stem cells and lung scarring\n\nAntifibrotic medicines slow the loss of lung function in IPF.\n"


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
    article = ArticleFactory(
        author=editor, status=Article.Status.DRAFT, title="Stem cells and lung scarring", body=BODY
    )
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
    assert "Published — readers see revision 1 (published" in page.locator(".publication-status").inner_text()
    live = ArticleRevision.objects.get(article=article, is_live=True)
    assert live.published_by == editor
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    assert check_accessibility(page) == []


def test_an_editor_rolls_an_article_back_and_a_reviewer_withdraws_a_live_claim_urgently(browser, live_server):
    editor = EditorFactory(username="writer")
    signer = ReviewerFactory(username="signer")
    grader = ReviewerFactory(username="grader")
    article = ArticleFactory(
        author=editor, status=Article.Status.DRAFT, title="Stem cells and lung scarring", body=BODY
    )
    claim = ClaimFactory(article=article, sentence=1, condition=ConditionFactory(name="Idiopathic pulmonary fibrosis"))
    claim_approve(claim=claim, reviewer=grader)
    for title in ("Stem cells and lung scarring", "Stem cells: a miracle for scarred lungs?"):
        draft = Article.objects.get(pk=article.pk)
        if draft.title != title:
            draft.title = title
            article_update(article=draft, user=editor)
        article_sign_off(article=draft, reviewer=signer, seen_digest=draft_digest(Article.objects.get(pk=draft.pk)))
        article_publish(article=Article.objects.get(pk=draft.pk), user=editor, change_note="A new title.")
    notice = "The trial behind this grade was retracted."

    # The editor puts revision 1 back from the Revisions page.
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, editor.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    assert "Published — readers see revision 2" in page.locator(".publication-status").inner_text()
    page.locator(".publication-status").get_by_role("link", name="Revisions").click()
    page.wait_for_load_state()
    assert "Live" in page.locator(".publication-revisions__live").inner_text()
    screenshot(page, "admin-revisions")
    assert check_accessibility(page) == []
    page.get_by_role("link", name="Publish this revision again… (revision 1)").click()
    page.wait_for_load_state()
    assert check_accessibility(page) == []
    page.get_by_label("Change note").fill("The earlier title was clearer.")
    page.get_by_role("button", name="Publish revision 1 again").click()
    page.wait_for_load_state()
    assert "Published revision 3, a copy of revision 1: readers now see it." in page.content()
    reader = browser.new_context(viewport=DESKTOP).new_page()
    reader.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert reader.locator("h1").inner_text() == "Stem cells and lung scarring"

    # A reviewer pulls the claim from its page.
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, grader.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    assert "Readers see this claim graded" in page.locator(".claim-live").inner_text()
    page.get_by_role("link", name="Withdraw urgently…").click()
    page.wait_for_load_state()
    assert "This publishes a new revision at once." in page.content()
    screenshot(page, "admin-withdraw-urgently")
    assert check_accessibility(page) == []
    page.get_by_role("button", name="Withdraw for review and publish now").click()
    page.wait_for_load_state()
    assert "Write the notice readers see" in page.content()  # nothing typed: refused on the form
    page.get_by_label("Notice for readers").fill(notice)
    page.get_by_role("button", name="Withdraw for review and publish now").click()
    page.wait_for_load_state()
    assert "Revision 4 is live" in page.content()
    assert "Published — readers see revision 4" in page.locator(".publication-status").inner_text()

    # Readers see it under review, with the notice, in the rolled-back text.
    reader.reload()
    assert reader.locator("h1").inner_text() == "Stem cells and lung scarring"
    assert reader.locator(f"#claim-{claim.pk}").get_attribute("data-evidence") == "under-review"
    notes = reader.locator(".evidence-notes").inner_text()
    assert "Under review" in notes and notice in notes
