import datetime
import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from django.utils.html import escape

from articles.models import Article, ArticleRevision
from claims.comments import article_discussion
from claims.models import Assignment, Claim, ClaimDecision, Comment, CommentThread, EvidenceStatus, PublishedClaim
from claims.publishing import (
    article_change_log,
    draft_digest,
    live_revision,
    open_suggestions,
    publication_blockers,
)
from notifications.models import Kind, Notification
from people.models import Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def test_demo_has_three_long_published_articles_with_many_graded_claims(demo):
    long_articles = [a for a in Article.objects.all() if len(re.findall(r"\w+", a.body_text)) >= 400]
    assert len(long_articles) >= 3
    for article in long_articles:
        assert article.claims.count() >= 10
        states = set(article.claims.values_list("review_state", flat=True))
        assert {Claim.ReviewState.APPROVED, Claim.ReviewState.PENDING} <= states
    assert set(Claim.objects.values_list("review_state", flat=True)) == set(Claim.ReviewState.values)


def test_demo_uses_every_evidence_status_and_has_a_draft(demo):
    used = set(Claim.objects.values_list("evidence_status__slug", flat=True))
    assert used == set(EvidenceStatus.objects.values_list("slug", flat=True))
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()


def test_demo_claims_sit_exactly_on_their_sentences(demo):
    for claim in Claim.objects.select_related("article"):
        assert claim.article.body_text[claim.start : claim.end] == claim.quote
        assert claim.article.body_text.count(claim.quote) == 1
        assert not claim.is_orphaned


def test_demo_approvals_respect_separation_of_duties(demo):
    for claim in Claim.objects.approved():
        assert claim.reviewed_by_id not in {claim.created_by_id, claim.last_changed_by_id}
        assert claim.evidence_status.is_rated


def test_demo_accounts_sign_in_with_the_readme_passwords(demo):
    for username, password in [
        ("editor", "editor-demo-2026"),
        ("reviewer", "reviewer-demo-2026"),
        ("admin", "admin-demo-2026"),
    ]:
        user = authenticate(username=username, password=password)
        assert user is not None and user.is_staff
    assert authenticate(username="reviewer", password="reviewer-demo-2026").has_perm("claims.review_claim")
    assert not authenticate(username="editor", password="editor-demo-2026").has_perm("claims.review_claim")


def test_loading_the_demo_twice_changes_nothing(demo):
    def counts():
        return (
            Article.objects.count(),
            Claim.objects.count(),
            Claim.objects.approved().count(),
            ArticleRevision.objects.count(),
            PublishedClaim.objects.count(),
            CommentThread.objects.count(),
            Comment.objects.count(),
            Assignment.objects.count(),
            Notification.objects.count(),
            Notification.objects.filter(read_at__isnull=True).count(),
        )

    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before


def test_demo_accounts_have_profiles_with_credentials_shown_on_their_pages(demo, client):
    reviewer = Profile.objects.get(user__username="reviewer")

    page = client.get(reviewer.get_absolute_url())

    assert (reviewer.name, reviewer.credentials, reviewer.slug) == (
        "Dr Priya Raman",
        "MBBS, MD, FRCP",
        "dr-priya-raman",
    )
    assert page.status_code == 200 and "Respiratory medicine" in page.content.decode()
    assert all(Profile.objects.get(user__username=name).credentials for name in ("editor", "reviewer", "reviewer2"))


def test_loading_the_demo_again_keeps_what_people_wrote_in_their_profiles(demo):
    Profile.objects.filter(user__username="reviewer").update(credentials="MD", conflicts_of_interest="")

    call_command("load_demo", stdout=io.StringIO())

    reviewer = Profile.objects.get(user__username="reviewer")
    assert reviewer.credentials == "MD"  # kept
    assert reviewer.conflicts_of_interest == ""  # blank in the demo too


# Published through the gate ---------------------------------------------------------------------

URGENT_SLUG = "stem-cell-therapy-interstitial-lung-disease"


