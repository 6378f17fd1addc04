"""Sources as readers' citations: authors, title, journal, year, the design in plain words, links, and warnings.

`citing_sources()` is the queryset every public page, the JSON export and the JSON-LD read sources
through (as a prefetch): what the look-up found (for the design's plain words) and the date of the
source's retraction (`retracted_on`), first expression of concern (`concern_on`) and stopped trial
(`stopped_status`, `stopped_on`: the registry's last update, not the day it stopped) come in the same
query as the sources. An event recorded on a source (claims.evidence_watch) marks every page citing it
stale (claims/signals.py), so readers see "Retracted on …" as soon as it is known, and a published
claim whose every source is retracted loses its grade then (PublishedClaim.public_grade).
"""

from django.db.models import OuterRef, Prefetch, Subquery

from .models import Source, SourceEvent


def citing_sources():
    events = SourceEvent.objects.filter(source=OuterRef("pk"))
    retracted = events.filter(kind=SourceEvent.Kind.RETRACTION).order_by("date")
    concern = events.filter(kind=SourceEvent.Kind.EXPRESSION_OF_CONCERN).order_by("date")
    stopped = events.filter(kind=SourceEvent.Kind.TRIAL_STOPPED).order_by("-date", "-pk")
    return Source.objects.select_related("record").annotate(
        retracted_on=Subquery(retracted.values("date")[:1]),
        retraction_found_at_=Subquery(retracted.order_by("-recorded_at").values("recorded_at")[:1]),
        concern_on=Subquery(concern.values("date")[:1]),
        stopped_status=Subquery(stopped.values("detail")[:1]),
        stopped_on=Subquery(stopped.values("date")[:1]),
    )


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
        "concern_on": source.concern_date.isoformat() if source.concern_date else None,
        "trial_stopped": trial_stopped_data(source),
        "warning": source.reader_warning or None,
    }


def trial_stopped_words(source) -> str:
    """ "Trial stopped early (terminated)", or "" for a source that is no stopped trial."""
    return f"Trial stopped early ({source.trial_stopped})" if source.trial_stopped else ""


def trial_stopped_data(source) -> dict | None:
    """A stopped trial's status as the JSON export gives it: the registry dates its last update, not the stop."""
    if not source.trial_stopped:
        return None
    updated = source.trial_status_updated
    return {
        "status": source.trial_stopped,
        "status_last_updated": updated.isoformat() if updated else None,
        "words": f"⚠ {trial_stopped_words(source)}",
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
    elif source.concern_date:
        data["creativeWorkStatus"] = f"Expression of concern on {source.concern_date.isoformat()}"
    elif source.trial_stopped:
        updated = source.trial_status_updated
        data["creativeWorkStatus"] = trial_stopped_words(source) + (
            f"; status last updated on {updated.isoformat()}" if updated else ""
        )
    return data
