"""Public pages through Varnish in front of gunicorn: the hit ratio under wrk, and approvals seen after their purge.

    .venv/bin/python bench/varnish.py                                        # SQLite, in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evidence_varnish .venv/bin/python bench/varnish.py

Builds a small data set (bench/generate.py, --articles and --claims) in a database of its own, then starts
on free loopback ports: gunicorn (2 sync workers, DEBUG off, PURGE_BACKEND=varnish), a database task worker
(`manage.py db_worker`, which sends the purges) and varnishd with deploy/varnish/default.vcl (its backend port
set to gunicorn's, 64 MB of memory). Then:

1. reads: wrk (2 threads, 8 connections, --seconds) requests, at random, the home page, the conditions list,
   every topic, every condition's evidence map and every article, through Varnish, while this process changes a
   claim every --write-every seconds (approving it, then withdrawing the approval), each change purged by the
   worker; prints wrk's requests/s and latency and Varnish's own hits and misses (varnishstat) for the run;
2. visibility: --approvals times, an article page is read through Varnish until it is a hit, one of its claims
   is approved, and once the worker has sent the purge the next request is made: it must show the approval.
   Prints how many did, the wait from the commit to the purge sent, and how many requests made meanwhile
   (every 20 ms) still got the page of before the approval, which Varnish may serve until the purge arrives.

Exits with 1 when any approval was not shown on the request after its purge. Stops all it started and removes
its folder. Installs nothing: needs varnishd and wrk (apt-get install varnish wrk).
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.faults import AppServer, choose_claims, get, prepare_database, production_env, wait_until  # noqa: E402
from tests.public.varnish import running_varnish  # noqa: E402

PYTHON = os.environ.get("PYTHON", sys.executable)
POLL_SECONDS = 0.02

WRK_SCRIPT = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["Host"] = "127.0.0.1", ["X-Forwarded-Proto"] = "https"})
end
"""


def say(message):
    print(f"varnish.py: {message}", file=sys.stderr, flush=True)


def varnish_counters(work_dir):
    """{counter: value} of Varnish's hits, misses and purges, read from its shared memory with varnishstat."""
    time.sleep(2)  # the worker threads add their counts to the totals every second or so
    names = ["MAIN.client_req", "MAIN.cache_hit", "MAIN.cache_miss", "MAIN.cache_hitpass", "MAIN.n_purges"]
    command = ["varnishstat", "-n", str(work_dir), "-1", "-j"] + [arg for name in names for arg in ("-f", name)]
    answer = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    counters = answer.get("counters", answer)
    return {name: counters[name]["value"] for name in names if name in counters}


def public_paths():
    from taggit.models import Tag

    from articles.models import Article
    from claims.selectors import mapped_conditions

    paths = ["/", "/conditions/", "/feed/", "/sitemap.xml", "/evidence/"]
    paths += [article.get_absolute_url() for article in Article.objects.filter(slug__startswith="bench-")]
    paths += [condition.get_absolute_url() for condition in mapped_conditions()]
    paths += [f"/tags/{tag.slug}/" for tag in Tag.objects.all()]
    return paths


def publish_all():
    """Give each bench article a live revision, as migration claims 0016 did for articles published before
    revisions existed: bench/generate.py writes published articles without one, which readers cannot see."""
    from articles.models import Article
    from claims import pages
    from claims.publishing import record_live_revision

    for article in Article.objects.filter(slug__startswith="bench-"):
        record_live_revision(article)
    pages.rebuild_all(stale_only=False)


def toggle(claim_id, editor, reviewer, committed=None):
    """Approve the claim, or withdraw its approval as the claim form does, and publish its article's draft as
    the new live revision; True when it is approved after.

    Published without the gate (claims.publishing.record_live_revision, as the tests' `published` shortcut):
    what is measured is how the change reaches readers, not the gate's checks of generated prose.
    """
    from django.db import transaction

    from articles.models import Article
    from claims import pages
    from claims.models import Claim
    from claims.publishing import record_live_revision
    from claims.services import claim_approve, claim_record_change, claim_withdraw_approval

    with transaction.atomic():
        if committed is not None:  # first of the callbacks the commit runs: before the page's rebuild and the purge
            transaction.on_commit(lambda: committed.append(time.time()))
        claim = Claim.objects.select_for_update().get(pk=claim_id)
        approving = not claim.is_approved
        if approving:
            claim_approve(claim=claim, reviewer=reviewer, override_reason="Bench: approved as worded.")
        else:
            old = claim.explanation
            claim.explanation = old + " Again." if not old.endswith(" Again.") else old.removesuffix(" Again.")
            reason = claim_record_change(claim=claim, user=editor, changed_fields={"explanation"}, old_explanation=old)
            claim.save()
            claim_withdraw_approval(claim=claim, actor=editor, reason=reason)
        record_live_revision(Article.objects.get(pk=claim.article_id), replace=True)
        pages.mark_stale([claim.article_id])
    return approving


