"""Count the queries and time the editorial admin's busiest pages on a large data set, or its writes.

    DEBUG=1 .venv/bin/python bench/admin.py
    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/admin.py [--regenerate]
    DEBUG=1 .venv/bin/python bench/admin.py --writes

With --writes: an editor's save of an article of 10 and of 300 claims, a reviewer's decision, and a
sign-off with the publication, in a throw-away SQLite database (see `writes`); the target for a save
and a decision is at most 15 queries.

Without DATABASE_URL the data set of bench/generate.py (1,000 articles, 100,000 claims, 300 of
them on one article) is built in a throw-away SQLite database. With DATABASE_URL the named database
(migrated) is used, and the data set found there is reused; it is built there only when missing or
with --regenerate.

Each page is read by a superuser and by a medical reviewer (the Reviewers group) through Django's
test client, in-process: queries are counted on one request, then the time of each request is taken
RUNS times after a warm-up. The targets are at most 10 queries and a median under 300 ms per page;
the slowest request and the median processor time are shown beside it.
"""

import argparse
import logging
import os
import statistics
import sys
import time

import generate as dataset

RUNS = 20
WARM_UP = 2
MAX_QUERIES = 10
MAX_MS = 300


def start(options):
    if os.environ.get("DATABASE_URL"):
        dataset.start_django()
    else:
        from scratch_django import start_django

        start_django()

    from articles.models import Article

    if options.regenerate or not Article.objects.filter(slug=f"{dataset.PREFIX}article-0").exists():
        started = time.perf_counter()
        dataset.remove_earlier_run()
        articles, claims = dataset.generate(options.articles, options.claims, options.seed, options.largest)
        print(f"Generated {articles} articles and {claims} claims in {time.perf_counter() - started:.0f} s")


