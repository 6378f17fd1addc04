"""Admin list pages of articles and claims at scale: constant queries, and no article text read for them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from claims.models import Claim
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10
TEXT_COLUMNS = ('"body"', '"body_html"', '"body_text"')


def add_articles(count):
    for _ in range(count):
        author = EditorFactory()
        ClaimFactory(article=ArticleFactory(author=author))


@pytest.mark.parametrize("role", ["editor", "reviewer", "superuser"])
def test_the_article_list_makes_as_many_queries_for_sixty_articles_as_for_five(
    client, request, role, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(role))
    url = reverse("admin:articles_article_changelist")
    counts = []
    for count in (5, 55):
        add_articles(count)
        client.get(url)  # once first: what the process reads once and keeps is not the page's
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert response.context["cl"].result_count == 60


@pytest.mark.parametrize(
    "page",
    ["admin:articles_article_changelist", "admin:claims_claim_changelist", "admin:claims_orphanedclaim_changelist"],
)
def test_list_pages_read_no_article_text(admin_client, page):
    add_articles(3)
    Claim.objects.filter(pk=Claim.objects.first().pk).update(is_orphaned=True)
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(reverse(page))
    assert response.status_code == 200 and response.context["cl"].result_count >= 1
    read = [query["sql"] for query in captured.captured_queries if any(c in query["sql"] for c in TEXT_COLUMNS)]
    assert read == []


def test_actions_on_the_article_list_still_get_whole_articles(client, editor):
    """Leaving the text out is for showing rows: an action saving an article keeps its text."""
    article = ArticleFactory(title="Lung scarring")
    text = (article.body, article.body_html, article.body_text)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "archive_selected", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert article.archived_by == editor
    assert (article.body, article.body_html, article.body_text) == text
