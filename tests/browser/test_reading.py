import pytest
from django.urls import NoReverseMatch, reverse

from articles.models import Article
from tests.browser.conftest import DESKTOP, PHONE, check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTICLE = "stem-cell-therapy-interstitial-lung-disease"


def public_pages():
    """(name, path) of every public page there is, the demo article included."""
    pages = [("home", reverse("articles:article-list")), ("article", f"/articles/{ARTICLE}/")]
    for name, url_name, kwargs, query in [
        ("conditions", "claims:condition-list", {}, ""),
        ("condition", "claims:condition-detail", {"slug": "idiopathic-pulmonary-fibrosis"}, ""),
        ("evidence", "claims:evidence-legend", {}, ""),
        ("search", "search", {}, "?q=stem+cells"),
        ("tag", "articles:tag-detail", {"slug": "stem-cells"}, ""),
    ]:
        try:
            pages.append((name, reverse(url_name, kwargs=kwargs) + query))
        except NoReverseMatch:
            continue
    return pages


def test_reader_opens_a_badge_with_the_mouse_and_reads_its_evidence(page, live_server, demo):
    page.goto(f"{live_server.url}/articles/{ARTICLE}/")
    badge = page.locator(".badge--strong").first
    words = badge.inner_text()
    assert "Strong evidence" in words and "●●●●" in words
    badge.click()
    note_id = page.evaluate("location.hash").lstrip("#")
    assert note_id.startswith("evidence-")
    note = page.locator(f"#{note_id}")
    assert note.is_visible()
    assert "What “Strong evidence” means" in note.inner_text()
    assert "Reviewed by Dr Priya Raman" in note.inner_text()


def test_reader_reaches_a_badge_with_the_keyboard_and_opens_it_with_enter(page, live_server, demo):
    page.goto(f"{live_server.url}/articles/{ARTICLE}/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('badge')"):
            break
    else:
        pytest.fail("No badge was reached with the Tab key.")
    label = page.evaluate("document.activeElement.textContent")
    assert "Evidence:" in label  # screen readers hear the grade in words
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash").startswith("#evidence-")


def test_under_review_claims_show_no_grade(page, live_server, demo):
    page.goto(f"{live_server.url}/articles/{ARTICLE}/")
    pending = page.locator(".claim--under-review").first
    assert pending.count() == 1
    assert page.locator(".badge--review").first.inner_text().strip().endswith("Under review")


def test_drafts_are_not_found_by_readers(page, live_server, demo):
    draft = Article.objects.filter(status=Article.Status.DRAFT).first()
    response = page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    assert response.status == 404
    assert "Page not found" in page.content()


@pytest.mark.parametrize("viewport_name, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_public_pages_pass_axe_and_are_photographed(browser, live_server, demo, viewport_name, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    problems = {}
    for name, path in public_pages():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        screenshot(page, f"{name}-{viewport_name}")
        violations = check_accessibility(page)
        if violations:
            problems[path] = violations
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{path} scrolls sideways at {viewport['width']} px"
    context.close()
    assert problems == {}
