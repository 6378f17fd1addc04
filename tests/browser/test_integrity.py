import pytest

from articles.models import Article
from claims.models import Claim, ClaimDecision, Condition, EvidenceStatus
from claims.services import claim_create, claim_submit, source_from_identifier
from tests.browser.conftest import DESKTOP, check_accessibility, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

UNGRADED = "Autoimmune conditions such as rheumatoid arthritis, lupus and multiple sclerosis are long-term"
OVERCLAIM = "Stem cells repair the lungs of people with scarring."


def test_an_editor_turns_a_suggested_claim_into_a_claim_from_the_integrity_panel(browser, live_server, demo):
    article = Article.objects.get(slug="stem-cells-autoimmune-disease")
    arthritis = Condition.objects.get(slug="rheumatoid-arthritis")
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, "editor", "editor-demo-2026")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    panel = page.locator("#integrity")
    assert "suggested claim" in panel.inner_text()
    page.locator("#integrity").scroll_into_view_if_needed()
    screenshot(page, "admin-integrity-panel", full_page=False)
    assert check_accessibility(page) == []
    suggestion = panel.locator("li li", has_text="(Rheumatoid arthritis)")
    suggestion.get_by_role("link", name="Add claim about Rheumatoid arthritis").click()
    page.wait_for_load_state()

    assert UNGRADED in page.locator("#id_sentence input:checked").locator("xpath=..").inner_text()
    assert page.locator("#id_condition").input_value() == str(arthritis.pk)
    page.select_option("#id_evidence_status", label="Strong")
    page.fill("#id_new_sources", "https://www.nhs.uk/conditions/rheumatoid-arthritis/")
    page.fill("#id_explanation", "How these conditions last and what they cause is well described.")
    page.click("input[name=_save]")
    page.wait_for_load_state()

    claim = Claim.objects.get(article=article, condition=arthritis, quote__startswith=UNGRADED)
    assert claim.review_state == Claim.ReviewState.PENDING
    row = page.locator("tr.sentence", has_text=UNGRADED)
    assert "Suggested claim: Rheumatoid arthritis" not in row.inner_text()
    assert "Suggested claim: Systemic lupus erythematosus" in row.inner_text()  # one claim per condition


def test_a_reviewer_approves_overclaiming_wording_only_with_a_reason_kept_in_the_history(browser, live_server, demo):
    article = Article.objects.get(slug="stem-cell-therapy-interstitial-lung-disease")
    article.body += f"\n{OVERCLAIM}\n"
    article.save()
    editor = article.author
    start = article.body_text.index(OVERCLAIM)
    claim = claim_create(
        article=article,
        start=start,
        end=start + len(OVERCLAIM),
        condition=Condition.objects.get(slug="interstitial-lung-disease"),
        evidence_status=EvidenceStatus.objects.get(slug="very-uncertain"),
        sources=[source_from_identifier("NCT02013700")],
        user=editor,
    )
    claim_submit(claim=claim, user=editor)
    assert claim.is_overclaiming

    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, "reviewer", "reviewer-demo-2026")
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    check = page.locator(".wording-check")
    assert "Worded as definite" in check.inner_text() and "Overclaiming" in check.inner_text()
    assert "It is not known whether" in check.inner_text()  # a rewording that fits "Very uncertain"
    page.fill("#id_decision_comment", "The trial is still recruiting.")
    page.click("button[value=approved]")
    page.wait_for_load_state()
    assert "more strongly than “Very uncertain” allows" in page.content()
    assert page.input_value("#id_decision_comment") == "The trial is still recruiting."  # nothing typed is lost
    assert Claim.objects.get(pk=claim.pk).review_state == Claim.ReviewState.PENDING

    # Keyboard only: the reason box is labelled and reached from the comment.
    page.focus("#id_decision_override_reason")
    page.keyboard.type("The sentence quotes a clinic's advertisement word for word.")
    page.click("button[value=approved]")
    page.wait_for_load_state()
    approval = ClaimDecision.objects.get(claim=claim, decision=ClaimDecision.Decision.APPROVED)
    assert approval.override_reason == "The sentence quotes a clinic's advertisement word for word."
    assert "This is the next claim waiting for review." in page.locator("ul.messagelist").inner_text()
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")  # back to the claim just approved
    assert "Approved despite overclaiming:" in page.locator("#decisions").inner_text()
    assert "approved it as it is, with this reason" in page.locator(".wording-check").inner_text()
    screenshot(page, "admin-claim-override")


def test_the_integrity_report_page_passes_the_accessibility_checks(browser, live_server, demo):
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, "editor", "editor-demo-2026")
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Integrity report").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Integrity report"
    rows = page.locator(".integrity-report__table").first.locator("tbody tr")
    assert rows.count() >= 3
    screenshot(page, "admin-integrity-report")
    assert check_accessibility(page) == []


ASTHMA_CLAIM = "Inhaled steroids reduce asthma attacks in most children."


def test_an_editor_adds_the_condition_a_suggested_claim_names_and_comes_back_to_it(browser, live_server, demo):
    article = Article.objects.get(slug="stem-cells-autoimmune-disease")
    article.body += f"\n{ASTHMA_CLAIM}\n"
    article.save()
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, "editor", "editor-demo-2026")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    suggestion = page.locator("#integrity li", has_text=ASTHMA_CLAIM)
    assert "Names no condition on the site" in suggestion.inner_text()
    page.locator("#integrity").scroll_into_view_if_needed()
    assert check_accessibility(page) == []
    box = page.locator("#integrity").bounding_box()
    assert box["x"] + box["width"] <= DESKTOP["width"]  # the panel fits 1280 px
    suggestion.get_by_role("link", name="Add “Asthma” as a condition").click()
    page.wait_for_load_state()

    assert page.input_value("#id_name") == "Asthma" and page.input_value("#id_slug") == "asthma"
    page.click("input[name=_save]")
    page.wait_for_load_state()

    assert page.url.endswith(f"/admin/articles/article/{article.pk}/change/#integrity")
    assert "Condition added: Asthma" in page.content()
    row = page.locator("#integrity li", has_text=ASTHMA_CLAIM)
    assert "Names asthma (Asthma)" in row.inner_text()
    assert Condition.objects.filter(slug="asthma").exists()
