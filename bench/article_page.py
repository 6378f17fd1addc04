"""Time the public article page and count its queries on the demo content.

Run: DEBUG=1 .venv/bin/python bench/article_page.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
# A throw-away database of its own, so the numbers never depend on what an editor left behind.
DB_DIR = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB_DIR.name}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from articles.models import Article  # noqa: E402

RUNS = 50


def main():
    setup_test_environment()  # the test client needs it to run requests in-process
    with open(os.devnull, "w") as quiet:
        call_command("migrate", verbosity=0)
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
