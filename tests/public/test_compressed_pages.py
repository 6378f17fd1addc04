"""Readers' article pages sent compressed from their stored copies, in one query, and only where that is safe."""

import gzip
import json
import re
from html import unescape

import brotli
import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import resolve
from django.utils import timezone

from claims.models import ArticlePage, Claim, Source
from claims.pages import http as page_http
from claims.pages import stored as page_store
from claims.services import claim_approve
from claims.text.anchoring import anchor_at
from claims.text.study_design import RANDOMISED_TRIAL, SYSTEMATIC_REVIEW
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, SourceFactory, evidence, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(article, reviewer, django_capture_on_commit_callbacks):
    """A published article with one approved claim, its page built as the change committed."""
    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(claim=ClaimFactory(article=article, sentence=1), reviewer=reviewer)
        published(article)
    return article


def stored(article):
    return ArticlePage.objects.get(article=article)


def get(client, article, accept=None):
    headers = {} if accept is None else {"HTTP_ACCEPT_ENCODING": accept}
    response = client.get(article.get_absolute_url(), **headers)
    assert response.status_code == 200
    return response


def decoded(response):
    """The page a browser reads once it has undone the response's Content-Encoding."""
    encoding = response.get("Content-Encoding")
    body = response.content
    if encoding == "gzip":
        return gzip.decompress(body).decode()
    if encoding == "br":
        return brotli.decompress(body).decode()
    assert encoding is None, encoding
    return body.decode()


@pytest.mark.parametrize(
    "accept, encoding",
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0.5, gzip", "gzip"),
        ("br;q=0, gzip;q=0.2", "gzip"),
        ("gzip;q=0, br;q=0", None),
        ("*", "br"),
        ("*;q=0.3, br;q=0", "gzip"),
        ("identity", None),
        ("deflate", None),
        ("gzip;q=nonsense, br;q=7", None),
    ],
)
def test_readers_get_the_stored_copy_their_browser_accepts_best(client, live, accept, encoding):
    response = get(client, live, accept)

    assert response.get("Content-Encoding") == encoding
    assert decoded(response) == stored(live).page
    assert "Accept-Encoding" in response["Vary"]


def test_without_accept_encoding_the_page_is_sent_uncompressed_and_says_it_varies(client, live):
    response = get(client, live)

    assert not response.has_header("Content-Encoding")
    assert response.content == stored(live).page.encode()
    assert "Accept-Encoding" in response["Vary"]


@pytest.mark.parametrize("accept", [None, "gzip", "br", "gzip;q=0, br;q=0"])
def test_a_reader_of_a_current_page_costs_one_query_whatever_coding(client, live, accept, django_assert_num_queries):
    with django_assert_num_queries(1) as queries:
        response = get(client, live, accept)

    # PostgreSQL's long text is slow to hand over: the uncompressed page is read as gzip and gunzipped.
    plain = "page_gzip" if connection.vendor == "postgresql" else "page"
    column = {None: plain, "gzip": "page_gzip", "br": "page_br", "gzip;q=0, br;q=0": plain}[accept]
    sent = {None: "page", "gzip": "page_gzip", "br": "page_br", "gzip;q=0, br;q=0": "page"}[accept]
    [query] = queries.captured_queries
    selected = query["sql"].split(" FROM ")[0]
    read = re.findall(r'\bp\."?(page\w*)"?', selected)
    assert read == [column, f"{sent}_digest"], "only the form sent is read, with the digest of the bytes sent"
    assert decoded(response) == stored(live).page


def test_staff_get_the_page_uncompressed_with_their_line(editor_client, live):
    response = get(editor_client, live, "gzip, br")

    assert not response.has_header("Content-Encoding")
    page = response.content.decode()
    assert "You are viewing the live page" in page
    assert "private" in response["Cache-Control"]


def test_an_approval_shows_on_the_next_compressed_request(client, live, reviewer, django_capture_on_commit_callbacks):
    claim = ClaimFactory(article=live, sentence=3, evidence_status=evidence("early-research"))
    published(live)
    assert "Early research only" not in decoded(get(client, live, "br"))

    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(claim=claim, reviewer=reviewer)
        published(live)

    for accept in ("br", "gzip", None):
        assert "Early research only" in decoded(get(client, live, accept))


def test_a_stale_page_is_rebuilt_before_its_compressed_copy_is_sent(client, live):
    ArticlePage.objects.filter(article=live).update(page_br=b"", page_gzip=b"")

    assert decoded(get(client, live, "br")) == stored(live).page
    assert brotli.decompress(bytes(stored(live).page_br)).decode() == stored(live).page


