"""Every place that tells Django some text is already safe HTML, each one reviewed.

A new mark_safe, SafeString, |safe or autoescape off fails this test until someone has checked
that no editor's or user's text reaches it unescaped or unsanitised, and listed it here with why.
(format_html escapes its arguments, so it is not listed.)
"""

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ["articles", "claims", "config", "notifications", "ops", "templates"]
MARKS_SAFE = re.compile(r"mark_safe\(|SafeString\(|SafeText\(|\|\s*safe(?:seq)?\b|autoescape\s+off|is_safe\s*=\s*True")

REVIEWED = {
    # The stored body passed nh3 on save; text between its tags is re-escaped and every inserted
    # tag is built with format_html.
    "claims/pages/badges.py": 1,
    # The stored article page: built by claims.pages from the body above (badges.py) and from
    # templates that autoescape every value; nothing else writes it.
    "claims/models/stored_pages.py": 2,
    # json.dumps output with <, > and & escaped as \u003C, \u003E, \u0026: no </script> or <!--.
    "claims/pages/jsonld.py": 1,
    # Snippets: the whole text is escaped first, then only <mark> and </mark> are added.
    "claims/search.py": 3,
    # A fixed "<br>" separator between source links that format_html_join escapes.
    "claims/admin/queue.py": 1,
    # A fixed "<br>" separator between integrity flags, whose words are fixed too.
    "claims/admin/review.py": 1,
    # A plain-text email: nothing in it is read as HTML.
    "templates/claims/email/review_due.txt": 1,
    # Plain-text notification e-mails, one at a time and the daily digest: nothing in them is read as HTML.
    "templates/notifications/email/notification.txt": 1,
    "templates/notifications/email/digest.txt": 1,
}


def test_every_use_of_safe_markup_has_been_reviewed():
    found = Counter()
    for folder in SCANNED:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt", ".xml"} or "migrations" in path.parts:
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                if MARKS_SAFE.search(line) and not line.lstrip().startswith(("from ", "import ")):
                    found[path.relative_to(ROOT).as_posix()] += 1
    assert dict(found) == REVIEWED
