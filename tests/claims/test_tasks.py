"""The periodic background tasks through the database queue: publishing scheduled revisions, and
`manage.py enqueue_periodic`, which cron or a systemd timer runs to enqueue them."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Article, ArticleRevision
from claims.publishing import article_publish, article_sign_off, draft_digest
from claims.services import claim_approve
from claims.tasks import publish_due_revisions
from tests.factories import ArticleFactory, ClaimFactory
from tests.helpers import article_page, fresh, run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(editor, reviewer, second_reviewer, clock):
    """A draft, its claim approved and signed off, scheduled to go live in two hours."""
    clock(0)
    # One health claim, and that one claimed: nothing else for the gate to hold.
    body = "## Stem cells and lung scarring\n\nAntifibrotic medicines slow the loss of lung function in IPF.\n"
    article = ArticleFactory(author=editor, status=Article.Status.DRAFT, title="Scheduled for later", body=body)
    claim_approve(claim=ClaimFactory(article=article, sentence=1), reviewer=reviewer)
    article = fresh(article)
    article_sign_off(article=article, reviewer=second_reviewer, seen_digest=draft_digest(article))
    return article_publish(article=fresh(article), user=editor, at=timezone.now() + datetime.timedelta(hours=2))


def test_the_publishing_task_publishes_a_revision_once_its_time_has_come(scheduled, clock, client):
    publish_due_revisions.enqueue()
    run_tasks()
    assert not fresh(scheduled).is_live, "not before its time"

    clock(0, seconds=2 * 3600 + 60)
    result = publish_due_revisions.enqueue()
    run_tasks()

    revision = fresh(scheduled)
    assert revision.is_live
    assert fresh(revision.article).status == Article.Status.PUBLISHED
    assert DBTaskResult.objects.get(id=result.id).return_value == {
        "published": [f"“Scheduled for later”, revision {revision.number}"],
        "refused": [],
    }
    assert "Scheduled for later" in article_page(client, revision.article)


def test_the_publishing_task_run_twice_publishes_once(scheduled, clock):
    clock(1)
    publish_due_revisions.enqueue()
    publish_due_revisions.enqueue()

    run_tasks()

    assert ArticleRevision.objects.filter(article=scheduled.article, is_live=True).get() == scheduled
    assert ArticleRevision.objects.filter(article=scheduled.article).count() == 1
    outcomes = sorted(len(run.return_value["published"]) for run in DBTaskResult.objects.all())
    assert outcomes == [0, 1]


def test_enqueue_periodic_enqueues_the_tasks_named_for_the_worker(scheduled, clock):
    clock(1)
    out = io.StringIO()
    call_command("enqueue_periodic", "publish-scheduled", "stale-pages", "publish-scheduled", stdout=out)

    queued = [run.task_path for run in DBTaskResult.objects.order_by("task_path")]
    assert queued == ["claims.tasks.publish_due_revisions", "claims.tasks.rebuild_stale_pages"]
    assert out.getvalue().count("Enqueued ") == 2
    assert not fresh(scheduled).is_live, "the command only enqueues"

    run_tasks()

    assert fresh(scheduled).is_live
    assert all(run.status == TaskResultStatus.SUCCESSFUL for run in DBTaskResult.objects.all())


def test_enqueue_periodic_enqueues_the_reminders_and_the_report_for_today(settings, tmp_path):
    settings.REPORTS_DIR = tmp_path
    call_command("enqueue_periodic", "review-reminders", "integrity-report", stdout=io.StringIO())

    today = timezone.localdate().isoformat()
    kwargs = {run.task_path: run.args_kwargs["kwargs"] for run in DBTaskResult.objects.all()}
    assert kwargs == {
        "claims.tasks.send_review_reminders": {"days": 30, "today": today},
        "claims.tasks.write_integrity_report": {"output_format": "text", "today": today},
    }
    run_tasks()
    assert (tmp_path / f"integrity-report-{today}.txt").exists()


def test_enqueue_periodic_refuses_a_name_it_does_not_know():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("enqueue_periodic", "everything", stdout=io.StringIO())
