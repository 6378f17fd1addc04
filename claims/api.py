"""A read-only JSON export of a published article and its claims, as readers see them.

Everything comes from the article's live revision and the claims published with it
(PublishedClaim), never from the draft: an edit reaches the export when a new revision goes live.
"""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.models import ArticleRevision
from articles.services import add_months
from articles.views import stored_page

from .citations import citation_data, references, sources_prefetch
from .models import PublishedClaim
from .services import CLAIM_REVIEW_MONTHS


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else None


def _source(source):
    return citation_data(source)


def _under_review_reason(published):
    if published.public_grade is not None:
        return None
    if published.is_withdrawn:
        return "withdrawn"
    if published.grade_withheld:
        return "sources_retracted"
    return "not_approved"


def _claim(published):
    status = published.public_grade
    approved = status is not None
    reason = _under_review_reason(published)
    return {
        # The id of the claim's anchor on the article's page, as in its address (#claim-…).
        "id": published.public_id,
        "quote": published.quote,
        "start": published.start,
        "condition": {
            "name": published.condition.name,
            "slug": published.condition.slug,
            "icd10": published.condition.icd10_code or None,
            "mesh": published.condition.mesh_id or None,
        },
        # A grade is only the reader's to see while the approval it was published with stands.
        "evidence": (
            {"name": status.name, "slug": status.slug, "rank": status.rank, "symbol": status.symbol} if status else None
        ),
        "review_state": "approved" if approved else "under_review",
        # Why readers see it under review: pulled by a reviewer, every source retracted, or never approved.
        "under_review_reason": reason,
        "notice": published.under_review_notice or None if reason == "withdrawn" else None,
        # A graded claim one of whose sources readers are warned of, as its badge says ("source retracted").
        "warning": published.source_warning or None if approved else None,
        # What readers see under review is not vouched for: no date, sources or explanation.
        "reviewed_at": published.approved_at if approved else None,
        "next_review_due": (
            add_months(timezone.localdate(published.approved_at), CLAIM_REVIEW_MONTHS) if approved else None
        ),
        # A claim under review because its sources were retracted shows them, as its evidence note does.
        "sources": (
            [_source(source) for source in published.sources.all()] if approved or reason == "sources_retracted" else []
        ),
        "explanation": published.explanation if approved else None,
    }


@require_safe
def article_json(request, slug):
    """The export, stored whole (claims.pages.lists) and built again after any change readers can see."""
    return stored_page(request, lambda: _article_json(request, slug), "application/json")


def _article_json(request, slug):
    revision = get_object_or_404(
        ArticleRevision.objects.public()
        .select_related("article", "signed_off_by", "reviewed_in__signed_off_by")
        .defer("body", "body_html", "body_text", "article__body", "article__body_html", "article__body_text"),
        article__slug=slug,
    )
    article = revision.article
    review = revision.medical_review
    claims = (
        PublishedClaim.objects.filter(revision=revision)
        .select_related("condition", "evidence_status")
        .prefetch_related(sources_prefetch())
        .order_by("start", "pk")
    )
    data = {
        "title": revision.title,
        "slug": article.slug,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "standfirst": revision.standfirst,
        "status": "published",
        "published_at": article.published_at,
        # When what readers see last changed: the live revision's publication.
        "updated_at": revision.published_at,
        "last_reviewed": timezone.localdate(review.signed_off_at) if review else None,
        "next_review_due": article.next_review_due,
        "medical_reviewer": _person(review.signed_off_by) if review else None,
        "tags": sorted(article.tags.values_list("name", flat=True)),
        "claims": [_claim(published) for published in claims],
        # The page's References: the graded claims' sources, once each, in the order first cited.
        "references": [_source(source) for source in references(claims)],
    }
    return JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
