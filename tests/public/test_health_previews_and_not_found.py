"""The public views outside the article page: health check, staff previews and the 404 page."""

import pytest
from django.db import DatabaseError
from django.test import Client

from articles import views
from articles.models import Article
from articles.services import article_archive
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


class BrokenConnection:
    """A database connection whose every cursor fails, as when the database is down."""

    def cursor(self):
        raise DatabaseError("connection refused")


def test_healthz_answers_ok_with_a_short_body_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.strip() == b"ok"
    assert len(response.content) < 20


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    monkeypatch.setattr(views, "connection", BrokenConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert b"database unavailable" in response.content
    assert len(response.content) < 100


def test_staff_can_preview_a_draft_with_a_preview_notice(editor_client, editor):
    draft = ArticleFactory(author=editor, status=Article.Status.DRAFT, title="Work in progress on fibrosis")

    response = editor_client.get(draft.get_absolute_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert "Work in progress on fibrosis" in content
    assert "Preview: this article is draft and not visible to the public." in content


def test_a_published_article_has_no_preview_notice_for_staff(editor_client, article):
    response = editor_client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "not visible to the public" not in response.content.decode()


def test_staff_see_an_archived_published_article_marked_as_hidden_from_the_public(editor_client, editor):
    archived = article_archive(article=ArticleFactory(author=editor, title="Old news on fibrosis"), user=editor)

    content = editor_client.get(archived.get_absolute_url()).content.decode()

    assert "Preview: this article is archived and not visible to the public." in content
    assert Client().get(archived.get_absolute_url()).status_code == 404  # a reader who is not signed in


def test_anonymous_readers_cannot_preview_a_draft(client, editor):
    draft = ArticleFactory(author=editor, status=Article.Status.DRAFT)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_an_unknown_slug_gives_the_styled_404_page(client):
    response = client.get("/articles/no-such-article/")

    assert response.status_code == 404
    content = response.content.decode()
    assert '<h1 class="page-title">Page not found</h1>' in content
    assert "We could not find that page." in content
    assert 'href="/"' in content


def test_an_overdue_review_is_announced_plainly_on_the_article(client, article, reviewer):
    import datetime

    from articles.models import Article

    Article.objects.filter(pk=article.pk).update(
        medical_reviewer=reviewer,
        last_reviewed=datetime.date(2024, 1, 10),
        next_review_due=datetime.date(2025, 1, 10),
    )
    page = client.get(article.get_absolute_url()).text
    assert "This article's medical review is overdue." in page
    assert "It was due on 10 January 2025" in page


def test_staff_on_a_live_page_are_told_it_is_the_live_revision_and_can_switch_to_the_draft(editor_client, article):
    url = article.get_absolute_url()

    staff = editor_client.get(url)
    reader = Client().get(url)

    content = staff.content.decode()
    assert "You are viewing the live page</strong>, revision 1" in content
    assert f'href="{url}?draft=1">View the draft</a>' in content
    assert f'href="/admin/articles/article/{article.pk}/change/">Edit the draft</a>' in content
    assert "no-cache" in staff["Cache-Control"] and "private" in staff["Cache-Control"]
    assert "You are viewing" not in reader.content.decode()

    draft = editor_client.get(url + "?draft=1").content.decode()
    assert "You are viewing the draft." in draft and f'href="{url}">View the live page</a>' in draft
