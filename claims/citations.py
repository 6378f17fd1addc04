"""Sources as readers' citations: authors, title, journal, year, the design in plain words, links, a retraction.

`citing_sources()` is the queryset every public page, the JSON export and the JSON-LD read sources
through (as a prefetch): what the look-up found (for the design's plain words) and the date of the
source's retraction (`retracted_on`) come in the same query as the sources. A retraction recorded
on a source (claims.evidence_watch) marks every page citing it stale (claims/signals.py), so readers
see "Retracted on …" as soon as it is known.
"""

from django.db.models import OuterRef, Prefetch, Subquery

from .models import Source, SourceEvent


def citing_sources():
    retracted = SourceEvent.objects.filter(source=OuterRef("pk"), kind=SourceEvent.Kind.RETRACTION).order_by("date")
    return Source.objects.select_related("record").annotate(retracted_on=Subquery(retracted.values("date")[:1]))


def sources_prefetch(lookup="sources"):
    return Prefetch(lookup, queryset=citing_sources())


def references(claims) -> list:
    """The sources readers are shown for `claims` (those graded), once each, in the order they are first cited."""
    cited = {}
    for claim in claims:
        if claim.public_grade:
            for source in claim.sources.all():
                cited.setdefault(source.pk, source)
    return list(cited.values())


def citation_data(source) -> dict:
    """A source's citation as the JSON export gives it."""
    retracted = source.retraction_date
    return {
        "kind": source.kind,
        "identifier": source.identifier,
        "url": source.url,
        "title": source.title,
        "authors": source.authors_cited,
        "journal": source.journal,
        "year": source.year,
        "design": source.design,
        "design_words": source.design_words,
        "links": [{"name": name, "url": url} for name, url in source.links],
        "retracted_on": retracted.isoformat() if retracted else None,
    }


def citation_jsonld(source) -> dict:
    """A source as a schema.org CreativeWork for the page's "citation"."""
    data = {"@type": "CreativeWork", "url": source.url, "name": source.title or source.citation_label}
    if source.authors_cited:
        data["author"] = source.authors_cited
    if source.journal:
        data["isPartOf"] = {"@type": "Periodical", "name": source.journal}
    if source.year:
        data["datePublished"] = str(source.year)
    data["genre"] = source.design_words
    retracted = source.retraction_date
    if retracted:
        data["creativeWorkStatus"] = f"Retracted on {retracted.isoformat()}"
    return data
