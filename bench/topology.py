"""The production topology on one machine: Varnish in front of two app servers, a task worker, PostgreSQL and Redis.

    bench/topology.sh                      # PostgreSQL at 127.0.0.1:5432, database evidence_topology
    .venv/bin/python bench/topology.py --seconds 60

Builds a small data set (bench/generate.py) in a PostgreSQL database of its own (DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/evidence_topology, created if missing and kept), gives its articles a live
revision, and starts on free loopback ports: a private redis-server (the shared cache, CACHE_URL), two gunicorn
app servers A and B (2 sync workers each, DEBUG off), a database task worker (`manage.py db_worker`, which sends
the purges) and varnishd with deploy/varnish/default.vcl, its one backend replaced by A and B in round robin
(64 MB). The app servers and the worker have PURGE_BACKEND=varnish and CDN_S_MAXAGE=3600: only purges refresh
Varnish's copies.

For --seconds, --readers threads read through Varnish the conditions list, the evidence map of one condition, an
article with claims about it and the home page, while a writer (this process, with the same settings) approves
one of the article's claims, or withdraws its approval, and publishes the article, every --write-every seconds.
Then it prints requests/s, the answers of 500 and over, the requests that got no answer, the hit ratio
(varnishstat), and the stale answers: reads that showed an older state (the count of the condition's claims on
the list and the map, the claims shown with a grade on the article) than a change whose purge had been sent
before the read started. A read may show any change begun before it ended. Stale answers are counted against the
first purge and against its repetition 10 s later (claims.pages.purge SECOND_PURGE): a page Varnish was fetching
as a change committed can be stored after the first. Exits with 1 when any answer was 5xx, missing or stale
after the second purge. Stops all it started and removes its folder.
"""

import argparse
import datetime
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.faults import (  # noqa: E402
    AppServer,
    RedisServer,
    article_count,
    choose_claims,
    get,
    list_count,
    map_count,
    prepare_database,
    production_env,
    wait_until,
)
from bench.varnish import publish_all, toggle, varnish_counters  # noqa: E402
from tests.public.varnish import VCL, running_varnish  # noqa: E402

PYTHON = os.environ.get("PYTHON", sys.executable)
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/evidence_topology"


def say(message):
    print(f"topology.py: {message}", file=sys.stderr, flush=True)


def republish(article):
    from claims import pages
    from claims.publishing import record_live_revision

    record_live_revision(article, replace=True)
    pages.rebuild_all(stale_only=False)


def two_backend_vcl(port_a, port_b):
    """The repository's VCL with its backend replaced by two, A and B, taken in turn (vmod directors)."""
    text = VCL.read_text()
    found = re.search(r"^backend default \{.*?^\}\n", text, flags=re.S | re.M)
    assert found, "deploy/varnish/default.vcl has no backend default block"
    block = found[0]
    backends = "".join(
        re.sub(r'\.port = "\d+";', f'.port = "{port}";', block.replace("backend default", f"backend {name}"))
        for name, port in (("a", port_a), ("b", port_b))
    )
    # Defined before the VCL's own vcl_recv, so it runs first and falls through to it.
    balancing = (
        "sub vcl_init {\n    new site = directors.round_robin();\n    site.add_backend(a);\n"
        "    site.add_backend(b);\n}\n\nsub vcl_recv {\n    set req.backend_hint = site.backend();\n}\n"
    )
    text = text.replace(block, backends + "\n" + balancing)
    return text.replace("import std;", "import std;\nimport directors;")


@dataclass
class Read:
    page: str
    started: float
    ended: float
    status: int
    shown: int | None = None


@dataclass
class Change:
    started: float
    committed: float
    approved: int
    purged: float | None = None  # when its first purge had been sent
    purged_again: float | None = None  # when its second purge had been sent


def reader(port, pages, reads, lock, stop):
    rng = random.Random()
    while not stop.is_set():
        page, path, count = rng.choice(pages)
        started = time.time()
        status, body = get(port, path)
        read = Read(page, started, time.time(), status)
        if status == 200 and count is not None:
            read.shown = count(body)
        with lock:
            reads.append(read)


def writer(claim_ids, every, changes, stop):
    from django.contrib.auth import get_user_model
    from django.db import connection

    users = get_user_model().objects
    editor, reviewer = users.get(username="bench-editor"), users.get(username="bench-reviewer")
    approved = 0
    while not stop.wait(every):
        started, stamps = time.time(), []
        approving = toggle(random.choice(claim_ids), editor, reviewer, committed=stamps)
        approved += 1 if approving else -1
        changes.append(Change(started, stamps[0], approved))
    connection.close()


def purge_times(changes):
    """Set each change's purge times from the worker's finished purge tasks (first and repeated)."""
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.filter(task_path__endswith="purge_public_pages", finished_at__isnull=False)
    rows = [(t.enqueued_at.timestamp(), t.finished_at.timestamp(), t.args_kwargs["kwargs"]) for t in tasks]
    first = sorted((enqueued, finished) for enqueued, finished, kwargs in rows if kwargs.get("again", True))
    second = sorted((enqueued, finished) for enqueued, finished, kwargs in rows if not kwargs.get("again", True))
    for change in changes:
        # The first purge enqueued as the change committed (its enqueue follows the commit within milliseconds).
        mine = next((item for item in first if item[0] >= change.committed - 0.05), None)
        if mine is None:
            continue
        change.purged = mine[1]
        again = next((item for item in second if item[0] >= mine[1] - 0.05), None)
        change.purged_again = again[1] if again else None


