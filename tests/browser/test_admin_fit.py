"""The admin pages where a claim's sources are judged, and the review queue, fit a 1280 px screen: long findings,
quotes, sources and comments wrap."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from claims.models import Assignment, Claim, ClaimDecision, EvidenceAlert, Source, SourceEvent
from claims.text import study_design
from tests.browser.conftest import DESKTOP, check_accessibility, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG_TITLE = (
    "A randomised, double-blind, placebo-controlled trial of an inhaled antifibrotic in adults with idiopathic "
    "pulmonary fibrosis and a forced vital capacity above fifty per cent of predicted, over fifty-two weeks"
)


def scroll_width(page, url):
    page.goto(url)
    page.wait_for_load_state()
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_the_article_claim_sources_and_alert_pages_fit_1280_pixels(browser, page, live_server, demo):
    claim = Claim.objects.filter(review_state=Claim.ReviewState.APPROVED, sources__isnull=False).first()
    trial = Source.objects.create(kind=Source.Kind.NCT, identifier="NCT04999999", title=LONG_TITLE)
    unknown = Source.objects.create(kind=Source.Kind.PMID, identifier="31000003", title=LONG_TITLE + " (follow-up)")
    claim.sources.add(trial, unknown)
    stopped = SourceEvent.objects.create(
        source=trial, kind=SourceEvent.Kind.TRIAL_STOPPED, date=datetime.date(2023, 4, 18), detail="terminated"
    )
    SourceEvent.objects.create(source=unknown, kind=SourceEvent.Kind.RETRACTION, date=datetime.date(2014, 7, 2))
    alert = EvidenceAlert.objects.create(claim=claim, event=stopped)
    assert unknown.design == study_design.UNKNOWN

    sign_in(page, live_server, "reviewer", "reviewer-demo-2026")
    pages = {
        "admin-fit-article": f"/admin/articles/article/{claim.article_id}/change/",
        "admin-fit-claim": f"/admin/claims/claim/{claim.pk}/change/",
        "admin-fit-sources": "/admin/claims/source/",
        "admin-fit-alerts": "/admin/claims/evidencealert/",
        "admin-fit-alert": f"/admin/claims/evidencealert/{alert.pk}/resolve/",
    }
    widths, problems = {}, {}
    for name, path in pages.items():
        widths[name] = scroll_width(page, live_server.url + path)
        screenshot(page, name)
        if name in ("admin-fit-sources", "admin-fit-alert"):
            problems[name] = check_accessibility(page)
    assert all(width <= 1280 for width in widths.values()), widths
    assert problems == {"admin-fit-sources": [], "admin-fit-alert": []}

    page.goto(live_server.url + pages["admin-fit-sources"])
    results = page.locator("#changelist .results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth"), "the Sources list is cut off at its right"
    assert "✖ Retracted" in page.inner_text("#result_list")

    editing = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(editing, live_server, "editor", "editor-demo-2026")
    editing.goto(f"{live_server.url}/admin/claims/source/{unknown.pk}/change/")
    screenshot(editing, "admin-fit-source")
    assert editing.locator("#id_title").bounding_box()["width"] >= 600
    editing.context.close()

    page.goto(live_server.url + pages["admin-fit-article"])
    findings = page.locator(".integrity-panel .source-finding")
    assert findings.count() >= 2 and "■" in page.inner_text(".integrity-panel")
    assert all(box["width"] <= 1280 for box in (findings.nth(i).bounding_box() for i in range(findings.count())))
    page.goto(live_server.url + pages["admin-fit-claim"])
    check = page.locator(".field-source_check .source-findings")
    assert check.evaluate("el => getComputedStyle(el).textAlign") in ("left", "start")


LONG_COMMENT = (
    "The sentence says the infusions are safe, but both trials followed fewer than forty people for under a year, "
    "and neither was blinded: name the trials, say how small they were, and soften the wording to match the grade."
)


def test_the_review_queue_fits_1280_pixels_with_long_quotes_many_sources_and_long_comments(page, live_server, demo):
    reviewer = get_user_model().objects.get(username="reviewer")
    editor = get_user_model().objects.get(username="editor")
    waiting = list(
        Claim.objects.exclude(created_by=reviewer).exclude(last_changed_by=reviewer).filter(is_orphaned=False)
    )[:8]
    assert len(waiting) == 8
    for n, claim in enumerate(waiting):
        Claim.objects.filter(pk=claim.pk).update(review_state=Claim.ReviewState.PENDING)
        claim.sources.add(
            Source.objects.create(kind=Source.Kind.DOI, identifier=f"10.1164/rccm.202301-0123OC.supplementary-{n}"),
            Source.objects.create(kind=Source.Kind.NCT, identifier=f"NCT0499{n:04d}", title=LONG_TITLE),
            Source.objects.create(
                kind=Source.Kind.URL, identifier=f"https://www.pulmonaryfibrosis-foundation.example/research/{n}"
            ),
        )
        ClaimDecision.objects.create(
            claim=claim, decision=ClaimDecision.Decision.CHANGES_REQUESTED, actor=reviewer, comment=LONG_COMMENT
        )
        ClaimDecision.objects.create(claim=claim, decision=ClaimDecision.Decision.SUBMITTED, actor=editor)
        if n % 2:
            Assignment.objects.create(
                claim=claim,
                reviewer=reviewer,
                assigned_by=editor,
                due_on=timezone.localdate() - datetime.timedelta(days=n),
            )

    assigned_before = Assignment.objects.open().filter(reviewer=reviewer).count()  # the demo's and those above
    sign_in(page, live_server, "reviewer", "reviewer-demo-2026")
    width = scroll_width(page, live_server.url + "/admin/claims/reviewqueueclaim/")
    screenshot(page, "admin-fit-review-queue")
    assert width <= 1280, width
    results = page.locator("#changelist .results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth"), "the queue is cut off at its right"
    for column in ("evidence", "integrity", "review"):
        right = page.locator(f"#result_list td.field-{column}").first.bounding_box()
        assert right["x"] + right["width"] <= 1280, column
    # The claim's paragraph reads as a paragraph, not a column of single words.
    assert page.locator("#result_list td.field-in_paragraph").first.bounding_box()["width"] >= 250
    assert "⚠ overdue by" in page.inner_text("#result_list")
    assert check_accessibility(page) == []

    # "Take this" posts the list's own form to the claim's assign address and comes back to the queue.
    taken = page.locator("#result_list tbody tr", has=page.locator("button.queue-take")).first
    taken.locator("button.queue-take").click()
    page.wait_for_load_state()
    assert "/admin/claims/reviewqueueclaim/" in page.url and "You took this review: due" in page.content()
    assert Assignment.objects.open().filter(reviewer=reviewer).count() == assigned_before + 1
