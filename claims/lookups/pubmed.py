"""PubMed through NCBI's E-utilities: esummary (JSON) for the citation, efetch (XML) for MeSH and types,
esearch (JSON) for the PMID a DOI is filed under.

esummary?db=pubmed&id=…&retmode=json answers {"result": {"uids": [...], "<pmid>": {"title", "authors":
[{"name", "authtype"}], "fulljournalname", "source", "pubdate", "pubtype": [...], "articleids":
[{"idtype", "value"}]}}}; an unknown PMID comes back with an "error" in its entry, or with no entry.
efetch?db=pubmed&id=…&retmode=xml answers a PubmedArticleSet whose MedlineCitation carries the
MeshHeadingList (absent until MEDLINE has indexed the paper), the Article's PublicationTypeList and
the CommentsCorrectionsList (RetractionIn, ExpressionOfConcernIn, ErratumIn…). Every request names the
tool and a contact email, and the API key when NCBI_API_KEY is set.
"""

import json
import re
import xml.etree.ElementTree as ET

from django.conf import settings

from ..text import study_design
from .errors import LookupFailed, NotFound
from .http import get

YEAR = re.compile(r"\b(1[89][0-9]{2}|20[0-9]{2}|2100)\b")
# PubMed's comments and corrections that update the paper they are listed on.
UPDATE_REFS = {
    "RetractionIn": "retraction",
    "RetractionAndRepublicationIn": "retraction",
    "ExpressionOfConcernIn": "expression_of_concern",
    "ErratumIn": "correction",
    "CorrectedAndRepublishedIn": "correction",
}


def params(pmid, **more) -> dict:
    values = {"db": "pubmed", "tool": settings.LOOKUP_TOOL_NAME, **more}
    if pmid is not None:
        values["id"] = pmid
    if settings.LOOKUP_CONTACT_EMAIL:
        values["email"] = settings.LOOKUP_CONTACT_EMAIL
    if settings.NCBI_API_KEY:
        values["api_key"] = settings.NCBI_API_KEY
    return values


def find_by_doi(http, doi) -> list[str]:
    """The PMIDs PubMed files the DOI under: none, one or (rarely) several."""
    body = get(http, "pubmed", "/esearch.fcgi", params(None, term=f"{doi}[doi]", retmode="json"))
    return parse_search(body)


def parse_search(body: bytes) -> list[str]:
    """esearch's JSON: {"esearchresult": {"count": "1", "idlist": ["123"]}}; the ids."""
    try:
        data = json.loads(body)
        if "error" in data:
            raise LookupFailed(f"PubMed refused: {str(data['error'])[:200]}")
        ids = [str(pmid) for pmid in data["esearchresult"]["idlist"]]
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise LookupFailed("unreadable answer") from error
    return [pmid for pmid in ids if pmid.isdigit()]


def indexing(http, pmid) -> dict:
    """PubMed's publication types and MeSH indexing (humans, animals) of `pmid`, from efetch."""
    found = parse_fetch(get(http, "pubmed", "/efetch.fcgi", params(pmid, retmode="xml")), pmid)
    return {name: found[name] for name in ("publication_types", "mesh_headings", "humans", "animals")}


def look_up(http, pmid) -> dict:
    """The citation, types, MeSH indexing and updates PubMed has for `pmid`, and its DOI ("doi")."""
    answer = parse_summary(get(http, "pubmed", "/esummary.fcgi", params(pmid, retmode="json")), pmid)
    answer.update(parse_fetch(get(http, "pubmed", "/efetch.fcgi", params(pmid, retmode="xml")), pmid))
    return answer


def parse_summary(body: bytes, pmid: str) -> dict:
    try:
        data = json.loads(body)
        if not isinstance(data, dict):
            raise TypeError
        if "error" in data:
            raise LookupFailed(f"PubMed refused: {str(data['error'])[:200]}")
        if "esummaryresult" in data:  # PubMed's way of saying it has no such record
            raise NotFound("PubMed does not know it")
        entry = data["result"].get(pmid)
        if not entry or "error" in entry:
            raise NotFound("PubMed does not know it")
        authors = [
            author["name"] for author in entry.get("authors", []) if author.get("authtype", "Author") == "Author"
        ]
        year = YEAR.search(entry.get("pubdate", "") or entry.get("epubdate", ""))
        dois = [a["value"] for a in entry.get("articleids", []) if a.get("idtype") == "doi" and a.get("value")]
        return {
            "title": str(entry.get("title", "")).strip()[:1000],
            "authors": ", ".join(str(name) for name in authors),
            "journal": str(entry.get("fulljournalname") or entry.get("source") or "")[:300],
            "year": int(year.group(1)) if year else None,
            "publication_types": [str(t) for t in entry.get("pubtype", [])],
            "doi": dois[0].lower() if dois else "",
        }
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise LookupFailed("unreadable answer") from error


def parse_fetch(body: bytes, pmid: str) -> dict:
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise LookupFailed("unreadable answer") from error
    if root.tag != "PubmedArticleSet":
        raise LookupFailed("unreadable answer")
    citation = root.find("PubmedArticle/MedlineCitation")
    if citation is None or citation.findtext("PMID", "").strip() != pmid:
        raise NotFound("PubMed does not know it")
    headings = [d.text.strip() for d in citation.findall("MeshHeadingList/MeshHeading/DescriptorName") if d.text]
    humans, animals = study_design.mesh_presence(headings, indexed=bool(headings))
    types = [t.text.strip() for t in citation.findall("Article/PublicationTypeList/PublicationType") if t.text]
    updates = []
    for comment in citation.findall("CommentsCorrectionsList/CommentsCorrections"):
        kind = UPDATE_REFS.get(comment.get("RefType", ""))
        if kind:
            updates.append(
                {
                    "kind": kind,
                    "direction": "updated-by",
                    "date": "",
                    "pmid": comment.findtext("PMID", "").strip(),
                    "source": "PubMed: " + comment.findtext("RefSource", "").strip(),
                }
            )
    return {
        "mesh_headings": headings,
        "humans": humans,
        "animals": animals,
        "publication_types": types,
        "updates": updates,
    }
