import datetime

import pytest

from claims import evidence_watch
from claims.models import PublishedClaim, SourceEvent
from tests.browser.conftest import DESKTOP, check_accessibility, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_reviewer_withdraws_a_claim_whose_study_was_retracted_and_readers_see_why(browser, live_server, demo):
    live = (
        PublishedClaim.objects.filter(revision__is_live=True, under_review_since__isnull=True, sources__isnull=False)
        .select_related("claim__article")
        .first()
    )
    source = live.sources.first()
    event = SourceEvent.objects.create(source=source, kind=SourceEvent.Kind.RETRACTION, date=datetime.date(2024, 3, 1))
    evidence_watch.raise_alerts(event)

    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, "reviewer", "reviewer-demo-2026")
    page.goto(f"{live_server.url}/admin/claims/evidencealert/")
    row = page.locator("#result_list tr", has_text=live.claim.quote[:40])
    assert "Retraction" in row.inner_text() and live.claim.article.title in row.inner_text()
    assert check_accessibility(page) == []
    row.locator("a.button", has_text="Resolve").click()
    page.wait_for_load_state()
    assert check_accessibility(page) == []
    page.check("input[name=how][value=withdrawn]")
    page.click("input[type=submit][value=Resolve]")
    page.wait_for_load_state()
    assert "Alert resolved: withdrawn urgently." in page.inner_text("body")

    page.goto(f"{live_server.url}{live.claim.article.get_absolute_url()}")
    note = page.inner_text(f"#evidence-{live.public_id}")
    assert "A study this claim relies on was retracted on 1 March 2024. A reviewer is checking it." in note
    assert PublishedClaim.objects.get(claim=live.claim, revision__is_live=True).under_review_since is not None


def test_readers_see_the_retracted_study_on_the_badge_and_in_the_note_of_the_claim_citing_it(
    browser, live_server, demo
):
    live = (
        PublishedClaim.objects.filter(revision__is_live=True, sources__identifier="10.1038/nature12968")
        .select_related("claim__article")
        .get()
    )

    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(f"{live_server.url}{live.claim.article.get_absolute_url()}")

    badge = page.locator(f'a.badge[href="#evidence-{live.public_id}"]')
    # Its other source still stands: the grade shows, with the warning in words beside it.
    words = " ".join(badge.inner_text().split())
    assert words.startswith("◌ Evidence: Early research only ⚠ Warning: source retracted"), words
    note = page.locator(f"#evidence-{live.public_id}")
    note.scroll_into_view_if_needed()
    assert (
        "“Stimulus-triggered fate conversion of somatic cells into pluripotency” was retracted on 2 July 2014. "
        "A medical reviewer is checking this claim." in note.inner_text()
    )
    note.screenshot(path="/tmp/retracted-source-note.png")
    badge.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/retracted-source-badge.png")
    assert check_accessibility(page) == []
