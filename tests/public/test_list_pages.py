"""The public list pages at any size: a fixed number of queries, pages that keep the query string,
and a plain "not found" for page numbers that do not exist."""

import re

import pytest
from django.db import connection
from django.utils import timezone

from claims.models import Claim
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, SourceFactory, evidence

pytestmark = pytest.mark.django_db

TAG = "lungs"


def approved(reviewer, **kwargs):
    return ClaimFactory(
        review_state=Claim.ReviewState.APPROVED, reviewed_by=reviewer, reviewed_at=timezone.now(), **kwargs
    )


def publish(count, reviewer):
    """`count` tagged articles, each with an approved claim on a condition of its own and a pending claim."""
    sources = [SourceFactory(), SourceFactory()]
    for _ in range(count):
        article = ArticleFactory()
        article.tags.add(TAG)
        approved(reviewer, article=article, sentence=1, sources=sources)
        ClaimFactory(article=article, sentence=2, sources=sources)


def fill_condition_map(condition, reviewer, grades):
    """Approved claims about one condition: grades is [(evidence slug, how many)], five claims an article."""
    sources = [SourceFactory(), SourceFactory()]
    wanted = [slug for slug, count in grades for _ in range(count)]
    for first in range(0, len(wanted), 5):
        article = ArticleFactory()
        for sentence, slug in enumerate(wanted[first : first + 5], start=1):
            approved(
                reviewer,
                article=article,
                condition=condition,
                sentence=sentence,
                evidence_status=evidence(slug),
                sources=sources,
            )


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response


def counted(client, url, assert_max_queries, limit):
    with assert_max_queries(limit) as captured:
        get(client, url)
    return len(captured)


# Constant queries ------------------------------------------------------------------------------

# A stored list page (claims.pages.lists) read, rendered and written: the read of the stored page with the
# content generation, the render lock taken and released around the rendering (an advisory lock on PostgreSQL,
# a lease row elsewhere), then the write in its savepoint (SAVEPOINT, INSERT ... ON CONFLICT, RELEASE).
STORING = 6
STORED = re.compile(r"/(tags/[^/]+/|conditions/([^/]+/)?|feed/|sitemap\.xml)?(\?page=\d+)?")


def first_and_again(client, url, assert_max_queries, limit):
    """The queries of a page's first reading since the last change (rendered, and stored when it is a stored
    list page, the feed or the sitemap) and of the next reading (served as stored: one query)."""
    stored = STORED.fullmatch(url) is not None
    first = counted(client, url, assert_max_queries, limit + (STORING if stored else 0))
    again = counted(client, url, assert_max_queries, 1 if stored else limit)
    return first, again


@pytest.mark.parametrize(
    "url, limit",
    [
        ("/", 4),
        (f"/tags/{TAG}/", 5),
        ("/conditions/", 4),
        # PostgreSQL counts the matches in the database; SQLite's fallback counts the list it made.
        ("/search/?q=fibrosis", 4 if connection.vendor == "postgresql" else 3),
        ("/feed/", 1),
        ("/sitemap.xml", 8),  # the people who wrote or reviewed the published articles: one query
    ],
)
def test_list_pages_do_as_many_queries_for_fifty_five_articles_as_for_three(
    client, reviewer, django_assert_max_num_queries, url, limit
):
    publish(3, reviewer)
    small = first_and_again(client, url, django_assert_max_num_queries, limit)

    publish(52, reviewer)
    large = first_and_again(client, url, django_assert_max_num_queries, limit)

    assert large == small


@pytest.mark.parametrize(
    "url", ["/?page=last", f"/tags/{TAG}/?page=last", "/conditions/?page=2", "/search/?q=fibrosis&page=6"]
)
def test_later_pages_do_as_many_queries_as_the_first(client, reviewer, django_assert_max_num_queries, url):
    publish(55, reviewer)
    first = counted(client, url.split("page=")[0].rstrip("?&"), django_assert_max_num_queries, 5 + STORING)

    later = counted(client, url, django_assert_max_num_queries, 5 + STORING)

    # page=last is rendered and never stored: only plain page numbers are (claims.pages.lists.address).
    assert later == (first - STORING if "page=last" in url else first)


def test_condition_map_does_as_many_queries_for_a_hundred_claims_as_for_ten(
    client, reviewer, django_assert_max_num_queries
):
    condition = ConditionFactory()
    url = condition.get_absolute_url()
    fill_condition_map(condition, reviewer, [("strong", 5), ("limited", 5)])
    small = first_and_again(client, url, django_assert_max_num_queries, 5)

    fill_condition_map(condition, reviewer, [("strong", 40), ("moderate", 20), ("limited", 35)])

    # The claims are read a grade at a time: pages 1 and 2 show two grades each (45 strong and 5 moderate, then 15
    # moderate and 35 limited), as the first page did with 10 claims; the last page one (5 limited).
    for page in ("", "?page=2"):
        assert first_and_again(client, url + page, django_assert_max_num_queries, 5) == small
    assert counted(client, url + "?page=last", django_assert_max_num_queries, 5) == small[0] - STORING - 1


def test_home_page_queries_do_not_grow_with_its_articles(client, editor, django_assert_max_num_queries):
    for _ in range(6):
        ClaimFactory(article=ArticleFactory(author=editor))
    with django_assert_max_num_queries(5 + STORING):
        response = client.get("/")
    assert response.text.count('class="article-card"') == 6


