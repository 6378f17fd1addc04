"""Each change readers can see sends, once it commits and from the task queue, purges of exactly the public
addresses it alters; a cache that does not answer never fails the editor's request and the purge is retried."""

import pytest
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from articles.services import article_update
from claims import pages
from claims.models import Condition, EvidenceStatus
from claims.publishing import article_publish, article_sign_off, draft_digest
from claims.services import claim_approve
from ops.purge import RecordingBackend
from people.profiles import profile_for
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, SourceFactory, evidence, published
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording(settings, monkeypatch):
    settings.PURGE_BACKEND = "recording"
    monkeypatch.setattr(RecordingBackend, "recorded", [])
    return RecordingBackend.recorded


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the change leaves for its commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def sent(recording):
    """Every path purged by the tasks waiting now, in one set."""
    run_tasks()
    return {path for purge in recording for path in purge.paths}


@pytest.fixture
def live(editor, reviewer, recording, committed):
    """A published article on the topic "lungs" with an approved claim about lung scarring; nothing purged yet."""
    with committed():
        article = ArticleFactory(author=editor, slug="stem-cells")
        article.tags.add("lungs")
        claim = ClaimFactory(article=article, condition=ConditionFactory(slug="lung-scarring"), live=False)
        claim_approve(claim=claim, reviewer=reviewer)
        published(article)
    run_tasks()
    recording.clear()
    return article


def addresses_of(article, *conditions, people=()):
    return {
        "/",
        "/conditions/",
        "/feed/",
        "/sitemap.xml",
        f"/articles/{article.slug}/",
        f"/api/articles/{article.slug}.json",
        *(f"/tags/{tag.slug}/" for tag in article.tags.all()),
        *(f"/conditions/{slug}/" for slug in conditions),
        *(profile_for(person).get_absolute_url() for person in people),
    }


def test_an_approval_published_purges_the_article_its_json_its_maps_lists_feed_sitemap_and_people(
    live, editor, reviewer, recording, committed
):
    with committed():
        claim = ClaimFactory(article=live, sentence=2, condition=ConditionFactory(slug="asthma"), live=False)
        claim_approve(claim=claim, reviewer=reviewer)
        published(live)

    assert sent(recording) == addresses_of(live, "lung-scarring", "asthma", people=[editor])
    assert len(recording) == 1  # one purge for the whole change


def test_publishing_through_the_gate_purges_the_new_article_and_names_its_medical_reviewer(
    editor, reviewer, recording, committed
):
    with committed():
        article = ArticleFactory(author=editor, status=Article.Status.DRAFT, slug="new-one", body="Plain words.\n")
        article_sign_off(article=article, reviewer=reviewer, seen_digest=draft_digest(article))
    assert sent(recording) == set()  # a sign-off shows readers nothing while the article is unpublished

    with committed():
        article_publish(article=Article.objects.get(pk=article.pk), user=editor)

    assert sent(recording) == addresses_of(article, people=[editor, reviewer])


def test_a_claim_moved_off_a_condition_purges_the_map_it_left(live, reviewer, recording, committed):
    with committed():
        claim = live.claims.get()
        claim.condition = ConditionFactory(slug="asthma")
        claim.save()
        claim_approve(claim=claim, reviewer=reviewer)
        published(live)

    assert {"/conditions/lung-scarring/", "/conditions/asthma/"} <= sent(recording)


def test_a_draft_never_published_purges_nothing(editor, recording, committed):
    with committed():
        article = ArticleFactory(author=editor, status=Article.Status.DRAFT)
        ClaimFactory(article=article)
        article.title = "A new title"
        article.save()

    assert sent(recording) == set()


def test_a_condition_renamed_purges_its_map_and_the_pages_of_articles_about_it(live, recording, committed):
    with committed():
        condition = Condition.objects.get(slug="lung-scarring")
        condition.name = "Pulmonary fibrosis"
        condition.save()

    assert sent(recording) == addresses_of(live, "lung-scarring", people=[live.author])


def test_a_condition_no_article_shows_purges_only_its_own_page(recording, committed):
    condition = ConditionFactory(slug="rare-thing")
    with committed():
        condition.description = "Rarely seen."
        condition.save()

    assert sent(recording) == {"/conditions/rare-thing/"}


