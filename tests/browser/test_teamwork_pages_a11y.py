"""The pages where editors and reviewers work together (profiles, notifications, assigning, comment threads, the
review queue's filters), each at 1280 px and at 375 px: no axe-core violations (WCAG 2 A and AA) and nothing wider
than the window.

The person's public page is checked at both widths in test_people.py; the admin home and the article editor's
preview layout are left to their own tests."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article
from articles.services import article_update
from claims import assignments
from claims.comments import comment_add, thread_resolve, thread_start_on_claim, thread_start_on_sentence
from claims.models import Assignment, Claim, CommentThread
from claims.selectors import review_queue
from notifications import services as notifications
from notifications.models import Kind
from tests.browser.conftest import DESKTOP, PHONE, check_accessibility, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTICLE = "stem-cell-therapy-interstitial-lung-disease"
PASSWORDS = {"editor": "editor-demo-2026", "reviewer": "reviewer-demo-2026"}
# Long words that cannot break (an address pasted into a comment) are what push a narrow page sideways.
LONG_COMMENT = (
    "Both trials followed fewer than forty people for under a year and neither was blinded; the newer one is at "
    "https://pubmed.ncbi.nlm.nih.gov/31000003/?from_term=interstitial+lung+disease+mesenchymal+stem+cells&page=2"
)
LONG_NOTICE = (
    "Dr Priya Raman commented on “Mesenchymal stromal cell infusions were safe in small trials of adults with "
    "interstitial lung disease”: https://pubmed.ncbi.nlm.nih.gov/31000003/?from_term=interstitial+lung+disease"
)


# Where `root` is wider than the window: the innermost elements in it whose right edge passes the window's, named
# by the nearest element with an id around them, with how far right they reach (the farthest per place); and `root`
# itself if it reaches past the window.
WIDER_THAN_WINDOW = """(root) => {
    const passes = el => el.getBoundingClientRect().right > window.innerWidth + 1;
    const wide = [...document.querySelectorAll(`${root} *`)].filter(
        el => passes(el) && getComputedStyle(el).position !== 'fixed');
    const places = {};
    if (passes(document.querySelector(root))) places[root] = document.querySelector(root).getBoundingClientRect().right;
    for (const el of wide.filter(el => !wide.some(other => other !== el && el.contains(other)))) {
        const around = el.parentElement.closest('[id]')?.id;
        const place = `#${around} ${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
        places[place] = Math.max(places[place] || 0, Math.round(el.getBoundingClientRect().right));
    }
    return places;
}"""


def person(username):
    return get_user_model().objects.get(username=username)


def article():
    return Article.objects.get(slug=ARTICLE)


def claim_threads(claim, starter, replier):
    """An open thread with a reply and a resolved one, on `claim`, written through the comment services."""
    open_thread = thread_start_on_claim(claim=claim, user=starter, body=LONG_COMMENT)
    comment_add(thread=open_thread, user=replier, body="Agreed: I will name both trials and soften the wording.")
    settled = thread_start_on_claim(claim=claim, user=replier, body="Is the grade still right after the new trial?")
    comment_add(thread=settled, user=starter, body="Yes: the new trial was small and short too.")
    thread_resolve(thread=settled, user=starter)
    return open_thread, settled


def queue_claim():
    """The first claim of the article waiting in the reviewer's queue (written by the editor, so theirs to decide)
    that nobody is assigned: the demo assigns some of them."""
    waiting = review_queue(person("reviewer")).filter(article__slug=ARTICLE)
    return waiting.exclude(assignments__in=Assignment.objects.open()).order_by("pk").first()


def profile_page():
    return "reviewer", "/admin/people/profile/", ["Public page", "Conflicts of interest"]


def notifications_list():
    reviewer = person("reviewer")
    notifications.notify(Kind.COMMENT, [reviewer], text=LONG_NOTICE, url="/admin/", key="long")
    notifications.notify(
        Kind.REVIEW_DUE, [reviewer], text="A review of yours is overdue by 2 days", url="/admin/", key="due"
    )
    notifications.mark_read(reviewer, reviewer.notifications.order_by("pk").first().pk)
    return "reviewer", "/admin/notifications/notification/", ["unread of", "Mark all read", "Read:"]


def notification_preferences():
    return "reviewer", "/admin/notifications/notification/preferences/", [Kind.REVIEW_DUE.label]


def assign_claim():
    claim = queue_claim()
    done = assignments.assign(
        target=claim,
        reviewer=person("reviewer"),
        due_on=timezone.localdate() + datetime.timedelta(days=3),
        by=person("editor"),
    )
    Assignment.objects.filter(pk=done.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    return "editor", f"/admin/claims/claim/{claim.pk}/assign/", ["Now assigned to", "overdue", "Only reviewers"]


def assign_queue_claim():
    claim = queue_claim()
    return "reviewer", f"/admin/claims/reviewqueueclaim/{claim.pk}/assign/", ["Nobody is assigned", "Reviewer"]


def assign_article():
    return "editor", f"/admin/articles/articlerevision/article/{article().pk}/assign/", ["Reviewer", "Due"]


def claim_change():
    claim = Claim.objects.filter(article__slug=ARTICLE, review_state=Claim.ReviewState.APPROVED).first()
    claim_threads(claim, person("editor"), person("reviewer"))
    return "reviewer", f"/admin/claims/claim/{claim.pk}/change/", ["pubmed.ncbi.nlm.nih.gov", "Resolved thread"]


def queue_claim_change():
    claim = queue_claim()
    claim_threads(claim, person("editor"), person("reviewer"))
    return "reviewer", f"/admin/claims/reviewqueueclaim/{claim.pk}/change/", ["pubmed.ncbi.nlm.nih.gov", "Resolved"]


def article_change():
    """Sentence threads on the draft: one open, one resolved and one whose sentence an edit removed."""
    editor, reviewer = person("editor"), person("reviewer")
    current = article()
    claimed = {(c.start, c.end) for c in Claim.objects.filter(article=current)}
    # Sentences with no claim on them, found word for word in the Markdown, so one can be cut from it.
    free = [s for s in current.sentences() if (s.start, s.end) not in claimed and f" {s.text}" in current.body]
    assert len(free) >= 3
    kept, settled, removed = free[:3]
    for sentence, body in ((kept, LONG_COMMENT), (settled, "Cite the guideline here."), (removed, "Cut this?")):
        thread_start_on_sentence(article=current, start=sentence.start, end=sentence.end, user=reviewer, body=body)
    thread_resolve(thread=CommentThread.objects.get(article=current, quote=settled.text), user=reviewer)
    current.body = current.body.replace(f" {removed.text}", "", 1)
    article_update(article=current, user=editor)
    assert CommentThread.objects.get(article=current, quote=removed.text).is_orphaned
    return "editor", f"/admin/articles/article/{current.pk}/change/", ["Comments whose sentence was removed"]


def queue_by_readiness():
    return "reviewer", "/admin/claims/reviewqueueclaim/?approval=blocked", ["Blocked:"]


def queue_by_assignment():
    reviewer = person("reviewer")
    assignments.take(target=queue_claim(), reviewer=reviewer)
    return "reviewer", "/admin/claims/reviewqueueclaim/?approval=ready&assigned=me", ["Open to decide"]


PAGES = {
    "profile-change": profile_page,
    "notifications": notifications_list,
    "notification-preferences": notification_preferences,
    "assign-claim": assign_claim,
    "assign-queue-claim": assign_queue_claim,
    "assign-article": assign_article,
    "claim-comments": claim_change,
    "queue-claim-comments": queue_claim_change,
    "article-comments": article_change,
    "queue-ready-blocked": queue_by_readiness,
    "queue-by-assignment": queue_by_assignment,
}
# The article's page is held to its Comments section: the rest of it (the editor and its preview, the sentences
# panel) is checked by test_the_article_page_fits_a_phone below.
SCOPE = {"article-comments": "#comments"}


def visit(browser, live_server, viewport, username, path, shown, root="html"):
    """Sign in, open `path` and check it shows `shown`; the page's axe violations, the document's width, and where
    `root` is wider than the window."""
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        sign_in(page, live_server, username, PASSWORDS[username])
        response = page.goto(live_server.url + path)
        page.wait_for_load_state()
        assert response.status == 200, path
        content = page.inner_text("#content")
        assert all(words in content for words in shown), (path, [words for words in shown if words not in content])
        screenshot(page, f"teamwork-{path.strip('/').replace('/', '-').replace('?', '-')}-{viewport['width']}")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        return check_accessibility(page), width, page.evaluate(WIDER_THAN_WINDOW, root)
    finally:
        context.close()


def where(places):
    return "; ".join(f"{place} to {right} px" for place, right in places.items())


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_passes_axe_and_fits_the_window(browser, live_server, demo, name, viewport):
    username, path, shown = PAGES[name]()
    root = SCOPE.get(name, "html")
    violations, width, too_wide = visit(browser, live_server, viewport, username, path, shown, root)
    assert violations == [], path
    if root == "html":
        assert width <= viewport["width"], (
            f"{path} is {width} px wide in a {viewport['width']} px window: {where(too_wide)}"
        )
    else:
        assert too_wide == {}, f"{path}: {root} is wider than a {viewport['width']} px window: {where(too_wide)}"


def test_the_article_page_fits_a_phone(browser, live_server, demo):
    path = f"/admin/articles/article/{article().pk}/change/"
    _, width, too_wide = visit(browser, live_server, PHONE, "editor", path, ["Comments"])
    assert width <= PHONE["width"], f"{path} is {width} px wide in a 375 px window: {where(too_wide)}"
