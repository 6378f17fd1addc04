"""Look up 10,000 sources against a local fake of PubMed, Crossref and ClinicalTrials.gov.

Run: DEBUG=1 .venv/bin/python bench/source_lookups.py [--sources 10000] [--workers 6] [--scale 50]

Starts a small threaded http.server on 127.0.0.1 that answers the three services' requests in their
documented shapes (esummary JSON, efetch XML, esearch JSON for a DOI, /works/{doi} JSON,
/api/v2/studies/{nct} JSON; a DOI's look-up also asks PubMed for it, and one in two is found) and
notes when each request arrived. Points the look-ups' base addresses at it, makes the sources in a
throw-away SQLite database (scratch_django.py), a third each PubMed IDs, DOIs and NCT numbers (one
PubMed paper in two with a DOI, so also looked up at Crossref), and has `--workers` threads look
them up through `claims.source_metadata.look_up`, as several task workers would, sharing the rate
limits through the database. The real limits (3, 5 and 0.8 requests a second) would make 10,000
sources take hours, so each is multiplied by `--scale`; what is measured is that the limiter holds
whatever the limit: the most requests any service received in one second is reported beside its
limit. Also reported: the wall time, look-ups a second, and the process's peak resident memory.
"""

import argparse
import json
import logging
import queue
import resource
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from scratch_django import start_django

ARRIVALS = {"pubmed": [], "crossref": [], "clinicaltrials": []}
LOCK = threading.Lock()


def summary(pmid):
    with_doi = int(pmid) % 2 == 0
    return {
        "header": {"type": "esummary", "version": "0.3"},
        "result": {
            "uids": [pmid],
            pmid: {
                "uid": pmid,
                "pubdate": "2020 Jan",
                "title": f"A randomised trial number {pmid}.",
                "fulljournalname": "Journal of Benches",
                "authors": [{"name": "Bench A", "authtype": "Author"}],
                "pubtype": ["Journal Article", "Randomized Controlled Trial"],
                "articleids": [{"idtype": "doi", "value": f"10.5555/bench.{pmid}"}] if with_doi else [],
            },
        },
    }


def fetched(pmid):
    return (
        f'<?xml version="1.0" ?><PubmedArticleSet><PubmedArticle><MedlineCitation Status="MEDLINE">'
        f"<PMID>{pmid}</PMID><Article><PublicationTypeList>"
        f"<PublicationType>Randomized Controlled Trial</PublicationType></PublicationTypeList></Article>"
        f"<MeshHeadingList><MeshHeading><DescriptorName>Humans</DescriptorName></MeshHeading>"
        f"</MeshHeadingList></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )


def searched(term):
    """PubMed's search by DOI: one cohort paper in two is indexed there (its PMID made from the DOI's number)."""
    number = term.removesuffix("[doi]").rsplit(".", 1)[-1]
    found = [str(40_000_000 + int(number))] if number.isdigit() and int(number) % 2 == 0 else []
    return {"header": {"type": "esearch"}, "esearchresult": {"count": str(len(found)), "idlist": found}}


def work(doi):
    return {
        "status": "ok",
        "message-type": "work",
        "message": {
            "DOI": doi,
            "type": "journal-article",
            "title": [f"A cohort study {doi}"],
            "container-title": ["Bench Epidemiology"],
            "author": [{"given": "Ann", "family": "Bench"}],
            "issued": {"date-parts": [[2021, 5, 1]]},
        },
    }


def study(nct):
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct, "briefTitle": f"Trial {nct}"},
            "statusModule": {"overallStatus": "COMPLETED", "lastUpdatePostDateStruct": {"date": "2024-02-01"}},
            "designModule": {
                "studyType": "INTERVENTIONAL",
                "phases": ["PHASE3"],
                "designInfo": {"allocation": "RANDOMIZED"},
                "enrollmentInfo": {"count": 200},
            },
        },
        "hasResults": False,
    }


