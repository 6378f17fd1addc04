"""The pictures in the README, taken from the demo at the size a reader sees them.

`make screenshots` runs these and copies the pictures into docs/screenshots/.
"""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTICLE = "/articles/stem-cell-therapy-interstitial-lung-disease/"
SCREEN = {"width": 1280, "height": 800}


def open_badge(page, words):
    badge = page.locator(".article__body .badge", has_text=words).first
    badge.click()
    details = page.locator(f"#{badge.get_attribute('aria-controls')}")
    assert details.is_visible()
    return badge


def test_readme_picture_of_an_article_with_a_badge_open(browser, live_server, demo):
    page = browser.new_page(viewport=SCREEN)
    page.goto(f"{live_server.url}{ARTICLE}")
    badge = open_badge(page, "Interstitial lung disease")
    badge.evaluate("element => window.scrollBy(0, element.getBoundingClientRect().top - 260)")
    page.mouse.move(0, 0)
    screenshot(page, "readme-article", full_page=False)
    page.close()


def test_readme_picture_of_an_article_on_a_phone(browser, live_server, demo):
    page = browser.new_page(viewport={**PHONE, "height": 740})
    page.goto(f"{live_server.url}{ARTICLE}")
    screenshot(page, "readme-article-phone", full_page=False)
    page.close()


def test_readme_picture_of_a_condition_map(browser, live_server, demo):
    page = browser.new_page(viewport=SCREEN)
    response = page.goto(f"{live_server.url}/conditions/idiopathic-pulmonary-fibrosis/")
    assert response.status == 200
    assert page.locator(".evidence-group").count() >= 2
    screenshot(page, "readme-condition", full_page=False)
    page.close()


def test_readme_picture_of_the_review_queue(browser, live_server, demo):
    page = browser.new_page(viewport={**DESKTOP, "height": 800})
    sign_in(page, live_server, "reviewer", "reviewer-demo-2026")
    page.evaluate("localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")
    response = page.goto(f"{live_server.url}/admin/claims/reviewqueueclaim/")
    assert response.status == 200
    assert page.locator("#result_list tbody tr").count() >= 1
    screenshot(page, "readme-review-queue", full_page=False)
    page.close()


def test_readme_picture_of_the_integrity_panel(browser, live_server, demo):
    page = browser.new_page(viewport={**DESKTOP, "height": 800})
    sign_in(page, live_server, "editor", "editor-demo-2026")
    page.evaluate("localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")
    response = page.goto(f"{live_server.url}/admin/articles/article/?q=separating")
    assert response.status == 200
    page.locator("#result_list a", has_text="separating evidence from marketing").first.click()
    page.wait_for_load_state()
    panel = page.locator("#integrity")
    assert "Flagged claims" in panel.inner_text()
    panel.evaluate("element => window.scrollBy(0, element.getBoundingClientRect().top - 10)")
    screenshot(page, "readme-integrity-panel", full_page=False)
    page.close()


def test_readme_picture_of_the_sign_off_page(browser, live_server, demo):
    from articles.models import Article

    article = Article.objects.get(slug="stem-cells-autoimmune-disease")
    page = browser.new_page(viewport={**DESKTOP, "height": 800})
    sign_in(page, live_server, "reviewer2", "reviewer2-demo-2026")
    page.evaluate("localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")
    response = page.goto(f"{live_server.url}/admin/articles/articlerevision/article/{article.pk}/sign-off/")
    assert response.status == 200
    assert "You cannot sign off this draft yet" in page.content()
    screenshot(page, "readme-sign-off", full_page=False)
    page.close()


def test_readme_picture_of_an_articles_changes(browser, live_server, demo):
    page = browser.new_page(viewport=SCREEN)
    page.goto(f"{live_server.url}/articles/stem-cells-immune-system-disorders/")
    changes = page.locator(".article-changes")
    assert "downgraded" in changes.inner_text()
    changes.evaluate("element => window.scrollBy(0, element.getBoundingClientRect().top - 40)")
    screenshot(page, "readme-changes", full_page=False)
    page.close()
