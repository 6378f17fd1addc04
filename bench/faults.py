"""Reads and writes under faults: two app servers sharing one Redis, which is paused, killed and restarted.

    .venv/bin/python bench/faults.py                                       # SQLite, in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evidence_faults .venv/bin/python bench/faults.py

Builds a small data set (bench/generate.py) in a database of its own, starts a private redis-server
and two gunicorn app servers on free loopback ports, with CACHE_URL naming that Redis, and for
--seconds runs reader threads (the conditions list, an evidence map, article pages) against both
servers while a writer approves claims of one article and withdraws their approvals again, one
change at a time, through the service functions. Meanwhile it pauses Redis (SIGSTOP, then SIGCONT),
kills it and starts it again empty, restarts one app server (taken out of the readers' rotation
first, as a load balancer would) and, on PostgreSQL, ends every app connection to the database
(pg_terminate_backend). Then it prints the requests made, the answers over 499, and the stale ones.

A read is stale when the counts it shows are older than a change that had committed before the read
started: each change's commit time is recorded, and a read may show the state left by the last
change committed before it started, or that of any change begun before it ended. The counts read
are the condition's claims on the conditions list and on its evidence map, and the claims shown as
approved on the article page. The target is 0 and 0.

Stops by itself after --seconds or --max-requests, whichever comes first; everything it started is
stopped and its temporary folder removed. A PostgreSQL database named in DATABASE_URL is created if
it does not exist and kept (generate.py replaces its own rows on the next run): use one for benches.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = os.environ.get("PYTHON", sys.executable)
HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}  # as from a load balancer that ends HTTPS
TOGGLED_CLAIMS = 6
READ_TIMEOUT = 30


def say(message):
    print(f"faults.py: {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port, path):
    """(status, body) of a GET on the loopback port; status 0 when the connection failed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=READ_TIMEOUT)
    try:
        conn.request("GET", path, headers=HEADERS)
        response = conn.getresponse()
        return response.status, response.read().decode()
    except OSError:
        return 0, ""
    finally:
        conn.close()


