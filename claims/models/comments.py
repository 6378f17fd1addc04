"""Editors' and reviewers' comments on a claim or on a sentence of an article's draft. Never public.

A thread is anchored either to a claim (it follows the claim) or to a sentence of the draft, stored as
a claim's anchor is (quote, prefix, suffix, start) so that claims.comments re-anchors it after each edit
with the same machinery (claims.text.anchoring); a thread whose sentence an edit removed is orphaned and
kept, its quote shown. Comments are flat within a thread: a reply is the next comment. Nobody edits or
deletes a comment once written: the thread is a record, like the review decisions beside it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from articles.models import Article

from ..text.anchoring import Anchor
from .claim import Claim

COMMENT_MAX_CHARS = 2000


class CommentThread(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comment_threads")
    claim = models.ForeignKey(
        Claim,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comment_threads",
        help_text="The claim the thread is about; empty for a thread on a sentence of the draft.",
    )
    # A thread on a sentence: its words and context, found again after each edit like a claim's.
    quote = models.TextField(blank=True, help_text="The sentence the thread is about, as it now reads.")
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField(default=0)
    is_orphaned = models.BooleanField(
        "lost its sentence", default=False, help_text="Set when an edit removed the sentence: the thread is kept."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comment_threads_started"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comment_threads_resolved",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["article", "start"], name="comment_thread_by_place")]
        constraints = [
            models.CheckConstraint(
                name="comment_thread_on_claim_or_sentence",
                condition=(Q(claim__isnull=False) & Q(quote="")) | (Q(claim__isnull=True) & ~Q(quote="")),
                violation_error_message="A thread is about a claim or about a sentence, never both or neither.",
            ),
            models.CheckConstraint(
                name="comment_thread_resolved_by_someone_at_a_time",
                condition=Q(resolved_by__isnull=True, resolved_at__isnull=True)
                | Q(resolved_by__isnull=False, resolved_at__isnull=False),
                violation_error_message="A resolved thread names who resolved it and when.",
            ),
        ]

    def __str__(self):
        about = f"claim {self.claim_id}" if self.claim_id else f"“{self.quote[:60]}”"
        return f"Comments on {about}"

    @property
    def is_resolved(self):
        return self.resolved_at is not None

    @property
    def anchor(self):
        return Anchor(quote=self.quote, prefix=self.prefix, suffix=self.suffix, start=self.start)

    def set_anchor(self, anchor):
        self.quote, self.prefix, self.suffix, self.start = anchor.quote, anchor.prefix, anchor.suffix, anchor.start


class Comment(models.Model):
    thread = models.ForeignKey(CommentThread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments_written")
    body = models.TextField(max_length=COMMENT_MAX_CHARS, help_text="Plain text; never shown to readers.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="comment_body_not_empty",
                condition=~Q(body=""),
                violation_error_message="Write a comment first.",
            ),
            models.CheckConstraint(
                name="comment_body_within_limit",
                condition=LessThanOrEqual(Length("body"), COMMENT_MAX_CHARS),
                violation_error_message=f"A comment is at most {COMMENT_MAX_CHARS} characters.",
            ),
        ]

    def __str__(self):
        return f"Comment by {self.author} on {self.created_at:%d %b %Y}"
