import pytest

from claims.services import claim_approve
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_article_page_queries_do_not_grow_with_its_claims(client, article, reviewer, django_assert_max_num_queries):
    for index in range(1, 6):
        claim = ClaimFactory(article=article, sentence=index, sources=[SourceFactory(), SourceFactory()])
        if index % 2:
            claim_approve(claim=claim, reviewer=reviewer)
    with django_assert_max_num_queries(4):
        response = client.get(article.get_absolute_url())
    assert response.text.count('class="badge ') == 5


def test_home_page_queries_do_not_grow_with_its_articles(client, editor, django_assert_max_num_queries):
    for _ in range(6):
        ClaimFactory(article=ArticleFactory(author=editor))
    with django_assert_max_num_queries(5):
        response = client.get("/")
    assert response.text.count('class="article-card"') == 6