def accounts():
    """A superuser and a reviewer, both named with the data set's prefix so that a new run removes them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()
    superuser, _ = User.objects.get_or_create(
        username=f"{dataset.PREFIX}superuser", defaults={"is_staff": True, "is_superuser": True}
    )
    # The generator's reviewer approved the approved claims and wrote none, so the whole queue is theirs.
    reviewer = User.objects.get(username=f"{dataset.PREFIX}reviewer")
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    return {"superuser": superuser, "reviewer": reviewer}


def pages():
    from django.db.models import Count
    from django.urls import reverse

    from articles.models import Article
    from claims.models import Claim

    largest = (
        Article.objects.filter(slug__startswith=dataset.PREFIX)
        .annotate(n=Count("claims"))
        .order_by("-n")
        .values_list("pk", "n")
        .first()
    )
    article_pk, claim_count = largest
    claim_pk = Claim.objects.filter(article_id=article_pk).order_by("start").values_list("pk", flat=True)[150]
    return [
        ("claim list", reverse("admin:claims_claim_changelist")),
        ("review queue", reverse("admin:claims_reviewqueueclaim_changelist")),
        (f"article, {claim_count} claims", reverse("admin:articles_article_change", args=[article_pk])),
        ("claim on that article", reverse("admin:claims_claim_change", args=[claim_pk])),
        ("article list", reverse("admin:articles_article_changelist")),
    ]


def measure(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)
    timings, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return query_count, statistics.median(timings), max(timings), statistics.median(cpu)


# The editorial writes ---------------------------------------------------------------------------------

WRITE_RUNS = 5
MAX_WRITE_QUERIES = 15


def counted(action):
    """Run `action` once; its queries (on-commit work included) and its time in ms, and how often the body was
    rendered from Markdown and read as HTML."""
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import articles.models
    from claims.pages import badges

    render = mock.Mock(wraps=articles.models.render_markdown)
    reads = [mock.Mock(wraps=articles.models.read_html), mock.Mock(wraps=badges.read_html)]
    with (
        mock.patch.object(articles.models, "render_markdown", render),
        mock.patch.object(articles.models, "read_html", reads[0]),
        mock.patch.object(badges, "read_html", reads[1]),
        CaptureQueriesContext(connection) as queries,
    ):
        started = time.perf_counter()
        action()
        elapsed = (time.perf_counter() - started) * 1000
    return len(queries), elapsed, render.call_count, sum(read.call_count for read in reads)


def write_rows(name, measured, *, target=True):
    """One line per write: the most queries of a run, the median and slowest time, the renders and readings."""
    queries = [row[0] for row in measured]
    timings = [row[1] for row in measured]
    renders, reads = measured[-1][2], measured[-1][3]
    met = max(queries) <= MAX_WRITE_QUERIES
    verdict = ("met" if met else "MISSED") if target else "-"
    print(
        f"{name:34} {max(queries):7} {statistics.median(timings):7.0f} ms {max(timings):7.0f} ms "
        f"{renders:7} {reads:5}  {verdict}"
    )
    return met


def writes():
    """Time and count an editor's save (10 and 300 claims), a reviewer's decision, and a sign-off with publication.

    Each through the admin's pages with Django's test client, as the editor or reviewer, in a database of
    its own (each request commits, and its on-commit work is counted with it); the articles are built
    through the services (bench/publishing.py), every claim approved and the article published once.
    """
    from django.test import Client
    from django.urls import reverse
    from publishing import build

    from articles.models import Article
    from claims.admin.review import seen_token
    from claims.models import Claim
    from claims.publishing import article_publish, article_sign_off, draft_digest

    logging.getLogger("axes").setLevel(logging.WARNING)
    print(
        f"{WRITE_RUNS} runs each; queries of one run (the most of any), median and slowest time, renders and readings"
    )
    print(f"{'write':34} {'queries':>7} {'median':>10} {'slowest':>10} {'renders':>7} {'reads':>5}  target")
    missed = 0
    built = {}
    for count in (10, 300):
        started = time.perf_counter()
        built[count] = build(count, prefix=f"bench-w{count}")
        print(f"(built an article with {count} approved claims in {time.perf_counter() - started:.0f} s)")
    for count, (article, editor, _signer, _reviewer) in built.items():
        client = Client(SERVER_NAME="localhost")
        client.force_login(editor)
        url = reverse("admin:articles_article_change", args=[article.pk])
        measured = []
        for run in range(WRITE_RUNS):
            client.get(url)  # the editor opens the page: not timed
            stored = Article.objects.get(pk=article.pk)
            opening = "## A note first\n\nThis section was added before the findings.\n\n"
            # A section added at the top, then taken away again: every claim moves on each save.
            body = stored.body.removeprefix(opening) if stored.body.startswith(opening) else opening + stored.body
            data = {
                "title": stored.title,
                "slug": stored.slug,
                "standfirst": stored.standfirst,
                "body": body,
                "tags": "",
                "change_note": f"Run {run + 1}",
                "base_version": str(stored.version),
                "_save": "Save",
            }
            row = counted(lambda data=data, client=client, url=url: client.post(url, data))
            measured.append(row)
        missed += not write_rows(f"article save, {count} claims", measured)

    article, editor, signer, reviewer = built[10]
    client = Client(SERVER_NAME="localhost")
    client.force_login(reviewer)
    claim = Claim.objects.filter(article=article).order_by("pk").first()
    measured = []
    for _ in range(WRITE_RUNS):
        # Sent back to the reviewers, as an editor's change would (not timed), then approved from its page.
        Claim.objects.filter(pk=claim.pk).update(review_state=Claim.ReviewState.PENDING)
        seen = seen_token(Claim.objects.select_related("condition", "evidence_status").get(pk=claim.pk))
        page = reverse("admin:claims_claim_change", args=[claim.pk])
        client.get(page)
        decide = reverse("admin:claims_claim_decide", args=[claim.pk])
        measured.append(
            counted(lambda seen=seen, decide=decide: client.post(decide, {"decision": "approved", "seen": seen}))
        )
    missed += not write_rows("decision (approve)", measured)

    for count in (10, 300):
        article, editor, signer, _reviewer = built[count]
        measured = []
        for _ in range(WRITE_RUNS):
            stored = Article.objects.get(pk=article.pk)
            seen = draft_digest(stored)

            def sign_off_and_publish(stored=stored, seen=seen, editor=editor, signer=signer):
                article_sign_off(article=stored, reviewer=signer, seen_digest=seen)
                article_publish(article=stored, user=editor, change_note="Bench")

            measured.append(counted(sign_off_and_publish))
            # The next run's draft differs from the one just signed off: a sentence added (not timed).
            from articles.services import article_update

            stored = Article.objects.get(pk=article.pk)
            stored.body += " We looked at it again."
            article_update(article=stored, user=editor)
        write_rows(f"sign-off and publication, {count} claims", measured, target=False)
    print(
        f"Target: at most {MAX_WRITE_QUERIES} queries for a save and a decision (sign-off and publication: reported)."
    )
    return 1 if missed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--largest", type=int, default=300, help="claims on the longest article")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true", help="build the data set again even if it is there")
    parser.add_argument(
        "--writes", action="store_true", help="time the editorial writes instead, in a throw-away database"
    )
    options = parser.parse_args()
    if options.writes:
        from scratch_django import start_django

        start_django()
        return writes()
    start(options)

    from django.db import connection
    from django.test import Client

    from claims.models import Claim

    print(f"{Claim.objects.count()} claims in {connection.vendor}; {RUNS} runs per page after {WARM_UP} to warm up")
    # Other work on the machine stretches the times; the processor time of this process is given beside them.
    print("Load average before: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    print(f"{'page':28} {'user':10} {'queries':>7} {'median':>9} {'max':>9} {'cpu med':>9}  targets")
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per sign-in otherwise
    users = accounts()
    missed = 0
    for name, url in pages():
        for role, user in users.items():
            # No setup_test_environment(): its template instrumentation copies every template's context
            # for the test client, which would time the test harness rather than the admin.
            client = Client(SERVER_NAME="localhost")
            client.force_login(user)
            queries, median, worst, cpu = measure(client, url)
            # The median: the slowest of a few requests on a shared machine mostly times the other work on it.
            met = queries <= MAX_QUERIES and median < MAX_MS
            missed += not met
            print(
                f"{name:28} {role:10} {queries:7} {median:6.1f} ms {worst:6.1f} ms {cpu:6.1f} ms  "
                f"{'met' if met else 'MISSED'}"
            )
    print(f"Targets: at most {MAX_QUERIES} queries and a median under {MAX_MS} ms on every page.")
    print("Load average after: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
