"""Comments in the browser: an editor comments on a chosen sentence, a reviewer replies and resolves on a claim."""

import pytest

from articles.models import Article
from claims.models import Claim, CommentThread
from tests.browser.conftest import DESKTOP, check_accessibility, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_editor_comments_on_a_sentence_and_a_reviewer_resolves_a_thread_on_a_claim(browser, live_server, demo):
    article = Article.objects.get(slug="stem-cell-therapy-interstitial-lung-disease")
    sentence = article.sentences()[2]

    editor = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(editor, live_server, "editor", "editor-demo-2026")
    editor.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    editor.select_option("#new-thread-sentence", value=f"{sentence.start}:{sentence.end}")
    editor.fill("#new-thread-body", "Is there a newer <b>review</b> to cite here?")
    editor.locator("#comments form.comment-thread__new button").click()
    editor.wait_for_load_state()
    assert "Your comment started a new thread on the sentence." in editor.content()
    thread = CommentThread.objects.get(article=article, claim=None)
    assert thread.quote == sentence.text
    posted = editor.locator(f"#thread-{thread.pk}")
    assert "Is there a newer <b>review</b> to cite here?" in posted.inner_text()  # shown as typed, not as markup
    assert check_accessibility(editor) == []

    claim = Claim.objects.filter(article=article, review_state=Claim.ReviewState.APPROVED).first()
    reviewer = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(reviewer, live_server, "reviewer", "reviewer-demo-2026")
    reviewer.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    reviewer.fill("#new-thread-claim", "The grade rests on one trial.")
    reviewer.locator("#comments form.comment-thread__new button").click()
    reviewer.wait_for_load_state()
    on_claim = CommentThread.objects.get(claim=claim)
    reviewer.fill(f"#reply-{on_claim.pk}", "Agreed after reading it again.")
    reviewer.locator(f"#thread-{on_claim.pk} form.comment-thread__reply button").click()
    reviewer.wait_for_load_state()
    screenshot(reviewer, "admin-claim-comments")
    assert check_accessibility(reviewer) == []
    reviewer.locator(f"#thread-{on_claim.pk} form.comment-thread__settle button").click()
    reviewer.wait_for_load_state()
    folded = reviewer.locator(f"details#thread-{on_claim.pk}")
    assert folded.count() == 1 and folded.get_attribute("open") is None
    assert "Resolved thread" in folded.locator("summary").inner_text()
