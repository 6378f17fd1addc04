"""A read-only JSON export of a published article and its claims."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from articles.models import Article

from .models import Claim


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else None


def _source(source):
    return {
        "kind": source.kind,
        "identifier": source.identifier,
        "url": source.url,
        "title": source.title,
        "year": source.year,
    }


def _claim(claim):
    status = claim.public_grade
    return {
        "id": claim.pk,
        "quote": claim.quote,
        "start": claim.start,
        "condition": {
            "name": claim.condition.name,
            "slug": claim.condition.slug,
            "icd10": claim.condition.icd10_code or None,
            "mesh": claim.condition.mesh_id or None,
        },
        # A grade is only the reader's to see once a reviewer has approved it.
        "evidence": (
            {"name": status.name, "slug": status.slug, "rank": status.rank, "symbol": status.symbol} if status else None
        ),
        "review_state": claim.review_state,
        # What a reviewer has not approved is not published: no date, sources or explanation.
        "reviewed_at": claim.reviewed_at if claim.is_approved else None,
        "next_review_due": claim.next_review_due if claim.is_approved else None,
        "sources": [_source(source) for source in claim.sources.all()] if claim.is_approved else [],
        "explanation": claim.explanation if claim.is_approved else None,
    }


@require_safe
def article_json(request, slug):
    article = get_object_or_404(
        Article.objects.published().select_related("medical_reviewer").prefetch_related("tags"), slug=slug
    )
    claims = Claim.objects.filter(article=article).public().prefetch_related("sources").order_by("start", "pk")
    data = {
        "title": article.title,
        "slug": article.slug,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "standfirst": article.standfirst,
        "status": article.status,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "last_reviewed": article.last_reviewed,
        "next_review_due": article.next_review_due,
        "medical_reviewer": _person(article.medical_reviewer),
        "tags": sorted(tag.name for tag in article.tags.all()),
        "claims": [_claim(claim) for claim in claims],
    }
    return JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
