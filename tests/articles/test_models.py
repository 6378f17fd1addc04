import pytest
from django.db import IntegrityError

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_saving_stores_sanitised_html_and_plain_text(article):
    assert article.body_html.startswith("<h2>Stem cells and lung scarring</h2>")
    assert "Antifibrotic medicines slow" in article.body_text
    assert "##" not in article.body_text


def test_publishing_stamps_the_publication_date(editor):
    draft = ArticleFactory(author=editor, status=Article.Status.DRAFT)
    assert draft.published_at is None
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert draft.published_at is not None


def test_published_queryset_excludes_drafts_and_articles_in_review(editor):
    published = ArticleFactory(author=editor)
    ArticleFactory(author=editor, status=Article.Status.DRAFT)
    ArticleFactory(author=editor, status=Article.Status.IN_REVIEW)
    assert list(Article.objects.published()) == [published]


def test_database_refuses_an_author_as_medical_reviewer(article):
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(medical_reviewer=article.author, last_reviewed="2026-01-01")