def test_the_stored_copies_are_the_page_compressed(live):
    page = stored(live)

    assert gzip.decompress(bytes(page.page_gzip)).decode() == page.page
    assert brotli.decompress(bytes(page.page_br)).decode() == page.page
    assert len(page.page_br) < len(page.page_gzip) < len(page.page.encode())


def test_the_json_ld_gives_full_addresses_on_the_sites_address(client, live, settings):
    settings.SITE_URL = "https://health.example.org"
    page_store.rebuild_all(stale_only=False)

    page = decoded(get(client, live, "gzip"))

    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["url"] == f"https://health.example.org{live.get_absolute_url()}"
    assert data["author"]["url"].startswith("https://health.example.org/people/")


# Entity tags from the digests stored with the page -------------------------------------------------

ACCEPTS = {None: None, "gzip": "gzip", "br": "br"}
DIGEST_COLUMNS = {None: "page_digest", "gzip": "page_gzip_digest", "br": "page_br_digest"}


def tag_digest(etag):
    """The digest part of an entity tag `"<version>.<digest>[-<coding>]"`."""
    return etag.strip('"').split(".")[1].split("-")[0]


@pytest.fixture
def no_hashing(monkeypatch):
    """Any hashing of a body by the HTTP caching middleware fails the test."""

    def refuse(content):
        raise AssertionError("the body was hashed per request")

    monkeypatch.setattr(page_http, "body_digest", refuse)


