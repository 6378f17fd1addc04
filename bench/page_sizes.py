"""The bytes of the stored page of the bench's longest article, section by section.

    DEBUG=1 .venv/bin/python bench/page_sizes.py                   # builds 200 articles, 20,000 claims
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/page_sizes.py --keep
    DEBUG=1 .venv/bin/python bench/page_sizes.py --largest 140    # bench-article-0 with 140 claims

Without --keep it fills the database DATABASE_URL names (migrated first), or without it a throw-away
SQLite database of its own (bench/scratch_django.py), with
`generate.py --articles 200 --claims 20000 [--largest N]`, whose first article, `bench-article-0`, has
100 claims (N with --largest), about seven in ten of them approved and so on readers' page; with
--keep it reads the data already there. It builds that article's stored page as readers get it
(claims.pages.stored.build) and prints, for the whole page and for each part of it, the bytes
uncompressed, gzipped (the stored copy's level) and brotli (the stored copy's quality).
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402  (the bench's own data set)
import scratch_django  # noqa: E402

SLUG = "bench-article-0"

# Each part as the text from the first pattern's match up to the next part's (or the end of the page).
PARTS = [
    ("head (JSON-LD aside)", r"<!DOCTYPE"),
    ("body", r'<div class="article__body">'),
    ("evidence notes", r'<section class="evidence-notes"'),
    ("conditions", r'<nav class="article__conditions"'),
    ("references", r'<section class="references"'),
    ("changes and footer", r"</section>\s*(?!.*<section class=\"references\")"),
]


def parts(html: str) -> list[tuple[str, str]]:
    """The page cut at each part's first marker, in page order; a part not on the page is left out."""
    starts = []
    for name, pattern in PARTS:
        match = re.search(pattern, html, flags=re.S | re.I)
        if match:
            starts.append((match.start(), name))
    # The changes and footer start after the References' own end, not at the first </section>.
    references = re.search(r'<section class="references".*?</section>', html, flags=re.S)
    starts = [(s, n) for s, n in starts if n != "changes and footer"]
    if references:
        starts.append((references.end(), "changes and footer"))
    starts.sort()
    ends = [start for start, _ in starts[1:]] + [len(html)]
    cut = [(name, html[start:end]) for (start, name), end in zip(starts, ends, strict=True)]
    json_ld = "".join(re.findall(r'<script type="application/ld\+json">.*?</script>', html, flags=re.S))
    return [("JSON-LD", json_ld)] + [
        (name, text.replace(json_ld, "") if name.startswith("head") else text) for name, text in cut
    ]


def sizes(text: str) -> tuple[int, int, int]:
    from claims.pages.stored import compressed

    content = text.encode()
    gzipped, brotli = compressed(content)
    return len(content), len(gzipped), len(brotli)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="read the data already in DATABASE_URL")
    parser.add_argument("--largest", type=int, help="claims on bench-article-0 (generate.py's --largest)")
    options = parser.parse_args()
    if options.keep or os.environ.get("DATABASE_URL"):
        generate.start_django()
    else:
        scratch_django.start_django()  # a new, migrated database, gone with the process
    from django.core.management import call_command

    if not options.keep:
        call_command("migrate", verbosity=0)
        generate.remove_earlier_run()
        generate.generate(200, 20_000, seed=1, largest=options.largest)
    from articles.models import Article
    from claims.pages.stored import build

    article = Article.objects.get(slug=SLUG)
    started = time.perf_counter()
    page = build(article.pk)
    took = (time.perf_counter() - started) * 1000
    print(f"{SLUG}: {page.claim_count} claims, built in {took:.0f} ms")
    print(f"{'part':24} {'bytes':>9} {'gzip':>8} {'brotli':>8}")
    for name, text in parts(page.page):
        print(f"{name:24} {sizes(text)[0]:9,} {sizes(text)[1]:8,} {sizes(text)[2]:8,}")
    print(f"{'whole page (stored)':24} {len(page.page.encode()):9,} {len(page.page_gzip):8,} {len(page.page_br):8,}")


if __name__ == "__main__":
    main()
