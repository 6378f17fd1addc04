"""The admin pages about revisions: the list of an article's revisions, one revision as readers saw it,
its comparison with the live one, publishing it again, and a reviewer's urgent withdrawal of a live claim."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRevision
from articles.services import article_update
from claims.models import ArticlePage, Claim, PublishedClaim
from claims.publishing import article_publish, article_sign_off, claim_withdraw_urgently, draft_digest
from claims.services import claim_approve
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, UserFactory, evidence
from tests.helpers import fresh, messages_of, page_text, public_page, signed_in

pytestmark = pytest.mark.django_db

CLAIMED = "Stem-cell transplants may be linked to fewer flares in a few people with severe lupus."
PLAIN = "Many people live with the disease for decades."
BODY = f"## Lupus and stem cells\n\n{CLAIMED} {PLAIN}\n"
NOTICE = "The trial behind this grade was retracted in 2026."


def admin_url(name, *args):
    return reverse(f"admin:articles_articlerevision_{name}", args=args)


def sign_off_and_publish(article, reviewer, note=""):
    article_sign_off(article=article, reviewer=reviewer, seen_digest=draft_digest(fresh(article)))
    return article_publish(article=fresh(article), user=article.author, change_note=note)


@pytest.fixture
def lupus(db):
    return ConditionFactory(name="Systemic lupus erythematosus", slug="sle", synonyms="lupus\nSLE")


@pytest.fixture
def article(editor, reviewer, second_reviewer, lupus):
    """Published twice through the gate: revision 1, then revision 2 with a new title; one approved claim."""
    article = ArticleFactory(author=editor, body=BODY, status=Article.Status.DRAFT, title="Lupus and stem cells")
    claim = ClaimFactory(article=article, text=CLAIMED, condition=lupus, evidence_status=evidence("limited"))
    claim_approve(claim=claim, reviewer=reviewer)
    sign_off_and_publish(article, second_reviewer)
    article = fresh(article)
    article.title = "Lupus and stem cells: what the trials show"
    article_update(article=article, user=editor)
    sign_off_and_publish(article, second_reviewer, note="A clearer title.")
    return fresh(article)


@pytest.fixture
def claim(article):
    return Claim.objects.get(article=article)


def live_copy(article):
    return PublishedClaim.objects.get(revision__article=article, revision__is_live=True)


def revision(article, number):
    return ArticleRevision.objects.get(article=article, number=number)


# Urgent withdrawal -----------------------------------------------------------------------------------


def test_the_withdrawal_page_shows_the_claim_as_readers_see_it_and_warns_of_a_new_revision(reviewer_client, article):
    copy = live_copy(article)
    response = reviewer_client.get(admin_url("withdraw", copy.pk))
    text = page_text(response)
    assert response.status_code == 200
    assert CLAIMED in text and "Systemic lupus erythematosus" in text and "Limited" in text
    assert str(copy.sources.get()) in text
    assert "This publishes a new revision at once." in text
    assert 'name="notice"' in response.content.decode() and "why readers see this under review" in text


def test_a_reviewer_withdraws_a_live_claim_and_readers_see_it_under_review_with_the_notice(
    client, reviewer_client, article, claim
):
    response = reviewer_client.post(admin_url("withdraw", live_copy(article).pk), {"notice": NOTICE})
    assert response.status_code == 302
    assert response.url == reverse("admin:articles_article_change", args=[article.pk])
    assert any("Revision 3 is live" in message for message in messages_of(response))
    copy = live_copy(article)
    assert copy.revision.number == 3 and copy.under_review_notice == NOTICE
    assert fresh(claim).review_state == Claim.ReviewState.PENDING
    content = public_page(client, article)
    assert "Under review" in content and NOTICE in content and "Limited evidence" not in content


def test_a_withdrawal_without_a_notice_is_refused_on_the_form(reviewer_client, article):
    response = reviewer_client.post(admin_url("withdraw", live_copy(article).pk), {"notice": "  "})
    assert response.status_code == 200
    assert "Write the notice readers see" in page_text(response)
    assert live_copy(article).revision.number == 2


def test_an_editor_is_told_only_reviewers_withdraw_and_keeps_what_was_typed(editor_client, article):
    url = admin_url("withdraw", live_copy(article).pk)
    assert "Only medical reviewers can withdraw" in page_text(editor_client.get(url))
    response = editor_client.post(url, {"notice": NOTICE})
    assert response.status_code == 200
    assert "Only medical reviewers can withdraw a published claim for review." in page_text(response)
    assert NOTICE in page_text(response)
    assert live_copy(article).revision.number == 2


def test_a_claim_already_under_review_is_not_withdrawn_again(reviewer, reviewer_client, article):
    claim_withdraw_urgently(reviewer=reviewer, notice=NOTICE, published_claim=live_copy(article))
    url = admin_url("withdraw", live_copy(article).pk)
    page = page_text(reviewer_client.get(url))
    assert "Under review since" in page and "Withdraw for review and publish now" not in page
    response = reviewer_client.post(url, {"notice": "Again."})
    assert response.status_code == 200
    assert "Readers already see this claim under review." in page_text(response) and "Again." in page_text(response)
    assert ArticleRevision.objects.filter(article=article).count() == 3


def test_a_copy_of_an_older_revision_leads_to_the_live_one_and_is_not_withdrawn_itself(reviewer_client, article):
    old = PublishedClaim.objects.get(revision=revision(article, 1))
    response = reviewer_client.get(admin_url("withdraw", old.pk))
    assert response.status_code == 302 and response.url == admin_url("withdraw", live_copy(article).pk)
    response = reviewer_client.post(admin_url("withdraw", old.pk), {"notice": NOTICE})
    assert response.status_code == 200
    assert "This claim is not in the revision readers see" in page_text(response) and NOTICE in page_text(response)
    assert live_copy(article).revision.number == 2


def test_the_withdrawal_answers_404_for_unknown_and_junk_ids(reviewer_client, article):
    assert reviewer_client.get(admin_url("withdraw", 999999)).status_code == 404
    for junk in ("abc", "1.5", "²", "99999999999999999999999"):
        assert (
            reviewer_client.get(
                f"/admin/articles/articlerevision/published-claim/{junk}/withdraw-urgently/"
            ).status_code
            == 404
        )
        assert (
            reviewer_client.post(
                f"/admin/articles/articlerevision/published-claim/{junk}/withdraw-urgently/", {"notice": "x"}
            ).status_code
            == 404
        )


def test_the_withdrawal_needs_the_csrf_token(reviewer, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    assert client.post(admin_url("withdraw", live_copy(article).pk), {"notice": NOTICE}).status_code == 403
    assert live_copy(article).revision.number == 2


def test_the_claim_page_and_the_article_page_link_to_the_withdrawal(reviewer_client, editor, article, claim):
    url = admin_url("withdraw", live_copy(article).pk)
    claim_page = reviewer_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert url in claim_page.content.decode() and "Readers see this claim graded" in page_text(claim_page)
    article_page = reviewer_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert url in article_page.content.decode() and "Live revision 2: the claims readers see (1)" in page_text(
        article_page
    )
    # Editors read what readers see, without the way to withdraw it.
    editor_page = signed_in(editor).get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "Readers see this claim graded" in page_text(editor_page) and url not in editor_page.content.decode()


def test_the_claim_page_offers_no_withdrawal_once_readers_see_it_under_review(
    reviewer, reviewer_client, article, claim
):
    claim_withdraw_urgently(reviewer=reviewer, notice=NOTICE, claim=claim)
    page = reviewer_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "Withdraw urgently…" not in page_text(page) and "Readers see this claim under review" in page_text(page)


# The revisions page ---------------------------------------------------------------------------------


def test_the_revisions_page_lists_every_revision_with_the_live_one_marked(editor_client, article, second_reviewer):
    response = editor_client.get(admin_url("revisions", article.pk))
    text = page_text(response)
    assert response.status_code == 200
    assert "2 ● Live" in text and "A clearer title." in text
    assert text.count(f"Signed off by {second_reviewer.get_full_name()}") == 2
    html = response.content.decode()
    for number in (1, 2):
        assert admin_url("view", revision(article, number).pk) in html
    assert (
        admin_url("compare", revision(article, 1).pk) in html
        and admin_url("republish", revision(article, 1).pk) in html
    )
    assert admin_url("republish", revision(article, 2).pk) not in html  # the live one


def test_a_scheduled_revision_is_listed_with_a_button_that_cancels_its_schedule(editor_client, article, reviewer):
    article.title = "Lupus and stem cells, revised again"
    article_update(article=article, user=article.author)
    article_sign_off(article=article, reviewer=reviewer, seen_digest=draft_digest(fresh(article)))
    when = timezone.now() + datetime.timedelta(days=2)
    scheduled = article_publish(article=fresh(article), user=article.author, change_note="Later.", at=when)
    text = page_text(editor_client.get(admin_url("revisions", article.pk)))
    assert "Cancel schedule of revision 3" in text
    response = editor_client.post(
        admin_url("cancel_schedule", article.pk), {"revision": scheduled.pk, "back": "revisions"}
    )
    assert response.status_code == 302 and response.url == admin_url("revisions", article.pk)
    assert fresh(scheduled).scheduled_for is None


def test_a_revision_is_shown_as_readers_saw_it_and_nothing_is_stored(editor_client, article):
    stored = list(ArticlePage.objects.filter(article=article).values())
    response = editor_client.get(admin_url("view", revision(article, 1).pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Lupus and stem cells</h1>" in content  # revision 1's title, not the live one's
    assert 'data-evidence="limited"' in content and "The evidence behind this article" in content
    assert "Revision 1 of this article, as readers saw it from" in page_text(response)
    assert list(ArticlePage.objects.filter(article=article).values()) == stored


def test_the_comparison_shows_what_publishing_an_older_revision_would_change(editor_client, article):
    response = editor_client.get(admin_url("compare", revision(article, 1).pk))
    text = page_text(response)
    assert response.status_code == 200
    assert "Revision 1 against the live revision 2" in text
    assert "Lupus and stem cells: what the trials show" in text and "No change." in text


def test_the_revision_pages_answer_404_for_unknown_and_junk_ids(editor_client, article):
    for name in ("view", "compare", "republish"):
        assert editor_client.get(admin_url(name, 999999)).status_code == 404
        assert editor_client.get(f"/admin/articles/articlerevision/revision/x{name}/").status_code == 404
    assert editor_client.get(admin_url("revisions", 999999)).status_code == 404
    for page in ("revisions", "publish", "sign-off"):
        assert editor_client.get(f"/admin/articles/articlerevision/article/abc/{page}/").status_code in (403, 404)
    assert editor_client.get("/admin/articles/articlerevision/article/abc/publish/").status_code == 404
    assert editor_client.post(f"/admin/articles/articlerevision/revision/{'9' * 30}/republish/").status_code == 404


# Publishing a revision again --------------------------------------------------------------------------


def test_an_editor_publishes_an_earlier_revision_again_with_a_change_note(client, editor_client, article):
    url = admin_url("republish", revision(article, 1).pk)
    page = page_text(editor_client.get(url))
    assert "Publish revision 1 again" in page and 'name="change_note"' in editor_client.get(url).content.decode()
    response = editor_client.post(url, {"change_note": "Back to the first title."})
    assert response.status_code == 302 and response.url == admin_url("revisions", article.pk)
    assert "Published revision 3, a copy of revision 1: readers now see it." in messages_of(response)
    assert "Published again: keeps revision 1's sign-off" in page_text(editor_client.get(response.url))
    live = ArticleRevision.objects.get(article=article, is_live=True)
    assert (live.number, live.title, live.change_note) == (3, "Lupus and stem cells", "Back to the first title.")
    assert "<h1>Lupus and stem cells</h1>" in public_page(client, article)
    assert fresh(article).title == "Lupus and stem cells: what the trials show"  # the draft is not changed
    assert live.origin == ArticleRevision.Origin.REPUBLICATION


def test_republishing_needs_a_change_note_and_keeps_nothing_half_done(editor_client, article):
    response = editor_client.post(admin_url("republish", revision(article, 1).pk), {"change_note": " "})
    assert response.status_code == 200
    assert "Write the change note readers see" in page_text(response)
    assert ArticleRevision.objects.filter(article=article).count() == 2


def test_a_revision_holding_a_claim_pulled_since_lists_why_and_links_to_the_claim(
    reviewer, editor_client, article, claim
):
    claim_withdraw_urgently(reviewer=reviewer, notice=NOTICE, claim=claim)
    url = admin_url("republish", revision(article, 1).pk)
    response = editor_client.get(url)
    text = page_text(response)
    assert "Revision 1 cannot be published again" in text and "was withdrawn for review after revision 1" in text
    assert reverse("admin:claims_claim_change", args=[claim.pk]) in response.content.decode()
    assert 'name="change_note"' not in response.content.decode()
    response = editor_client.post(url, {"change_note": "Try anyway."})
    assert response.status_code == 200 and "was withdrawn for review after revision 1" in page_text(response)
    assert ArticleRevision.objects.get(article=article, is_live=True).number == 3


def test_the_live_revision_is_not_published_again(editor_client, article):
    response = editor_client.post(admin_url("republish", revision(article, 2).pk), {"change_note": "Again."})
    assert response.status_code == 200 and "Revision 2 is the one readers see already." in page_text(response)
    assert ArticleRevision.objects.filter(article=article).count() == 2


def test_a_revision_never_published_is_not_published_again(editor_client, article, reviewer):
    article.title = "Lupus and stem cells, signed off only"
    article_update(article=article, user=article.author)
    signed = article_sign_off(article=article, reviewer=reviewer, seen_digest=draft_digest(fresh(article)))
    response = editor_client.post(admin_url("republish", signed.pk), {"change_note": "Now."})
    assert "Revision 3 was never published: only a published revision can be published again." in page_text(response)
    assert not fresh(signed).is_live


def test_an_archived_article_is_not_republished(editor_client, article):
    Article.objects.filter(pk=article.pk).update(archived_at=timezone.now())
    response = editor_client.post(admin_url("republish", revision(article, 1).pk), {"change_note": "Back."})
    assert response.status_code == 200 and "This article is archived" in page_text(response)
    assert ArticleRevision.objects.filter(article=article).count() == 2


def test_someone_who_neither_writes_nor_reviews_is_refused(article):
    viewer = UserFactory(username="viewer")
    client = signed_in(viewer)
    assert client.get(admin_url("revisions", article.pk)).status_code == 403
    assert client.post(admin_url("republish", revision(article, 1).pk), {"change_note": "x"}).status_code == 403
    assert client.post(admin_url("withdraw", live_copy(article).pk), {"notice": "x"}).status_code == 403


# The article's status line ---------------------------------------------------------------------------


def status_line(client, article):
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    return page_text(response)


def test_the_status_line_says_which_revision_readers_see_and_whether_the_draft_differs(editor_client, article):
    assert "Published — readers see revision 2" in status_line(editor_client, article)
    assert "the draft is the same." in status_line(editor_client, article)
    article.standfirst = "A new standfirst."
    article_update(article=article, user=article.author)
    assert "the draft differs from it." in status_line(editor_client, article)
    Article.objects.filter(pk=article.pk).update(archived_at=timezone.now())
    assert "Archived — readers do not see this article ; revision 2 was the last they saw." in status_line(
        editor_client, article
    )


def test_the_status_line_of_an_article_never_published(editor_client, editor):
    draft = ArticleFactory(author=editor, status=Article.Status.DRAFT)
    assert "Not published : readers have never seen this article." in status_line(editor_client, draft)


def test_the_revisions_page_names_an_urgent_withdrawal_as_such_not_as_a_minor_revision(
    reviewer, editor_client, article, claim
):
    claim_withdraw_urgently(claim=claim, reviewer=reviewer, notice=NOTICE)
    listed = page_text(editor_client.get(admin_url("revisions", article.pk)))
    assert "Urgent withdrawal: keeps revision 2's sign-off" in listed and "Minor" not in listed
    assert "(an urgent withdrawal of a claim)" in page_text(editor_client.get(admin_url("publish", article.pk)))
