"""The claim form's "Or add a new condition": beside the list, labelled, and the claim saved with it."""

import pytest

from claims.models import Claim
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import ArticleFactory, EditorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_editor_adds_a_condition_from_the_claim_form_without_a_popup(page, live_server):
    editor = EditorFactory(username="writer")
    article = ArticleFactory(author=editor)
    sign_in(page, live_server, "writer", "pass-for-tests-123")
    sentence = article.sentences()[1]
    page.goto(
        f"{live_server.url}/admin/claims/claim/add/?article={article.pk}&sentence={sentence.start}:{sentence.end}"
    )

    typed = page.get_by_label("Or add a new condition")
    row = page.locator(".form-row.field-condition")
    assert row.locator("#id_new_condition").count() == 1  # in the condition's own row, under the list
    listed, box = row.locator(".select2-container").first.bounding_box(), typed.bounding_box()
    assert 0 < box["y"] - listed["y"] < 80
    assert check_accessibility(page) == []
    typed.fill("Lung fibrosis")
    page.select_option("#id_evidence_status", label="Early research only (lab or animal)")
    screenshot(page, "admin-claim-new-condition", full_page=False)
    page.click("input[name=_save]")
    page.wait_for_load_state()

    assert Claim.objects.get(article=article).condition.name == "Lung fibrosis"
    assert "Condition added: Lung fibrosis." in page.locator(".messagelist").inner_text()
