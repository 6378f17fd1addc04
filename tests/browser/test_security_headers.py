"""Under the Content-Security-Policy every page, public and editorial, works with nothing refused."""

import pytest

from articles.models import Article
from claims.models import Claim
from tests.browser.conftest import DESKTOP, ROOT, check_accessibility, screenshot, sign_in
from tests.browser.test_reading import ARTICLE, public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Installed before any of the page's own code runs, on every page the context opens.
LISTEN_FOR_VIOLATIONS = """
window.__policyViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__policyViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline code"}`
      + ` at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


class Watched:
    """A signed-out or signed-in browser tab that records refused content and script errors on every page."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport=DESKTOP)
        self.context.add_init_script(LISTEN_FOR_VIOLATIONS)
        self.problems = []
        self.expected_failures = set()
        self.context.on("console", self._console)
        self.context.on("weberror", lambda error: self.problems.append(f"script error: {error.error}"))
        self.page = self.context.new_page()

    def _console(self, message):
        # Chromium logs a page answered with an error status; that is no fault when the status was the point.
        expected = message.location.get("url") in self.expected_failures and message.text.startswith(
            "Failed to load resource: the server responded with a status of"
        )
        if message.type == "error" and not expected:
            self.problems.append(f"console error on {message.location.get('url')}: {message.text}")

    def check(self, page=None):
        """Record what the page in front refused so far."""
        page = page or self.page
        for violation in page.evaluate("window.__policyViolations.splice(0)"):
            self.problems.append(f"{page.url}: {violation}")

    def visit(self, url, status=200):
        if status != 200:
            self.expected_failures.add(url)
        response = self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        assert response.status == status, f"{url} answered {response.status}"
        self.check()
        return self.page


def test_reader_pages_load_with_nothing_refused(browser, live_server, demo):
    reader = Watched(browser)
    for _name, path in public_pages():
        reader.visit(f"{live_server.url}{path}")
    page = reader.page
    page.goto(f"{live_server.url}/articles/{ARTICLE}/")
    page.locator(".article__body a.badge").first.click()  # the badge script runs under the policy
    assert page.locator(".article__body a.badge").first.get_attribute("aria-expanded") == "true"
    reader.check()
    reader.visit(f"{live_server.url}/articles/no-such-article/", status=404)
    assert reader.problems == []


