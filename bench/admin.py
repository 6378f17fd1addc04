"""Count the queries and time the editorial admin's busiest pages on a large data set.

    DEBUG=1 .venv/bin/python bench/admin.py
    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/admin.py [--regenerate]

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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--largest", type=int, default=300, help="claims on the longest article")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true", help="build the data set again even if it is there")
    options = parser.parse_args()
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