class FakeServices(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, service, body, kind="application/json"):
        with LOCK:
            ARRIVALS[service].append(time.monotonic())
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        parts = urlsplit(self.path)
        params = {key: values[0] for key, values in parse_qs(parts.query).items()}
        if parts.path.endswith("/esummary.fcgi"):
            return self.answer("pubmed", summary(params["id"]))
        if parts.path.endswith("/efetch.fcgi"):
            return self.answer("pubmed", fetched(params["id"]), "text/xml")
        if parts.path.endswith("/esearch.fcgi"):
            return self.answer("pubmed", searched(params["term"]))
        if parts.path.startswith("/works/"):
            return self.answer("crossref", work(parts.path.removeprefix("/works/")))
        if parts.path.startswith("/api/v2/studies/"):
            return self.answer("clinicaltrials", study(parts.path.rsplit("/", 1)[1]))
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()


def most_in_one_second(times):
    """The most arrivals in any one-second window [t, t + 1)."""
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--scale", type=float, default=50.0, help="multiplies each service's rate limit")
    options = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeServices)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    start_django()
    from django.conf import settings
    from django.db import connection, connections

    from claims import source_metadata
    from claims.models import Outcome, Source, SourceRecord

    settings.SOURCE_LOOKUPS = False  # the sources are made first, without enqueuing anything
    settings.LOOKUP_PUBMED_URL = base + "/entrez/eutils"
    settings.LOOKUP_CROSSREF_URL = base
    settings.LOOKUP_CLINICALTRIALS_URL = base + "/api/v2"
    limits = {service: rate * options.scale for service, rate in settings.LOOKUP_RATES.items()}
    settings.LOOKUP_RATES = limits
    # Several threads write at once, as several workers would: SQLite needs its write-ahead log and
    # transactions that take the write lock at their start (a read upgraded to a write is refused at once).
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
    options_of = connections.settings["default"].setdefault("OPTIONS", {})
    options_of["transaction_mode"] = "IMMEDIATE"
    # A throw-away database: commits need not wait for the disk.
    options_of["init_command"] = options_of.get("init_command", "") + "; PRAGMA synchronous=NORMAL"
    connections.close_all()
    logging.getLogger("httpx").setLevel(logging.WARNING)

    kinds = [Source.Kind.PMID, Source.Kind.DOI, Source.Kind.NCT]
    identifiers = {
        Source.Kind.PMID: lambda n: str(30_000_000 + n),
        Source.Kind.DOI: lambda n: f"10.5555/cohort.{n}",
        Source.Kind.NCT: lambda n: f"NCT{n:08d}",
    }
    Source.objects.bulk_create(
        Source(kind=kinds[n % 3], identifier=identifiers[kinds[n % 3]](n)) for n in range(options.sources)
    )
    waiting = queue.Queue()
    for pk in Source.objects.order_by("?").values_list("pk", flat=True):
        waiting.put(pk)
    settings.SOURCE_LOOKUPS = True

    failures, done = [], []

    def worker():
        try:
            while True:
                try:
                    pk = waiting.get_nowait()
                except queue.Empty:
                    return
                try:
                    source_metadata.look_up(pk)
                except Exception as error:  # counted and reported: the bench goes on
                    failures.append(repr(error))
                done.append(pk)
                if len(done) % 1000 == 0:
                    print(f"  {len(done):,} looked up after {time.monotonic() - began:.0f} s", flush=True)
        finally:
            connection.close()

    settings.DEBUG = False  # no query log kept per connection
    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(options.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    server.shutdown()

    looked_up = SourceRecord.objects.filter(outcome=Outcome.LOOKED_UP).count()
    print(f"{options.sources:,} sources, {options.workers} workers, limits x{options.scale:g}")
    print(f"Looked up: {looked_up:,}; failures: {len(failures)}" + (f" (first: {failures[0]})" if failures else ""))
    print(f"Wall time: {elapsed:.1f} s ({options.sources / elapsed:.0f} look-ups a second)")
    resident = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory: {resident:.0f} MB resident")
    held = True
    for service, times in ARRIVALS.items():
        times.sort()
        busiest = most_in_one_second(times)
        span = (times[-1] - times[0]) if len(times) > 1 else 0
        average = (len(times) - 1) / span if span else 0
        ok = busiest <= limits[service] + 1e-9
        held = held and ok
        print(
            f"{service:15} {len(times):6,} requests, {average:6.1f}/s on average, at most {busiest} in one second "
            f"(limit {limits[service]:g}/s): {'held' if ok else 'EXCEEDED'}"
        )
    raise SystemExit(0 if held and not failures else 1)


if __name__ == "__main__":
    main()