# The condition map, fifty claims a page -----------------------------------------------------------


@pytest.fixture
def big_map(reviewer):
    """45 strong, 20 moderate and 40 limited claims: pages of 1-50, 51-100 and 101-105."""
    condition = ConditionFactory(name="Asthma", slug="asthma")
    fill_condition_map(condition, reviewer, [("strong", 45), ("moderate", 20), ("limited", 40)])
    return condition


def headings(content):
    """(grade words, continued?) of each evidence group heading on the page."""
    return [
        (words, bool(continued))
        for words, continued in re.findall(
            r'<h3 id="grade-[\w-]+"><span class="chip[^"]*"><span aria-hidden="true">[^<]*</span> ([^<]+)</span>'
            r'( <span class="evidence-group__continued">continued</span>)?</h3>',
            content,
        )
    ]


def test_condition_map_shows_fifty_claims_a_page_strongest_first(client, big_map):
    pages = [get(client, f"{big_map.get_absolute_url()}?page={n}").text for n in (1, 2, 3)]

    assert [page.count('class="evidence-note"') for page in pages] == [50, 50, 5]
    assert headings(pages[0]) == [("Strong evidence", False), ("Moderate evidence", False)]
    assert headings(pages[1]) == [("Moderate evidence", True), ("Limited evidence", False)]
    assert headings(pages[2]) == [("Limited evidence", True)]
    assert "Claims 51 to 100 of 105" in pages[1]


def test_every_page_of_the_condition_map_counts_all_its_claims_by_grade_and_links_to_where_each_starts(client, big_map):
    content = get(client, f"{big_map.get_absolute_url()}?page=3").text

    summary = re.search(r'<ul class="evidence-summary".*?</ul>', content, re.S).group()
    assert re.findall(r'href="\?page=(\d)#grade-([\w-]+)">(\d+) claims<', summary) == [
        ("1", "strong", "45"),
        ("1", "moderate", "20"),
        ("2", "limited", "40"),
    ]


def test_condition_map_claims_are_newest_article_first_within_a_grade_and_never_repeat(client, big_map):
    seen = []
    for page in (1, 2, 3):
        content = get(client, f"{big_map.get_absolute_url()}?page={page}").text
        seen += [int(pk) for pk in re.findall(r'href="/articles/[\w-]+/#claim-(\d+)"', content)]

    claims = Claim.objects.filter(condition=big_map).select_related("article", "evidence_status")
    expected = sorted(claims, key=lambda c: (c.evidence_status.rank, -c.article.published_at.timestamp(), c.start))
    assert seen == [claim.pk for claim in expected]


def test_condition_map_page_links_keep_the_other_query_parameters(client, big_map):
    content = get(client, f"{big_map.get_absolute_url()}?ref=newsletter&page=2").text

    assert 'href="?ref=newsletter&amp;page=1" rel="prev"' in content
    assert 'href="?ref=newsletter&amp;page=3" rel="next"' in content
    assert 'href="?ref=newsletter&amp;page=2#grade-limited"' in content


def test_a_short_condition_map_has_no_page_links(client, reviewer):
    condition = ConditionFactory()
    fill_condition_map(condition, reviewer, [("strong", 3)])

    content = get(client, condition.get_absolute_url()).text

    assert 'class="pagination"' not in content
    assert "Claims 1 to" not in content


# Every list ------------------------------------------------------------------------------------


@pytest.fixture
def lists(reviewer):
    """Two pages of every paginated list."""
    publish(51, reviewer)
    condition = ConditionFactory(name="Asthma", slug="asthma")
    fill_condition_map(condition, reviewer, [("strong", 55)])
    return ["/", f"/tags/{TAG}/", "/conditions/", condition.get_absolute_url()]


def test_page_links_of_every_list_keep_the_other_query_parameters(client, lists):
    for url in lists:
        content = get(client, f"{url}?utm_source=feed&page=2").text
        assert 'href="?utm_source=feed&amp;page=1" rel="prev"' in content, url


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "999999", "9" * 40, "lastpage"])
def test_a_page_that_does_not_exist_is_not_found_on_every_list(client, lists, page):
    for url in lists:
        response = client.get(f"{url}?page={page}")
        assert response.status_code == 404, url
        assert "Page not found" in response.text


def test_the_first_and_last_pages_of_every_list_can_be_asked_for_by_name(client, lists):
    for url in lists:
        assert get(client, f"{url}?page=").context["page_obj"].number == 1, url
        last = get(client, f"{url}?page=last").context["page_obj"]
        assert last.number == last.paginator.num_pages > 1, url


def test_search_answers_a_page_that_does_not_exist_with_its_nearest_page(client, editor):
    for n in range(12):
        ArticleFactory(author=editor, title=f"Pangolin scales {n}")

    assert get(client, "/search/?q=pangolin&page=abc").context["page_obj"].number == 1
    assert get(client, "/search/?q=pangolin&page=999999").context["page_obj"].number == 2


def test_list_pages_for_staff_show_only_published_articles(client, editor, reviewer):
    publish(1, reviewer)
    draft = ArticleFactory(author=editor, status="draft", title="Unfinished draft")
    draft.tags.add(TAG)
    client.force_login(editor)

    for url in ("/", f"/tags/{TAG}/"):
        assert "Unfinished draft" not in get(client, url).text
