"""A person's page in a real browser: reached from an article's byline, accessible at desktop and phone widths."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTICLE = "stem-cell-therapy-interstitial-lung-disease"


@pytest.mark.parametrize("viewport_name, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_a_reader_follows_the_reviewers_name_to_their_page_which_passes_axe(
    browser, live_server, demo, viewport_name, viewport
):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/articles/{ARTICLE}/")
    byline = page.locator(".review-dates p", has_text="Medically reviewed by")
    reviewer = byline.locator("a")
    name = reviewer.inner_text()
    assert ", MD" in byline.inner_text() or ", MBBS" in byline.inner_text()

    reviewer.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "/people/" in page.url
    assert page.locator("h1").inner_text() == name
    assert page.get_by_role("heading", name=f"Articles medically reviewed by {name}").is_visible()
    assert page.get_by_role("heading", name="Declared conflicts of interest").is_visible()
    screenshot(page, f"person-{viewport_name}")
    assert check_accessibility(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the person's page scrolls sideways at {viewport['width']} px"
    context.close()
