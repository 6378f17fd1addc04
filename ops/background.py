"""Background tasks: retried with backoff when they fail, enqueued without ever failing an editor's request.

The project's tasks are in claims/tasks.py and run through Django's Tasks API (the django-tasks
backport; `settings.TASKS`, chosen by TASKS_BACKEND): by default they wait in the database for
`manage.py db_worker`, or in Redis for `manage.py rqworker` on several machines. Each task is
idempotent, so running it twice gives the same outcome as running it once:
- `retrying_task` declares a task that, when it raises, is enqueued again to run later, the wait
  doubling at each attempt, up to a bounded number of attempts; every failure is logged;
- `step_done` and `record_step` keep which steps of a task are done (`ops.models.TaskStep`), for
  a task whose steps must not be repeated, such as sending an email;
- `enqueue_quietly` enqueues from where a failure must not reach the person waiting (a commit at
  the end of an editor's request): it logs instead of raising.
"""

import datetime
import functools
import logging

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from .models import TaskStep

logger = logging.getLogger(__name__)

ATTEMPTS = 5
FIRST_WAIT = datetime.timedelta(seconds=30)


def backoff(attempt, first_wait=FIRST_WAIT) -> datetime.timedelta:
    """How long to wait before the attempt after `attempt` (1 for the first): `first_wait`, doubled each time."""
    return first_wait * 2 ** (attempt - 1)


def retrying_task(*, attempts=ATTEMPTS, first_wait=FIRST_WAIT, **task_options):
    """Declare a task (as `django_tasks.task` does) that is retried with backoff when it raises.

    The task takes one more keyword argument, `attempt` (1 when first enqueued). When an attempt
    raises, the same task is enqueued again with the same arguments, to run `backoff(attempt)`
    later (or later still when the error carries a `retry_after` in seconds, as a service's 429
    answer does), and the error is raised on, so the backend records this attempt as failed. After
    `attempts` attempts it is logged as given up. A backend that cannot run a task later (the
    immediate one) does not retry.
    """

    def declare(function):
        @functools.wraps(function)
        def run(*args, attempt=1, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception as error:
                _retry(declared, args, kwargs, attempt, error, attempts=attempts, first_wait=first_wait)
                raise

        declared = task(**task_options)(run)
        return declared

    return declare


def _retry(declared, args, kwargs, attempt, error, *, attempts, first_wait):
    name = declared.name
    if attempt >= attempts:
        logger.error("Task %s failed on attempt %d of %d and is given up: %r", name, attempt, attempts, error)
        return
    if not declared.get_backend().supports_defer:
        logger.error("Task %s failed and is not retried (its backend cannot run it later): %r", name, error)
        return
    wait = backoff(attempt, first_wait)
    asked = getattr(error, "retry_after", None)
    if isinstance(asked, (int, float)) and asked > wait.total_seconds():
        wait = datetime.timedelta(seconds=asked)
    later = declared.using(run_after=timezone.now() + wait)
    if enqueue_quietly(later, *args, attempt=attempt + 1, **kwargs) is not None:
        logger.warning(
            "Task %s failed on attempt %d of %d, runs again in %d s: %r",
            name,
            attempt,
            attempts,
            wait.total_seconds(),
            error,
        )


def enqueue_quietly(declared, *args, **kwargs):
    """Enqueue a task; if the queue cannot take it (Redis down, database busy), log it and return None."""
    try:
        return declared.enqueue(*args, **kwargs)
    except Exception:
        logger.exception("Task %s could not be enqueued.", declared.name)
        return None


def enqueue_on_commit(declared, *args, **kwargs) -> None:
    """Enqueue a task once the current transaction commits (at once outside one), never raising."""
    transaction.on_commit(functools.partial(enqueue_quietly, declared, *args, **kwargs))


def step_done(key) -> bool:
    """Whether the step named `key` was recorded as done by an earlier run."""
    return TaskStep.objects.filter(key=key).exists()


def record_step(key) -> None:
    """Record the step named `key` as done; recording it twice is harmless."""
    try:
        with transaction.atomic():
            TaskStep.objects.get_or_create(key=key)
    except (IntegrityError, DatabaseError):
        logger.warning("Task step %s could not be recorded; a later run may do it again.", key, exc_info=True)
