"""The reviewers' queue: claims waiting for review, longest waiting first, each shown in its paragraph."""

from django.contrib import admin
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from articles.admin.ids import CheckedIdsMixin
from articles.admin.lists import KeysFirstChangeList, KeysFirstPaginator, RelatedSearchMixin
from articles.models import Article
from articles.text import UNIT_SEPARATOR

from .. import assignments
from ..evidence_watch import with_source_summary
from ..filters import (
    ArticleFilter,
    AssignedFilter,
    AuthorFilter,
    ConditionFilter,
    IntegrityFilter,
    ReadinessFilter,
)
from ..models import ClaimDecision, ReviewQueueClaim
from ..policy import approval_blocker
from ..selectors import QUEUE_ORDER, review_queue
from .comments import CommentsMixin
from .review import IntegrityColumnMixin, ReviewActionsMixin

Decision = ClaimDecision.Decision


CONTEXT_CHARS = 220


def paragraph_around(text, start, end):
    """The words around text[start:end] in its block (paragraph, list item…), shortened at words."""
    low = text.rfind(UNIT_SEPARATOR, 0, start)
    low = 0 if low < 0 else low + len(UNIT_SEPARATOR)
    high = text.find(UNIT_SEPARATOR, end)
    before, after = text[low:start], text[end : len(text) if high < 0 else high]
    if len(before) > CONTEXT_CHARS:
        before = "…" + before[-CONTEXT_CHARS:].split(" ", 1)[-1]
    if len(after) > CONTEXT_CHARS:
        after = after[:CONTEXT_CHARS].rsplit(" ", 1)[0] + "…"
    return before, text[start:end], after


@admin.register(ReviewQueueClaim)
class ReviewQueueAdmin(
    CommentsMixin, CheckedIdsMixin, IntegrityColumnMixin, ReviewActionsMixin, RelatedSearchMixin, admin.ModelAdmin
):
    list_display = [
        "in_paragraph",
        "evidence",
        "integrity",
        "review",
    ]
    list_display_links = None
    list_filter = [
        ReadinessFilter,
        AssignedFilter,
        ArticleFilter,
        ConditionFilter,
        "evidence_status",
        IntegrityFilter,
        AuthorFilter,
    ]
    search_fields = ["quote", "article__title", "condition__name"]
    actions = ["approve_selected", "request_changes_selected", "reject_selected"]
    list_per_page = 50
    paginator = KeysFirstPaginator  # the integrity findings read for the page's rows only
    show_full_result_count = False

    class Media:
        css = {"all": ["admin/editorial.css"]}

    def get_queryset(self, request):
        decisions = ClaimDecision.objects.exclude(decision=Decision.SUBMITTED).select_related("actor")
        # Only the page's articles are read, each once, with the text its paragraphs come from.
        articles = Article.objects.only("pk", "title", "body_text")
        # Built from claims.selectors.review_queue, not super(): a reviewer sees only what they may decide
        # (nothing they wrote or last changed), with the decision that sent each claim read beside it. The
        # integrity column's source findings are read beside each claim, as in the other claim lists.
        return with_source_summary(
            assignments.with_open_assignment(review_queue(request.user))
            .select_related("condition", "evidence_status", "created_by")
            .prefetch_related(
                "sources",
                Prefetch("article", queryset=articles),
                Prefetch("decisions", queryset=decisions, to_attr="earlier_decisions"),
            )
        ).with_causal_sources()

    def get_ordering(self, request):
        return QUEUE_ORDER  # waiting longest first

    def get_changelist(self, request, **kwargs):
        return KeysFirstChangeList

    def has_module_permission(self, request):
        return self.has_review_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.has_review_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Claim in its paragraph")
    def in_paragraph(self, claim):
        before, quote, after = paragraph_around(claim.article.body_text, claim.start, claim.end)
        blocker = approval_blocker(claim, cites_a_source=claim.sources.exists())  # the sources are prefetched
        return format_html(
            '<span class="queue-article">{}</span>{}<mark>{}</mark>{}<br><a href="{}">Open to decide</a>{}',
            claim.article.title,
            before,
            quote,
            after,
            claim.get_admin_url(),
            format_html('<span class="queue-blocked"><span aria-hidden="true">⊘</span> Blocked: {}</span>', blocker)
            if blocker
            else "",
        )

    @admin.display(description="Condition and evidence", ordering="evidence_status__rank")
    def evidence(self, claim):
        """The condition, the grade and the sources it rests on: what the reviewer weighs together."""
        return format_html(
            '{}<span class="queue-grade">{} {}</span><span class="queue-sources">Sources: {}</span>',
            claim.condition.name,
            claim.evidence_status.symbol,
            claim.evidence_status.name,
            self.source_links(claim),
        )

    def source_links(self, claim):
        sources = claim.sources.all()
        if not sources:
            return "None"
        return format_html_join(
            mark_safe("<br>"),  # a fixed separator, no data in it
            '<a href="{}" rel="nofollow noopener" target="_blank">{}</a>',
            ((s.url, s.citation_label) for s in sources),
        )

    @admin.display(description="Review", ordering="queued_at")
    def review(self, claim):
        """When it came to the reviewers and from whom, who is assigned it, and the decision before."""
        author = claim.created_by.get_full_name() or claim.created_by.get_username()
        when = date_format(claim.queued_at, "j M Y H:i") if claim.queued_at else "—"
        if claim.submitted_as == Decision.WITHDRAWN:
            sent = format_html('<span class="queue-when">Back for review {} (approval withdrawn)</span>', when)
        else:
            sent = format_html('<span class="queue-when">Submitted {} by {}</span>', when, author)
        return format_html("{}{}{}", sent, self._assignment(claim), self._previous_decision(claim))

    def _previous_decision(self, claim):
        if not claim.earlier_decisions:
            return format_html('<span class="queue-previous">{}</span>', "First review")
        last = claim.earlier_decisions[0]
        comment = Truncator(last.comment).chars(140)
        return format_html(
            '<span class="queue-previous">Before: {}{}</span>',
            last,
            format_html('<br><span class="quiet">{}</span>', comment) if comment else "",
        )

    def _assignment(self, claim):
        current = assignments.shown(claim)
        if current is not None:
            late = assignments.overdue_words(current)
            return format_html(
                '<span class="queue-assigned{}">Assigned to {}, due {}{}</span>',
                " queue-assigned--late" if current.days_overdue() else "",
                current.reviewer_name,
                date_format(current.due_on, "j M Y"),
                format_html(" <strong>{}</strong>", late) if late else "",
            )
        # Only reviewers see the queue. The button is inside the list's own form (which carries its CSRF
        # token) and posts it to the claim's assign address, which takes the claim for the reviewer looking
        # and comes back to the queue.
        return format_html(
            '<span class="queue-assigned">Unassigned <button type="submit" class="button queue-take" name="take" '
            'value="queue" formaction="{}">Take this</button></span>',
            reverse("admin:claims_claim_assign", args=[claim.pk]),
        )
