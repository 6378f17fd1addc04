"""The admin pages where a claim's sources are judged fit a 1280 px screen: long findings wrap."""

import datetime

import pytest

from claims.models import Claim, EvidenceAlert, Source, SourceEvent
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
