import pytest

from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def test_home_page_queries_do_not_grow_with_its_articles(client, editor, django_assert_max_num_queries):
    for _ in range(6):
        ClaimFactory(article=ArticleFactory(author=editor))
    with django_assert_max_num_queries(5):
        response = client.get("/")
    assert response.text.count('class="article-card"') == 6
