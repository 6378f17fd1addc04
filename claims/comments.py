"""Comments between editors and reviewers: every write, the re-anchoring after an edit, and what each page lists.

Threads are anchored to a claim (they follow it) or to a sentence of the draft, stored as a claim's
anchor is and found again after each edit by claims.text.anchoring, as claims are (claims.reanchoring
runs `article_reanchor_threads` in the same pass): a thread whose words stand follows them, one whose
sentence changed slightly follows the most similar sentence, and one whose sentence was removed is
orphaned and kept, its quote shown under "Comments whose sentence was removed". An orphan stays so.

Who may do what is asked of claims.policy. Comments are never public: no page, JSON, feed or search
reads these rows. The review decisions' comments are read beside a claim's threads, never copied
(`claim_discussion`).
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from . import notices, policy
from .models import COMMENT_MAX_CHARS, Claim, ClaimDecision, Comment, CommentThread
from .text.anchoring import Outcome, anchor_at, locate_all


def clean_body(body: str) -> str:
    """The comment as stored: plain text, surrounding spaces dropped; refused when empty or too long."""
    body = (body or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError("Write a comment first: it was empty.")
    if len(body) > COMMENT_MAX_CHARS:
        raise ValidationError(f"A comment is at most {COMMENT_MAX_CHARS} characters; this one has {len(body)}.")
    return body


def _check_may_comment(user):
    refusal = policy.refusal_to_comment(user)
    if refusal:
        raise PermissionDenied(refusal)


@transaction.atomic
def thread_start_on_claim(*, claim: Claim, user, body: str) -> CommentThread:
    _check_may_comment(user)
    body = clean_body(body)
    thread = CommentThread.objects.create(article_id=claim.article_id, claim=claim, created_by=user)
    notices.comment_written(Comment.objects.create(thread=thread, author=user, body=body, created_at=thread.created_at))
    return thread


@transaction.atomic
def thread_start_on_sentence(*, article, start: int, end: int, user, body: str) -> CommentThread:
    """A thread on the sentence text[start:end] of the article's draft; refused unless it is one of its sentences."""
    _check_may_comment(user)
    body = clean_body(body)
    if (start, end) not in {(s.start, s.end) for s in article.sentences()}:
        raise ValidationError("That sentence is no longer in the article (it was edited meanwhile): pick it again.")
    thread = CommentThread(article=article, created_by=user)
    thread.set_anchor(anchor_at(article.body_text, start, end))
    thread.save()
    notices.comment_written(Comment.objects.create(thread=thread, author=user, body=body, created_at=thread.created_at))
    return thread


@transaction.atomic
def comment_add(*, thread: CommentThread, user, body: str) -> Comment:
    """A reply: the thread's next comment. Replying to a resolved thread is refused: reopen it first."""
    _check_may_comment(user)
    body = clean_body(body)
    thread = CommentThread.objects.select_for_update().get(pk=thread.pk)
    if thread.is_resolved:
        raise ValidationError("This thread is resolved: reopen it to reply.")
    comment = Comment.objects.create(thread=thread, author=user, body=body)
    notices.comment_written(comment)
    return comment


@transaction.atomic
def thread_resolve(*, thread: CommentThread, user) -> CommentThread:
    thread = CommentThread.objects.select_for_update(of=("self",)).select_related("claim").get(pk=thread.pk)
    refusal = policy.refusal_to_resolve(thread, user)
    if refusal:
        raise PermissionDenied(refusal)
    if thread.is_resolved:
        raise ValidationError("This thread was already resolved.")
    thread.resolved_by, thread.resolved_at = user, timezone.now()
    thread.save(update_fields=["resolved_by", "resolved_at"])
    return thread


@transaction.atomic
def thread_reopen(*, thread: CommentThread, user) -> CommentThread:
    thread = CommentThread.objects.select_for_update(of=("self",)).select_related("claim").get(pk=thread.pk)
    refusal = policy.refusal_to_resolve(thread, user)
    if refusal:
        raise PermissionDenied(refusal)
    if not thread.is_resolved:
        raise ValidationError("This thread is open already.")
    thread.resolved_by, thread.resolved_at = None, None
    thread.save(update_fields=["resolved_by", "resolved_at"])
    return thread


# Re-anchoring ------------------------------------------------------------------------------------


