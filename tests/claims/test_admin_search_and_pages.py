"""The claim lists' search and pages as a million claims need them, finding the same rows as Django's own.

The search asks each related field of its own table (articles/admin/lists.py `RelatedSearchMixin`), so that on
PostgreSQL every condition is on the claims table and its indexes answer it; a page's rows are found by their
keys first (`KeysFirstPaginator`), so that the rows skipped before a deep page are never read whole.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.sites import site
from django.test import RequestFactory

from articles.admin.lists import KeysFirstPaginator
from claims.models import Claim, ReviewQueueClaim
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, SourceFactory

pytestmark = pytest.mark.django_db

CLAIMS = "/admin/claims/claim/"
QUEUE = "/admin/claims/reviewqueueclaim/"


@pytest.fixture
def claims(editor):
    aspirin = ArticleFactory(author=editor, title="Aspirin and the lung")
    other = ArticleFactory(author=editor, title="Breathing exercises")
    lupus = ConditionFactory(name="Lupus nephritis", slug="lupus-nephritis")
    return {
        "by_title": ClaimFactory(article=aspirin, sentence=1),
        "by_condition": ClaimFactory(article=other, sentence=1, condition=lupus),
        "by_explanation": ClaimFactory(article=other, sentence=3, explanation="One aspirin trial in people."),
        "by_quote": ClaimFactory(article=other, sentence=4),  # "Pulmonary rehabilitation probably improves …"
        "unmatched": ClaimFactory(article=other, sentence=5, explanation="Nothing to find."),
    }


def django_search(model_admin, request, term):
    """The rows Django's own admin search finds: an OR of `icontains` over the joined fields, per word."""
    queryset = model_admin.get_queryset(request)
    found, _ = admin.ModelAdmin.get_search_results(model_admin, request, queryset, term)
    return set(found.values_list("pk", flat=True))


def listed(response):
    return [claim.pk for claim in response.context["cl"].result_list]


@pytest.mark.parametrize(
    "term",
    [
        "aspirin",  # an article's title and an explanation
        "ASPIRIN lung",  # every word must be found, in any field
        "nephritis",  # a condition's name
        "rehabilitation",  # a claim's words
        '"aspirin trial"',  # a quoted phrase is one word
        "lupus aspirin",  # two words found only in different claims: none
        "quokka",
        "50%",  # LIKE's own characters are words like any other
    ],
)
def test_the_claim_list_finds_what_djangos_search_finds(client, superuser, claims, term):
    client.force_login(superuser)
    request = RequestFactory().get(CLAIMS, {"q": term})
    request.user = superuser
    expected = django_search(site._registry[Claim], request, term)
    response = client.get(CLAIMS, {"q": term})
    assert response.status_code == 200
    assert set(listed(response)) == expected


def test_the_searches_find_each_kind_of_match(client, superuser, claims):
    client.force_login(superuser)
    assert set(listed(client.get(CLAIMS, {"q": "aspirin"}))) == {claims["by_title"].pk, claims["by_explanation"].pk}
    assert set(listed(client.get(CLAIMS, {"q": "Nephritis"}))) == {claims["by_condition"].pk}
    assert set(listed(client.get(QUEUE, {"q": "aspirin"}))) == {claims["by_title"].pk}  # the queue: no explanation
    assert set(listed(client.get(QUEUE, {"q": "lupus"}))) == {claims["by_condition"].pk}
    assert listed(client.get(CLAIMS, {"q": "quokka"})) == []


def test_the_queue_finds_what_djangos_search_finds(client, reviewer, claims):
    client.force_login(reviewer)
    for term in ("aspirin", "nephritis lupus", "rehabilitation", "quokka"):
        request = RequestFactory().get(QUEUE, {"q": term})
        request.user = reviewer
        expected = django_search(site._registry[ReviewQueueClaim], request, term)
        assert set(listed(client.get(QUEUE, {"q": term}))) == expected


# Pages --------------------------------------------------------------------------------------------


def test_each_page_holds_the_rows_the_lists_order_puts_there(client, superuser, editor, monkeypatch):
    articles = [ArticleFactory(author=editor) for _ in range(3)]
    for article in articles:
        for sentence in (1, 2, 3):
            ClaimFactory(article=article, sentence=sentence, sources=[SourceFactory()])
    monkeypatch.setattr(site._registry[Claim], "list_per_page", 4)
    client.force_login(superuser)
    first = client.get(CLAIMS)
    ordered = list(first.context["cl"].queryset.values_list("pk", flat=True))
    assert len(ordered) == 9
    pages = [listed(client.get(CLAIMS, {"p": number})) for number in (1, 2, 3)]
    assert pages == [ordered[0:4], ordered[4:8], ordered[8:9]]
    # Sorted by a column, newest review first or by words, the pages follow that order.
    for column in ("1", "-1", "2"):
        ordered = list(client.get(CLAIMS, {"o": column}).context["cl"].queryset.values_list("pk", flat=True))
        assert [pk for number in (1, 2, 3) for pk in listed(client.get(CLAIMS, {"o": column, "p": number}))] == ordered


def test_the_paginator_slices_what_it_cannot_find_by_keys(editor):
    article = ArticleFactory(author=editor)
    for sentence in (1, 2, 3):
        ClaimFactory(article=article, sentence=sentence)
    ordered = Claim.objects.order_by("start", "pk")
    assert list(KeysFirstPaginator(ordered, 2).page(2).object_list) == list(ordered[2:3])
    distinct = Claim.objects.order_by("start", "pk").distinct()
    assert list(KeysFirstPaginator(distinct, 2).page(1).object_list) == list(ordered[0:2])
    plain = list(ordered)
    assert KeysFirstPaginator(plain, 2).page(2).object_list == plain[2:3]
