"""Time and count the queries of the public list pages, search, the sitemap and the admin's lists at a large size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evidence_bench_scale .venv/bin/python bench/scale.py \
        [--runs 10] [--only search] [--memory 20] [--after-change]

Reads a database bench/generate.py filled (10,000 articles and 1,000,000 claims for the numbers in
bench/README.md); nothing is written but the stored article pages their first readers build. DEBUG is
off, as in production: the static files are collected into a temporary folder first. Each page is
requested twice to warm up, once to count its queries, then --runs times through Django's test client,
in process (the server's time, without the network); the admin's as a superuser.

--after-change times each page's first reading after a change instead: before each request the content
generation is raised (as any change readers can see raises it, claims.pages.cache.content_changing), so a
stored list page, the feed and the sitemap are rendered again rather than served as stored. That writes the
content generation's row and the stored list pages: run it on a copy of the bench database.

--memory N then starts gunicorn (one sync worker, DEBUG off) on that database, sends it the same
pages for N seconds from 4 connections (wrk), and reports the worker's resident memory (RSS) before,
after and at its peak.
"""

import argparse
import logging
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_django(static_root):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")
    os.environ["STATIC_ROOT"] = static_root
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def public_pages():
    from django.db.models import Count
    from django.urls import reverse
    from taggit.models import Tag

    from articles.models import Article
    from claims.models import Condition
    from claims.selectors import mapped_claims

    tag = Tag.objects.annotate(n=Count("taggit_taggeditem_items")).order_by("-n", "slug").first()
    busiest = (
        mapped_claims()
        .values("condition_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "condition_id")
        .values_list("condition_id", "n")
        .first()
    )
    condition = Condition.objects.get(pk=busiest[0])
    article = Article.objects.published().order_by("-published_at").first()
    search = reverse("search")
    # generate.py --condition-claims N gives its first condition a map of exactly N claims.
    first = Condition.objects.filter(slug="bench-0").first()
    smaller = []
    if first is not None and first.pk != condition.pk:
        shown = mapped_claims().filter(condition=first).count()
        smaller = [(f"evidence map ({shown} claims)", first.get_absolute_url())]
    return [
        ("home (the article list)", "/"),
        ("home, page 50", "/?page=50"),
        (f"topic ({tag.taggit_taggeditem_items.count()} articles)", reverse("articles:tag-detail", args=[tag.slug])),
        ("topic, last page", reverse("articles:tag-detail", args=[tag.slug]) + "?page=last"),
        ("condition list", reverse("claims:condition-list")),
        (f"evidence map ({busiest[1]} claims)", condition.get_absolute_url()),
        ("evidence map, last page", condition.get_absolute_url() + "?page=last"),
        *smaller,
        ("newest article", article.get_absolute_url()),
        ("feed", reverse("feed")),
        ("search, common word", f"{search}?q=breathlessness"),
        ("search, common word, page 20", f"{search}?q=breathlessness&page=20"),
        ("search, two words", f"{search}?q=aspirin+flare"),
        ("search, word in no article", f"{search}?q=quokka"),
        ("sitemap.xml", "/sitemap.xml"),
        ("sitemap, articles file", "/sitemap-articles.xml"),
    ]


def admin_pages():
    from django.urls import reverse

    return [
        ("admin: articles", reverse("admin:articles_article_changelist")),
        ("admin: articles, page 100", reverse("admin:articles_article_changelist") + "?p=100"),
        ("admin: articles, search", reverse("admin:articles_article_changelist") + "?q=aspirin"),
        ("admin: articles, search, no match", reverse("admin:articles_article_changelist") + "?q=quokka"),
        ("admin: claims", reverse("admin:claims_claim_changelist")),
        ("admin: claims, page 1000", reverse("admin:claims_claim_changelist") + "?p=1000"),
        ("admin: claims, approved", reverse("admin:claims_claim_changelist") + "?review_state__exact=approved"),
        ("admin: claims, search", reverse("admin:claims_claim_changelist") + "?q=aspirin"),
        ("admin: claims, search, no match", reverse("admin:claims_claim_changelist") + "?q=quokka"),
        ("admin: review queue", reverse("admin:claims_reviewqueueclaim_changelist")),
        ("admin: sources", reverse("admin:claims_source_changelist")),
        ("admin: sources, search", reverse("admin:claims_source_changelist") + "?q=trial"),
    ]


class QueryLog:
    """Every query run while it is installed, with its time (an execute wrapper: it counts with DEBUG off too)."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((time.perf_counter() - started, sql))


def measure(client, url, runs, after_change=False):
    from django.db import connection

    from claims.pages.cache import content_changing

    change = content_changing if after_change else lambda: None
    for _ in range(2):
        change()
        response = client.get(url, secure=True)  # as through the TLS proxy: no redirect
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
    log = QueryLog()
    change()
    with connection.execute_wrapper(log):
        client.get(url, secure=True)
    timings = []
    for _ in range(runs):
        change()  # outside the timing: the change is not the reader's
        started = time.perf_counter()
        client.get(url, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
    slowest = max(log.queries, default=None)
    return len(log.queries), statistics.median(timings), max(timings), len(response.content), slowest


def superuser():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench-superuser", defaults={"is_staff": True, "is_superuser": True}
    )
    return user


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_kb(pid, field="VmRSS"):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def memory_under_load(urls, seconds, static_root):
    """Start gunicorn with one worker, load it with wrk, and return the worker's memory (kB) before and after."""
    if not shutil.which("wrk"):
        sys.exit("--memory needs wrk (apt-get install wrk)")
    port = free_port()
    environment = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "STATIC_ROOT": static_root, "BEHIND_PROXY": "1"}
    https = "X-Forwarded-Proto: https"  # as a TLS proxy in front of it says, so that nothing is redirected
    work = Path(tempfile.mkdtemp(prefix="scale-gunicorn-"))
    log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        + ["--worker-class", "sync", "--timeout", "120", "--no-control-socket"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=log,
    )
    try:
        worker = None
        for _ in range(100):
            time.sleep(0.2)
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
            if children:
                worker = int(children[0])
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    continue
        if worker is None:
            sys.exit("gunicorn did not start:\n" + (work / "gunicorn.log").read_text()[-2000:])
        base = f"http://127.0.0.1:{port}"
        for url in urls:  # each page once, so that "before" is a worker that has served them all
            subprocess.run(["curl", "-s", "-o", "/dev/null", "-H", https, base + url], check=False)
        before = rss_kb(worker)
        script = work / "pages.lua"  # each connection's requests go round the pages
        paths = ", ".join(f'"{url}"' for url in urls)
        script.write_text(
            f"local paths = {{{paths}}}\nlocal n = 0\n"
            "request = function()\n  n = n + 1\n  return wrk.format(nil, paths[(n % #paths) + 1])\nend\n"
        )
        output = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                "4",
                "-d",
                f"{seconds}s",
                "--timeout",
                "60s",
                "-H",
                https,
                "-s",
                str(script),
                base,
            ],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        requests = next((line.split()[0] for line in output.splitlines() if "requests in" in line), "?")
        return before, rss_kb(worker), rss_kb(worker, "VmHWM"), requests
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this")
    parser.add_argument("--memory", type=int, default=0, metavar="SECONDS", help="also load gunicorn this long")
    parser.add_argument(
        "--after-change", action="store_true", help="time each page's first reading after a change (writes)"
    )
    options = parser.parse_args()
    if options.runs < 1 or options.memory < 0:
        parser.error("--runs must be at least 1 and --memory at least 0")
    with tempfile.TemporaryDirectory(prefix="scale-static-") as static_root:
        start_django(static_root)
        from django.db import connection
        from django.test import Client

        from articles.models import Article
        from claims.models import Claim

        version = ".".join(str(part) for part in connection.get_database_version())
        print(
            f"Python {platform.python_version()}, {connection.display_name} {version}, DEBUG off: "
            f"{Article.objects.published().count()} published articles, {Claim.objects.count()} claims; "
            f"{options.runs} runs a page{', each after a change' if options.after_change else ''}; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        public, admin = Client(SERVER_NAME="localhost"), Client(SERVER_NAME="localhost")
        logging.getLogger("axes").setLevel(logging.WARNING)  # a line per sign-in otherwise
        admin.force_login(superuser())
        print(f"{'page':34} {'queries':>7} {'median ms':>10} {'max ms':>8} {'KB':>6}  slowest query ms")
        measured = []
        for client, found in ((public, public_pages()), (admin, admin_pages())):
            for label, url in found:
                if options.only not in label:
                    continue
                count, median, longest, size, slowest = measure(client, url, options.runs, options.after_change)
                measured.append(url)
                slow = f"{slowest[0] * 1000:.0f}: {slowest[1][:70]}" if slowest else ""
                print(f"{label:34} {count:7} {median:10.1f} {longest:8.1f} {size / 1024:6.0f}  {slow}")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        if options.memory:
            public_urls = [url for url in measured if not url.startswith("/admin/")]
            before, after, peak, requests = memory_under_load(public_urls, options.memory, static_root)
            print(
                f"gunicorn worker (1 sync worker), {requests} requests over {options.memory} s on the public pages: "
                f"RSS {before / 1024:.0f} MB before, {after / 1024:.0f} MB after, peak {peak / 1024:.0f} MB"
            )


if __name__ == "__main__":
    main()