def stale(reads, changes, baseline, when):
    """Reads showing an older state than a change purged (`when`: "purged" or "purged_again") before they began."""
    found = []
    for read in reads:
        if read.shown is None:
            continue
        done = [getattr(c, when) for c in changes]
        before = [c.approved for c, at in zip(changes, done, strict=True) if at is not None and at <= read.started]
        allowed = {before[-1] if before else 0}
        allowed |= {
            c.approved
            for c, at in zip(changes, done, strict=True)
            if (at is None or at > read.started) and c.started < read.ended
        }
        if read.shown - baseline[read.page] not in allowed:
            found.append(read)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server (default 2)")
    parser.add_argument("--write-every", type=float, default=0.5)
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--claims", type=int, default=1500)
    options = parser.parse_args()
    for program in ("varnishd", "redis-server", "varnishstat"):
        if shutil.which(program) is None and not Path(f"/usr/sbin/{program}").exists():
            parser.error(f"{program} is not installed (apt-get install varnish redis-server)")

    work = Path(tempfile.mkdtemp(prefix="evidence-topology."))
    redis = RedisServer(work)
    servers, worker = [], None
    try:
        env = production_env(
            work,
            DEFAULT_DATABASE,
            CACHE_URL=redis.url,
            TASKS_BACKEND="db",
            PURGE_BACKEND="varnish",
            CDN_S_MAXAGE="3600",
            SITE_URL="http://127.0.0.1",  # readers' requests carry Host: 127.0.0.1 (bench.faults.get)
        )
        prepare_database(env, options.articles, options.claims)
        redis.start()
        servers = [AppServer(name, env, work, options.workers) for name in ("A", "B")]
        vcl = two_backend_vcl(servers[0].port, servers[1].port)
        with running_varnish(0, memory="64m", keep_work=work / "varnish", vcl_text=vcl) as address:
            port = int(address.rsplit(":", 1)[1])
            env["PURGE_VARNISH_URLS"] = address
            for server in servers:
                server.env = env
            os.environ.update(env)
            import django

            django.setup()
            from django.db import connection

            publish_all()
            article, condition, claim_ids = choose_claims()
            republish(article)  # choose_claims set the claims back to pending in the draft: readers see that too
            for server in servers:
                server.start()
            log = open(work / "worker.log", "ab")  # noqa: SIM115 (closed with the worker)
            command = [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.1"]
            worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
            wait_until(lambda: get(port, "/healthz")[0] == 200, 30, "the site answering through Varnish")
            pages = [
                ("conditions list", "/conditions/", lambda html: list_count(html, condition.get_absolute_url())),
                ("evidence map", condition.get_absolute_url(), map_count),
                ("article", article.get_absolute_url(), article_count),
                ("home", "/", None),
            ]
            baseline = {}
            for page, path, count in pages:
                status, body = get(port, path)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status} before the run")
                if count is not None:
                    baseline[page] = count(body)
            say(f"tracking {condition.name!r} and {article.slug}: {baseline}")

            before = varnish_counters(work / "varnish")
            reads, changes, lock, stop = [], [], threading.Lock(), threading.Event()
            threads = [threading.Thread(target=writer, args=(claim_ids, options.write_every, changes, stop))]
            threads += [
                threading.Thread(target=reader, args=(port, pages, reads, lock, stop)) for _ in range(options.readers)
            ]
            started = time.time()
            for thread in threads:
                thread.start()
            stop.wait(options.seconds)
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
            elapsed = time.time() - started
            # Let the last purges (and their repetitions) be sent before they are read.
            time.sleep(12)
            after = varnish_counters(work / "varnish")
            purge_times(changes)
            report(reads, changes, baseline, before, after, elapsed, connection, options)
            failed = [r for r in reads if r.status >= 500 or r.status == 0]
            return 1 if failed or stale(reads, changes, baseline, "purged_again") else 0
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        for server in servers:
            server.stop()
        redis.stop()
        shutil.rmtree(work, ignore_errors=True)


def report(reads, changes, baseline, before, after, elapsed, connection, options):
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    delta = {name: after.get(name, 0) - before.get(name, 0) for name in after}
    hits, misses = delta["MAIN.cache_hit"], delta["MAIN.cache_miss"]
    first, second = stale(reads, changes, baseline, "purged"), stale(reads, changes, baseline, "purged_again")
    lags = sorted(c.purged - c.committed for c in changes if c.purged is not None)
    print()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  {os.cpu_count()} CPUs, {database}")
    print(
        f"{elapsed:.0f} s, {options.readers} readers through Varnish; app servers A and B x {options.workers} sync"
        f" workers; 1 task worker; Redis; {len(changes)} changes (approve or withdraw, then publish)"
    )
    print(
        f"Varnish: {hits} hits, {misses} misses, hit ratio {hits / max(1, hits + misses):.1%},"
        f" {delta['MAIN.n_purges']} objects purged"
    )
    if lags:
        print(f"commit to first purge sent: median {lags[len(lags) // 2] * 1000:.0f} ms, max {lags[-1] * 1000:.0f} ms")
    print()
    print(f"{'page':<16} {'requests':>9} {'req/s':>7} {'5xx':>5} {'no answer':>10} {'stale 1st':>10} {'stale 2nd':>10}")
    for page in ["conditions list", "evidence map", "article", "home", "all"]:
        mine = [r for r in reads if page in ("all", r.page)]
        print(
            f"{page:<16} {len(mine):>9} {len(mine) / elapsed:>7.1f} {sum(r.status >= 500 for r in mine):>5}"
            f" {sum(r.status == 0 for r in mine):>10} {sum(r in first for r in mine):>10}"
            f" {sum(r in second for r in mine):>10}"
        )
    for read in first[:5]:
        print(f"  stale after the first purge: {read.page} at {datetime.datetime.fromtimestamp(read.started):%T.%f}")


if __name__ == "__main__":
    sys.exit(main())
