"""Time the public article page and count its queries on the demo content.

Run: DEBUG=1 .venv/bin/python bench/article_page.py
"""

import os
import statistics
import time

from scratch_django import start_django

RUNS = 50


def main():
    start_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from articles.models import Article

    setup_test_environment()  # the test client needs it to run requests in-process
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    client = Client(SERVER_NAME="localhost")
    for article in Article.objects.published():
        url = article.get_absolute_url()
        client.get(url)  # warm up
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        query_count = len(queries)  # read now: the next request resets the connection's query log
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        print(
            f"{article.slug[:48]:48}  {response.status_code}  claims={article.claims.count():3}  "
            f"queries={query_count:2}  median={statistics.median(timings):6.1f} ms  "
            f"p95={sorted(timings)[int(RUNS * 0.95) - 1]:6.1f} ms"
        )


if __name__ == "__main__":
    main()
