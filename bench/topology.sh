#!/usr/bin/env bash
# The production topology on this machine, for 60 s of reads and writes: Varnish in front of two gunicorn app
# servers, a database task worker, PostgreSQL and Redis, all on loopback; prints requests/s, 5xx and stale answers.
#
#   bench/topology.sh                                   # PostgreSQL at 127.0.0.1:5432, database evidence_topology
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/other bench/topology.sh --seconds 30
#
# bench/topology.py does the work and says what it measures; this checks what it needs first. Starts PostgreSQL
# (the machine's cluster, as .ci/run does) when it is not answering; installs nothing.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
say() { echo "topology.sh: $*" >&2; }

[ -x "$PYTHON" ] || { say "no Python at $PYTHON: run 'make install' first, or set PYTHON"; exit 1; }
for program in varnishd redis-server; do
	command -v "$program" >/dev/null 2>&1 || [ -x "/usr/sbin/$program" ] || {
		say "$program is missing: apt-get install varnish redis-server"; exit 1; }
done
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
	say "PostgreSQL is not answering at 127.0.0.1:5432; starting the machine's cluster"
	pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
	for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
cd "$ROOT"
exec "$PYTHON" bench/topology.py "$@"
