"""Every way an article is saved raises its version by one, so that any form opened before is refused."""

import threading
import time

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse

from articles.imports import article_import
from articles.models import Article
from articles.services import article_archive, article_mark_reviewed, article_restore
from articles.versioning import EditConflict, take_version
from tests.factories import ARTICLE_BODY, ArticleFactory, EditorFactory, ReviewerFactory
from tests.helpers import version_of

OTHER_BODY = ARTICLE_BODY.replace("may be safe", "seemed safe")


@pytest.mark.django_db
def test_a_new_article_starts_at_version_one_and_each_save_adds_one(editor):
    article = ArticleFactory(author=editor)
    assert article.version == version_of(article) == 1

    article.title = "Renamed"
    article.save()
    article.save(update_fields=["title"])

    assert article.version == version_of(article) == 3
    assert [row.version for row in article.history.order_by("history_date", "history_id")] == [1, 2, 3]


@pytest.mark.django_db
def test_a_save_from_an_old_copy_still_raises_the_stored_version_rather_than_writing_its_own(editor):
    article = ArticleFactory(author=editor)
    old_copy = Article.objects.get(pk=article.pk)
    article.save()
    article.save()

    old_copy.save()

    assert old_copy.version == version_of(article) == 4


@pytest.mark.django_db
def test_an_imported_article_starts_at_version_one(editor):
    result = article_import(text="Stem cells and lungs\n\nStem cells may help lungs.\n", author=editor)

    assert version_of(result.article) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "service",
    [
        pytest.param(lambda article, user: article_mark_reviewed(article=article, reviewer=user), id="medical review"),
        pytest.param(lambda article, user: article_archive(article=article, user=user), id="archive"),
    ],
)
def test_each_service_raises_the_version_by_one_even_from_an_old_copy(editor, service):
    article = ArticleFactory(author=editor)
    old_copy = Article.objects.get(pk=article.pk)
    article.save()

    service(old_copy, ReviewerFactory())

    assert version_of(article) == 3


@pytest.mark.django_db
def test_restoring_raises_the_version(editor):
    article = article_archive(article=ArticleFactory(author=editor), user=editor)

    article_restore(article=article, user=editor)

    assert version_of(article) == 3


@pytest.mark.django_db
def test_reverting_from_the_history_page_raises_the_version(editor, editor_client):
    article = ArticleFactory(author=editor)
    first = article.history.get()
    article.body = OTHER_BODY
    article.save()

    editor_client.post(reverse("admin:articles_article_history_revert", args=[article.pk, first.history_id]))

    assert Article.objects.get(pk=article.pk).body == ARTICLE_BODY
    assert version_of(article) == 3


@pytest.mark.django_db
def test_the_bulk_archive_action_raises_each_version(editor):
    articles = [ArticleFactory(author=editor) for _ in range(2)]
    client = Client()
    client.force_login(editor)

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "archive_selected", "_selected_action": [a.pk for a in articles]},
    )

    assert [version_of(a) for a in articles] == [2, 2]


@pytest.mark.django_db
def test_the_database_refuses_a_version_below_one(editor):
    article = ArticleFactory(author=editor)

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(version=0)


@pytest.mark.django_db
def test_taking_a_version_that_moved_on_is_refused_and_changes_nothing(editor):
    article = ArticleFactory(author=editor)
    article.save()

    with pytest.raises(EditConflict):
        take_version(Article.objects.get(pk=article.pk), 1)

    assert version_of(article) == 2


# Two saves of the same version at the same moment ------------------------------------------------


SQLITE_ATTEMPTS = 400


def take_retrying_sqlite_locks(article, expected, hold):
    """take_version then a save, in one transaction; retried while SQLite refuses a second writer."""
    for _ in range(SQLITE_ATTEMPTS):
        try:
            with transaction.atomic():
                copy = Article.objects.get(pk=article.pk)
                take_version(copy, expected)
                time.sleep(hold)  # keep the row while the other save tries
                copy.title = f"Saved holding it {hold}s"
                copy.save()
            return "saved"
        except EditConflict:
            return "refused"
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.005)
    raise AssertionError("SQLite stayed locked")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_saves_of_the_same_version_at_the_same_moment_exactly_one_is_written():
    """On PostgreSQL the second UPDATE waits for the first to commit and then matches no row."""
    article = ArticleFactory(author=EditorFactory())
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def save(hold):
        try:
            barrier.wait(timeout=10)
            outcomes.append(take_retrying_sqlite_locks(article, 1, hold))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(hold,)) for hold in (0.3, 0.0)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert sorted(outcomes) == ["refused", "saved"]
    stored = Article.objects.get(pk=article.pk)
    assert stored.version == 2
    assert stored.history.count() == 2
