"""Full-text search over published articles and conditions.

Articles are searched as readers see them: the text of the live revision of each article that is
not archived (articles.ArticleRevision), never the draft, so a word only a draft holds finds
nothing. A result is that revision, with its article (for the address) beside it.

PostgreSQL gets ranked full-text search; SQLite (local development) gets a word-matching fallback
with the same shape of results, so templates and views do not care which database runs.
"""

import html
import re
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import ArticleRevision

from .models import Condition, PublishedClaim
from .models.publication import grade_withheld

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
SNIPPET_LENGTH = 200
# How much of a claim's first or last words a snippet must show for the claim to count as shown.
CLAIM_EDGE = 30

# Private-use characters: SearchHeadline wraps hits in these, we escape everything and only then
# turn them into <mark> tags, so no other markup from article text can reach the page.
MARK_START = "\ue000"
MARK_STOP = "\ue001"

# The weighted search document of each revision (title A, standfirst B, body C), stored by the database in a
# generated column with a GIN index over live revisions: articles/migrations/0012_revision_search_document.py.
# Matching and ranking read it; nothing is parsed at search time but the query.
SEARCH_DOCUMENT_SQL = "articles_articlerevision.search_document"


def clean_query(raw):
    """The query as searched: no NUL characters, surrounding space trimmed, at most 200 characters."""
    return (raw or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH].strip()


def query_terms(query):
    """The words and "quoted phrases" the fallback looks for, and the -terms it leaves out.

    Punctuation around a term is dropped ("fibrosis," is fibrosis), punctuation inside kept (J84.1).
    """
    wanted, unwanted = [], []
    for negated_phrase, phrase, negated_word, word in re.findall(r'(-?)"([^"]*)"?|(-?)([^\s"]+)', query):
        term = " ".join(re.sub(r"^\W+|\W+$", "", part) for part in (phrase or word).split()).strip()
        if term:
            (unwanted if negated_phrase or negated_word else wanted).append(term)
    return wanted[:MAX_WORDS], unwanted[:MAX_WORDS]


def term_pattern(terms):
    """Matches whole words that begin with any of the terms: "stem" finds "stems", never "systemic"."""
    alternatives = (r"\s+".join(re.escape(word) for word in term.split()) for term in terms)
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + r")\w*", re.IGNORECASE)


def search_articles(query):
    """Live revisions of published articles matching the query, best first, each with its article's address.

    On PostgreSQL each comes with a `headline` for its snippet (article_snippet).
    """
    if connection.vendor == "postgresql":
        return _postgres_articles(query)
    return _fallback_articles(query)


def article_snippet(article, query):
    """An HTML-safe extract of the body of `article` (a live revision) with the searched words in <mark>."""
    headline = getattr(article, "headline", None)
    if headline is not None:
        return _marks_from_sentinels(_with_ellipses(headline, article.body_text))
    wanted, _unwanted = query_terms(query)
    return highlight(_window(article.body_text, wanted), wanted)


def published_claims_of(revisions):
    """{revision id: its published claims, in text order, with their grades}: one query for a page of results."""
    claims = {}
    # Their sources' retractions too: a claim whose every source is retracted shows no grade (public_grade),
    # one citing a retracted, concerning or stopped-trial source its grade with the warning (source_warning).
    rows = (
        PublishedClaim.objects.filter(revision__in=revisions)
        .select_related("condition", "evidence_status")
        .annotate(withheld_for_retractions=ExpressionWrapper(grade_withheld(), BooleanField()))
        .with_source_warning()
    )
    for claim in rows.order_by("revision_id", "start", "pk"):
        claims.setdefault(claim.revision_id, []).append(claim)
    return claims


def claims_in_snippet(snippet, claims):
    """The claims (published claims of the revision) whose words the snippet shows, wholly or in part.

    A snippet is cut from the text on one line, so a claim is in it when the start or the end of its
    quote is, or when the snippet lies inside the quote. Readers then see each one's grade beside
    the snippet: a graded sentence is never shown as plain fact.
    """
    plain = one_line(re.sub(r"</?mark>", "", str(snippet))).strip("…")
    plain = html.unescape(plain)
    shown = []
    for claim in claims:
        quote = one_line(claim.quote)
        edge = min(len(quote), CLAIM_EDGE)
        if quote[:edge] in plain or quote[-edge:] in plain or (plain and plain in quote):
            shown.append(claim)
    return shown


def search_conditions(query, limit=20):
    """Conditions whose name, synonyms, ICD-10 code or MeSH ID hold every wanted term and no -term.

    Conditions are few and their names short, so they are matched the same way on every database.
    """
    fields = ("name", "synonyms", "icd10_code", "mesh_id")
    found, _patterns = _word_matches(Condition.objects.order_by("name"), fields, query)
    return [row for row, _texts in found[:limit]]


