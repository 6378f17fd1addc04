"""Crossref's REST API: /works/{doi}, its JSON's `message`.

The message gives `type` ("journal-article", "posted-content" for a preprint…), `title` and
`container-title` (lists), `author` ([{"family", "given"}]), `issued` ({"date-parts": [[y, m, d]]}),
`updated-by` (the notices updating this work: [{"type": "retraction" | "correction" |
"expression_of_concern" | …, "DOI", "updated": {"date-parts"}, "source", "label"}]), `update-to` (the
works this one, a notice, updates) and `relation` ({"is-preprint-of": [{"id", "id-type"}], …}).
Requests carry a User-Agent with the contact email, which puts them in Crossref's polite pool.
"""

import json
from urllib.parse import quote

from .errors import LookupFailed, NotFound
from .http import get

KINDS = {
    "retraction": "retraction",
    "partial_retraction": "retraction",
    "withdrawal": "withdrawal",
    "removal": "withdrawal",
    "correction": "correction",
    "erratum": "correction",
    "corrigendum": "correction",
    "expression_of_concern": "expression_of_concern",
}
RELATIONS = ("is-preprint-of", "has-preprint", "is-version-of", "has-version")


def look_up(http, doi) -> dict:
    return parse_work(get(http, "crossref", "/works/" + quote(doi, safe="/:;()")))


def _date(value) -> str:
    try:
        parts = [int(p) for p in value["date-parts"][0] if p is not None]
    except (KeyError, IndexError, TypeError, ValueError):
        return ""
    return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts[:3]))


def _updates(items, direction) -> list[dict]:
    return [
        {
            "kind": KINDS.get(str(item.get("type", "")).lower().replace("-", "_"), "other"),
            "direction": direction,
            "date": _date(item.get("updated", {})),
            "doi": str(item.get("DOI", "")).lower(),
            "source": "Crossref" + (f" ({item['source']})" if item.get("source") else ""),
        }
        for item in items
        if isinstance(item, dict)
    ]


def parse_work(body: bytes) -> dict:
    try:
        data = json.loads(body)
        message = data["message"]
        if not isinstance(message, dict):
            raise TypeError("message is not a work")
        if not message:
            raise NotFound("Crossref does not know it")
        authors = []
        for author in message.get("author", []):
            family = str(author.get("family") or author.get("name") or "").strip()
            initials = "".join(part[0] for part in str(author.get("given", "")).replace("-", " ").split() if part)
            if family:
                authors.append(f"{family} {initials}".strip())
        issued = _date(message.get("issued", {})) or _date(message.get("published", {}))
        titles = message.get("title") or [""]
        containers = message.get("container-title") or [""]
        relation = message.get("relation", {}) or {}
        return {
            "title": str(titles[0]).strip()[:1000],
            "authors": ", ".join(authors),
            "journal": str(containers[0]).strip()[:300],
            "year": int(issued[:4]) if issued else None,
            "crossref_type": str(message.get("type", ""))[:40],
            "updates": _updates(message.get("updated-by", []), "updated-by")
            + _updates(message.get("update-to", []), "update-to"),
            "relations": {
                name: [str(item.get("id", "")) for item in relation.get(name, []) if isinstance(item, dict)]
                for name in RELATIONS
                if relation.get(name)
            },
        }
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        raise LookupFailed("unreadable answer") from error