def test_editor_works_in_the_admin_with_nothing_refused(browser, live_server, demo):
    article = Article.objects.get(slug=ARTICLE)
    editor = Watched(browser)
    page = editor.page
    editor.visit(f"{live_server.url}/admin/login/")
    sign_in(page, live_server, "editor", "editor-demo-2026")
    editor.check()
    admin = f"{live_server.url}/admin"
    for path in ["/", "/articles/article/", "/articles/article/add/", "/articles/article/import/", "/claims/claim/"]:
        editor.visit(admin + path)

    # The Markdown editor previews what is typed, images from the site included.
    editor.visit(f"{admin}/articles/article/{article.pk}/change/")
    body = page.locator("#id_body")
    body.fill(body.input_value() + "\n\nA sentence typed for the preview.\n\n![The site's mark](/static/favicon.svg)\n")
    preview = page.locator(".markdownx-preview")
    preview.get_by_text("A sentence typed for the preview.").wait_for()
    assert preview.locator('img[src="/static/favicon.svg"]').evaluate("img => img.complete && img.naturalWidth > 0")
    editor.check()

    claim = Claim.objects.filter(article=article).first()
    editor.visit(f"{admin}/claims/claim/{claim.pk}/change/")
    editor.visit(f"{admin}/claims/claim/{claim.pk}/history/")
    history = editor.visit(f"{admin}/articles/article/{article.pk}/history/")
    # The revision list's paginator draws no rule above it (a class in site.css, no inline style).
    assert history.locator("p.paginator").evaluate("p => getComputedStyle(p).borderTopStyle") == "none"
    history.locator("a[href*='/diff/']").last.click()  # the first version: all its text shows as added
    page.wait_for_load_state("networkidle")
    # The comparison's styles, moved out of the page into the admin stylesheet, still apply.
    text_cell = page.locator("td.article-diff__text").first
    assert "monospace" in text_cell.evaluate("td => getComputedStyle(td).fontFamily")
    editor.check()

    # Claiming a sentence: the claim form with its sentence list and the condition search box.
    editor.visit(f"{admin}/articles/article/{article.pk}/change/")
    page.locator("tr.sentence:not(.sentence--heading) a.addlink").first.click()  # headings hide theirs
    page.wait_for_load_state("networkidle")
    editor.check()
    page.locator("#id_condition + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill("lung")
    page.locator(".select2-results__option", has_text="lung").first.wait_for()
    page.keyboard.press("Escape")
    editor.check()
    with page.expect_popup() as opened:
        page.locator("#add_id_condition").click()
    popup = opened.value
    popup.wait_for_load_state("networkidle")
    editor.check(popup)
    popup.close()
    editor.visit(f"{admin}/claims/claim/add/")
    assert editor.problems == []


def test_reviewer_decides_claims_in_the_admin_with_nothing_refused(browser, live_server, demo):
    pending = Claim.objects.filter(review_state=Claim.ReviewState.PENDING).exclude(created_by__username="reviewer")
    pending = pending.exclude(last_changed_by__username="reviewer").order_by("pk")
    first, second = pending[0], pending[1]
    reviewer = Watched(browser)
    page = reviewer.page
    sign_in(page, live_server, "reviewer", "reviewer-demo-2026")
    admin = f"{live_server.url}/admin"
    reviewer.visit(f"{admin}/claims/reviewqueueclaim/")

    reviewer.visit(f"{admin}/claims/claim/{first.pk}/change/")
    page.fill(".claim-review textarea", "Please cite the trial this sentence rests on.")
    page.click("button[value=changes_requested]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".messagelist .success").count() == 1
    reviewer.check()

    # A bulk decision asks for one comment on its own page.
    reviewer.visit(f"{admin}/claims/reviewqueueclaim/")
    page.locator(f"input.action-select[value='{second.pk}']").check()
    page.select_option("select[name=action]", "request_changes_selected")
    page.click("button[name=index]")
    page.wait_for_load_state("networkidle")
    assert page.locator("textarea").count() >= 1
    reviewer.check()
    assert reviewer.problems == []


def test_a_superuser_reviews_sign_in_records_with_nothing_refused(browser, live_server, demo):
    superuser = Watched(browser)
    sign_in(superuser.page, live_server, "admin", "admin-demo-2026")
    for path in ["/", "/axes/accessattempt/", "/axes/accesslog/", "/auth/user/", "/auth/user/add/"]:
        superuser.visit(f"{live_server.url}/admin{path}")
    assert superuser.problems == []


def test_a_locked_out_sign_in_gets_a_styled_page_with_nothing_refused(browser, live_server, demo):
    visitor = Watched(browser)
    visitor.expected_failures.add(f"{live_server.url}/admin/login/")
    page = visitor.page
    for attempt in range(5):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", f"guess-{attempt}")
        page.click("input[type=submit]")
        page.wait_for_load_state("networkidle")
    assert page.locator("h1", has_text="Signing in is paused").is_visible()
    assert "after 5 wrong passwords in a row" in page.locator(".errornote").inner_text()
    # Styled by the admin's own sheets: the login box, not an unstyled page.
    assert page.locator("#header").evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    screenshot(page, "admin-lockout", full_page=False)
    visitor.check()
    assert check_accessibility(page) == []
    assert visitor.problems == []


def test_article_images_load_from_https_addresses_and_plain_http_ones_are_refused_in_development(
    browser, live_server, demo
):
    article = Article.objects.get(slug=ARTICLE)
    editor = Watched(browser)
    page = editor.page
    # The pictures are answered here: the test needs no network, and only the policy decides what loads.
    picture = (ROOT / "static" / "favicon.svg").read_bytes()
    page.route("*://images.example.org/**", lambda route: route.fulfill(body=picture, content_type="image/svg+xml"))
    sign_in(page, live_server, "editor", "editor-demo-2026")
    editor.visit(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.locator("#id_body").fill(
        "Two pictures.\n\n![Over https](https://images.example.org/a.svg)\n\n![Over http](http://images.example.org/b.svg)\n"
    )
    preview = page.locator(".markdownx-preview")
    preview.locator("img").nth(1).wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    loaded = "img => img.complete && img.naturalWidth > 0"
    assert preview.locator('img[alt="Over https"]').evaluate(loaded)
    assert not preview.locator('img[alt="Over http"]').evaluate(loaded)
    editor.check()
    refused = [problem for problem in editor.problems if "img-src refused http://images.example.org/b.svg" in problem]
    assert len(refused) == 1