def test_every_live_demo_revision_went_through_the_gate(demo):
    live = ArticleRevision.objects.live().select_related("article", "reviewed_in")
    assert live.count() == 3
    for revision in live:
        review = revision.medical_review
        assert review is not None and review.published_at is not None and review.published_at <= revision.published_at
        assert review.signed_off_by_id not in {revision.article.author_id, review.last_editor_id, None}
        assert (revision.signed_off_by_id is None) == revision.is_minor
    # The gate publishes approved claims only: readers see none under review but the one pulled urgently.
    copies = PublishedClaim.objects.filter(revision__is_live=True)
    assert copies.filter(under_review_since__isnull=True, approved_by__isnull=True).count() == 0
    under_review = copies.filter(under_review_since__isnull=False)
    assert [copy.revision.article.slug for copy in under_review] == [URGENT_SLUG]
    for copy in copies.filter(under_review_since__isnull=True).select_related("claim"):
        assert copy.approved_by_id not in {copy.claim.created_by_id, None}
        # Each copy carries its own claim's sources (the demo's claims cite zero to three).
        assert set(copy.sources.all()) == set(copy.claim.sources.all())
    for revision in ArticleRevision.objects.filter(published_at__isnull=False, signed_off_by__isnull=False):
        assert revision.signed_off_at < revision.published_at < timezone.now()
    published_on = {revision.published_at.date() for revision in ArticleRevision.objects.filter(is_live=True)}
    assert len(published_on) == 3  # spread over the past year, not all today
    for article in Article.objects.published():
        assert article.last_reviewed < timezone.localdate() < article.next_review_due


def test_the_demo_has_a_draft_waiting_for_sign_off_after_an_edit_withdrew_an_approval(demo):
    article = Article.objects.get(slug="stem-cells-autoimmune-disease")
    live = live_revision(article)
    assert live.draft_digest != draft_digest(article)
    # A claimed sentence readers see was reworded in the draft: its approval was withdrawn by that edit.
    reworded = [copy.claim for copy in live.published_claims.select_related("claim") if copy.quote != copy.claim.quote]
    assert len(reworded) == 1 and reworded[0].review_state == Claim.ReviewState.PENDING
    withdrawal = reworded[0].decisions.filter(decision=ClaimDecision.Decision.WITHDRAWN).latest("created_at")
    assert "words" in withdrawal.comment and withdrawal.actor.username == "editor"
    suggested = [suggestion.text for suggestion in open_suggestions(article)]
    assert suggested and suggested[0] not in live.body_text  # a new sentence making an ungraded health claim
    blockers = " ".join(blocker.text for blocker in publication_blockers(article))
    assert "No medical sign-off for this draft" in blockers and "reads as a health claim" in blockers
    # The review states the demo shows sit on drafts, never on the live page.
    states = set(article.claims.values_list("review_state", flat=True))
    assert {"changes_requested", "rejected", "draft", "pending"} <= states


def test_the_demo_has_a_signed_off_revision_scheduled_for_a_later_date(demo):
    revision = ArticleRevision.objects.scheduled().get()
    assert revision.scheduled_for > timezone.now() and revision.signed_off_by is not None
    assert revision.draft_digest == draft_digest(revision.article)
    assert publication_blockers(revision.article) == []
    assert live_revision(revision.article) is None and revision.article.status == Article.Status.DRAFT


def test_the_demo_pulled_one_claim_urgently_with_a_notice_readers_see(demo, client):
    article = Article.objects.get(slug=URGENT_SLUG)
    pulled = PublishedClaim.objects.get(revision__is_live=True, under_review_since__isnull=False)
    assert pulled.revision.article == article and pulled.revision.is_minor
    assert pulled.claim.review_state == Claim.ReviewState.PENDING
    page = client.get(article.get_absolute_url()).content.decode()
    assert escape(pulled.under_review_notice) in page
    assert "Under review" in page
    entry = article_change_log(article)[0]
    assert [claim.notice for claim in entry.pulled] == [pulled.under_review_notice]


