"""Recognise, normalise and link the identifiers of evidence sources."""

import re
from urllib.parse import quote, urlsplit

PMID, DOI, NCT, URL = "pmid", "doi", "nct", "url"
MAX_CHARS = 500  # Source.identifier's max_length

# Digits are spelled [0-9]: \d would also take Arabic-Indic or full-width digits, making look-alike identifiers.
_PMID = re.compile(
    r"^(?:pmid\s*:?\s*|https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/)?([0-9]{1,9})/?$",
    re.I,
)
_DOI = re.compile(r"^(?:doi\s*:?\s*|https?://(?:dx\.)?doi\.org/)?(10\.[0-9]{4,9}/\S+)$", re.I)
_NCT = re.compile(r"^(?:https?://(?:www\.)?clinicaltrials\.gov/(?:study|ct2/show)/)?(NCT[0-9]{8})/?(?:\?.*)?$", re.I)
_ICD10 = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$")
_MESH = re.compile(r"^D[0-9]{6}(?:[0-9]{3})?$")

RESOLVERS = {
    PMID: "https://pubmed.ncbi.nlm.nih.gov/{}/",
    DOI: "https://doi.org/{}",
    NCT: "https://clinicaltrials.gov/study/{}",
}


class IdentifierError(ValueError):
    pass


def normalise(kind: str, value: str) -> str:
    """Return the canonical form of an identifier of the given kind, or raise IdentifierError."""
    value = (value or "").strip()
    if len(value) > MAX_CHARS:
        raise IdentifierError(
            f"An identifier or web address has at most {MAX_CHARS} characters; this one has {len(value):,}."
        )
    if kind == PMID:
        match = _PMID.match(value)
        if not match or int(match.group(1)) == 0:
            raise IdentifierError("A PubMed ID is a number, e.g. 29298160.")
        return str(int(match.group(1)))
    if kind == DOI:
        match = _DOI.match(value)
        if not match:
            raise IdentifierError("A DOI looks like 10.1056/NEJMoa1703327 (10., a prefix, /, a suffix).")
        # DOIs are case-insensitive; one spelling keeps them unique.
        return match.group(1).rstrip(".,;").lower()
    if kind == NCT:
        match = _NCT.match(value)
        if not match:
            raise IdentifierError("A ClinicalTrials.gov number is NCT followed by 8 digits, e.g. NCT00114530.")
        return match.group(1).upper()
    if kind == URL:
        parts = urlsplit(value)
        if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or any(c.isspace() for c in value):
            raise IdentifierError("A web source must be a full http:// or https:// address.")
        return value
    raise IdentifierError(f"Unknown kind of source: {kind!r}.")


def detect(value: str) -> tuple[str, str]:
    """Guess the kind of a pasted identifier and normalise it: (kind, identifier)."""
    value = (value or "").strip()
    for kind, pattern in ((NCT, _NCT), (DOI, _DOI), (PMID, _PMID)):
        if pattern.match(value):
            return kind, normalise(kind, value)
    if value.lower().startswith(("http://", "https://")):
        return URL, normalise(URL, value)
    raise IdentifierError(
        "This is not a PubMed ID (29298160), DOI (10.1056/NEJMoa1703327), NCT number (NCT00114530) "
        "or web address (https://…)."
    )


def resolver_url(kind: str, identifier: str) -> str:
    if kind == URL:
        return identifier
    return RESOLVERS[kind].format(quote(identifier, safe="/:;()"))


def is_icd10(code: str) -> bool:
    """J84.1 and j84.1 alike: conditions store their codes upper-cased."""
    return bool(_ICD10.match(code.strip().upper()))


def is_mesh_descriptor(code: str) -> bool:
    return bool(_MESH.match(code.strip().upper()))
