"""The reviewers' queue: submitted claims, oldest first, each shown in its paragraph."""

from django.contrib import admin
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.admin.ids import CheckedIdsMixin
from articles.models import Article
from articles.text import UNIT_SEPARATOR

from ..evidence_watch import with_source_summary
from ..filters import ArticleFilter, AuthorFilter, ConditionFilter, IntegrityFilter
from ..models import ClaimDecision, ReviewQueueClaim
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
class ReviewQueueAdmin(CommentsMixin, CheckedIdsMixin, IntegrityColumnMixin, ReviewActionsMixin, admin.ModelAdmin):
    list_display = [
        "in_paragraph",
        "condition",
        "evidence",
        "integrity",
        "source_links",
        "previous_decision",
        "submitted",
    ]
    list_display_links = None
    list_filter = [ArticleFilter, ConditionFilter, "evidence_status", IntegrityFilter, AuthorFilter]
    search_fields = ["quote", "article__title", "condition__name"]
    actions = ["approve_selected", "request_changes_selected", "reject_selected"]
    list_per_page = 50
    show_full_result_count = False

    class Media:
        css = {"all": ["admin/editorial.css"]}

    def get_queryset(self, request):
        user = request.user
        decisions = ClaimDecision.objects.exclude(decision=Decision.SUBMITTED).select_related("actor")
        # The latest submission of each claim, read beside it: grouping the queue's rows to find it
        # would make the database sort every waiting claim with its article.
        submissions = ClaimDecision.objects.filter(claim=OuterRef("pk"), decision=Decision.SUBMITTED)
        submitted_at = Subquery(submissions.order_by("-created_at", "-pk").values("created_at")[:1])
        # Only the page's articles are read, each once, with the text its paragraphs come from.
        articles = Article.objects.only("pk", "title", "body_text")
        # Built from the manager, not super(): the admin's ordering needs the annotation below. The
        # integrity column's source findings are read beside each claim, as in the other claim lists.
        return with_source_summary(
            self.model._default_manager.get_queryset()
            # A reviewer sees only what they may decide: nothing they wrote or last changed.
            .exclude(Q(created_by=user) | Q(last_changed_by=user))
            .select_related("condition", "evidence_status", "created_by")
            .prefetch_related(
                "sources",
                Prefetch("article", queryset=articles),
                Prefetch("decisions", queryset=decisions, to_attr="earlier_decisions"),
            )
            .annotate(submitted_at=submitted_at)
            .order_by("submitted_at", "pk")
        ).with_causal_sources()

    def get_ordering(self, request):
        return ["submitted_at", "pk"]  # oldest submission first

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
        return format_html(
            '<span class="queue-article">{}</span>{}<mark>{}</mark>{}<br><a href="{}">Open to decide</a>',
            claim.article.title,
            before,
            quote,
            after,
            claim.get_admin_url(),
        )

    @admin.display(description="Evidence", ordering="evidence_status__rank")
    def evidence(self, claim):
        return format_html("{} {}", claim.evidence_status.symbol, claim.evidence_status.name)

    @admin.display(description="Sources")
    def source_links(self, claim):
        sources = claim.sources.all()
        if not sources:
            return "None"
        return format_html_join(
            mark_safe("<br>"),  # a fixed separator, no data in it
            '<a href="{}" rel="nofollow noopener" target="_blank">{}</a>',
            ((s.url, s.citation_label) for s in sources),
        )

    @admin.display(description="Previous decision")
    def previous_decision(self, claim):
        if not claim.earlier_decisions:
            return "None (first review)"
        last = claim.earlier_decisions[0]
        return format_html('{}<br><span class="quiet">{}</span>', last, last.comment[:200])

    @admin.display(description="Submitted", ordering="submitted_at")
    def submitted(self, claim):
        author = claim.created_by.get_full_name() or claim.created_by.get_username()
        return format_html(
            "{}<br>by {}", date_format(claim.submitted_at, "j M Y H:i") if claim.submitted_at else "—", author
        )
