"""Stored article pages: one row read per request, rebuilt by every kind of change that shows on it."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from taggit.models import Tag

from articles.models import Article, ArticleRevision
from articles.services import article_mark_reviewed, article_update
from claims import pages
from claims.models import ArticlePage, Claim, ClaimDecision, Condition, EvidenceStatus
from claims.pages import stored as page_store
from claims.services import claim_approve, claim_decide
from claims.tasks import rebuild_stale_pages
from claims.text.anchoring import anchor_at
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, SourceFactory, evidence, published
from tests.helpers import article_page, byline, run_tasks

pytestmark = pytest.mark.django_db


def stored(article):
    """The stored page as the database holds it, never rebuilt by reading it."""
    return ArticlePage.objects.get(article=article)


def whole(page):
    """The stored whole page as text."""
    return page.page


# Query counts at any number of claims -----------------------------------------------------------


def article_with_claims(author, reviewer, count):
    """A published article of `count` sentences, each with one claim; every other claim approved."""
    body = "\n\n".join(f"Treatment {n} probably eases symptom {n} in adults." for n in range(count))
    article = ArticleFactory(author=author, body=body)
    text = article.body_text
    conditions = [ConditionFactory() for _ in range(5)]
    grade = evidence("moderate")
    now = timezone.now()
    claims = []
    for number, sentence in enumerate(article.sentences()):
        approved = number % 2 == 0
        claim = Claim(
            article=article,
            condition=conditions[number % 5],
            evidence_status=grade,
            created_by=author,
            last_changed_by=author,
            explanation="Several trials.",
            review_state=Claim.ReviewState.APPROVED if approved else Claim.ReviewState.PENDING,
            reviewed_by=reviewer if approved else None,
            reviewed_at=now if approved else None,
        )
        claim.set_anchor(anchor_at(text, sentence.start, sentence.end))
        claims.append(claim)
    claims = Claim.objects.bulk_create(claims)
    sources = [SourceFactory() for _ in range(3)]
    Claim.sources.through.objects.bulk_create(
        Claim.sources.through(claim_id=claim.pk, source_id=sources[index % 3].pk) for index, claim in enumerate(claims)
    )
    published(article)
    return article


@pytest.mark.parametrize("count", [10, 100, 1000])
def test_article_page_reads_a_constant_number_of_queries(
    client, editor, reviewer, count, django_assert_max_num_queries
):
    article = article_with_claims(editor, reviewer, count)
    page_store.build(article.pk)

    with django_assert_max_num_queries(4):
        text = article_page(client, article)

    assert text.count('class="badge ') == count
    assert text.count('class="badge badge--review"') == count // 2
    assert text.count('class="evidence-note"') == count


@pytest.mark.parametrize("count", [10, 100, 1000])
def test_a_signed_in_editor_reads_the_page_in_as_few_queries(
    editor_client, editor, reviewer, count, django_assert_max_num_queries
):
    article = article_with_claims(editor, reviewer, count)
    page_store.build(article.pk)

    with django_assert_max_num_queries(4):
        text = article_page(editor_client, article)

    assert text.count('class="badge ') == count


@pytest.mark.parametrize("count", [10, 1000])
def test_a_stale_page_is_rebuilt_in_a_constant_number_of_queries(
    client, editor, reviewer, count, django_assert_max_num_queries
):
    article = article_with_claims(editor, reviewer, count)

    # Never built before: the row is created too, and each write runs in a savepoint of its own; the
    # change list reads the published revisions and their claims' grades (two queries at any length); the
    # author, named on a page for the first time, is given a profile (four queries, once).
    with django_assert_max_num_queries(20):
        text = article_page(client, article)

    assert text.count('class="badge ') == count
    assert stored(article).is_fresh


# Every kind of change rebuilds the stored page as it commits ---------------------------------------


@pytest.fixture
def built(article, reviewer, django_capture_on_commit_callbacks):
    """An article with one approved claim, its page built."""
    with django_capture_on_commit_callbacks(execute=True):
        claim = ClaimFactory(article=article, sentence=1)
        claim_approve(claim=claim, reviewer=reviewer)
        published(article)
    assert stored(article).is_fresh
    return claim


def rebuilt_by(change, article, capture):
    """Run `change` as one committed transaction, then publish the draft (the fixture shortcut `published`)
    when the change was to the draft; return the stored page as its rebuild left it."""
    before = stored(article)
    with capture(execute=True) as callbacks:
        change()
        published(article)
    after = stored(article)
    assert callbacks, "the change scheduled no rebuild"
    assert after.is_fresh
    assert after.generation > before.generation
    return after


def test_a_new_claim_rebuilds_the_page(built, article, editor, django_capture_on_commit_callbacks):
    page = rebuilt_by(
        lambda: ClaimFactory(article=article, sentence=2, created_by=editor),
        article,
        django_capture_on_commit_callbacks,
    )
    assert page.claim_count == 2
    assert "Under review" in page.body_html


def test_deleting_a_claim_rebuilds_the_page(built, article, django_capture_on_commit_callbacks):
    page = rebuilt_by(built.delete, article, django_capture_on_commit_callbacks)
    assert page.claim_count == 0
    assert 'class="badge' not in page.body_html


def test_an_approval_rebuilds_the_page(article, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim = ClaimFactory(article=article, sentence=1)
    assert "Under review" in stored(article).body_html

    approve = lambda: claim_approve(claim=claim, reviewer=reviewer)  # noqa: E731
    page = rebuilt_by(approve, article, django_capture_on_commit_callbacks)
    assert "Strong evidence" in page.body_html and "Under review" not in page.body_html
    assert f"Reviewed by {reviewer.get_full_name()}" in page.notes_html


@pytest.mark.parametrize("decision", [ClaimDecision.Decision.CHANGES_REQUESTED, ClaimDecision.Decision.REJECTED])
def test_a_decision_against_an_approved_claim_rebuilds_the_page(
    built, article, second_reviewer, decision, django_capture_on_commit_callbacks
):
    page = rebuilt_by(
        lambda: claim_decide(claim=built, reviewer=second_reviewer, decision=decision, comment="Too strong."),
        article,
        django_capture_on_commit_callbacks,
    )
    assert "Limited evidence" not in page.body_html and "Under review" in page.body_html


def test_an_approval_on_a_published_article_leaves_readers_page_as_it_was(
    article, editor, reviewer, django_capture_on_commit_callbacks
):
    # Readers' page shows the claims published with the live revision: a decision on the draft's claim changes
    # none of it, so the page is neither marked nor rebuilt, and nothing is queued to rebuild it.
    with django_capture_on_commit_callbacks(execute=True):
        claim = ClaimFactory(article=article, sentence=1, created_by=editor)
    before = stored(article)
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(claim=claim, reviewer=reviewer)
    page = stored(article)
    assert (page.generation, page.built_at) == (before.generation, before.built_at) and page.is_fresh
    assert "Under review" in page.body_html  # the live revision has the claim under review
    assert not DBTaskResult.objects.filter(task_path="claims.tasks.rebuild_article_pages").exists()


def test_an_approval_on_a_draft_never_published_marks_its_page_and_a_worker_rebuilds_it(
    editor, reviewer, django_capture_on_commit_callbacks
):
    article = ArticleFactory(author=editor, status=Article.Status.DRAFT)
    claim = ClaimFactory(article=article, sentence=1, created_by=editor)
    pages.build(article.pk)  # staff's preview of the draft built it
    before = stored(article).generation
    DBTaskResult.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(claim=claim, reviewer=reviewer)

    page = stored(article)
    assert page.generation == before + 1 and not page.is_fresh, "not rebuilt in the reviewer's request"
    [queued] = DBTaskResult.objects.filter(task_path="claims.tasks.rebuild_article_pages")
    run_tasks()
    page = stored(article)
    assert page.is_fresh and "Under review" not in page.body_html  # the draft's page shows the approval
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL and queued.return_value == {"built": [article.pk]}


def test_a_draft_edit_of_a_published_article_leaves_readers_page_but_a_new_slug_marks_it(
    article, editor, client, django_capture_on_commit_callbacks
):
    pages.build(article.pk)
    before = stored(article)
    DBTaskResult.objects.all().delete()
    draft = Article.objects.get(pk=article.pk)
    draft.body += "\n\nA sentence only the draft has."
    with django_capture_on_commit_callbacks(execute=True):
        article_update(article=draft, user=editor)
    assert (stored(article).generation, stored(article).built_at) == (before.generation, before.built_at)
    assert not DBTaskResult.objects.exists()

    draft = Article.objects.get(pk=article.pk)
    draft.slug = "a-new-address"
    with django_capture_on_commit_callbacks(execute=True):
        article_update(article=draft, user=editor)
    assert not stored(article).is_fresh, "marked, and not rebuilt in the editor's request"
    [queued] = DBTaskResult.objects.all()
    assert (queued.task_path, queued.args_kwargs["args"]) == ("claims.tasks.rebuild_article_pages", [[article.pk]])
    page = article_page(client, draft)  # its next reader has it rebuilt, at the new address
    assert "/articles/a-new-address/" in page and "A sentence only the draft has." not in page


def test_an_edit_of_the_article_body_rebuilds_the_page(built, article, django_capture_on_commit_callbacks):
    def edit():
        article.body = "## A new opening\n\nA brand new first paragraph.\n\n" + article.body
        article.save()

    page = rebuilt_by(edit, article, django_capture_on_commit_callbacks)
    assert "A brand new first paragraph." in page.body_html
    # The claim followed its sentence (re-anchored by an UPDATE that sends no signals) and so did its badge.
    built.refresh_from_db()
    assert f'id="claim-{built.pk}"' in page.body_html
    assert page.body_html.index("A brand new first paragraph.") < page.body_html.index(f'id="claim-{built.pk}"')


def test_an_edit_that_removes_a_claimed_sentence_takes_its_badge_away(
    built, article, django_capture_on_commit_callbacks
):
    def edit():
        article.body = "Only one sentence is left, and it is about something else entirely."
        article.save()

    page = rebuilt_by(edit, article, django_capture_on_commit_callbacks)
    assert page.claim_count == 0 and 'class="badge' not in page.body_html


def test_a_changed_evidence_grade_rebuilds_the_page(built, article, editor, django_capture_on_commit_callbacks):
    def regrade():
        built.evidence_status = evidence("strong")
        built.last_changed_by = editor
        built.review_state = Claim.ReviewState.PENDING
        built.save()

    page = rebuilt_by(regrade, article, django_capture_on_commit_callbacks)
    assert "Under review" in page.body_html


def test_new_sources_rebuild_the_page(built, article, django_capture_on_commit_callbacks):
    source = SourceFactory(title="A large trial of rehabilitation")
    page = rebuilt_by(lambda: built.sources.add(source), article, django_capture_on_commit_callbacks)
    assert "A large trial of rehabilitation" in page.notes_html


def test_a_source_cited_from_its_own_side_rebuilds_the_page(built, article, django_capture_on_commit_callbacks):
    source = SourceFactory(title="Cited from the source's side")
    page = rebuilt_by(lambda: source.claims.add(built), article, django_capture_on_commit_callbacks)
    assert "Cited from the source&#x27;s side" in page.notes_html


def test_a_retitled_source_rebuilds_the_page(built, article, django_capture_on_commit_callbacks):
    source = built.sources.get()

    def retitle():
        source.title = "The corrected trial title"
        source.save()

    page = rebuilt_by(retitle, article, django_capture_on_commit_callbacks)
    assert "The corrected trial title" in page.notes_html


def test_reworded_evidence_status_rebuilds_the_page(built, article, django_capture_on_commit_callbacks):
    status = EvidenceStatus.objects.get(slug="strong")

    def reword():
        status.badge_text = "Some evidence"
        status.save()

    page = rebuilt_by(reword, article, django_capture_on_commit_callbacks)
    assert "Some evidence" in page.body_html and "Strong evidence" not in page.body_html


def test_a_renamed_condition_rebuilds_the_page(built, article, django_capture_on_commit_callbacks):
    condition = Condition.objects.get(pk=built.condition_id)

    def rename():
        condition.name = "Idiopathic pulmonary fibrosis (renamed)"
        condition.save()

    page = rebuilt_by(rename, article, django_capture_on_commit_callbacks)
    assert "Idiopathic pulmonary fibrosis (renamed)" in page.notes_html


def test_a_reviewer_who_changes_their_name_rebuilds_the_page(
    built, article, reviewer, django_capture_on_commit_callbacks
):
    def rename():
        reviewer.first_name, reviewer.last_name = "Dr Sam", "Okafor"
        reviewer.save()

    page = rebuilt_by(rename, article, django_capture_on_commit_callbacks)
    assert "Reviewed by Dr Sam Okafor" in page.notes_html


def test_signing_in_does_not_rebuild_pages(built, article, reviewer, client, django_capture_on_commit_callbacks):
    before = stored(article).generation
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(reviewer)
    assert stored(article).generation == before


def test_a_new_article_has_its_page_built(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(author=editor, body="A first sentence.")
    page = stored(article)
    assert page.is_fresh and "A first sentence." in page.body_html


# Never served stale ------------------------------------------------------------------------------


def test_a_page_whose_rebuild_never_ran_is_rebuilt_when_read(built, article, client, second_reviewer):
    # The change commits but its rebuild is lost (the callbacks are not run): the row stays stale...
    claim_decide(
        claim=built, reviewer=second_reviewer, decision=ClaimDecision.Decision.REJECTED, comment="No evidence."
    )
    published(article)
    assert not stored(article).is_fresh

    # ...and the next reader gets the new state, not the stored old one.
    text = article_page(client, article)
    assert "Under review" in text and "Limited evidence</a>" not in text
    assert stored(article).is_fresh


def test_an_older_build_never_overwrites_a_newer_one(built, article):
    page = stored(article)
    newer = page.generation + 2
    ArticlePage.objects.filter(pk=page.pk).update(generation=newer, built_generation=newer, body_html="newer")
    # A build that read an older generation finds a newer build stored and writes nothing.
    ArticlePage.objects.filter(pk=page.pk).update(generation=newer + 1)
    page_store.build(article.pk)
    assert stored(article).body_html != "newer"
    assert stored(article).built_generation == newer + 1


@pytest.fixture
def many_sharing_a_status(editor, reviewer, django_capture_on_commit_callbacks):
    """More published articles than are rebuilt as a change commits, each with a claim graded "strong"."""
    articles = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(page_store.REBUILD_AT_ONCE + 2):
            article = ArticleFactory(author=editor)
            claim = ClaimFactory(article=article, sentence=1)
            claim_approve(claim=claim, reviewer=reviewer)
            published(article)
            articles.append(article)
    # Setting them up told their authors of each approval and sign-off: those e-mail tasks are not what is tested.
    DBTaskResult.objects.all().delete()
    return articles


def reword_strong(django_capture_on_commit_callbacks):
    status = EvidenceStatus.objects.get(slug="strong")
    with django_capture_on_commit_callbacks(execute=True):
        status.badge_text = "Some evidence"
        status.save()


def test_a_change_to_a_status_many_articles_share_leaves_them_to_be_rebuilt_on_reading(
    many_sharing_a_status, client, django_capture_on_commit_callbacks
):
    articles = many_sharing_a_status

    reword_strong(django_capture_on_commit_callbacks)

    # No worker has run: every page is stale, and its next reader has it rebuilt.
    assert all(not stored(a).is_fresh for a in articles)
    assert "Some evidence" in article_page(client, articles[-1])
    assert stored(articles[-1]).is_fresh


def test_a_change_to_a_status_many_articles_share_has_a_worker_rebuild_them_in_batches(
    many_sharing_a_status, monkeypatch, django_capture_on_commit_callbacks
):
    articles = many_sharing_a_status
    monkeypatch.setattr(pages, "REBUILD_BATCH", 10)

    reword_strong(django_capture_on_commit_callbacks)
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "claims.tasks.rebuild_stale_pages"
    assert all(not stored(a).is_fresh for a in articles), "nothing is rebuilt in the editor's request"

    run_tasks()

    assert all(stored(a).is_fresh and "Some evidence" in stored(a).notes_html for a in articles)
    runs = DBTaskResult.objects.order_by("finished_at")
    # 27 pages, 10 at a time: the third batch finds fewer than 10 and enqueues no fourth.
    assert sorted(run.return_value["built"] for run in runs) == [7, 10, 10]
    assert all(run.status == TaskResultStatus.SUCCESSFUL for run in runs)


def test_with_the_immediate_backend_a_change_many_articles_share_rebuilds_them_as_it_commits(
    many_sharing_a_status, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    reword_strong(django_capture_on_commit_callbacks)

    assert all(stored(a).is_fresh and "Some evidence" in stored(a).notes_html for a in many_sharing_a_status)
    assert not DBTaskResult.objects.exists()


def test_rebuilding_stale_pages_again_builds_nothing_and_changes_nothing(
    many_sharing_a_status, django_capture_on_commit_callbacks
):
    articles = many_sharing_a_status
    reword_strong(django_capture_on_commit_callbacks)
    run_tasks()
    before = {a.pk: (stored(a).built_generation, stored(a).page) for a in articles}

    result = rebuild_stale_pages.enqueue()
    run_tasks()

    assert DBTaskResult.objects.get(id=result.id).return_value["built"] == 0
    assert {a.pk: (stored(a).built_generation, stored(a).page) for a in articles} == before


def test_the_rebuild_command_builds_stale_and_missing_pages(built, article, editor, second_reviewer):
    other = ArticleFactory(author=editor)
    ArticlePage.objects.filter(article=other).delete()
    claim_decide(claim=built, reviewer=second_reviewer, decision=ClaimDecision.Decision.REJECTED, comment="No.")
    published(article)

    out = io.StringIO()
    call_command("rebuild_article_pages", stdout=out)

    assert stored(article).is_fresh and "Under review" in stored(article).body_html
    assert stored(other).is_fresh
    assert out.getvalue() == "Built 2 article pages.\n"


# The whole page, stored for readers -------------------------------------------------------------


def test_readers_get_the_same_page_as_staff_rendering_it(built, article, second_reviewer, editor_client):
    article_mark_reviewed(article=article, reviewer=second_reviewer)
    page_store.build(article.pk)

    with CaptureQueriesContext(connection) as queries:
        stored_page = article_page(Client(), article)
    assert len(queries) == 1
    # The same page, but for the templates' indentation and blank lines, which the stored page leaves
    # out, and the line telling staff they see the live page where the reader's page keeps its placeholder.
    staff_page = article_page(editor_client, article)
    staff_line = re.compile(r'<p class="notice notice--live" role="status">.*?</p>')
    assert staff_line.search(staff_page) and "<!--staff-switch:" in stored_page
    assert page_store._without_indentation(staff_line.sub("", staff_page)) == page_store._without_indentation(
        re.sub(r"<!--staff-switch:\d+:\d+-->", "", stored_page)
    )


def test_every_reader_gets_the_same_page_naming_the_sites_address_whatever_host_they_asked(
    built, article, client, settings
):
    settings.ALLOWED_HOSTS = ["health.example", "www.health.example"]
    settings.SITE_URL = "https://health.example"
    pages.rebuild_all(stale_only=False)
    path = article.get_absolute_url()

    first = client.get(path, HTTP_HOST="health.example").content
    second = client.get(path, HTTP_HOST="www.health.example").content

    assert first == second == stored(article).page.encode()
    assert f'"url":"https://health.example{path}"' in first.decode()
    assert "www.health.example" not in first.decode()


def test_the_day_after_the_review_falls_due_readers_are_told_it_is_overdue(
    built, article, client, monkeypatch, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        article.next_review_due = today
        article.save()
    assert stored(article).valid_until == today
    assert "review is overdue" not in article_page(client, article)

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=1))

    assert "review is overdue" in article_page(client, article)
    assert stored(article).valid_until is None  # overdue until the article changes: nothing more to wait for


def test_new_templates_or_static_files_rebuild_the_page_when_read(built, article, client, monkeypatch):
    monkeypatch.setattr(page_store, "layout_version", lambda: "a-new-deployment")

    article_page(client, article)

    assert stored(article).layout == "a-new-deployment"


def test_draft_and_archived_articles_are_never_served_from_a_stored_page(built, article, editor_client):
    client = Client()
    live = ArticleRevision.objects.get(article=article, is_live=True)
    ArticleRevision.objects.filter(pk=live.pk).update(is_live=False)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Preview: this article is draft" in article_page(editor_client, article)

    ArticleRevision.objects.filter(pk=live.pk).update(is_live=True)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED, archived_at=timezone.now())
    assert client.get(article.get_absolute_url()).status_code == 404


def test_new_topics_rebuild_the_page(built, article, django_capture_on_commit_callbacks):
    page = rebuilt_by(lambda: article.tags.add("Lung health"), article, django_capture_on_commit_callbacks)
    assert ">Lung health</a>" in whole(page)


def test_a_renamed_topic_rebuilds_the_page(built, article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article.tags.add("Lung health")
    tag = Tag.objects.get(name="Lung health")

    def rename():
        tag.name = "Lungs and breathing"
        tag.save()

    page = rebuilt_by(rename, article, django_capture_on_commit_callbacks)
    assert ">Lungs and breathing</a>" in whole(page)


def test_a_medical_reviewer_who_changes_their_name_rebuilds_the_page(
    built, article, second_reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article_mark_reviewed(article=article, reviewer=second_reviewer)

    def rename():
        second_reviewer.first_name, second_reviewer.last_name = "Dr Ana", "Lopes"
        second_reviewer.save()

    page = rebuilt_by(rename, article, django_capture_on_commit_callbacks)
    assert f"Medically reviewed by {byline(second_reviewer, 'Dr Ana Lopes')}" in whole(page)


def test_indentation_inside_an_articles_code_block_is_kept(editor, client):
    article = ArticleFactory(author=editor, body="Run this:\n\n```\ndef main():\n    return 1\n```\n")

    assert "def main():\n    return 1" in article_page(client, article)
    assert "    return 1" in whole(stored(article))
