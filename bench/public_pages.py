"""Query counts and server times of the public list pages, on a database filled by bench/generate.py.

    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py migrate
    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/generate.py
    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/public_pages.py [--runs 20] [--only home]

Each page is requested once to warm up, once to count its queries, then --runs times to time it
(Django test client, in process: server time without the network). Nothing is written.
"""

import argparse
import platform
import statistics
import time

from generate import PREFIX, start_django


def pages():
    """(label, url) of each page measured, chosen from the bench data."""
    from django.db.models import Count
    from django.urls import reverse
    from taggit.models import Tag

    from claims.models import Condition
    from claims.selectors import mapped_claims

    tag = (
        Tag.objects.filter(slug__startswith=PREFIX)
        .annotate(n=Count("taggit_taggeditem_items"))
        .order_by("-n", "slug")
        .first()
    )
    busiest = (
        mapped_claims()
        .values("condition_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "condition_id")
        .values_list("condition_id", "n")
        .first()
    )
    condition = Condition.objects.get(pk=busiest[0])
    condition_url = condition.get_absolute_url()
    search = reverse("search")
    found = [
        ("home", "/"),
        ("home, page 2", "/?page=2"),
        (f"tag ({tag.taggit_taggeditem_items.count()} articles)" if tag else "tag", None),
        ("condition list", reverse("claims:condition-list")),
        (f"condition ({busiest[1]} claims)", condition_url),
        ("condition, page 2", f"{condition_url}?page=2"),
        ("condition, last page", f"{condition_url}?page=last"),
        ("search, common word", f"{search}?q=breathlessness"),
        ("search, common word, page 5", f"{search}?q=breathlessness&page=5"),
        ("search, word in no article", f"{search}?q=quokka"),
        ("feed", reverse("feed")),
        ("sitemap", "/sitemap.xml"),
    ]
    if tag:
        found[2] = (found[2][0], reverse("articles:tag-detail", kwargs={"slug": tag.slug}))
    return [(label, url) for label, url in found if url]


def measure(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm up
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return count, statistics.median(timings), max(timings), len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this")
    options = parser.parse_args()
    start_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from articles.models import Article
    from claims.models import Claim

    setup_test_environment()  # the test client needs it to run requests in-process
    version = ".".join(str(part) for part in connection.get_database_version())
    print(
        f"Python {platform.python_version()}, {connection.display_name} {version}: "
        f"{Article.objects.published().count()} published articles, {Claim.objects.count()} claims; "
        f"{options.runs} runs a page"
    )
    client = Client(SERVER_NAME="localhost")
    print(f"{'page':32} {'queries':>7} {'median ms':>10} {'max ms':>8} {'KB':>6}  url")
    for label, url in pages():
        if options.only not in label:
            continue
        count, median, longest, size = measure(client, url, options.runs)
        print(f"{label:32} {count:7} {median:10.1f} {longest:8.1f} {size / 1024:6.0f}  {url}")


if __name__ == "__main__":
    main()
