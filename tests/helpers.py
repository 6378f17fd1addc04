"""Helpers that tests in several files share: clients and what a page says, rows read anew, claims made
as a reviewer makes them, publishing through the gate, calls sent from threads at the same moment, and the
background tasks queued in the database, run by a worker in this process.

Fixtures are in tests/conftest.py, model factories in tests/factories.py, and deciding on claims through
the admin as a reviewer does (reading the page's `seen` values) in tests/reviewing.py.
"""

import html
import random
import re
import smtplib
import threading
import time
from pathlib import Path
from unittest import mock

import httpx
from django.contrib.messages import get_messages
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import OperationalError, connection
from django.test import Client
from django.utils.html import escape, strip_tags
from django_tasks_db.management.commands import db_worker

from articles.models import Article
from articles.sentences import split_sentences
from claims.models import ClaimDecision
from claims.publishing import article_publish, article_sign_off, draft_digest
from claims.services import claim_approve, claim_decide
from people.models import Profile
from tests.factories import ClaimFactory, published

# Clients and pages ---------------------------------------------------------------------------------


def person_url(user) -> str:
    """The address of the user's public page, from their profile (made as the first page naming them was built)."""
    return Profile.objects.get(user=user).get_absolute_url()


def byline(user, name=None) -> str:
    """The linked name an article page gives the user in its byline, as HTML: their profile's name, escaped."""
    profile = Profile.objects.select_related("user").get(user=user)
    return f'<a href="{profile.get_absolute_url()}">{escape(profile.name if name is None else name)}</a>'


def signed_in(user):
    """A client of its own signed in as `user`, for tests in which two people act at once."""
    client = Client()
    client.force_login(user)
    return client


def page_text(response):
    """The page's words without markup, as a reader of the page gets them."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def unescaped_html(response):
    """The page's HTML with its character references decoded, so that quotes and ampersands read as typed."""
    return html.unescape(response.content.decode())


def messages_of(response):
    """The messages the site gave with the response, as text."""
    return [html.unescape(strip_tags(str(message))) for message in get_messages(response.wsgi_request)]


def opened_version(response):
    """The version a change page's form carries, read from its hidden field as a browser would."""
    match = re.search(r'name="base_version" value="(\d+)"', response.content.decode())
    assert match, "the form carries no version"
    return match.group(1)


def article_page(client, article):
    """The HTML of the article's public page as `client` gets it; the page must answer 200."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def public_page(client, article):
    """The article's public page as a reader who is not signed in gets it (`client` signs out first)."""
    client.logout()
    return article_page(client, article)


def claim_opening_tag(content, claim):
    """The opening tag of the span that wraps the claim's words on an article page."""
    match = re.search(rf'<span class="claim[^"]*" id="claim-{claim.pk}"[^>]*>', content)
    assert match, f"claim {claim.pk} is not on the page"
    return match.group(0)


# Rows and text -------------------------------------------------------------------------------------


def fresh(instance):
    """The row as the database holds it now, read anew (the object passed in is left as it was)."""
    return type(instance).objects.get(pk=instance.pk)


def version_of(instance):
    """The version number the database holds for an article or a claim."""
    return type(instance).objects.values_list("version", flat=True).get(pk=instance.pk)


def sentences_of(text):
    """The sentences the splitter finds in `text`, as strings."""
    return [text[start:end] for start, end in split_sentences(text)]


def sentence_value(sentence):
    """The value the claim form's sentence field gives the sentence ("start:end")."""
    return f"{sentence.start}:{sentence.end}"


def sign_off_and_publish(article, reviewer, *, user=None, change_note=""):
    """Sign the draft off as `reviewer` and publish it as `user` (its author unless given), through the gate."""
    article = Article.objects.get(pk=article.pk)
    article_sign_off(article=article, reviewer=reviewer, seen_digest=draft_digest(article))
    return article_publish(article=article, user=user or article.author, change_note=change_note)