def test_an_evidence_status_edited_purges_the_legend_and_every_page_with_its_grade(live, recording, committed):
    with committed():
        status = EvidenceStatus.objects.get(pk=live.claims.get().evidence_status_id)
        status.description = "Several good trials agree."
        status.save()

    assert sent(recording) == {"/evidence/"} | addresses_of(live, "lung-scarring", people=[live.author])


def test_a_source_edited_purges_the_pages_citing_it_and_an_uncited_one_nothing(live, recording, committed):
    with committed():
        source = live.claims.get().sources.get()
        source.title = "A corrected title"
        source.save()
    assert f"/articles/{live.slug}/" in sent(recording)
    uncited = SourceFactory()
    recording.clear()

    with committed():
        uncited.title = "Nobody cites this"
        uncited.save()

    assert sent(recording) == set()


def test_a_change_to_more_pages_than_are_rebuilt_at_once_purges_everything(editor, recording, committed):
    grade = evidence("limited")
    for _ in range(pages.REBUILD_AT_ONCE + 1):
        ClaimFactory(article=ArticleFactory(author=editor), evidence_status=grade)
    with committed():
        grade.description = "Some evidence."
        grade.save()

    run_tasks()
    assert any(purge.everything for purge in recording)


def test_a_change_rolled_back_purges_nothing(live, recording, committed):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        live.title = "Never saved"
        live.save()
        raise RuntimeError

    assert sent(recording) == set()


def test_no_purge_is_enqueued_without_a_backend(live, settings, committed):
    settings.PURGE_BACKEND = "none"
    DBTaskResult.objects.all().delete()
    with committed():
        live.title = "A new title"
        live.save()
    assert not DBTaskResult.objects.filter(task_path__endswith="purge_public_pages").exists()


def test_a_cache_that_does_not_answer_fails_no_request_and_the_purge_is_tried_again(
    live, settings, editor_client, committed, caplog
):
    settings.PURGE_BACKEND = "varnish"
    settings.PURGE_VARNISH_URLS = ["http://127.0.0.1:9"]  # nothing listens on the discard port
    tag = live.tags.get()
    DBTaskResult.objects.all().delete()

    with committed():
        response = editor_client.post(f"/admin/taggit/tag/{tag.pk}/change/", {"name": "Lungs", "slug": "lungs"})
    assert response.status_code == 302
    run_tasks()

    tasks = DBTaskResult.objects.filter(task_path__endswith="purge_public_pages").order_by("enqueued_at")
    assert tasks.first().status == TaskResultStatus.FAILED
    assert tasks.filter(status=TaskResultStatus.READY).count() == 1  # the retry, waiting for its time
    assert "could not be reached" in caplog.text


def test_each_purge_is_sent_again_later_for_a_page_fetched_as_the_change_committed(live, recording, committed, clock):
    with committed():
        live.title = "A new title"
        live.save()
    first = sent(recording)
    assert f"/articles/{live.slug}/" in first
    recording.clear()
    assert sent(recording) == set()  # not yet: the second purge waits

    clock(0, seconds=pages.purge.SECOND_PURGE.total_seconds() + 1)
    assert sent(recording) == first
    recording.clear()
    clock(0, seconds=3600)
    assert sent(recording) == set()  # and only once more


def test_a_new_slug_purges_the_old_page_and_json_addresses_as_well_as_the_new(live, editor, recording, committed):
    article = Article.objects.get(pk=live.pk)
    with committed():
        article.slug = "stem-cell-therapy"
        article_update(article=article, user=editor)

    paths = sent(recording)
    assert {"/articles/stem-cells/", "/api/articles/stem-cells.json"} <= paths
    assert {"/articles/stem-cell-therapy/", "/api/articles/stem-cell-therapy.json"} <= paths


def test_a_new_slug_of_an_article_never_published_purges_nothing(editor, recording, committed):
    article = ArticleFactory(author=editor, slug="a-draft", status=Article.Status.DRAFT)
    article = Article.objects.get(pk=article.pk)
    with committed():
        article.slug = "a-draft-renamed"
        article.save()

    assert sent(recording) == set()
