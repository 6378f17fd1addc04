"""The read-only JSON export of a published article."""

import pytest
from django.urls import reverse

from articles.models import Article
from claims.models import Claim
from claims.services import claim_approve
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, SourceFactory, published
from tests.helpers import rejected_claim

pytestmark = pytest.mark.django_db


def export_url(article):
    return reverse("claims:article-json", kwargs={"slug": article.slug})


def test_export_url_ends_in_json():
    assert export_url(ArticleFactory(slug="lungs")) == "/api/articles/lungs.json"


def test_export_gives_the_article_and_its_public_claims(client, reviewer):
    condition = ConditionFactory(name="Idiopathic pulmonary fibrosis", slug="ipf")
    source = SourceFactory(identifier="24836312", title="A trial", year=2014)
    approved = claim_approve(claim=ClaimFactory(condition=condition, sentence=1, sources=[source]), reviewer=reviewer)
    article = approved.article
    article.tags.add("lung disease")
    pending = ClaimFactory(article=article, condition=condition, sentence=2)
    rejected = rejected_claim(reviewer, article=article, condition=condition, sentence=3)
    orphaned = ClaimFactory(article=article, condition=condition, sentence=4)
    Claim.objects.filter(pk=orphaned.pk).update(is_orphaned=True)
    published(article)  # readers see the draft as it now stands: the orphaned claim is left out

    response = client.get(export_url(article))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {
        "title", "slug", "url", "standfirst", "status", "published_at", "updated_at",
        "last_reviewed", "next_review_due", "medical_reviewer", "tags", "claims", "references",
    }  # fmt: skip
    assert data["slug"] == article.slug
    assert data["url"] == "http://testserver" + article.get_absolute_url()
    assert data["status"] == "published"
    assert data["tags"] == ["lung disease"]
    assert data["medical_reviewer"] is None
    # A rejected claim whose sentence is still there is published under review: listed ungraded, never dropped
    # as if it were fact.
    assert [c["id"] for c in data["claims"]] == [approved.pk, pending.pk, rejected.pk]
    first, second, third = data["claims"]
    assert first["quote"] == approved.quote
    assert first["start"] == approved.start
    assert first["condition"] == {"name": condition.name, "slug": "ipf", "icd10": "J84.1", "mesh": "D054990"}
    assert first["evidence"] == {"name": "Strong", "slug": "strong", "rank": 10, "symbol": "●●●●"}
    assert first["review_state"] == "approved"
    assert first["next_review_due"] == approved.next_review_due.isoformat()
    assert first["sources"] == [
        {
            "kind": "pmid",
            "identifier": "24836312",
            "url": source.url,
            "title": "A trial",
            "authors": "",
            "journal": "",
            "year": 2014,
            "design": "unknown",
            "design_words": "Study design not known",
            "links": [{"name": "PubMed", "url": source.url}],
            "retracted_on": None,
            "concern_on": None,
            "trial_stopped": None,
            "warning": None,
        }
    ]
    assert first["warning"] is None and first["under_review_reason"] is None
    assert first["explanation"] == approved.explanation
    for unapproved in (second, third):
        assert unapproved["review_state"] == "under_review"
        assert unapproved["evidence"] is None
        assert unapproved["under_review_reason"] == "not_approved"
        assert unapproved["sources"] == []  # it cites one, but nobody has approved it
        assert unapproved["explanation"] is None
        assert unapproved["reviewed_at"] is None and unapproved["next_review_due"] is None


def test_export_of_a_draft_or_unknown_article_is_not_found(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)

    assert client.get(export_url(draft)).status_code == 404
    assert client.get(reverse("claims:article-json", kwargs={"slug": "no-such-article"})).status_code == 404


def test_export_queries_do_not_grow_with_claims(client, reviewer, django_assert_max_num_queries):
    article = ArticleFactory()
    article.tags.add("lungs", "stem cells")
    for index in range(1, 5):
        claim = ClaimFactory(article=article, sentence=index, sources=[SourceFactory(), SourceFactory()])
        if index % 2:
            claim_approve(claim=claim, reviewer=reviewer)

    # Rendered, then stored (claims.pages.lists): the read with the content generation, the render lock taken
    # and released (two statements), and the write in its savepoint; the next reading is the stored export,
    # one query.
    with django_assert_max_num_queries(4 + 4 + 2):
        response = client.get(export_url(article))
    with django_assert_max_num_queries(1):
        again = client.get(export_url(article))

    assert len(response.json()["claims"]) == 4
    assert again.content == response.content and again["Content-Type"] == "application/json"
