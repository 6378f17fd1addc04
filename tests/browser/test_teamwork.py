"""An editor and a reviewer working one claim through together, in two browsers: the editor submits it, the
reviewer asks a question in a comment from the review queue, each is told of the other's comment by the
admin's bell, and the reviewer approves it and is taken to the next claim waiting. Every page checked with
axe-core (WCAG 2 A and AA) at desktop width, the notification list and the claim's page at phone width too."""

import re

import pytest

from claims.models import Claim
from tests.browser.conftest import DESKTOP, PHONE, check_accessibility, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

QUESTION = "Which of the centres' reports does this rest on? Two of them describe the same patients."
ANSWER = "The three in the sources: the Chinese series is counted once, I checked the patient numbers."
BELL = re.compile(r"^(\d+) unread notifications?$")


def follow(page, act):
    """Do `act` (a click, a key press) and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        act()
    page.wait_for_load_state()


def unread(page) -> int:
    """The unread count the bell tells a screen reader (its link's name), as a number."""
    words = page.locator(".notification-bell .visually-hidden-text").text_content().strip()
    found = BELL.match(words)
    assert found, f"The bell says “{words}”"
    assert page.get_by_role("link", name=words, exact=True).is_visible()
    return int(found.group(1))


def messages(page) -> str:
    return page.locator("ul.messagelist").inner_text()


def accessible_at_both_widths(page, name):
    assert check_accessibility(page) == [], name
    page.set_viewport_size(PHONE)
    screenshot(page, f"{name}-phone")
    assert check_accessibility(page) == [], f"{name} at 375 px"
    page.set_viewport_size(DESKTOP)


def test_an_editor_and_a_reviewer_discuss_a_claim_through_comments_and_the_bell_then_it_is_approved(
    browser, live_server, demo
):
    # The claim a reviewer sent back with changes requested: its editor submits it again.
    claim = Claim.objects.get(review_state=Claim.ReviewState.CHANGES_REQUESTED, created_by__username="editor")
    opening = claim.quote[:40]

    editor = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(editor, live_server, "editor", "editor-demo-2026")
    editor_unread = unread(editor)
    editor.goto(f"{live_server.url}{claim.get_admin_url()}")
    assert check_accessibility(editor) == []
    editor.get_by_label("Submit for review when saved").check()
    follow(editor, lambda: editor.get_by_role("button", name="Save", exact=True).click())
    assert "was changed successfully" in messages(editor)

    # The reviewer finds it in the review queue and asks a question about it.
    reviewer = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(reviewer, live_server, "reviewer", "reviewer-demo-2026")
    follow(reviewer, lambda: reviewer.get_by_role("link", name="Claims waiting for review").first.click())
    assert check_accessibility(reviewer) == []
    row = reviewer.get_by_role("row").filter(has_text=opening)
    assert "Submitted" in row.inner_text() and "Sam Okafor" in row.inner_text()
    follow(reviewer, lambda: row.get_by_role("link", name="Open to decide").click())
    assert opening in reviewer.locator("#content").inner_text()
    reviewer.get_by_label("Start a new thread on this claim").fill(QUESTION)
    follow(reviewer, lambda: reviewer.get_by_role("button", name="Post comment").click())
    assert "Your comment started a new thread." in messages(reviewer)
    thread = reviewer.locator("article.comment-thread", has_text=QUESTION)
    assert "started by Dr Priya Raman" in thread.inner_text()
    assert check_accessibility(reviewer) == []
    reviewer_unread = unread(reviewer)

    # The editor's bell counts the comment; the notification opens the thread, where the editor replies.
    editor.goto(f"{live_server.url}/admin/")
    assert unread(editor) == editor_unread + 1
    bell = editor.get_by_role("link", name=f"{editor_unread + 1} unread notifications")
    follow(editor, lambda: bell.click())
    screenshot(editor, "teamwork-editor-notifications")
    accessible_at_both_widths(editor, "teamwork-editor-notifications")
    told = editor.get_by_role(
        "link", name=re.compile(r"^Dr Priya Raman commented on a claim in .*" + re.escape(opening))
    )
    assert told.count() == 1
    follow(editor, lambda: told.click())
    thread = editor.locator("article.comment-thread", has_text=QUESTION)
    assert thread.is_visible()
    thread.get_by_label("Reply").focus()
    editor.keyboard.type(ANSWER)
    editor.keyboard.press("Tab")  # to the thread's Reply button
    follow(editor, lambda: editor.keyboard.press("Enter"))
    assert "Your reply was posted." in messages(editor)
    assert ANSWER in editor.locator("article.comment-thread", has_text=QUESTION).inner_text()

    # The reviewer's bell counts the reply; its notification leads back to the claim, which they approve.
    reviewer.goto(f"{live_server.url}/admin/")
    assert unread(reviewer) == reviewer_unread + 1
    follow(reviewer, lambda: reviewer.locator("a.notification-bell").click())
    assert check_accessibility(reviewer) == []
    told = reviewer.get_by_role("link", name=re.compile(r"^Sam Okafor commented on a claim in .*" + re.escape(opening)))
    follow(reviewer, lambda: told.click())
    discussion = reviewer.locator("article.comment-thread", has_text=QUESTION).inner_text()
    assert discussion.index(QUESTION) < discussion.index(ANSWER)
    screenshot(reviewer, "teamwork-reviewer-claim")
    accessible_at_both_widths(reviewer, "teamwork-reviewer-claim")
    # Worded more strongly than its grade allows: approving it as it is takes a reason.
    reviewer.get_by_label(re.compile("Reason to approve this overclaiming wording")).fill(
        "Reports from three centres; the grade tells readers how uncertain they are."
    )
    follow(reviewer, lambda: reviewer.get_by_role("button", name="Approve this claim").click())

    said = messages(reviewer)
    assert f"Approved “{claim}”." in said
    assert "This is the next claim waiting for review." in said
    following = reviewer.locator(".breadcrumbs").inner_text()
    assert "Claims" in following and opening not in following  # another claim's page
    assert re.search(r"/admin/claims/claim/\d+/change/$", reviewer.url) and not reviewer.url.endswith(
        claim.get_admin_url()
    )
    assert check_accessibility(reviewer) == []
    follow(reviewer, lambda: reviewer.get_by_role("link", name="Claims waiting for review").first.click())
    assert reviewer.get_by_role("row").filter(has_text=opening).count() == 0
