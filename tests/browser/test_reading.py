import pytest
from django.urls import NoReverseMatch, reverse

from articles.models import Article
from claims.pages.record import CHANGES_SHOWN
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, check_accessibility, screenshot
from tests.factories import published

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


def details_of(page, badge):
    return page.locator(f"#{badge.get_attribute('aria-controls')}")


def test_reader_opens_a_badge_with_the_mouse_and_reads_its_evidence_under_the_sentence(page, live_server, demo):
    page.goto(f"{live_server.url}/articles/{ARTICLE}/")
    badge = page.locator(".article__body .badge--strong").first
    words = badge.inner_text()
    assert "Strong evidence" in words and "●●●●" in words
    assert badge.get_attribute("aria-expanded") == "false"
    details = details_of(page, badge)
    assert details.is_hidden()

    badge.click()

    assert badge.get_attribute("aria-expanded") == "true"
    assert details.is_visible()
    assert "What “Strong evidence” means" in details.inner_text()
    # The page says the grade's meaning and each citation once; the details show them in full, in place.
    assert "Several good-quality studies in people agree" in details.inner_text()
    assert details.locator(".citation .source-id").count() >= 1
    assert "Reviewed by Dr Priya Raman" in details.inner_text()
    assert page.evaluate("location.hash") == ""  # the reader stays at the sentence
    # The details sit just below the sentence, not at the end of the article.
    assert abs(details.bounding_box()["y"] - badge.bounding_box()["y"]) < 200
    assert check_accessibility(page) == []
    badge.click()
    assert details.is_hidden()


def test_reader_follows_the_details_to_the_full_list_of_evidence(page, live_server, demo):
    page.goto(f"{live_server.url}/articles/{ARTICLE}/")
    badge = page.locator(".article__body .badge--strong").first
    badge.click()

    details_of(page, badge).get_by_role("link", name="See it with all the evidence behind this article").click()

    note_id = page.evaluate("location.hash").lstrip("#")
    assert note_id == badge.get_attribute("href").lstrip("#")
    assert page.locator(f"#{note_id}").is_visible()


def focus_first_badge(page):
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('badge')"):
            return page.locator(".badge:focus")
    pytest.fail("No badge was reached with the Tab key.")


def test_reader_reaches_a_badge_with_the_keyboard_and_opens_it_with_enter_or_space(page, live_server, demo):
    page.goto(f"{live_server.url}/articles/{ARTICLE}/")
    badge = focus_first_badge(page)
    label = page.evaluate("document.activeElement.textContent")
    assert "Evidence:" in label  # screen readers hear the grade in words
    assert badge.get_attribute("role") == "button"
    details = details_of(page, badge)

    page.keyboard.press("Enter")
    assert details.is_visible()
    page.keyboard.press("Enter")
    assert details.is_hidden()

    scrolled = page.evaluate("window.scrollY")
    page.keyboard.press("Space")
    assert details.is_visible()
    assert page.evaluate("window.scrollY") == scrolled  # Space opened the badge, it did not scroll the page
    page.keyboard.press("Escape")
    assert details.is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('badge')")


def test_escape_inside_the_details_closes_them_and_returns_to_the_badge(page, live_server, demo):
    page.goto(f"{live_server.url}/articles/{ARTICLE}/")
    badge = focus_first_badge(page)
    page.keyboard.press("Enter")
    details = details_of(page, badge)
    details.locator("a").last.focus()

    page.keyboard.press("Escape")

    assert details.is_hidden()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == badge.get_attribute("aria-controls")


def test_without_javascript_a_badge_links_to_its_note(browser, live_server, demo):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/articles/{ARTICLE}/")
    badge = page.locator(".article__body .badge--strong").first
    assert badge.get_attribute("role") is None

    badge.click()

    note_id = page.url.split("#")[1]
    note = page.locator(f"#{note_id}")
    assert note_id.startswith("evidence-")
    assert note.is_visible()
    # The note opens with its sentence's first words, the link back to the whole sentence.
    back = note.locator("blockquote a")
    assert back.get_attribute("href") == "#claim-" + note_id.removeprefix("evidence-")
    # Without the script the note's chip says the grade and leads to what it means.
    chip = note.locator("a.chip")
    assert "Strong evidence" in chip.inner_text()
    chip.click()
    assert page.url.endswith("#grade-strong")
    assert "Several good-quality studies in people agree" in page.locator("#grade-strong").inner_text()
    context.close()


def test_under_review_claims_show_no_grade(page, live_server, demo):
    page.goto(f"{live_server.url}/articles/{ARTICLE}/")
    pending = page.locator('.claim[data-evidence="under-review"]').first
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


def test_printed_article_keeps_each_evidence_label_inline_and_lists_the_sources_at_the_end(page, live_server, demo):
    page.goto(f"{live_server.url}/articles/{ARTICLE}/")
    page.locator(".article__body .badge--strong").first.click()  # an open note must not print twice
    page.emulate_media(media="print")

    def display(selector):
        return page.locator(selector).first.evaluate("element => getComputedStyle(element).display")

    assert display(".article__body .badge") != "none"
    assert "Strong evidence" in page.locator(".article__body .badge--strong").first.inner_text()
    assert display(".site-header") == "none"
    assert display(".badge-details") == "none"
    assert display(".evidence-notes") != "none"
    # Each citation is printed once, in the References, with its address.
    source_link = page.locator(".references__list a").first
    printed_address = source_link.evaluate("link => getComputedStyle(link, '::after').content")
    assert source_link.get_attribute("href") in printed_address
    body_bottom = page.locator(".article__body").bounding_box()
    notes_top = page.locator(".evidence-notes").bounding_box()
    assert notes_top["y"] >= body_bottom["y"] + body_bottom["height"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / "article-print.pdf"))  # kept with the screenshots for people to look at


def test_reader_reads_the_changes_and_opens_the_earlier_ones_with_the_keyboard(page, live_server, demo):
    article = Article.objects.get(slug=ARTICLE)
    earlier_count = article.revisions.filter(published_at__isnull=False).count() + 1  # after the ones added here
    for number in range(2, CHANGES_SHOWN + 3):
        Article.objects.filter(pk=article.pk).update(change_note=f"Change number {number}.")
        published(article)

    page.goto(f"{live_server.url}/articles/{ARTICLE}/")
    # The header's "Last updated" links to the list; the keyboard goes on from there.
    page.get_by_role("link", name="changes").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#changes-title"
    section = page.get_by_role("region", name="Changes to this article")
    assert section.is_visible()
    latest = section.get_by_role("listitem").first
    assert f"Change number {CHANGES_SHOWN + 2}." in latest.inner_text()
    earlier = section.get_by_text("Change number 2.")
    assert earlier.is_hidden()

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert f"Earlier changes ({earlier_count})" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")

    assert earlier.is_visible()
    assert check_accessibility(page) == []
