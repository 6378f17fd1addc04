"""The editorial admin's busiest pages make the same queries with five claims as with sixty.

Each page is read once with a few claims and again after many more were added, on other articles,
about other conditions, by other editors, with their own sources and decisions: a column or panel
that read one row at a time would add queries the second time. Both reads stay within the budget
the admin is held to at 100,000 claims (bench/admin.py times them there).
"""

import datetime
import re

import pytest
from django.urls import reverse

from claims.models import Claim
from claims.services import claim_approve, claim_decide, claim_submit
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, EditorFactory, SourceFactory

pytestmark = pytest.mark.django_db

# The bell's unread count is read with the signed-in user (notifications.backends); an article's or a claim's page reads
# its comment threads only when it has some (whether it has is read with it).
MAX_QUERIES = 10
FEW, MANY = 5, 60
CLAIM_LINK = re.compile(r"/admin/claims/claim/\d+/change/")
SENTENCES = 6  # claimable units of the factories' article: a heading, three sentences, two list items


@pytest.fixture
def signed_in(client, request):
    """The client signed in as the role the test is parametrised with."""

    def sign_in(role):
        client.force_login(request.getfixturevalue(role))
        return client

    return sign_in


def page_queries(client, url, django_assert_max_num_queries):
    client.get(url)  # once first: what the process reads once and keeps (content types) is not the page's
    with django_assert_max_num_queries(MAX_QUERIES) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def add_claims(count, second_reviewer, offset=0):
    """Claims on articles of their own, each by its own editor, about its own condition, in every state.

    Every third one went back to its editor once before being submitted again, so that the queue
    shows an earlier decision; every fourth is approved.
    """
    claims = []
    for n in range(offset, offset + count):
        editor = EditorFactory()
        claim = ClaimFactory(
            article=ArticleFactory(author=editor),
            sentence=1 + n % 3,
            condition=ConditionFactory(slug=f"scale-{n}"),
            review_state=Claim.ReviewState.DRAFT,
            sources=[SourceFactory(), SourceFactory()],
        )
        claim_submit(claim=claim, user=editor)
        if n % 3 == 0:
            claim_decide(claim=claim, reviewer=second_reviewer, decision="changes_requested", comment="Name it.")
            claim_submit(claim=claim, user=editor)
        if n % 4 == 1:
            claim_approve(claim=claim, reviewer=second_reviewer)
        claims.append(claim)
    return claims


@pytest.mark.parametrize("role", ["reviewer", "superuser"])
@pytest.mark.parametrize(
    "page",
    [
        "admin:claims_claim_changelist",
        "admin:claims_reviewqueueclaim_changelist",
        "admin:claims_orphanedclaim_changelist",
    ],
)
def test_claim_lists_make_as_many_queries_for_sixty_claims_as_for_five(
    signed_in, role, page, second_reviewer, django_assert_max_num_queries
):
    client = signed_in(role)
    url = reverse(page)
    add_claims(FEW, second_reviewer)
    Claim.objects.filter(pk__in=Claim.objects.order_by("pk")[:2].values("pk")).update(is_orphaned=True)
    few, _ = page_queries(client, url, django_assert_max_num_queries)

    add_claims(MANY - FEW, second_reviewer, offset=FEW)
    Claim.objects.filter(pk__in=Claim.objects.order_by("-pk")[:20].values("pk")).update(is_orphaned=True)
    many, html = page_queries(client, url, django_assert_max_num_queries)

    assert many == few
    assert len(set(CLAIM_LINK.findall(html))) > FEW  # the second read did list the new claims