def wait_until(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not happen within {seconds} s")


class RedisServer:
    """A redis-server of the bench's own, with nothing saved to disk, that can be paused and killed."""

    def __init__(self, folder):
        self.folder, self.port, self.process = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly"]
        command += ["no", "--daemonize", "no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.answers, 10, "redis-server answering")

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def signal(self, number):
        self.process.send_signal(number)

    def kill(self):
        self.process.send_signal(signal.SIGCONT)
        self.process.kill()
        self.process.wait()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.kill()


class AppServer:
    """gunicorn serving the site as production does, on a free loopback port."""

    def __init__(self, name, env, folder, workers):
        self.name, self.env, self.workers = name, env, workers
        self.port, self.process, self.up = free_port(), None, False
        self.log = open(folder / f"gunicorn-{name}.log", "ab")  # noqa: SIM115 (closed in stop())

    def start(self):
        command = [PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers"]
        command += [str(self.workers), "--worker-class", "sync", "--no-control-socket", "--graceful-timeout", "20"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)
        wait_until(lambda: get(self.port, "/healthz")[0] == 200, 60, f"app server {self.name} answering")
        self.up = True

    def restart(self):
        self.up = False  # out of the rotation first, as a load balancer's health check takes it out
        time.sleep(0.5)
        self.process.send_signal(signal.SIGTERM)  # finishes the requests it has accepted
        self.process.wait(timeout=60)
        self.start()

    def stop(self):
        self.up = False
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


@dataclass
class Change:
    started: float
    committed: float
    approved: int  # toggled claims approved once it committed


@dataclass
class Read:
    page: str
    server: str
    started: float
    ended: float
    status: int
    shown: int | None = None  # the count read from the page


@dataclass
class Run:
    changes: list = field(default_factory=list)
    reads: list = field(default_factory=list)
    write_failures: list = field(default_factory=list)
    faults: list = field(default_factory=list)
    writer_pid: int | None = None  # the writer's PostgreSQL server process, spared when the others are ended
    lock: threading.Lock = field(default_factory=threading.Lock)


# What each page shows of the tracked condition (its card on the list, the grade counts on its map)
# and of the tracked article (claims whose badge is a grade rather than "under review").
def list_count(html, condition_url):
    for card in html.split('<li class="condition-card">')[1:]:
        if f'href="{condition_url}"' in card:
            return sum(int(n) for n in re.findall(r'evidence-summary__count">(\d+) claims?<', card))
    return 0


def map_count(html):
    return sum(int(n) for n in re.findall(r'class="evidence-summary__count"[^>]*>(\d+) claims?<', html))


def article_count(html):
    return len(re.findall(r'data-evidence="(?!under-review")[^"]+"', html))


def prepare_database(env, articles, claims):
    """Create (PostgreSQL), migrate and fill the database; collect the static files the servers need."""
    url = env["DATABASE_URL"]
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        import dj_database_url
        import psycopg
        from psycopg import sql

        config = dj_database_url.parse(url)
        server = {key.lower(): config[key] for key in ("USER", "PASSWORD", "HOST", "PORT") if config.get(key)}
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    build = {**env, "DEBUG": "1", "CACHE_URL": ""}
    steps = [
        (build, ["manage.py", "migrate", "--noinput", "--verbosity", "0"]),
        (build, ["bench/generate.py", "--articles", str(articles), "--claims", str(claims)]),
        (env, ["manage.py", "collectstatic", "--noinput", "--verbosity", "0"]),  # with DEBUG off: hashed names
    ]
    for step_env, step in steps:
        say(" ".join(step))
        done = subprocess.run([PYTHON, *step], cwd=ROOT, env=step_env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{' '.join(step)} failed:\n{done.stderr}")


def choose_claims():
    """The article, condition and claims the writer moves: claims of one article about one condition, all pending."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Count

    from articles.models import Article
    from claims import pages
    from claims.models import Claim

    claims = Claim.objects.filter(article__slug__startswith="bench-", is_orphaned=False)
    busiest = claims.values("article_id", "condition_id").annotate(n=Count("pk")).order_by("-n", "article_id").first()
    chosen = claims.filter(article_id=busiest["article_id"], condition_id=busiest["condition_id"]).order_by("pk")
    chosen = list(chosen[:TOGGLED_CLAIMS])
    # Pending to begin with; written around the services because this is the bench's own data.
    Claim.objects.filter(pk__in=[c.pk for c in chosen]).update(review_state=Claim.ReviewState.PENDING)
    pages.rebuild_all(stale_only=False)
    # generate.py's reviewer decides nothing; here it approves, as a member of the reviewers' group.
    Group.objects.get(name="Reviewers").user_set.add(get_user_model().objects.get(username="bench-reviewer"))
    article = Article.objects.get(pk=busiest["article_id"])
    return article, chosen[0].condition, [c.pk for c in chosen]


def writer(run, claim_ids, stop, pause, writing):
    """Approve the claims one by one, then withdraw their approvals one by one, and again, until stopped.

    Writes only while `writing` is set: the quiet spell after an outage is when an invalidation lost
    during it would show, since the next change would otherwise hide it.
    """
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from claims.models import Claim
    from claims.services import claim_approve, claim_record_change, claim_withdraw_approval

    users = get_user_model().objects
    editor, reviewer = users.get(username="bench-editor"), users.get(username="bench-reviewer")
    approved = 0
    explanations = ["Two small trials in people.", "Two small randomised trials in adults."]
    while not stop.is_set():
        for claim_id in claim_ids * 2:
            while not (stop.is_set() or writing.wait(0.1)):
                pass
            if stop.wait(pause):
                break
            started = time.monotonic()
            try:
                claim = Claim.objects.get(pk=claim_id)
                if connection.vendor == "postgresql":
                    run.writer_pid = connection.connection.info.backend_pid
                if claim.is_approved:
                    with transaction.atomic():  # as the claim form does: a reworded explanation withdraws it
                        claim = Claim.objects.select_for_update().get(pk=claim_id)
                        old = claim.explanation
                        claim.explanation = explanations[1] if old == explanations[0] else explanations[0]
                        reason = claim_record_change(
                            claim=claim, user=editor, changed_fields={"explanation"}, old_explanation=old
                        )
                        claim.save()
                        claim_withdraw_approval(claim=claim, actor=editor, reason=reason)
                    approved -= 1
                else:
                    claim_approve(claim=claim, reviewer=reviewer, override_reason="Bench: approved as worded.")
                    approved += 1
            except Exception as error:  # a failed write is counted and reported, not fatal
                connection.close()
                with run.lock:
                    run.write_failures.append(f"{type(error).__name__}: {error}")
                continue
            with run.lock:
                run.changes.append(Change(started, time.monotonic(), approved))
    connection.close()


def reader(run, servers, pages, stop, budget):
    rng = random.Random()
    while not stop.is_set():
        with run.lock:
            if budget[0] <= 0:
                stop.set()
                return
            budget[0] -= 1
        live = [server for server in servers if server.up]
        server = rng.choice(live)
        page, path, count = rng.choices(pages, weights=[p[3] for p in pages])[0][:3]
        started = time.monotonic()
        status, body = get(server.port, path)
        read = Read(page, server.name, started, time.monotonic(), status)
        if status == 200 and count is not None:
            read.shown = count(body)
        with run.lock:
            run.reads.append(read)


def stale_reads(run, baseline):
    """Reads that showed fewer or more approved claims than any state they could rightly have seen."""
    changes = sorted(run.changes, key=lambda c: c.committed)
    stale = []
    for read in run.reads:
        if read.shown is None:
            continue
        before = [c.approved for c in changes if c.committed <= read.started]
        allowed = {before[-1] if before else 0}
        allowed |= {c.approved for c in changes if c.committed > read.started and c.started < read.ended}
        if read.shown - baseline[read.page] not in allowed:
            stale.append(read)
    return stale


def terminate_app_connections(env, spared):
    """End every connection to the bench database but the writer's, as a database restart does."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(env["DATABASE_URL"])
    server = {key.lower(): config[key] for key in ("USER", "PASSWORD", "HOST", "PORT") if config.get(key)}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> ALL(%s)",
            [config["NAME"], list(spared)],
        ).fetchall()
    return len(rows)


def production_env(work, database_url, **settings):
    """The environment of an app server run as in production behind a proxy, with its files in `work`.

    `database_url` is used when DATABASE_URL is unset; `settings` add or replace variables (CACHE_URL, ...).
    """
    return {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL") or database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "1",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        **settings,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long reads and writes run (default 60)")
    parser.add_argument("--max-requests", type=int, default=50_000, help="stop after this many reads")
    parser.add_argument("--readers", type=int, default=6, help="reader threads (default 6)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server (default 2)")
    parser.add_argument("--write-every", type=float, default=0.25, help="seconds between changes (default 0.25)")
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--claims", type=int, default=1500)
    options = parser.parse_args()
    if shutil.which("redis-server") is None:
        parser.error("redis-server is not installed (apt-get install redis-server)")

    work = Path(tempfile.mkdtemp(prefix="evidence-faults."))
    redis = RedisServer(work)
    servers = []
    try:
        env = production_env(work, f"sqlite:///{work / 'faults.sqlite3'}", CACHE_URL=redis.url)
        prepare_database(env, options.articles, options.claims)
        os.environ.update(env)  # the writer is a third app process, with the same settings
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connection

        article, condition, claim_ids = choose_claims()
        redis.start()
        servers = [AppServer(name, env, work, options.workers) for name in ("A", "B")]
        for server in servers:
            server.start()

        pages = [
            ("conditions list", "/conditions/", lambda html: list_count(html, condition.get_absolute_url()), 3),
            ("evidence map", condition.get_absolute_url(), map_count, 3),
            ("article", article.get_absolute_url(), article_count, 3),
            ("other article", "/articles/bench-article-1/", None, 1),
        ]
        baseline = {}
        for page, path, count, _ in pages:
            for server in servers:
                status, body = get(server.port, path)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status} before any fault")
                if count is not None:
                    baseline.setdefault(page, count(body))
        say(f"tracking {condition.name!r} on the conditions list and its map, and {article.slug}: {baseline}")

        run, stop, writing, budget = Run(), threading.Event(), threading.Event(), [options.max_requests]
        writing.set()
        threads = [threading.Thread(target=writer, args=(run, claim_ids, stop, options.write_every, writing))]
        threads += [
            threading.Thread(target=reader, args=(run, servers, pages, stop, budget)) for _ in range(options.readers)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()

        def at(fraction, what, action):
            if stop.wait(max(0.0, started + fraction * options.seconds - time.monotonic())):
                return
            run.faults.append((time.monotonic() - started, what))
            say(f"{time.monotonic() - started:5.1f} s: {what}")
            action()

        postgres = connection.vendor == "postgresql"
        restarting = threading.Thread(target=servers[1].restart)  # the other faults keep their times meanwhile
        schedule = [
            # A change made early in a pause has given up on Redis (after the client's timeout) well
            # before Redis answers again; the reads that follow, with no change to hide a lost
            # invalidation, are the ones that would show old counts.
            (0.10, "Redis paused (SIGSTOP)", lambda: redis.signal(signal.SIGSTOP)),
            (0.14, "writes stop", writing.clear),
            (0.26, "Redis resumed (SIGCONT); reads only", lambda: redis.signal(signal.SIGCONT)),
            (0.36, "writes again", writing.set),
            (0.40, "Redis killed (SIGKILL)", redis.kill),
            (0.46, "writes stop", writing.clear),
            (0.50, "Redis started again, empty; reads only", redis.start),
            (0.56, "writes again", writing.set),
            (0.60, "app server B restarting", restarting.start),
            (0.70, "Redis paused again (SIGSTOP)", lambda: redis.signal(signal.SIGSTOP)),
            (0.73, "writes stop", writing.clear),
            (0.85, "Redis resumed (SIGCONT); reads only", lambda: redis.signal(signal.SIGCONT)),
            (0.93, "writes again", writing.set),
        ]
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                own = cursor.fetchone()[0]

            def end_connections():
                ended = 0
                for _ in range(8):  # in bursts, so that some requests lose theirs between two queries
                    ended += terminate_app_connections(env, spared={own, run.writer_pid})
                    time.sleep(0.25)
                say(f"{ended} connections ended (the writer's and the bench's own spared)")

            schedule.append((0.93, "every app connection to PostgreSQL ended, 8 times in 2 s", end_connections))
        for fraction, what, action in schedule:
            at(fraction, what, action)
        stop.wait(max(0.0, started + options.seconds - time.monotonic()))
        stop.set()
        for thread in [*threads, restarting]:
            if thread.ident is None:  # never started: the run ended before its time
                continue
            thread.join(timeout=READ_TIMEOUT + 10)
        elapsed = time.monotonic() - started
        report(run, baseline, started, elapsed, connection, servers, work, options)
        return 1 if any(r.status >= 500 or r.status == 0 for r in run.reads) or stale_reads(run, baseline) else 0
    finally:
        for server in servers:
            server.stop()
        redis.stop()
        shutil.rmtree(work, ignore_errors=True)


def report(run, baseline, started, elapsed, connection, servers, work, options):
    stale = stale_reads(run, baseline)
    errors = [r for r in run.reads if r.status >= 500]
    failed = [r for r in run.reads if r.status == 0]
    if connection.vendor == "sqlite":
        database = f"SQLite {connection.Database.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    logs = {server.name: (work / f"gunicorn-{server.name}.log").read_text(errors="replace") for server in servers}
    warnings = {name: log.count("The shared cache cannot be reached") for name, log in logs.items()}
    retried = {name: log.count("The database connection was lost during") for name, log in logs.items()}
    print()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  {os.cpu_count()} CPUs, {database}")
    print(f"{elapsed:.0f} s, {options.readers} readers, 2 app servers x {options.workers} sync workers, 1 writer")
    print(f"faults: {'; '.join(f'{t:.0f} s {what}' for t, what in run.faults)}")
    print(f"changes committed: {len(run.changes)}, failed: {len(run.write_failures)}")
    for failure in sorted(set(run.write_failures))[:5]:
        print(f"  write failure: {failure}")
    print(f"cache outage warnings logged: {warnings} (per app server, all its workers)")
    print(f"requests run again after a lost database connection: {retried}")
    print()
    print(f"{'page':<16} {'requests':>9} {'5xx':>5} {'stale':>6} {'no answer':>10} {'p50 ms':>8} {'p99 ms':>8}")
    for page in ["conditions list", "evidence map", "article", "other article", "all"]:
        reads = [r for r in run.reads if page in ("all", r.page)]
        if not reads:
            continue
        times = sorted((r.ended - r.started) * 1000 for r in reads)
        print(
            f"{page:<16} {len(reads):>9} {sum(r in errors for r in reads):>5} {sum(r in stale for r in reads):>6}"
            f" {sum(r in failed for r in reads):>10} {times[len(times) // 2]:>8.1f}"
            f" {times[min(len(times) - 1, int(len(times) * 0.99))]:>8.1f}"
        )
    for label, reads in (("stale", stale), ("error", errors), ("no answer", failed)):
        for read in reads[:5]:
            print(
                f"  {label}: {read.page} on {read.server}, {read.started - started:.1f} s to"
                f" {read.ended - started:.1f} s: {read.status}, showed {read.shown}"
            )


if __name__ == "__main__":
    sys.exit(main())