def test_the_demo_change_logs_show_a_downgrade_an_upgrade_and_a_minor_revision(demo):
    logs = {article.slug: article_change_log(article) for article in Article.objects.published()}
    downgrade = logs["stem-cells-immune-system-disorders"][0]
    assert [(c.before, c.after, c.direction) for c in downgrade.grade_changes] == [
        ("Moderate", "Limited", "downgraded")
    ]
    assert "moderate to limited" in downgrade.change_note and downgrade.number == 2
    upgrade = logs["stem-cells-autoimmune-disease"][0]
    assert [(c.before, c.after, c.direction) for c in upgrade.grade_changes] == [("Limited", "Moderate", "upgraded")]
    minor = ArticleRevision.objects.get(article__slug=URGENT_SLUG, number=2)
    assert minor.is_minor and minor.signed_off_by is None and minor.reviewed_in.number == 1
    assert minor.body != minor.reviewed_in.body and minor.change_note
    assert [entry.is_minor for entry in logs[URGENT_SLUG]] == [True, True, False]


# An evidence alert -------------------------------------------------------------------------------


def test_the_demo_has_a_retracted_source_with_an_open_alert_and_readers_see_the_retraction(demo, client):
    from claims.models import EvidenceAlert, Source, SourceEvent

    paper = Source.objects.get(kind="doi", identifier="10.1038/nature12968")
    [event] = SourceEvent.objects.filter(source=paper)
    assert (event.kind, event.date.isoformat()) == (SourceEvent.Kind.RETRACTION, "2014-07-02")
    [alert] = EvidenceAlert.objects.filter(event=event)
    assert alert.resolved_at is None
    assert paper in alert.claim.sources.all()
    live = PublishedClaim.objects.get(claim=alert.claim, revision__is_live=True)
    assert paper in live.sources.all() and live.under_review_since is None

    page = client.get(alert.claim.article.get_absolute_url()).content.decode()
    assert 'Retracted on <time datetime="2014-07-02">2 July 2014</time>' in page
    assert '<h2 id="references-title">References</h2>' in page

    call_command("load_demo", stdout=io.StringIO())
    assert SourceEvent.objects.filter(source=paper).count() == 1
    assert EvidenceAlert.objects.filter(event__source=paper).count() == 1


# Teamwork: comments, assignments, notifications ------------------------------------------------------


def _thread_words(thread):
    return [(comment.author.username, comment.body) for comment in thread.comments.select_related("author")]


def test_the_demo_has_an_open_exchange_on_a_claim_a_resolved_thread_and_a_thread_on_a_draft_sentence(demo):
    open_on_claim = CommentThread.objects.get(claim__isnull=False, resolved_at__isnull=True)
    assert [who for who, _ in _thread_words(open_on_claim)] == ["reviewer", "editor"]
    assert open_on_claim.claim.review_state == Claim.ReviewState.PENDING

    resolved = CommentThread.objects.get(resolved_at__isnull=False)
    assert resolved.claim.review_state == Claim.ReviewState.APPROVED
    assert [who for who, _ in _thread_words(resolved)] == ["editor", "reviewer"]
    assert resolved.resolved_by.username == "reviewer"

    on_sentence = CommentThread.objects.get(claim__isnull=True, is_orphaned=False)
    article = on_sentence.article
    assert not on_sentence.is_orphaned and on_sentence.quote in {s.text for s in article.sentences()}
    # The sentence the integrity check takes for an ungraded health claim, in the draft awaiting sign-off.
    assert on_sentence.quote == open_suggestions(article)[0].text
    assert on_sentence.quote not in live_revision(article).body_text


def test_the_demo_threads_show_on_the_pages_editors_and_reviewers_open(demo, client):
    client.login(username="editor", password="editor-demo-2026")
    open_on_claim = CommentThread.objects.get(claim__isnull=False, resolved_at__isnull=True)
    page = client.get(f"/admin/claims/claim/{open_on_claim.claim_id}/change/").content.decode()
    assert f'id="thread-{open_on_claim.pk}"' in page and "Resolve this thread" in page
    assert escape(_thread_words(open_on_claim)[1][1]) in page
    on_sentence = CommentThread.objects.get(claim__isnull=True, is_orphaned=False)
    page = client.get(f"/admin/articles/article/{on_sentence.article_id}/change/").content.decode()
    assert escape(_thread_words(on_sentence)[0][1]) in page