def article_reanchor_threads(*, article, text: str, sentences) -> dict:
    """Find each sentence thread of the article again in its new text; `sentences` are (start, end) spans.

    Run by claims.reanchoring in the transaction that re-anchors the claims. Threads on claims follow
    their claims and are not touched. Returns the counts of each outcome.
    """
    threads = list(
        CommentThread.objects.select_for_update()
        .filter(article=article, claim__isnull=True, is_orphaned=False)
        .order_by("pk")
    )
    counts = {}
    if not threads:
        return counts
    changed = []
    for thread, found in zip(threads, locate_all(text, [t.anchor for t in threads], sentences), strict=True):
        counts[found.outcome.value] = counts.get(found.outcome.value, 0) + 1
        if found.outcome is Outcome.ORPHANED:
            thread.is_orphaned = True
        elif found.anchor != thread.anchor:
            thread.set_anchor(found.anchor)
        else:
            continue
        changed.append(thread)
    CommentThread.objects.bulk_update(changed, ["quote", "prefix", "suffix", "start", "is_orphaned"])
    return counts


# What the pages list -------------------------------------------------------------------------------


@dataclass
class Entry:
    """One comment, or one review decision's comment read beside them, in a thread's time order."""

    at: object
    author: object
    body: str
    decision: ClaimDecision | None = None


@dataclass
class ThreadView:
    thread: CommentThread
    entries: list = field(default_factory=list)


def _comment_entries(thread):
    return [Entry(comment.created_at, comment.author, comment.body) for comment in thread.comments.all()]


def _decision_body(decision):
    parts = [decision.comment]
    if decision.override_reason:
        parts.append(f"Approved as it is, with the reason: {decision.override_reason}")
    return "\n".join(part for part in parts if part)


def threads_exist_annotation(target: str):
    """Whether each claim or article (`target` "claim" or "article") has comment threads (QuerySet.annotate)."""
    return Exists(CommentThread.objects.filter(**{target: OuterRef("pk")}))


def _threads(queryset):
    comments = Comment.objects.select_related("author").order_by("created_at", "pk")
    return list(
        queryset.select_related("created_by", "resolved_by", "claim")
        .prefetch_related(Prefetch("comments", queryset=comments))
        .order_by("created_at", "pk")
    )


def claim_discussion(claim) -> list[ThreadView]:
    """The claim's threads, each with its comments and the review decisions' comments made while it was
    open, in time order. A decision joins the latest-started thread open when it was made, so that each
    shows once; one made while no thread was open is in the claim's review history only.

    Two queries when the claim has threads (threads with their comments and authors, then the
    decisions since the first thread), one when it has none.
    """
    # A claim read for its admin page knows whether it has threads (threads_exist_annotation).
    if not getattr(claim, "has_comment_threads", True):
        return []
    views = [ThreadView(thread, _comment_entries(thread)) for thread in _threads(claim.comment_threads.all())]
    if not views:
        return views
    decisions = (
        ClaimDecision.objects.filter(claim=claim, created_at__gte=views[0].thread.created_at)
        .exclude(comment="", override_reason="")
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    for decision in decisions:
        open_then = [
            view
            for view in views
            if view.thread.created_at <= decision.created_at
            and (view.thread.resolved_at is None or decision.created_at <= view.thread.resolved_at)
        ]
        if open_then:
            open_then[-1].entries.append(Entry(decision.created_at, decision.actor, _decision_body(decision), decision))
    for view in views:
        view.entries.sort(key=lambda entry: entry.at)
    return views


@dataclass
class ArticleDiscussion:
    rows: list  # (sentence number, sentence, [ThreadView]) for the sentences with threads
    orphaned: list  # [ThreadView] whose sentence an edit removed, or whose claim lost its sentence
    count: int


def article_discussion(article, sentences=None) -> ArticleDiscussion:
    """The article's threads by sentence, those on its claims included; orphaned ones apart."""
    sentences = article.sentences() if sentences is None else sentences
    # An article read for its admin page knows whether it has threads (threads_exist_annotation).
    if getattr(article, "has_comment_threads", True):
        views = [ThreadView(thread, _comment_entries(thread)) for thread in _threads(article.comment_threads.all())]
    else:
        views = []
    by_sentence, orphaned = {}, []
    for view in views:
        thread = view.thread
        lost = thread.claim.is_orphaned if thread.claim_id else thread.is_orphaned
        start = thread.claim.start if thread.claim_id else thread.start
        sentence = None if lost else next((s for s in sentences if s.start <= start < s.end), None)
        if sentence is None:
            orphaned.append(view)
        else:
            by_sentence.setdefault(sentence.index, []).append(view)
    rows = [(s.index + 1, s, by_sentence[s.index]) for s in sentences if s.index in by_sentence]
    return ArticleDiscussion(rows=rows, orphaned=orphaned, count=len(views))
