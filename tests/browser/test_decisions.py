import pytest

from claims.models import Claim
from tests.browser.conftest import DESKTOP, check_accessibility, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_reviewer_whose_claim_was_regraded_meanwhile_sees_what_changed_and_decides_again(browser, live_server, demo):
    claim = (
        Claim.objects.pending()
        .filter(created_by__username="editor", last_changed_by__username="editor", is_orphaned=False)
        .select_related("evidence_status")
        .first()
    )
    before = claim.evidence_status.name
    reviewer = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(reviewer, live_server, "reviewer", "reviewer-demo-2026")
    reviewer.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    reviewer.fill("#id_decision_comment", "Please cite the trial itself, not the press release.")

    editor = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(editor, live_server, "editor", "editor-demo-2026")
    editor.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    editor.select_option("#id_evidence_status", label="Very uncertain")
    editor.click("input[name=_save]")
    editor.wait_for_load_state()
    assert Claim.objects.get(pk=claim.pk).evidence_status.name == "Very uncertain"

    reviewer.click("button[value=changes_requested]")
    reviewer.wait_for_load_state()

    panel = reviewer.locator(".claim-changed")
    assert "Nothing was decided: this claim changed after you opened it" in panel.inner_text()
    row = panel.locator("tr", has_text="Evidence status")
    assert before in row.inner_text() and "Very uncertain" in row.inner_text()
    typed = reviewer.input_value("#id_decision_comment")
    assert typed == "Please cite the trial itself, not the press release."
    assert Claim.objects.get(pk=claim.pk).review_state == Claim.ReviewState.PENDING
    assert check_accessibility(reviewer) == []
    screenshot(reviewer, "admin-claim-changed-since-opened")

    reviewer.click("button[value=changes_requested]")  # now on the claim as it is
    reviewer.wait_for_load_state()
    assert Claim.objects.get(pk=claim.pk).review_state == Claim.ReviewState.CHANGES_REQUESTED