@pytest.mark.parametrize("role", ["editor", "reviewer", "superuser"])
def test_the_article_page_makes_as_many_queries_for_sixty_claims_as_for_five(
    signed_in, role, editor, django_assert_max_num_queries
):
    article = ArticleFactory(author=editor, live=False)
    url = reverse("admin:articles_article_change", args=[article.pk])
    conditions = [ConditionFactory(slug=f"on-page-{n}") for n in range(MANY // SENTENCES)]

    def claim(n):
        return ClaimFactory(article=article, sentence=n % SENTENCES, condition=conditions[n // SENTENCES], live=False)

    for n in range(FEW):
        claim(n)
    client = signed_in(role)
    few, _ = page_queries(client, url, django_assert_max_num_queries)

    for n in range(FEW, MANY):
        claim(n)
    Claim.objects.filter(article=article, start=article.sentences()[1].start).update(is_orphaned=True)
    many, html = page_queries(client, url, django_assert_max_num_queries)

    assert many == few
    assert f"Sentences and claims ({MANY} claims)" in html


@pytest.mark.parametrize("role", ["editor", "reviewer", "superuser"])
def test_a_claim_page_makes_as_many_queries_on_a_long_article_with_many_sources_and_decisions(
    signed_in, role, editor, second_reviewer, django_assert_max_num_queries
):
    article = ArticleFactory(author=editor)
    plain = ClaimFactory(article=article, sentence=1, condition=ConditionFactory(slug="plain"))
    client = signed_in(role)
    few, _ = page_queries(client, plain.get_admin_url(), django_assert_max_num_queries)

    for n in range(MANY):
        ClaimFactory(article=article, sentence=n % SENTENCES, condition=ConditionFactory(slug=f"beside-{n}"))
    busy = ClaimFactory(
        article=article,
        sentence=2,
        condition=ConditionFactory(slug="busy"),
        review_state=Claim.ReviewState.DRAFT,
        sources=[SourceFactory() for _ in range(8)],
    )
    for _ in range(3):
        claim_submit(claim=busy, user=editor)
        claim_decide(claim=busy, reviewer=second_reviewer, decision="changes_requested", comment="Again.")
    claim_submit(claim=busy, user=editor)
    many, html = page_queries(client, busy.get_admin_url(), django_assert_max_num_queries)

    assert many == few
    assert html.count("Changes requested</td>") == 3  # the review history was shown


def test_the_article_list_makes_as_many_queries_for_thirty_reviewed_articles_as_for_three(
    signed_in, second_reviewer, django_assert_max_num_queries
):
    """Each row names its author and its medical reviewer: both are read with the list, never one row at a time."""
    client = signed_in("superuser")
    url = reverse("admin:articles_article_changelist")
    for _ in range(3):
        ArticleFactory(
            author=EditorFactory(), medical_reviewer=EditorFactory(), last_reviewed=datetime.date(2026, 1, 5)
        )
    few, _ = page_queries(client, url, django_assert_max_num_queries)

    for _ in range(27):
        ArticleFactory(
            author=EditorFactory(), medical_reviewer=EditorFactory(), last_reviewed=datetime.date(2026, 1, 5)
        )
    many, html = page_queries(client, url, django_assert_max_num_queries)

    assert many == few
    assert html.count("/change/") >= 30


@pytest.mark.parametrize("page", ["admin:claims_source_changelist", "admin:claims_condition_changelist"])
def test_source_and_condition_lists_count_each_rows_claims_in_as_many_queries_at_any_size(
    signed_in, page, second_reviewer, django_assert_max_num_queries
):
    client = signed_in("superuser")
    url = reverse(page)
    add_claims(FEW, second_reviewer)
    few, _ = page_queries(client, url, django_assert_max_num_queries)

    cited = SourceFactory(title="Cited by three")
    condition = ConditionFactory(name="Named by three", slug="named-by-three")
    for claim in add_claims(MANY - FEW, second_reviewer, offset=FEW)[:3]:
        claim.sources.add(cited)
        Claim.objects.filter(pk=claim.pk).update(condition=condition)
    many, _ = page_queries(client, url, django_assert_max_num_queries)
    name = "Cited by three" if page == "admin:claims_source_changelist" else "Named by three"
    html = client.get(url, {"q": name}).content.decode()

    assert many == few
    row = html[html.index("<tbody>") :].split("</tr>", 1)[0]
    assert name in row
    assert re.search(r'class="field-claims_count">3<', row), row