def writes(claim_ids, every, stop, done):
    from django.contrib.auth import get_user_model
    from django.db import connection

    users = get_user_model().objects
    editor, reviewer = users.get(username="bench-editor"), users.get(username="bench-reviewer")
    while not stop.wait(every):
        toggle(random.choice(claim_ids), editor, reviewer)
        done.append(time.monotonic())
    connection.close()


def purge_sent_after(moment):
    """When the first purge task enqueued after `moment` (a datetime) finished successfully, or None."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.filter(task_path__endswith="purge_public_pages", enqueued_at__gte=moment)
    done = tasks.filter(status=TaskResultStatus.SUCCESSFUL).order_by("finished_at").first()
    return done.finished_at.timestamp() if done else None


def shows_approved(html):
    return html.count('data-evidence="') - html.count('data-evidence="under-review"')


def visibility(varnish_port, article, claim_ids, trials):
    """Per approval: (shown on the request after its purge, seconds from commit to purge, old pages served since)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from claims.models import Claim

    users = get_user_model().objects
    editor, reviewer = users.get(username="bench-editor"), users.get(username="bench-reviewer")
    path = article.get_absolute_url()
    outcomes = []
    while len(outcomes) < trials:
        pending = list(Claim.objects.filter(pk__in=claim_ids).exclude(review_state=Claim.ReviewState.APPROVED))
        if not pending:
            for claim_id in claim_ids:
                toggle(claim_id, editor, reviewer)  # withdraw every approval, then start again
            time.sleep(2)
            continue
        try:
            wait_until(lambda: varnish_hit(varnish_port, path), 30, "the article kept by Varnish")
        except RuntimeError:
            import http.client

            conn = http.client.HTTPConnection("127.0.0.1", varnish_port, timeout=30)
            conn.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
            response = conn.getresponse()
            say(f"{response.status} {response.getheaders()}")
            raise
        before = shows_approved(get(varnish_port, path)[1])
        moment, stamps = timezone.now(), []
        toggle(pending[0].pk, editor, reviewer, committed=stamps)
        committed, old_answers = stamps[0], 0
        while (sent := purge_sent_after(moment)) is None and time.time() - committed < 60:
            if shows_approved(get(varnish_port, path)[1]) == before:
                old_answers += 1
            time.sleep(POLL_SECONDS)
        lag = (sent or time.time()) - committed
        status, body = get(varnish_port, path)
        outcomes.append((status == 200 and shows_approved(body) == before + 1, lag, old_answers))
    return outcomes


