"""Full-text search over published articles and conditions.

PostgreSQL gets ranked full-text search; SQLite (local development) gets a word-matching fallback
with the same shape of results, so templates and views do not care which database runs.
"""

import re

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article

from .models import Condition

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
SNIPPET_LENGTH = 200

# Private-use characters: SearchHeadline wraps hits in these, we escape everything and only then
# turn them into <mark> tags, so no other markup from article text can reach the page.
MARK_START = "\ue000"
MARK_STOP = "\ue001"

# The expression of the GIN index made by articles/migrations/0004_article_search_gin_index.py,
# character for character: PostgreSQL only uses an expression index for the same expression.
# The weighted vector (title A, standfirst B, body C) is used for ranking the rows it finds.
ARTICLE_DOCUMENT_SQL = (
    "to_tsvector('english', "
    + " || ' ' || ".join(f"coalesce(articles_article.{column}, '')" for column in ("title", "standfirst", "body_text"))
    + ")"
)


def clean_query(raw):
    """The query as searched: no NUL characters, surrounding space trimmed, at most 200 characters."""
    return (raw or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH].strip()


def query_words(query):
    return query.split()[:MAX_WORDS]


def search_articles(query):
    """Published articles matching the query, best first, each with a safe `snippet`-ready annotation."""
    if connection.vendor == "postgresql":
        return _postgres_articles(query)
    return _fallback_articles(query)


def article_snippet(article, query):
    """An HTML-safe extract of the article's body with the searched words in <mark>."""
    headline = getattr(article, "headline", None)
    if headline is not None:
        return _marks_from_sentinels(headline)
    return highlight(_window(article.body_text, query_words(query)), query_words(query))


def search_conditions(query, limit=20):
    """Conditions whose name, synonyms, ICD-10 code or MeSH ID contain the query."""
    if not query:
        return Condition.objects.none()
    return Condition.objects.filter(
        Q(name__icontains=query)
        | Q(synonyms__icontains=query)
        | Q(icd10_code__icontains=query)
        | Q(mesh_id__icontains=query)
    )[:limit]


def condition_url(condition):
    """The condition's public page, or None while condition pages do not exist."""
    try:
        return reverse("claims:condition-detail", args=[condition.slug])
    except NoReverseMatch:
        return None


def highlight(text, words):
    """Escape text and wrap each occurrence of any of the words in <mark>."""
    words = [w for w in words if w]
    if not words or not text:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def _marks_from_sentinels(headline):
    text = escape(headline)
    if text.count(MARK_START) != text.count(MARK_STOP):
        return mark_safe(text.replace(MARK_START, "").replace(MARK_STOP, ""))
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


def _postgres_articles(query):
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
        SearchVectorField,
    )

    search_query = SearchQuery(query, search_type="websearch", config="english")
    weighted = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("standfirst", weight="B", config="english")
        + SearchVector("body_text", weight="C", config="english")
    )
    return (
        Article.objects.published()
        .select_related("author")
        .annotate(document=RawSQL(ARTICLE_DOCUMENT_SQL, [], output_field=SearchVectorField()))
        .filter(document=search_query)
        .annotate(
            rank=SearchRank(weighted, search_query),
            headline=SearchHeadline(
                "body_text",
                search_query,
                config="english",
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=35,
                min_words=15,
            ),
        )
        .order_by("-rank", "-published_at", "pk")
    )


def _fallback_articles(query):
    words = query_words(query)
    if not words:
        return []
    matches = Article.objects.published().select_related("author")
    for word in words:
        matches = matches.filter(
            Q(title__icontains=word) | Q(standfirst__icontains=word) | Q(body_text__icontains=word)
        )
    lowered = [w.lower() for w in words]

    def score(article):
        title, standfirst, body = article.title.lower(), article.standfirst.lower(), article.body_text.lower()
        return sum(title.count(w) * 3 + standfirst.count(w) * 2 + body.count(w) for w in lowered)

    ranked = sorted(matches, key=lambda a: a.published_at, reverse=True)
    return sorted(ranked, key=score, reverse=True)


def _window(text, words):
    """About SNIPPET_LENGTH characters of text around the first searched word."""
    lowered = text.lower()
    hits = [i for i in (lowered.find(w.lower()) for w in words) if i >= 0]
    if not hits:
        snippet = text[:SNIPPET_LENGTH]
        return snippet + ("…" if len(text) > SNIPPET_LENGTH else "")
    start = max(0, min(hits) - SNIPPET_LENGTH // 3)
    end = min(len(text), start + SNIPPET_LENGTH)
    start = max(0, end - SNIPPET_LENGTH)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