def _live_again(claim):
    """On a published article, the decision reaches readers at once: the fixture shortcut `published`."""
    if claim.article.status == Article.Status.PUBLISHED:
        published(claim.article)
    return claim


def approved_claim(reviewer, *, override_reason="", **factory_kwargs):
    """A claim made by ClaimFactory(**factory_kwargs), then approved by `reviewer` through the service.

    On a published article, readers see it approved at once (tests.factories.published, bypassing the gate).
    """
    claim = ClaimFactory(**factory_kwargs)
    return _live_again(claim_approve(claim=claim, reviewer=reviewer, override_reason=override_reason))


def rejected_claim(reviewer, *, comment="Not what the trial found.", **factory_kwargs):
    """A claim made by ClaimFactory(**factory_kwargs), then rejected by `reviewer` with `comment` (live at once
    on a published article, as approved_claim)."""
    claim = ClaimFactory(**factory_kwargs)
    claim = claim_decide(claim=claim, reviewer=reviewer, decision=ClaimDecision.Decision.REJECTED, comment=comment)
    return _live_again(claim)


def graded_claim(reviewer, **factory_kwargs):
    """An approved claim that public pages show with whatever grade it has: where its wording outruns
    the grade, the reviewer gave the reason that such an approval needs."""
    return approved_claim(reviewer, override_reason="The page shows grades, whatever the wording.", **factory_kwargs)


# At the same moment --------------------------------------------------------------------------------

SQLITE_ATTEMPTS = 200


def is_sqlite_lock(error):
    """SQLite's answer to a second writer: "database is locked" (or "database table is locked" in memory)."""
    return connection.vendor == "sqlite" and "locked" in str(error)


def retrying_sqlite_locks(call, what="a write"):
    """call(), made again after a short wait while SQLite refuses it as a concurrent writer.

    PostgreSQL makes a second writer wait for the first; SQLite refuses it at once. Trying again
    serialises the two the same way, as a browser user sending a request again would. An error is
    never retried on other databases.
    """
    for _ in range(SQLITE_ATTEMPTS):
        try:
            return call()
        except OperationalError as error:
            if not is_sqlite_lock(error):
                raise
            time.sleep(random.uniform(0.002, 0.02))
    raise AssertionError(f"SQLite stayed locked for {what}")


def at_once(*calls):
    """Make each call from a thread of its own, all released together; return [(result, started, finished)].

    `started` and `finished` are time.monotonic() readings around the call. Each thread closes its own
    database connection; an error raised in any thread fails the test.
    """
    barrier = threading.Barrier(len(calls))
    outcomes, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            started = time.monotonic()
            result = call()
            outcomes[index] = (result, started, time.monotonic())
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a call never finished"
    assert not errors, errors
    return outcomes


# Background tasks ----------------------------------------------------------------------------------


def run_tasks():
    """Run every task ready in the database queue, as `manage.py db_worker --batch` does, in this process.

    Tasks set to run later (a retry's backoff) wait, as they would for a real worker, until the clock
    (the `clock` fixture) passes their time. The worker's own connection housekeeping is left out: it
    would close the test's transaction.
    """
    worker = db_worker.Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()


# Source look-ups -----------------------------------------------------------------------------------

LOOKUP_ANSWERS = Path(__file__).parent / "claims" / "lookup_answers"


def recorded_answer(name, status=200, **options):
    """A service's answer recorded in tests/claims/lookup_answers/, for a respx route."""
    return httpx.Response(status, content=(LOOKUP_ANSWERS / name).read_bytes(), **options)


# Email --------------------------------------------------------------------------------------------


class RefusesBenBackend(LocmemBackend):
    """Delivers like locmem, except that the server refuses ben@example.org."""

    def send_messages(self, messages):
        for message in messages:
            if "ben@example.org" in message.to:
                raise smtplib.SMTPRecipientsRefused({"ben@example.org": (550, b"No such user")})
        return super().send_messages(messages)


REFUSES_BEN = f"{__name__}.RefusesBenBackend"