def test_the_demo_keeps_a_thread_whose_sentence_the_draft_removed_apart_with_its_quote(demo, client):
    [orphan] = CommentThread.objects.filter(is_orphaned=True)
    article = orphan.article
    # Started on a sentence of the published revision; the draft's save removed the sentence.
    assert orphan.quote in live_revision(article).body_text and orphan.quote not in article.body_text
    assert orphan.claim_id is None and _thread_words(orphan)[0][0] == "reviewer"
    assert orphan.created_at < live_revision(article).published_at + datetime.timedelta(days=1)
    assert [view.thread for view in article_discussion(article).orphaned] == [orphan]

    client.login(username="editor", password="editor-demo-2026")
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    removed = page.index("Comments whose sentence was removed")
    assert page.index(escape(orphan.quote), removed) > removed


def test_the_demo_has_a_claim_due_soon_one_overdue_and_an_article_review_assigned(demo):
    today = timezone.localdate()
    open_ones = Assignment.objects.open().select_related("reviewer", "claim", "article")
    on_claims = sorted((a for a in open_ones if a.claim_id), key=lambda a: a.due_on)
    overdue, due_soon = on_claims
    assert overdue.days_overdue() > 0 and overdue.reviewer.username == "reviewer"
    assert 0 < (due_soon.due_on - today).days <= 14 and due_soon.reviewer.username == "reviewer"
    # Due soon: the claim whose open thread asks its reviewer a question.
    assert due_soon.claim.comment_threads.filter(resolved_at__isnull=True).exists()
    [on_article] = [a for a in open_ones if a.article_id]
    assert on_article.reviewer.username == "reviewer2" and on_article.due_on > today
    assert live_revision(on_article.article).draft_digest != draft_digest(on_article.article)  # a draft to sign off
    assert {a.claim.review_state for a in on_claims} == {Claim.ReviewState.PENDING}
    assert on_article.reviewer_id != on_article.article.author_id


def test_the_demo_accounts_have_a_few_unread_notifications_of_what_waits_now(demo):
    unread = Notification.objects.filter(read_at__isnull=True)
    editor = unread.filter(recipient__username="editor")
    reviewer = unread.filter(recipient__username="reviewer")
    assert 1 < editor.count() <= 10 and 1 < reviewer.count() <= 15
    assert {Kind.COMMENT, Kind.CHANGES_REQUESTED, Kind.REJECTED} <= set(editor.values_list("kind", flat=True))
    assert {Kind.COMMENT, Kind.REVIEW_DUE, Kind.CLAIM_SUBMITTED, Kind.EVIDENCE_ALERT} <= set(
        reviewer.values_list("kind", flat=True)
    )
    due = sorted(reviewer.filter(kind=Kind.REVIEW_DUE).values_list("text", flat=True))
    assert due[0].startswith("Review due ") and due[1].startswith("Review overdue since ")
    # What happened in the published revisions was told then and read since; nobody is told of their own act.
    assert not unread.filter(kind=Kind.APPROVED).exists() and not unread.filter(kind=Kind.SIGNED_OFF).exists()
    assert Notification.objects.filter(kind=Kind.APPROVED, created_at__lt=timezone.now() - datetime.timedelta(days=100))
    assert not Notification.objects.filter(actor=models.F("recipient")).exists()


def test_the_demo_bell_counts_the_editors_unread_notifications_in_words(demo, client):
    count = Notification.objects.filter(recipient__username="editor", read_at__isnull=True).count()
    client.login(username="editor", password="editor-demo-2026")
    page = client.get("/admin/").content.decode()
    assert f"{count} unread notifications" in page
