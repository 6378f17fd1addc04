"""Looking a source up at PubMed, Crossref and ClinicalTrials.gov, and nowhere else.

`look_up(kind, identifier)` returns what the services say of a PubMed ID, DOI or NCT number as an
`Answer` (a dict of claims.models.SourceRecord's fields), or raises:
- `NotFound`: the service does not know the identifier (404, or an empty answer);
- `LookupFailed`: anything else, with `detail` in words for the admin ("timed out", "answer too
  large", "unreadable answer") and `retry` true when trying again later may help (a timeout, a 5xx, a
  429, whose Retry-After is kept in `retry_after`).

A web address is never fetched, and only the hosts of the three services' base addresses
(settings LOOKUP_PUBMED_URL, LOOKUP_CROSSREF_URL, LOOKUP_CLINICALTRIALS_URL) ever are, redirects
included (`http.py`). Each request first waits for its service's rate limit, shared by every process
through the database (`limits.py`). The parsers (`pubmed.py`, `crossref.py`, `clinicaltrials.py`)
read the services' documented answers: esummary's JSON and efetch's XML, /works/{doi}'s JSON,
/api/v2/studies/{nct}'s JSON, and esearch's JSON for the PMID of a DOI, so that a DOI source gets
PubMed's publication types and MeSH indexing too. Storing the answer is claims.source_metadata's work.
"""

from ..text import identifiers
from . import clinicaltrials, crossref, pubmed
from .errors import LookupFailed, LookupRefused, NotFound
from .http import client

__all__ = ["NOTE", "PUBMED_UNREACHED", "LookupFailed", "LookupRefused", "NotFound", "look_up"]

LOOKED_UP = (identifiers.PMID, identifiers.DOI, identifiers.NCT)
# An answer may carry a note on what could not be asked or found (stored as the look-up's detail), under
# this key; PUBMED_UNREACHED is true when PubMed failed, so that what it said last time is kept.
NOTE = "note"
PUBMED_UNREACHED = "pubmed_unreached"
NO_PUBMED_RECORD = "PubMed has no record of this DOI: humans/animals unknown"
SEVERAL_PUBMED_RECORDS = "PubMed files this DOI under several records, so none is taken: humans/animals unknown"


def look_up(kind: str, identifier: str) -> dict:
    """What the services say of this identifier: SourceRecord's fields and their values."""
    if kind not in LOOKED_UP:
        raise LookupRefused(f"A {kind} source is never fetched.")
    with client() as http:
        if kind == identifiers.PMID:
            answer = pubmed.look_up(http, identifier)
            doi = answer.pop("doi", "")
            if doi:
                try:
                    found = crossref.look_up(http, doi)
                except NotFound:  # not every DOI is Crossref's (DataCite, mEDRA…)
                    pass
                else:
                    _add_crossref(answer, found)
            return answer
        if kind == identifiers.DOI:
            answer = crossref.look_up(http, identifier)
            _add_pubmed(http, answer, identifier)
            return answer
        return clinicaltrials.look_up(http, identifier)


def _add_pubmed(http, answer, doi):
    """Crossref's answer keeps its citation and updates; PubMed, when it files the DOI under exactly one PMID,
    adds the publication types and MeSH indexing Crossref does not have. A paper PubMed does not know stays
    unknown (humans, animals), with a note saying why; PubMed failing leaves Crossref's answer, with a note
    saying so."""
    try:
        pmids = pubmed.find_by_doi(http, doi)
        if len(pmids) == 1:
            answer.update(pubmed.indexing(http, pmids[0]))
        else:
            answer[NOTE] = SEVERAL_PUBMED_RECORDS if pmids else NO_PUBMED_RECORD
    except NotFound:
        answer[NOTE] = NO_PUBMED_RECORD
    except LookupFailed as failure:
        answer[NOTE] = f"PubMed could not be reached ({failure.detail}): Crossref's answer alone"
        answer[PUBMED_UNREACHED] = True


def _add_crossref(answer, found):
    """PubMed's answer keeps its citation; Crossref adds its type, its updates and its relations."""
    answer["crossref_type"] = found["crossref_type"]
    answer["relations"] = found["relations"]
    seen = {(u["kind"], u.get("doi", ""), u.get("pmid", "")) for u in answer["updates"]}
    answer["updates"] = answer["updates"] + [
        u for u in found["updates"] if (u["kind"], u.get("doi", ""), u.get("pmid", "")) not in seen
    ]
