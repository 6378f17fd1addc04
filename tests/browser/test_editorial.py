import pytest

from articles.models import Article
from claims.models import Claim, Condition
from tests.browser.conftest import DESKTOP, screenshot, sign_in
from tests.factories import published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SENTENCE = "Researchers think the cells work mainly through the signals they release"


def test_editor_claims_a_picked_sentence_a_reviewer_approves_and_readers_see_the_badge(browser, live_server, demo):
    article = Article.objects.get(slug="stem-cell-therapy-interstitial-lung-disease")
    condition = Condition.objects.get(slug="interstitial-lung-disease")

    editor = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(editor, live_server, "editor", "editor-demo-2026")
    editor.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    editor.locator("tr.sentence", has_text=SENTENCE).locator("a.addlink").click()
    editor.wait_for_load_state()
    picked = editor.locator("#id_sentence input:checked")
    assert SENTENCE in picked.locator("xpath=..").inner_text()  # the sentence arrives picked, never retyped
    editor.evaluate(
        "([id, name]) => document.getElementById('id_condition').add(new Option(name, id, true, true))",
        [str(condition.pk), condition.name],
    )
    editor.select_option("#id_evidence_status", label="Early research only (lab or animal)")
    editor.fill("#id_new_sources", "doi:10.1016/j.chest.2016.10.061")
    editor.fill("#id_explanation", "Seen in laboratory and animal studies of how the cells act.")
    screenshot(editor, "admin-claim-form")
    editor.click("input[name=_save]")
    editor.wait_for_load_state()
    claim = Claim.objects.get(article=article, quote__startswith=SENTENCE)
    assert claim.review_state == Claim.ReviewState.PENDING and claim.created_by.username == "editor"

    reviewer = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(reviewer, live_server, "reviewer", "reviewer-demo-2026")
    reviewer.goto(f"{live_server.url}/admin/claims/reviewqueueclaim/?article__id__exact={article.pk}")
    screenshot(reviewer, "admin-review-queue")
    reviewer.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    # "Researchers think" reads as probable, stronger than early research allows: the reviewer says why it stands.
    reviewer.fill("#id_decision_override_reason", "It reports what researchers think, and the badge says how early.")
    reviewer.click("button[value=approved]")
    reviewer.wait_for_load_state()
    assert "Approved “" in reviewer.content()

    reader = browser.new_context(viewport=DESKTOP).new_page()
    reader.goto(f"{live_server.url}{article.get_absolute_url()}")
    # Readers see the live revision: the new claim is not on it until a revision with it is published.
    assert reader.locator(f"#claim-{claim.pk}").count() == 0
    published(article)  # the fixture shortcut; the gate and sign-off have tests of their own
    reader.goto(f"{live_server.url}{article.get_absolute_url()}")
    wrapped = reader.locator(f"#claim-{claim.pk}")
    assert wrapped.get_attribute("data-evidence") == "early-research"
    badge = reader.locator(f'a.badge[href="#evidence-{claim.pk}"]')
    assert "Early research only" in badge.inner_text()
