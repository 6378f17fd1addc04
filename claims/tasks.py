"""The site's background tasks: work too slow for an editor's request, or that runs on a schedule.

Each is declared with `ops.background.retrying_task`: a failed attempt runs again later, the wait
doubling, up to five attempts, and is logged. Each is idempotent: run twice (a retry, two workers,
two periodic runs) it leaves the same outcome as run once. A worker runs them (`manage.py db_worker`,
or `rqworker` with TASKS_BACKEND=rq); `manage.py enqueue_periodic` enqueues the periodic ones.

- `send_review_reminders`: each reviewer's list of reviews due, emailed at most once a day
  (`manage.py claims_due --email`); each review due within 14 days or overdue is also a notification
  (`claims.notices.reviews_due`), once while due and once when overdue.
- `rebuild_stale_pages`: every stale article page rebuilt, a batch per run, after a change to a word
  many pages share (`claims.pages.mark_stale_articles`) or after a release; its first batch also prunes the
  stored list pages not read at the current content generation for a week (`claims.pages.lists.prune`).
- `rebuild_article_pages`: the pages an editor's save or a review decision made stale, rebuilt after the
  request (`claims.pages.mark_stale_later`, `mark_draft_stale`), unless a reader rebuilt them first.
- `write_integrity_report`: the whole site's integrity report, written to a file in REPORTS_DIR
  (`manage.py integrity_report --enqueue`).
- `publish_due_revisions`: the scheduled revisions whose time has come, published through the gate
  (`claims.publishing.publish_scheduled`).
- `look_up_source`: a PubMed ID, DOI or NCT number looked up at its service and stored
  (`claims.source_metadata.look_up`), enqueued when the source is created or an editor asks again;
  a timeout, a 5xx or a 429 is retried (a 429 no sooner than its Retry-After).
- `watch_evidence`: a batch of cited sources looked up again, the one checked longest ago first
  (`claims.evidence_watch.watch`); what became of them is recorded as events and raises alerts.
- `purge_public_pages`: the cache in front of the site (Varnish, a CDN) told to drop the public pages a
  committed change altered (`claims.pages.purge`, through `ops.purge`); retried while the cache does not answer.
- `email_evidence_alert`: an alert told to the claim's reviewer, once, through their notifications (alerts
  raised now are told at once by `claims.notices.evidence_alert`; the task runs those queued before).
"""

import datetime
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date

from ops.background import enqueue_quietly, retrying_task

from . import evidence_watch, notices, pages, source_metadata
from .pages import purge
from .publishing import publish_scheduled
from .reminders import due_reviews, send_reminders
from .reports import report_text, site_report, write_report_csv

logger = logging.getLogger(__name__)


@retrying_task()
def send_review_reminders(*, days=30, today=None) -> dict:
    """Email each reviewer the reviews due within `days` days of `today` (an ISO date; by default today).

    A reviewer already emailed that day is not emailed again; when some emails fail, the task fails
    once the others are sent, and its retry emails only those not sent yet.
    """
    day = parse_date(today) if today else timezone.localdate()
    due = due_reviews(day, days)
    told = notices.reviews_due(due)
    logger.info("Review reminders: %d notifications of reviews due within 14 days or overdue.", told)
    sending = send_reminders(due)
    for note in sending.notes:
        logger.info("Review reminders: %s", note)
    logger.info("Review reminders: %d sent.", sending.sent)
    if sending.failed:
        raise RuntimeError("Could not email " + "; ".join(sending.failed))
    return {"sent": sending.sent, "not_emailed": sending.notes}


@retrying_task()
def rebuild_stale_pages(*, after=0) -> dict:
    """Rebuild the stale article pages, REBUILD_BATCH of them beyond primary key `after`, then enqueue the next batch.

    A page already current is not rebuilt, so a second run finds nothing to do. The first batch (`after` 0)
    first deletes the stored list pages left unread (`pages.lists.prune`), so a nightly run keeps that table
    to the addresses readers still ask for.
    """
    if after == 0:
        pruned = pages.lists.prune()
        logger.info("Pruned %d stored list pages not read at the current content generation.", pruned)
    built = pages.rebuild_stale(after=after, limit=pages.REBUILD_BATCH)
    if len(built) == pages.REBUILD_BATCH:
        enqueue_quietly(rebuild_stale_pages, after=built[-1])
    logger.info("Rebuilt %d stale article pages after article %d.", len(built), after)
    return {"built": len(built), "last": built[-1] if built else after}