def lowered_term_pattern(term):
    """Finds `term` at the start of a word in lower-cased text: "stem" in "stems", never in "systemic".

    The same test as term_pattern, written so that the regular expression engine can jump from one
    occurrence of the term's first word to the next instead of trying every position: matching each
    of a thousand article bodies this way is about ten times faster.
    """
    first, *rest = (re.escape(word) for word in term.lower().split())
    return re.compile(first + rf"(?<!\w{first})" + "".join(rf"\s+{word}" for word in rest))


def _word_matches(queryset, fields, query):
    """Rows in which every wanted term begins a word of `fields` and no -term does, with the wanted patterns.

    Each row comes with its fields' text in lower case, the text the returned patterns match.
    A substring test in the database narrows the rows; the word test in Python decides.
    """
    wanted, unwanted = query_terms(query)
    if not wanted:
        return [], []
    for term in wanted:
        queryset = queryset.filter(reduce(or_, (Q(**{f"{name}__icontains": term}) for name in fields)))
    wanted_patterns = [lowered_term_pattern(term) for term in wanted]
    unwanted_patterns = [lowered_term_pattern(term) for term in unwanted]
    found = []
    for row in queryset:
        texts = [getattr(row, name).lower() for name in fields]
        text = "\n".join(texts)
        if any(pattern.search(text) for pattern in unwanted_patterns):
            continue
        if all(pattern.search(text) for pattern in wanted_patterns):
            found.append((row, texts))
    return found, wanted_patterns


def highlight(text, words):
    """Escape text and wrap each word beginning with any of the searched words in <mark>."""
    words = [w for w in words if w]
    if not words or not text:
        return escape(text)
    parts, position = [], 0
    for match in term_pattern(words).finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def one_line(text):
    """Text on one line for a snippet; a block without closing punctuation (a heading) is set off with ·."""
    blocks = [" ".join(block.split()) for block in text.split("\n")]
    line = ""
    for block in filter(None, blocks):
        if line:
            line += " " if line.rstrip(MARK_STOP)[-1:] in '.!?:;…)"”' else " · "
        line += block
    return line


def _with_ellipses(headline, body):
    """The headline on one line, with … where it starts after the body's start or ends before its end."""
    headline = one_line(headline)
    plain = headline.replace(MARK_START, "").replace(MARK_STOP, "")
    body = one_line(body)
    lead = "" if body.startswith(plain[:40]) else "…"
    trail = "" if body.endswith(plain[-40:]) else "…"
    return f"{lead}{headline}{trail}"


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
        SearchVectorField,
    )

    search_query = SearchQuery(query, search_type="websearch", config="english")
    document = RawSQL(SEARCH_DOCUMENT_SQL, [], output_field=SearchVectorField())
    return (
        _live_revisions()
        .alias(document=document)  # matched and ranked on, never read back
        .filter(document=search_query)
        .annotate(
            rank=SearchRank(document, search_query),
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
        .order_by("-rank", "-article__published_at", "pk")
    )


def _live_revisions():
    """What readers see of each published article, with only the columns a result shows and the matching reads."""
    return (
        ArticleRevision.objects.public()
        .select_related("article")
        .only("title", "standfirst", "body_text", "article__slug", "article__published_at")
    )


def _fallback_articles(query):
    """Word matching for SQLite: every wanted term begins a word somewhere, no unwanted term does."""
    found, wanted_patterns = _word_matches(_live_revisions(), ("title", "standfirst", "body_text"), query)

    def score(texts):
        title, standfirst, body = texts
        return sum(
            3 * len(pattern.findall(title)) + 2 * len(pattern.findall(standfirst)) + len(pattern.findall(body))
            for pattern in wanted_patterns
        )

    scored = [(score(texts), revision) for revision, texts in found]
    newest_first = sorted(scored, key=lambda item: item[1].article.published_at, reverse=True)
    return [revision for _score, revision in sorted(newest_first, key=lambda item: item[0], reverse=True)]


def _window(text, words):
    """About SNIPPET_LENGTH characters of text around the first searched word, cut between words."""
    text = one_line(text)
    first = term_pattern(words).search(text) if words else None
    if len(text) <= SNIPPET_LENGTH:
        return text
    start = max(0, first.start() - SNIPPET_LENGTH // 3) if first else 0
    end = min(len(text), start + SNIPPET_LENGTH)
    start = max(0, end - SNIPPET_LENGTH)
    if start:
        space = text.find(" ", start, first.start() if first else end)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", max(start, first.end() if first else start), end)
        end = space if space >= 0 else end
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