@pytest.mark.parametrize("encoding", ACCEPTS)
def test_a_readers_tag_is_the_digest_stored_with_the_page_not_a_hash_per_request(
    client, live, encoding, no_hashing, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = get(client, live, ACCEPTS[encoding])

    digest = getattr(stored(live), DIGEST_COLUMNS[encoding])
    assert response.get("Content-Encoding") == encoding
    assert tag_digest(response["ETag"]) == digest == page_store.body_digest(response.content)
    assert response["ETag"].endswith(f'{digest}-{encoding}"' if encoding else f'{digest}"')


def test_each_coding_has_its_own_tag(client, live):
    tags = {encoding: get(client, live, accept)["ETag"] for encoding, accept in ACCEPTS.items()}

    assert len(set(tags.values())) == 3
    assert len({tag_digest(tag) for tag in tags.values()}) == 3


def test_an_approval_changes_the_stored_digests_and_every_tag(
    client, live, reviewer, clock, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(article=live, sentence=3, evidence_status=evidence("early-research"))
    published(live)
    clock(0, seconds=5)
    before = {encoding: get(client, live, accept)["ETag"] for encoding, accept in ACCEPTS.items()}
    digests = {column: getattr(stored(live), column) for column in DIGEST_COLUMNS.values()}

    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(claim=claim, reviewer=reviewer)
        published(live)
    clock(0, seconds=10)

    for encoding, accept in ACCEPTS.items():
        response = get(client, live, accept)
        assert "Early research only" in decoded(response)
        assert tag_digest(response["ETag"]) != tag_digest(before[encoding])
        assert tag_digest(response["ETag"]) == getattr(stored(live), DIGEST_COLUMNS[encoding])
        again = client.get(
            live.get_absolute_url(),
            headers={"If-None-Match": before[encoding]},
            **({"HTTP_ACCEPT_ENCODING": accept} if accept else {}),
        )
        assert again.status_code == 200, "a tag of the page before the approval never earns a 304"
    assert all(getattr(stored(live), column) != digest for column, digest in digests.items())


@pytest.mark.parametrize("encoding", ACCEPTS)
def test_a_repeat_with_the_stored_pages_tag_is_answered_304_in_one_query(
    client, live, encoding, clock, django_assert_num_queries
):
    clock(0, seconds=5)
    headers = {"HTTP_ACCEPT_ENCODING": ACCEPTS[encoding]} if encoding else {}
    tag = get(client, live, ACCEPTS[encoding])["ETag"]
    client.get("/", headers={"If-None-Match": '"an-older-page"'})  # this process reads the current generation
    tag = get(client, live, ACCEPTS[encoding])["ETag"]

    with django_assert_num_queries(1):
        response = client.get(live.get_absolute_url(), headers={"If-None-Match": tag}, **headers)

    assert response.status_code == 304
    assert response["ETag"] == tag


def test_a_page_stored_without_its_digests_is_rebuilt_before_it_is_sent(client, live):
    ArticlePage.objects.filter(article=live).update(page_digest="", page_gzip_digest="", page_br_digest="")

    response = get(client, live)

    page = stored(live)
    assert page.page_digest and page.page_gzip_digest and page.page_br_digest
    assert tag_digest(response["ETag"]) == page.page_digest == page_store.body_digest(page.page.encode())
    assert page.page_gzip_digest == page_store.body_digest(bytes(page.page_gzip))
    assert page.page_br_digest == page_store.body_digest(bytes(page.page_br))


def test_a_digest_made_for_another_coding_is_not_trusted(rf, live):
    """A body whose coding changed after the view (compressed on the way out) is hashed as it is sent."""
    response = HttpResponse(b"the page, compressed on its way out", headers={"Content-Encoding": "gzip"})
    response.body_digest = ("", "0123456789abcdef")  # as give_digest would set it
    request = rf.get(live.get_absolute_url())
    request.resolver_match = resolve(live.get_absolute_url())
    middleware = page_http.PublicCacheMiddleware(lambda request: response)
    middleware.process_view(request, None, (), {})

    tagged = middleware(request)

    assert tag_digest(tagged["ETag"]) == page_store.body_digest(response.content) != "0123456789abcdef"
    assert tagged["ETag"].endswith('-gzip"')


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_a_readers_page_is_read_by_a_statement_prepared_once_per_connection(client, live):
    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%articlepage%"])
            return [row[0] for row in cursor.fetchall()]

    assert not prepared()
    first = get(client, live, "br")
    assert len(prepared()) == 1
    assert decoded(get(client, live, "br")) == decoded(first) == stored(live).page
    assert len(prepared()) == 1, "the second reading executes the same prepared statement"
    assert decoded(get(client, live)) == stored(live).page
    assert len(prepared()) == 2, "one statement a form of the page"

    # A rolled-back change forgets them (psycopg deallocates them), and the next reading prepares again.
    with pytest.raises(RuntimeError), transaction.atomic():
        get(client, live, "br")
        raise RuntimeError
    assert decoded(get(client, live, "br")) == stored(live).page


# A long article stays light ------------------------------------------------------------------------


SENTENCES = [
    "Adults with {condition} who took the {treatment} course had fewer flare-ups over a year than those who did not.",
    "In people with {condition}, a daily {treatment} probably eases symptoms within the first three months.",
    "A {treatment} started early may slow the loss of function seen in {condition}, though trials were small.",
    "For {condition}, adding a {treatment} to usual care reduced visits to hospital in two large trials.",
]
TREATMENTS = ["breathing exercise", "low-dose statin", "vitamin D", "walking programme", "inhaled steroid"]


def long_article(author, reviewer, claims=100, sources=80):
    """A published article with `claims` claims, one a sentence, in a realistic mix: six grades, ten
    conditions, seven in ten approved with an explanation, each citing one to three of `sources` sources."""
    conditions = [ConditionFactory(name=f"Chronic condition number {n}") for n in range(10)]
    sentences = [
        SENTENCES[n % 4].format(condition=conditions[n % 10].name.lower(), treatment=TREATMENTS[n % 5])
        for n in range(claims)
    ]
    body = "\n\n".join(" ".join(sentences[n : n + 4]) for n in range(0, claims, 4))
    article = ArticleFactory(author=author, body=body, title="Living well with long-term conditions")
    grades = [evidence(slug) for slug in ("strong", "moderate", "limited", "very-uncertain", "early-research")]
    pool = [
        SourceFactory(
            title=f"Outcomes of treatment in long-term condition cohort {n}: a randomised trial",
            authors="Okafor N, Lindqvist A, Berg T, Chen L",
            journal="Journal of Chronic Disease",
            year=2010 + n % 15,
            design=RANDOMISED_TRIAL if n % 2 else SYSTEMATIC_REVIEW,
        )
        for n in range(sources)
    ]
    now = timezone.now()
    made = []
    for number, sentence in enumerate(article.sentences()):
        approved = number % 10 < 7
        claim = Claim(
            article=article,
            condition=conditions[number % 10],
            evidence_status=grades[number % 5],
            created_by=author,
            last_changed_by=author,
            explanation="Two randomised trials in adults, with consistent results." if approved else "",
            review_state=Claim.ReviewState.APPROVED if approved else Claim.ReviewState.PENDING,
            reviewed_by=reviewer if approved else None,
            reviewed_at=now if approved else None,
        )
        claim.set_anchor(anchor_at(article.body_text, sentence.start, sentence.end))
        made.append(claim)
    made = Claim.objects.bulk_create(made)
    Claim.sources.through.objects.bulk_create(
        Claim.sources.through(claim_id=claim.pk, source_id=pool[(index * 7 + k) % sources].pk)
        for index, claim in enumerate(made)
        for k in range(1 + index % 3)
    )
    published(article)
    return article


# What a 100-claim article's page weighs as built before each grade's meaning and each citation were said
# once: 252 KB uncompressed. The bound leaves room for small template changes, not for repetition coming back.
LONG_PAGE_LIMIT = 220_000


def test_a_hundred_claim_article_says_each_meaning_and_citation_once_and_compresses_tenfold(client, editor, reviewer):
    article = long_article(editor, reviewer)

    page = page_store.build(article.pk)

    assert page.claim_count == 100
    assert Source.objects.count() == 80
    size = len(page.page.encode())
    assert size <= LONG_PAGE_LIMIT, f"{size} bytes"
    assert len(page.page_gzip) < size / 10 and len(page.page_br) < len(page.page_gzip)
    text = decoded(get(client, article))
    assert text.count('class="evidence-note"') == 100
    # Each grade used is explained once, and every source is cited in full once, in the References.
    assert text.count("Several good-quality studies in people agree.") == 1
    assert text.count('<li id="reference-') == len(set(re.findall(r'href="#reference-(\d+)"', text)))


# A long page's budget: what its readers read (its text, as a browser shows it) and its JSON-LD, plus this much
# markup for each claim (its wrapper and badge in the body, its note) and each source (its References entry), and
# the page around them. Before the notes and References said each thing once, a claim took about 1,000 bytes of
# markup; a budget grown from the page's own content holds for any wording, and fails if repetition comes back.
MARKUP_PER_CLAIM = 600
MARKUP_PER_SOURCE = 150
MARKUP_OF_THE_PAGE = 12_000


def reader_text(html):
    """The page's text as readers get it: no markup, no script, entities read as the characters they stand for."""
    without_scripts = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", without_scripts))


def test_a_hundred_claim_page_stays_within_its_budget_and_keeps_every_claims_grade_condition_and_sources(
    client, editor, reviewer
):
    article = long_article(editor, reviewer, claims=100, sources=140)

    page = page_store.build(article.pk)

    html = page.page
    cited = Source.objects.filter(claims__article=article).distinct().count()
    budget = (
        len(reader_text(html).encode())
        + len(page.json_ld.encode())
        + MARKUP_PER_CLAIM * page.claim_count
        + MARKUP_PER_SOURCE * cited
        + MARKUP_OF_THE_PAGE
    )
    size = len(html.encode())
    assert page.claim_count == 100
    assert size <= budget, f"{size} bytes against a budget of {budget}"
    assert gzip.decompress(page.page_gzip) == brotli.decompress(page.page_br) == html.encode()
    # Nothing a reader got is gone: each claim's grade in words and symbol (under review for those not approved),
    # its condition, and each of its sources, cited in full in the References its note links to.
    references = html[html.index('<section class="references"') :]
    for claim in (
        Claim.objects.filter(article=article).prefetch_related("sources").select_related("condition", "evidence_status")
    ):
        note = reader_text(html[html.index(f'<li id="evidence-{claim.pk}"') :].split("</li>", 1)[0])
        body = html[html.index(f'id="claim-{claim.pk}"') :]
        badge = reader_text(body[: body.index("</a>")])
        assert claim.condition.name in note
        assert claim.quote.split()[0] in note, "the note opens with its sentence's first words"
        assert f'<a href="#claim-{claim.pk}">' in html, "and leads back to the whole sentence"
        if claim.review_state != Claim.ReviewState.APPROVED:
            assert "Evidence: Under review" in badge and "Under review" in note
            continue
        grade = claim.evidence_status
        assert f"Evidence: {grade.badge_text}" in badge and grade.symbol in badge
        assert f"{grade.symbol} {grade.badge_text}" in note
        numbers = re.findall(
            r'href="#reference-(\d+)"', html[html.index(f'<li id="evidence-{claim.pk}"') :].split("</li>")[0]
        )
        titles = {
            reader_text(re.search(rf'<li id="reference-{n}"[^>]*>(.*?)</li>', references, flags=re.S).group(1))
            for n in numbers
        }
        assert len(titles) == claim.sources.count()
        for source in claim.sources.all():
            assert any(source.title in title and str(source.year) in title for title in titles), source.title
