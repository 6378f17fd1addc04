#!/usr/bin/env bash
# Requests per second, latency and size of every kind of public page, served by gunicorn as in production.
#
#   bench/load.sh                                                                   # SQLite, in a temporary folder
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/evidence_bench bench/load.sh    # PostgreSQL
#
# Builds the bench data set (bench/generate.py: 1,000 published articles, 100,000 claims, 3,000 of the
# approved ones about the first condition) in its own database, collects the static files, starts gunicorn
# on a free port (2 sync workers, DEBUG off, static files by WhiteNoise), warms every page up, then runs wrk
# (2 threads, 8 connections, 10 s, --latency) on each kind of public page, one after the other in the same
# run: /healthz, an article with 100 claims, the home page, the articles list's page 2, a topic page, the
# conditions list, the evidence map of the condition with 3,000 claims, a search, the feed, the sitemap
# and an article's JSON. It prints requests/s, p50 and p99 latency, the bytes of the body as sent (and
# as sent to a client asking for gzip, when the site compresses it) and each page's ratio to /healthz.
# Requests carry X-Forwarded-Proto: https, as from a load balancer that terminates HTTPS, so every
# page answers as on the live site (security headers and all) instead of redirecting to https. SITE_URL is
# the server's own address, so the sitemap, feed and JSON are stored for it as for the live site's host.
#
# A PostgreSQL database named in DATABASE_URL is created if it does not exist and kept afterwards
# (generate.py replaces its own rows on the next run); the SQLite database, the collected static
# files and the server are removed when the script ends (unless DATABASE_URL names a SQLite file).
#
# Environment: PYTHON (default .venv/bin/python), DURATION (10s), WARMUP (2s), CONNECTIONS (8),
# THREADS (2), WORKERS (2), ARTICLES (1000), CLAIMS (100000), MAP_CLAIMS (3000), GENERATE=0 to reuse
# the bench data already in DATABASE_URL, REBUILD=0 not to build every stored article page first (the
# measured article's is built by its first request), ONLY=word to load only the pages whose label
# holds it (and /healthz, the yardstick). A page that answers no request within DURATION shows 0.
# ACCEPT_ENCODING ("gzip, br": pages as browsers ask for them; unset: uncompressed).
# Installs nothing, except wrk from the Debian package when it is missing and the script runs as root.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-2}
ARTICLES=${ARTICLES:-1000}
CLAIMS=${CLAIMS:-100000}
MAP_CLAIMS=${MAP_CLAIMS:-3000}
GENERATE=${GENERATE:-1}
REBUILD=${REBUILD:-1}
ONLY=${ONLY:-}
ARTICLE_CLAIMS=100

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say() { echo "load.sh: $*" >&2; }