def varnish_hit(port, path):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        response.read()
        return response.getheader("X-Cache") == "HIT"
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="how long wrk reads (default 20)")
    parser.add_argument("--write-every", type=float, default=1.0, help="seconds between changes while wrk reads")
    parser.add_argument("--approvals", type=int, default=10, help="approvals whose visibility is checked")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--claims", type=int, default=5000)
    options = parser.parse_args()
    for program in ("varnishd", "wrk", "varnishstat"):
        if shutil.which(program) is None and not Path(f"/usr/sbin/{program}").exists():
            parser.error(f"{program} is not installed (apt-get install varnish wrk)")

    work = Path(tempfile.mkdtemp(prefix="evidence-varnish."))
    server = worker = None
    try:
        env = production_env(
            work,
            f"sqlite:///{work / 'varnish.sqlite3'}",
            CACHE_URL="",
            TASKS_BACKEND="db",
            PURGE_BACKEND="varnish",
            CDN_S_MAXAGE="3600",
        )
        prepare_database(env, options.articles, options.claims)
        server = AppServer("A", env, work, options.workers)
        with running_varnish(server.port, memory="64m", keep_work=work / "varnish") as address:
            varnish_port = int(address.rsplit(":", 1)[1])
            # Readers' requests carry Host: 127.0.0.1 (bench.faults.get, the wrk script): the purges name the same.
            env.update(PURGE_VARNISH_URLS=address, SITE_URL="http://127.0.0.1")
            server.env = env
            os.environ.update(env)  # this process writes, as a third app process with the same settings
            import django

            django.setup()
            publish_all()
            article, _, claim_ids = choose_claims()
            server.start()
            log = open(work / "worker.log", "ab")  # noqa: SIM115 (closed with the worker)
            command = [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.1"]
            worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
            wait_until(lambda: get(varnish_port, "/healthz")[0] == 200, 30, "the site answering through Varnish")
            paths = public_paths()
            (work / "paths.txt").write_text("\n".join(paths) + "\n")
            (work / "paths.lua").write_text(WRK_SCRIPT % {"paths": work / "paths.txt"})
            say(f"{len(paths)} public addresses; warming Varnish up")
            statuses = {}
            for path in paths:
                status = get(varnish_port, path)[0]
                statuses[status] = statuses.get(status, 0) + 1
            say(f"answers while warming up: {statuses}")

            before = varnish_counters(work / "varnish")
            stop, done = threading.Event(), []
            writer = threading.Thread(target=writes, args=(claim_ids, options.write_every, stop, done))
            writer.start()
            wrk = subprocess.run(
                ["wrk", "-t2", "-c8", f"-d{options.seconds}s", "--latency", "-s", str(work / "paths.lua"), address],
                capture_output=True,
                text=True,
            )
            stop.set()
            writer.join()
            after = varnish_counters(work / "varnish")
            say("the same reads straight from gunicorn, without writes")
            direct = subprocess.run(
                ["wrk", "-t2", "-c8", f"-d{options.seconds}s", "--latency", "-s", str(work / "paths.lua")]
                + [f"http://127.0.0.1:{server.port}"],
                capture_output=True,
                text=True,
            )
            seen = visibility(varnish_port, article, claim_ids, options.approvals)
            report(wrk.stdout, direct.stdout, before, after, len(done), len(paths), seen, options)
            return 0 if seen and all(shown for shown, _, _ in seen) else 1
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        if server is not None:
            server.stop()
        if os.environ.get("KEEP_WORK"):
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def wrk_lines(output):
    lines = [line.strip() for line in output.splitlines()]
    return [
        line for line in lines if line.startswith(("Requests/sec", "Non-2xx", "50%", "99%")) or "requests in" in line
    ]


def report(through, direct, before, after, changes, addresses, seen, options):
    delta = {name: after.get(name, 0) - before.get(name, 0) for name in after}
    hits, misses = delta["MAIN.cache_hit"], delta["MAIN.cache_miss"]
    print()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  {os.cpu_count()} CPUs")
    print(f"{options.seconds} s of wrk (2 threads, 8 connections) over {addresses} public addresses, through Varnish")
    print(f"gunicorn {options.workers} sync workers; {changes} claim changes meanwhile, each purged by the worker")
    for line in wrk_lines(through):
        print(f"  wrk: {line}")
    print(
        f"  Varnish: {delta['MAIN.client_req']} requests, {hits} hits, {misses} misses,"
        f" {delta['MAIN.cache_hitpass']} passes, hit ratio {hits / max(1, hits + misses):.1%},"
        f" {delta['MAIN.n_purges']} objects purged"
    )
    print("the same reads straight from gunicorn, no writes:")
    for line in wrk_lines(direct):
        print(f"  wrk: {line}")
    shown = sum(1 for ok, _, _ in seen if ok)
    lags = sorted(lag for _, lag, _ in seen)
    print(f"approvals shown through Varnish on the request after their purge: {shown} of {len(seen)}")
    if lags:
        print(
            f"  commit to purge sent: median {lags[len(lags) // 2] * 1000:.0f} ms, max {lags[-1] * 1000:.0f} ms;"
            f" old page served meanwhile (a request every {POLL_SECONDS * 1000:.0f} ms): {sum(o for _, _, o in seen)}"
        )


if __name__ == "__main__":
    sys.exit(main())