@retrying_task()
def rebuild_article_pages(article_ids) -> dict:
    """Rebuild the pages of these articles that are stale or missing, after an edit of their drafts.

    Enqueued when an editor's save or a review decision commits (`pages.mark_stale_later`,
    `pages.mark_draft_stale`), so that the request never waits for a long page; a page already current
    (its next reader got there first) is not built again.
    """
    built = pages.rebuild_if_stale(article_ids)
    logger.info("Rebuilt %d of %d article pages after an edit.", len(built), len(article_ids))
    return {"built": built}


REPORT_FORMATS = {"text": "txt", "csv": "csv"}


def report_path(day, output_format="text") -> Path:
    return Path(settings.REPORTS_DIR) / f"integrity-report-{day.isoformat()}.{REPORT_FORMATS[output_format]}"


@retrying_task()
def write_integrity_report(*, output_format="text", today=None) -> str:
    """Write the whole site's integrity report to REPORTS_DIR, one file a day, replaced whole by a later run."""
    day = parse_date(today) if today else timezone.localdate()
    report = site_report()
    path = report_path(day, output_format)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside it, then renamed: whoever opens the file finds the old report or the new, never half of one.
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".integrity-report-")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
            if output_format == "csv":
                admin_url = lambda article: reverse("admin:articles_article_change", args=[article.pk])  # noqa: E731
                write_report_csv(report, out, admin_url)
            else:
                out.write(report_text(report))
        os.chmod(temporary, 0o640)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    logger.info("Integrity report written to %s.", path)
    return str(path)


@retrying_task()
def publish_due_revisions() -> dict:
    """Publish every scheduled revision whose time has come, checking the gate again for each.

    A revision published, or refused and taken off the schedule, is no longer due: a second run finds none.
    """
    handled = publish_scheduled(now=timezone.now())
    published, refused = [], []
    for revision, blockers in handled:
        name = f"“{revision.article.title}”, revision {revision.number}"
        if blockers:
            refused.append(name)
            logger.warning("Not published: %s: %s", name, " ".join(blocker.text for blocker in blockers))
        else:
            published.append(name)
            logger.info("Published: %s", name)
    return {"published": published, "refused": refused}


@retrying_task(first_wait=datetime.timedelta(minutes=1))
def look_up_source(source_id) -> str:
    """Look the source up at PubMed, Crossref or ClinicalTrials.gov and store what was found; the outcome.

    A failure a retry may help (a timeout, a 5xx, a 429) raises, so the task runs again later; not
    found, an unreadable or oversized answer are stored as the outcome and not retried. Run again on
    the same answer, it changes nothing.
    """
    return source_metadata.look_up(source_id)


@retrying_task()
def watch_evidence(*, batch=evidence_watch.WATCH_BATCH) -> dict:
    """Look up again the `batch` cited sources checked longest ago; how many of each outcome.

    A source that fails is stored as failed and checked again first by the next run.
    """
    outcomes = evidence_watch.watch(batch)
    logger.info("Evidence watch: %s", outcomes)
    return outcomes


@retrying_task()
def email_evidence_alert(alert_id) -> str:
    """Tell an evidence alert's reviewer through their notifications; once, however often the task runs."""
    return evidence_watch.email_alert(alert_id)


@retrying_task(first_wait=datetime.timedelta(seconds=5))
def purge_public_pages(*, article_ids=(), paths=(), everything=False, again=True) -> dict:
    """Tell the cache in front of the site to drop the public pages of these articles, these paths, or every page.

    Sent a second time SECOND_PURGE_SECONDS later (`again`): a page the cache was fetching from the site when the
    change committed, read before it, may be stored after the first purge.
    """
    sent = purge.send(article_ids=article_ids, paths=paths, everything=everything)
    if again and purge_public_pages.get_backend().supports_defer:
        later = purge_public_pages.using(run_after=timezone.now() + purge.SECOND_PURGE)
        enqueue_quietly(later, paths=list(sent.paths), everything=sent.everything, again=False)
    return {"everything": sent.everything, "paths": list(sent.paths)}
