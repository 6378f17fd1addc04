"""The background tasks through RQ on the machine's Redis (database 14), as several machines run them.

Redis must answer: `.ci/run` starts it. One test, since it empties database 14 and the suite's workers
run tests side by side.
"""

import datetime

import django_rq
import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_rq import Job
from rq import SimpleWorker
from rq.registry import ScheduledJobRegistry

from claims.services import claim_approve
from claims.tasks import send_review_reminders
from ops.background import FIRST_WAIT
from tests.factories import ClaimFactory, ReviewerFactory
from tests.helpers import REFUSES_BEN

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/1"  # no cache test uses it (tests/conftest.py machine_redis_url)


@pytest.fixture
def rq_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    queue = django_rq.get_queue("default", job_class=Job)
    queue.connection.flushdb()
    yield queue
    queue.connection.flushdb()


def work(queue):
    """Run what the queue holds in this process, as `manage.py rqworker --job-class django_tasks_rq.Job` would."""
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


def due_claim(reviewer):
    claim = claim_approve(claim=ClaimFactory(), reviewer=reviewer)
    type(claim).objects.filter(pk=claim.pk).update(next_review_due=timezone.localdate())


def test_reminders_go_through_rq_once_each_and_a_failure_is_retried_later(rq_queue, settings):
    ana = ReviewerFactory(username="ana", first_name="Dr Ana", last_name="Abara", email="ana@example.org")
    ben = ReviewerFactory(username="ben", first_name="Dr Ben", last_name="Bell", email="ben@example.org")
    due_claim(ana)
    today = timezone.localdate().isoformat()

    result = send_review_reminders.enqueue(days=0, today=today)
    assert result.status == TaskResultStatus.READY and mail.outbox == []
    work(rq_queue)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value["sent"] == 1
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]

    # Run again the same day, Ben now due too, and his address refused: Ana is not emailed twice...
    due_claim(ben)
    settings.EMAIL_BACKEND = REFUSES_BEN
    before = timezone.now()
    failing = send_review_reminders.enqueue(days=0, today=today)
    work(rq_queue)

    failing.refresh()
    assert failing.status == TaskResultStatus.FAILED
    assert len(mail.outbox) == 1
    # ...and the task is back in Redis, set to run once the first wait has passed.
    scheduled = ScheduledJobRegistry(queue=rq_queue)
    [retry_id] = scheduled.get_job_ids()
    retry = Job.fetch(retry_id, connection=rq_queue.connection)
    assert retry.kwargs == {"days": 0, "today": today, "attempt": 2}
    wait = scheduled.get_scheduled_time(retry) - before
    assert FIRST_WAIT - datetime.timedelta(seconds=1) <= wait <= FIRST_WAIT + datetime.timedelta(seconds=5)