[ -x "$PYTHON" ] || { say "no Python at $PYTHON: run 'make install' first, or set PYTHON"; exit 1; }
if ! command -v wrk >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		say "installing wrk (Debian package)"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
	else
		say "install wrk first: sudo apt-get install wrk"
		exit 1
	fi
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/evidence-load.XXXXXX")
SERVER_PID=""
cleanup() {
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID"
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'say "stopped: line $LINENO failed"' ERR
trap 'exit 130' INT TERM

cd "$ROOT"
export DJANGO_SETTINGS_MODULE=config.settings
export DATABASE_URL=${DATABASE_URL:-sqlite:///$WORK/bench.sqlite3}
export STATIC_ROOT=$WORK/static MEDIA_ROOT=$WORK/media

case "$DATABASE_URL" in
postgres://* | postgresql://* | pgsql://*)
	DEBUG=1 "$PYTHON" - <<'PYTHON'
import os

import dj_database_url
import psycopg
from psycopg import sql

config = dj_database_url.parse(os.environ["DATABASE_URL"])
server = {key.lower(): config[key] for key in ("USER", "PASSWORD", "HOST", "PORT") if config.get(key)}
with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
    if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        print(f"load.sh: created database {config['NAME']}")
PYTHON
	;;
esac

say "migrating"
DEBUG=1 "$PYTHON" manage.py migrate --noinput --verbosity 0
if [ "$GENERATE" != 0 ]; then
	say "generating $ARTICLES articles and $CLAIMS claims, $MAP_CLAIMS of them mapped to one condition"
	DEBUG=1 "$PYTHON" bench/generate.py --articles "$ARTICLES" --claims "$CLAIMS" --condition-claims "$MAP_CLAIMS" >&2
fi
# Table statistics for the planner, which autovacuum gathers on a running server some time after a bulk load:
# before the stored pages are built (their queries need them) and after (for the stored pages' own table).
analyze() {
	case "$DATABASE_URL" in
	postgres://* | postgresql://* | pgsql://*)
		say "analyzing the tables"
		DEBUG=1 "$PYTHON" manage.py shell --verbosity 0 --command \
			"from django.db import connection; connection.cursor().execute('ANALYZE')"
		;;
	esac
}
analyze
if [ "$REBUILD" != 0 ]; then
	say "building the stored article pages, as a release does"
	DEBUG=1 "$PYTHON" manage.py rebuild_article_pages >&2
	analyze
fi

# The pages to load, as "label|path" lines, chosen from the generated data: an article with (about) 100
# claims, the topic with the most articles, the condition with the most mapped claims.
PAGES=$(DEBUG=1 ARTICLE_CLAIMS=$ARTICLE_CLAIMS ONLY=$ONLY "$PYTHON" - <<'PYTHON'
import os

import django

django.setup()
from django.db import connection
from django.db.models import Count, F
from django.db.models.functions import Abs
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article
from claims.models import Claim, Condition
from claims.selectors import mapped_claims

wanted = int(os.environ["ARTICLE_CLAIMS"])
article = (
    Article.objects.published()
    .filter(slug__startswith="bench-")
    .annotate(claim_count=Count("claims"))
    .order_by(Abs(F("claim_count") - wanted), "slug")
    .first()
)
busiest = (
    mapped_claims()
    .filter(condition__slug__startswith="bench-")
    .values("condition_id")
    .annotate(n=Count("pk"))
    .order_by("-n", "condition_id")
    .values_list("condition_id", "n")
    .first()
)
tag = (
    Tag.objects.filter(slug__startswith="bench-")
    .annotate(n=Count("taggit_taggeditem_items"))
    .order_by("-n", "slug")
    .first()
)
if article is None or busiest is None or tag is None:
    raise SystemExit("load.sh: no published bench data in this database; run without GENERATE=0")
condition = Condition.objects.get(pk=busiest[0])
bench_claims = Claim.objects.filter(article__slug__startswith="bench-").count()
print(f"#data|{Article.objects.filter(slug__startswith='bench-').count()} articles, {bench_claims} claims")
if connection.vendor == "sqlite":
    version = connection.Database.sqlite_version
else:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
print(f"#database|{connection.vendor} {version}")
pages = [
    ("/healthz", "/healthz"),
    (f"article ({article.claim_count} claims)", article.get_absolute_url()),
    ("home", "/"),
    ("articles list, page 2", "/?page=2"),
    (f"topic ({tag.n} articles)", reverse("articles:tag-detail", kwargs={"slug": tag.slug})),
    ("conditions list", reverse("claims:condition-list")),
    (f"evidence map ({busiest[1]} claims)", condition.get_absolute_url()),
    ("search", reverse("search") + "?q=breathlessness"),
    ("feed", reverse("feed")),
    ("sitemap", "/sitemap.xml"),
    ("article JSON", reverse("claims:article-json", kwargs={"slug": article.slug})),
]
only = os.environ["ONLY"]
for label, path in pages:
    if path == "/healthz" or only in label:
        print(f"{label}|{path}")
PYTHON
)

say "collecting static files"
DEBUG=0 SECRET_KEY=collectstatic "$PYTHON" manage.py collectstatic --noinput --verbosity 0

PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
say "starting gunicorn on $BASE ($WORKERS sync workers)"
DEBUG=0 SECRET_KEY=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=127.0.0.1 SITE_URL=https://127.0.0.1:$PORT BEHIND_PROXY=1 \
	"$PYTHON" -m gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" --worker-class sync \
	--no-control-socket --error-logfile "$WORK/gunicorn.log" &
SERVER_PID=$!

HEADER="X-Forwarded-Proto: https"
# ACCEPT_ENCODING="gzip, br" loads the pages as browsers ask for them (compressed); unset, uncompressed.
ENCODING_HEADER="Accept-Encoding: ${ACCEPT_ENCODING:-identity}"
for _ in $(seq 100); do
	curl -sf -o /dev/null -H "$HEADER" "$BASE/healthz" && break
	kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/gunicorn.log" >&2; say "gunicorn did not start"; exit 1; }
	sleep 0.2
done

# A sync worker finishes every request it has accepted, even after wrk has hung up, so a slow page's
# queue is drained before the next page is measured: until /healthz answers promptly.
settle() {
	for _ in $(seq 600); do
		if seconds=$(curl -sf -o /dev/null -w '%{time_total}' -H "$HEADER" "$BASE/healthz"); then
			awk -v s="$seconds" 'BEGIN {exit !(s < 0.05)}' && return 0
		fi
		sleep 0.1
	done
	say "the server is still busy"
	exit 1
}

SIZES=()
while IFS='|' read -r label path; do
	[[ $label == \#* ]] && continue
	read -r status size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' -H "$HEADER" "$BASE$path")
	gzipped=$(curl -s -o /dev/null -w '%{size_download}' -H "$HEADER" -H "Accept-Encoding: gzip" "$BASE$path")
	SIZES+=("$size|$gzipped")
	if [ "$status" != 200 ]; then
		cat "$WORK/gunicorn.log" >&2
		say "$path answered $status, not 200"
		exit 1
	fi
	say "warming up $path"
	wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" --timeout 60s -H "$HEADER" -H "$ENCODING_HEADER" "$BASE$path" >/dev/null
	settle
done <<<"$PAGES"

# Latencies as wrk prints them (850.00us, 3.21ms, 1.20s, 1.50m) in milliseconds.
to_ms() {
	awk -v value="$1" 'BEGIN {
		if (value ~ /us$/) printf "%.1f\n", substr(value, 1, length(value) - 2) / 1000
		else if (value ~ /ms$/) printf "%.1f\n", substr(value, 1, length(value) - 2)
		else if (value ~ /s$/) printf "%.1f\n", substr(value, 1, length(value) - 1) * 1000
		else if (value ~ /m$/) printf "%.1f\n", substr(value, 1, length(value) - 1) * 60000
		else print "?"
	}'
}

RESULTS=()
PROBLEMS=()
while IFS='|' read -r label path; do
	[[ $label == \#* ]] && continue
	say "loading $path for $DURATION"
	output=$(wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --timeout 60s --latency -H "$HEADER" -H "$ENCODING_HEADER" "$BASE$path")
	rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$output")
	if awk -v rps="$rps" 'BEGIN {exit !(rps > 0)}'; then
		p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$output")")
		p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$output")")
	else
		# Every request took longer than the run: the page is shown at 0 requests/s, with no latencies.
		rps=0 p50=- p99=-
		PROBLEMS+=("$path: no request was answered within $DURATION")
	fi
	RESULTS+=("$label|$path|$rps|$p50|$p99")
	settle
	problem=$(grep -E "Non-2xx|Socket errors" <<<"$output" || true)
	[ -z "$problem" ] || PROBLEMS+=("$path: $problem")
done <<<"$PAGES"

database=$(grep '^#database|' <<<"$PAGES" | cut -d'|' -f2)
data=$(grep '^#data|' <<<"$PAGES" | cut -d'|' -f2)
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC')  $(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GB RAM, $("$PYTHON" --version)"
echo "load average when the bench started: $LOAD_BEFORE (other work on the machine lowers the numbers)"
echo "database: $database ($data); $("$PYTHON" -m gunicorn --version) with $WORKERS sync workers, DEBUG off"
echo "cache: ${CACHE_URL:-none}; wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per page, $ENCODING_HEADER"
echo
healthz=""
printf '%-28s %-44s %10s %8s %8s %9s %9s %12s\n' page path "requests/s" "p50 ms" "p99 ms" "bytes" "gzip" "vs /healthz"
for index in "${!RESULTS[@]}"; do
	IFS='|' read -r label path rps p50 p99 <<<"${RESULTS[$index]}"
	IFS='|' read -r size gzipped <<<"${SIZES[$index]}"
	# The size sent to a client asking for gzip, when the site compresses this page; "-" when it does not.
	[ "$gzipped" != "$size" ] || gzipped=-
	healthz=${healthz:-$rps}
	ratio=$(awk -v a="$rps" -v b="$healthz" 'BEGIN {r = a / b; printf (r >= 0.1 ? "%.2f" : "%.2g"), r}')
	printf '%-28s %-44s %10.1f %8s %8s %9s %9s %12s\n' "$label" "$path" "$rps" "$p50" "$p99" "$size" "$gzipped" \
		"${ratio}x"
done
for problem in "${PROBLEMS[@]}"; do
	echo "warning: $problem"
done
