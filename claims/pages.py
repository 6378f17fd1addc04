"""Stored article pages: the claim-annotated body, evidence notes and citations of each article.

Readers' requests read one ArticlePage row. Anything that changes what that row shows marks it
stale (raising its generation) inside the transaction that made the change, and the page is rebuilt
once that transaction commits. A reader who arrives before the rebuild, or after a rebuild that
never happened, finds the row stale and has it rebuilt on the spot, so no request is ever served
an out-of-date page.
"""

import logging

from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Article

from . import cache
from .jsonld import medical_condition, script_safe_json
from .models import ArticlePage, Claim
from .templatetags.evidence import annotate_article

logger = logging.getLogger(__name__)

# A change to a shared word (an evidence status, a condition, a source) can touch many articles:
# up to this many are rebuilt as the change commits, the rest on their next reading.
REBUILD_AT_ONCE = 25


def _public_claims(article):
    claims = Claim.objects.filter(article=article).public().prefetch_related("sources").order_by("start", "pk")
    return list(claims)


def _structured_data(claims):
    conditions, sources = {}, {}
    for claim in claims:
        if not claim.is_approved:
            continue
        conditions.setdefault(claim.condition.pk, claim.condition)
        for source in claim.sources.all():
            sources.setdefault(source.pk, source)
    return script_safe_json(
        {
            "about": [medical_condition(c) for c in sorted(conditions.values(), key=lambda c: c.name)],
            "citation": [
                {"@type": "CreativeWork", "url": source.url, "name": source.title or source.citation_label}
                for source in sources.values()
            ],
        }
    )


def build(article_id) -> ArticlePage | None:
    """Build and store the page of one article from its current claims; None if the article is gone.

    The built page is returned even when it cannot be stored (a database busy with another writer):
    the row then stays stale and the next reading tries again.
    """
    article = Article.objects.filter(pk=article_id).only("pk", "body_html").first()
    if article is None:
        return None
    # The row exists before the claims are read, so that a change committed meanwhile raises its generation.
    generation = _stored(lambda: ArticlePage.objects.get_or_create(article_id=article_id)[0].generation)
    body = annotate_article(article, _public_claims(article))
    page = ArticlePage(
        article_id=article_id,
        body_html=body.html,
        notes_html=render_to_string("claims/_article_evidence.html", {"claims": body.claims}),
        json_ld=_structured_data(body.claims),
        claim_count=len(body.claims),
        generation=generation or 0,
        built_generation=generation or 0,
        built_at=timezone.now(),
    )
    if generation is not None:
        # Written only over an older build: a build that started earlier must not replace a newer one.
        _stored(
            lambda: ArticlePage.objects.filter(article_id=article_id, built_generation__lt=generation).update(
                body_html=page.body_html,
                notes_html=page.notes_html,
                json_ld=page.json_ld,
                claim_count=page.claim_count,
                built_generation=generation,
                built_at=page.built_at,
            )
        )
    return page


def _stored(write):
    """Run a write of a stored page; on a database error, log it and return None instead of failing."""
    try:
        with transaction.atomic():
            return write()
    except DatabaseError:
        logger.warning("A stored article page could not be written; it is rebuilt on its next reading.", exc_info=True)
        return None


def page_for(article) -> ArticlePage | None:
    """The article's stored page, rebuilt first if a change has made it stale (or it was never built)."""
    try:
        page = article.evidence_page
    except ArticlePage.DoesNotExist:
        page = None
    if page is not None and page.is_fresh:
        return page
    page = build(article.pk)
    article.evidence_page = page
    return page


def _pending():
    """Article ids waiting for a rebuild on this connection's next commit."""
    if not hasattr(connection, "article_pages_pending"):
        connection.article_pages_pending = set()
    return connection.article_pages_pending


def _after_commit():
    """Rebuild the pages changed by the transaction that just committed, and retire cached fragments.

    Every change in a transaction schedules this; the first run does the work and the others find nothing.
    """
    pending = _pending()
    if not getattr(connection, "article_pages_changed", False):
        return
    connection.article_pages_changed = False
    ids = sorted(pending)
    pending.clear()
    cache.content_changed()
    for article_id in ids:
        build(article_id)


def _schedule(ids=()):
    _pending().update(ids)
    connection.article_pages_changed = True
    transaction.on_commit(_after_commit, robust=True)


def mark_stale(article_ids) -> None:
    """Record that the pages of these articles changed; they are rebuilt when the change commits."""
    ids = {pk for pk in article_ids if pk is not None}
    if not ids:
        return
    ArticlePage.objects.filter(article_id__in=ids).update(generation=F("generation") + 1)
    _schedule(ids)


def mark_stale_where(claims) -> None:
    """Mark stale the pages of every article with a claim in `claims` (a queryset)."""
    article_ids = claims.order_by().values_list("article_id", flat=True).distinct()
    ArticlePage.objects.filter(article_id__in=article_ids).update(generation=F("generation") + 1)
    ids = list(article_ids[: REBUILD_AT_ONCE + 1])
    # Too many to rebuild during the editor's request: each is then rebuilt on its next reading.
    _schedule(ids if len(ids) <= REBUILD_AT_ONCE else ())


def rebuild_all(*, stale_only=True) -> int:
    """Build every article's page (or only the stale and missing ones); returns how many were built."""
    articles = Article.objects.order_by("pk")
    if not stale_only:
        ArticlePage.objects.update(generation=F("generation") + 1)
    else:
        fresh = ArticlePage.objects.filter(built_generation=F("generation")).values("article_id")
        articles = articles.exclude(pk__in=fresh)
    built = 0
    for article_id in articles.values_list("pk", flat=True).iterator():
        build(article_id)
        built += 1
    return built
