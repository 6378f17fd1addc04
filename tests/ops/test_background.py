"""Background tasks through the database queue: retried with backoff, bounded, and steps done only once."""

import datetime
import logging

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ops.background import backoff, enqueue_on_commit, record_step, retrying_task, step_done
from ops.models import TaskStep
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db

calls = []
failures = {"left": 0}


@retrying_task(attempts=3, first_wait=datetime.timedelta(seconds=10))
def flaky(*, label):
    """Fails while `failures["left"]` says so, then succeeds."""
    calls.append(label)
    if failures["left"]:
        failures["left"] -= 1
        raise ConnectionError("the far end hung up")
    return f"done {label}"


@pytest.fixture(autouse=True)
def no_calls_yet():
    calls.clear()
    failures["left"] = 0


def results():
    """The results in the database queue, by attempt (the clock stands still, so they share a time)."""
    return sorted(DBTaskResult.objects.all(), key=lambda result: result.args_kwargs["kwargs"].get("attempt", 1))


def test_a_task_enqueued_runs_once_on_the_worker():
    flaky.enqueue(label="a")
    assert calls == []

    run_tasks()

    [result] = results()
    assert calls == ["a"]
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == "done a"


def test_a_failing_task_runs_again_later_the_wait_doubling_each_time(clock, caplog):
    failures["left"] = 2
    start = clock(0)
    flaky.enqueue(label="b")

    with caplog.at_level(logging.WARNING, logger="ops.background"):
        run_tasks()
    first, retry = results()
    assert first.status == TaskResultStatus.FAILED
    assert retry.status == TaskResultStatus.READY and retry.args_kwargs["kwargs"] == {"label": "b", "attempt": 2}
    assert retry.run_after == start + datetime.timedelta(seconds=10)
    assert "failed on attempt 1 of 3, runs again in 10 s" in caplog.text

    run_tasks()  # not yet its time
    assert calls == ["b"]

    clock(0, seconds=10)
    run_tasks()
    second_retry = results()[-1]
    assert calls == ["b", "b"]
    assert second_retry.run_after == start + datetime.timedelta(seconds=10 + 20)

    clock(0, seconds=30)
    run_tasks()
    assert calls == ["b", "b", "b"]
    assert [result.status for result in results()] == [
        TaskResultStatus.FAILED,
        TaskResultStatus.FAILED,
        TaskResultStatus.SUCCESSFUL,
    ]


def test_a_task_that_keeps_failing_is_given_up_after_its_attempts(clock, caplog):
    failures["left"] = 100
    flaky.enqueue(label="c")

    with caplog.at_level(logging.WARNING, logger="ops.background"):
        for seconds in (0, 10, 30, 70, 150):
            clock(0, seconds=seconds)
            run_tasks()

    assert calls == ["c", "c", "c"]
    assert all(result.status == TaskResultStatus.FAILED for result in results())
    assert "failed on attempt 3 of 3 and is given up" in caplog.text


def test_the_wait_doubles_from_the_first():
    first = datetime.timedelta(seconds=30)
    assert [backoff(attempt, first).total_seconds() for attempt in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_a_task_enqueued_on_commit_is_not_queued_by_a_transaction_rolled_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(flaky, label="kept")
    with django_capture_on_commit_callbacks(execute=False):
        enqueue_on_commit(flaky, label="rolled back")

    assert [result.args_kwargs["kwargs"] for result in results()] == [{"label": "kept"}]


def test_enqueueing_when_the_queue_cannot_take_it_is_logged_not_raised(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionError("queue unreachable")

    monkeypatch.setattr(DBTaskResult.objects, "create", refuse)
    with caplog.at_level(logging.ERROR, logger="ops.background"), django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(flaky, label="lost")

    assert "could not be enqueued" in caplog.text


def test_a_step_is_recorded_once_however_often_it_is_recorded():
    assert not step_done("report:2026-01-05")

    record_step("report:2026-01-05")
    record_step("report:2026-01-05")

    assert step_done("report:2026-01-05")
    assert TaskStep.objects.filter(key="report:2026-01-05").count() == 1
