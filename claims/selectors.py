"""Read-only queries: what the evidence maps, the article lists, the due lists and the integrity report read.

Nothing here writes. The pages and commands that show these results are elsewhere: the evidence
maps in claims/views.py and claims/sitemaps.py, the counts on article lists in the evidence template
tags, the due lists in the claims_due command, and the integrity report, put together and written
out as CSV or text, in claims/reports.py.

What readers see (the evidence maps, the counts on article lists) is read from the claims published
with the live revision of each article that is not archived (PublishedClaim), never from the draft
claims; what editors and reviewers work from (the due lists, the integrity report) reads the draft.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, Value, When

from articles.models import Article

from .models import (
    Assignment,
    Claim,
    ClaimDecision,
    Condition,
    ConditionEvidenceCount,
    EvidenceStatus,
    PublishedClaim,
    ReviewQueueClaim,
)
from .models.claim import observational_words
from .models.publication import grade_withheld
from .text import integrity, suggestions, wording

# The review queue ----------------------------------------------------------------------------------

# What sends a claim to the reviewers: its editor's submission, or an approval withdrawn (its words,
# grade or sources changed, its sentence was reworded, a source was repointed, or a reviewer pulled it).
# Each sets the claim's `queued_at` to the time of that decision (claims/services.py `send_to_reviewers`).
ENTERED_QUEUE = (ClaimDecision.Decision.SUBMITTED, ClaimDecision.Decision.WITHDRAWN)
QUEUE_ORDER = ["queued_at", "pk"]  # waiting longest first: the order of the index claim_review_queue


def review_queue(user):
    """The claims waiting for review that `user` may decide on, waiting longest first (`queued_at`: when each
    last came to the reviewers), annotated with `submitted_as` (the decision that sent it)."""
    entered = ClaimDecision.objects.filter(claim=OuterRef("pk"), decision__in=ENTERED_QUEUE).order_by(
        "-created_at", "-pk"
    )
    return (
        ReviewQueueClaim.objects.exclude(Q(created_by=user) | Q(last_changed_by=user))
        .annotate(submitted_as=Subquery(entered.values("decision")[:1]))
        .order_by(*QUEUE_ORDER)
    )


def next_in_queue(user, after):
    """The claim that follows `after` (a claim as review_queue() reads it) in `user`'s queue, or the first one
    waiting when none follows; None when the queue holds nothing else."""
    queue = review_queue(user).exclude(pk=after.pk)
    later = (
        Q(pk__gt=after.pk)
        if after.queued_at is None
        else Q(queued_at__gt=after.queued_at) | Q(queued_at=after.queued_at, pk__gt=after.pk)
    )
    # One read: those after it first, in the queue's order, then the rest from the start.
    wraps = Case(When(later, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queue.annotate(wraps=wraps).order_by("wraps", *QUEUE_ORDER).first()


# Assignments -------------------------------------------------------------------------------------


def open_assignment(target) -> Assignment | None:
    """The open assignment of a claim or an article's draft, with its reviewer; None when nobody is assigned."""
    return Assignment.objects.open().of(target).select_related("reviewer").first()


# Evidence maps -----------------------------------------------------------------------------------


def public_claims():
    """Claims readers are shown: those published with the live revision of an article that is not archived.

    The approved with their grade (`public_grade`), and those pulled urgently, under review.
    """
    return PublishedClaim.objects.filter(revision__is_live=True, revision__article__archived_at__isnull=True)


def mapped_claims():
    """Published claims shown as evidence on condition pages: live, graded (`graded`), of articles readers see."""
    return public_claims().graded()


def mapped_conditions():
    """Conditions with at least one mapped claim, by name: read from their counts (claims.map_counts)."""
    counted = ConditionEvidenceCount.objects.filter(condition=OuterRef("pk"), claims__gt=0)
    return Condition.objects.filter(Exists(counted)).order_by("name")


def condition_evidence_counts(conditions) -> dict:
    """{condition id: [(evidence status, count of its mapped claims)]}, strongest first, for each condition.

    One read of the kept counts (claims.map_counts), whatever the number of claims.
    """
    rows = ConditionEvidenceCount.objects.filter(condition__in=conditions, claims__gt=0).values_list(
        "condition_id", "evidence_status_id", "claims"
    )
    counts = defaultdict(Counter)
    for condition_id, status_id, n in rows:
        counts[condition_id][status_id] += n
    statuses = {s.pk: s for s in EvidenceStatus.objects.all()}
    return {
        condition.pk: sorted(
            ((statuses[pk], n) for pk, n in counts[condition.pk].items()),
            key=lambda item: (item[0].rank, item[0].name),
        )
        for condition in conditions
    }


@dataclass
class Grade:
    """How many of a condition's mapped claims have one evidence grade, and where they start in its map."""

    status: EvidenceStatus
    count: int
    first: int  # position of the grade's first claim in the whole map, from 0
    page: int  # the page of the map on which that claim is


def condition_grades(condition, per_page):
    """The grades of the condition's mapped claims, strongest first: one read of its kept counts, with the grades."""
    rows = (
        ConditionEvidenceCount.objects.filter(condition=condition, claims__gt=0)
        .select_related("evidence_status")
        .order_by("evidence_status__rank", "evidence_status__name")
    )
    grades, first = [], 0
    for row in rows:
        grades.append(Grade(status=row.evidence_status, count=row.claims, first=first, page=first // per_page + 1))
        first += row.claims
    return grades


# The order of one grade's claims on a map: its articles newest first (published_claim_map, an index in this order).
MAP_ORDER = ("-article_published_at", "start", "pk")


def condition_map_claims(condition):
    """The condition's mapped claims, as its map shows them; filter them to one grade and order them by MAP_ORDER.

    Each with the title of the live revision it was published with and its article's address.
    """
    return (
        PublishedClaim.objects.filter(condition=condition, mapped=True)
        # Only what the map shows (a warned claim's chip reads its grade and approval): no revision bodies read.
        .only(
            "quote",
            "start",
            "explanation",
            "evidence_status",
            "claim",
            "approved_at",
            "under_review_since",
            "article_published_at",
            "revision__title",
            "revision__article__slug",
        )
        .select_related("revision__article")
    )


# Article lists -----------------------------------------------------------------------------------


def evidence_counts(revisions) -> dict:
    """{revision id: [(evidence status or None for under review, count)]}, strongest first.

    Counts the claims published with each of the given (live) revisions, as the article's page shows them.
    """
    ids = [revision.pk for revision in revisions]
    rows = (
        PublishedClaim.objects.filter(revision_id__in=ids)
        .values("revision_id", "evidence_status_id")
        .annotate(
            n=Count("pk"),
            under_review=Count("pk", filter=Q(under_review_since__isnull=False) | grade_withheld()),
        )
        .order_by()  # without the default ordering's join to revisions
    )
    statuses = {s.pk: s for s in EvidenceStatus.objects.all()}
    counts = defaultdict(Counter)
    for row in rows:
        approved = row["n"] - row["under_review"]
        if approved:
            counts[row["revision_id"]][row["evidence_status_id"]] += approved
        if row["under_review"]:
            counts[row["revision_id"]][None] += row["under_review"]
    ordered = {}
    for revision_id, counter in counts.items():
        items = sorted(
            ((statuses.get(k), n) for k, n in counter.items()),
            key=lambda item: (item[0] is None, item[0].rank if item[0] else 0),
        )
        ordered[revision_id] = items
    return ordered


# Due lists ---------------------------------------------------------------------------------------


def claims_due(horizon):
    """Approved claims whose next review falls on or before `horizon` (the overdue included)."""
    return (
        Claim.objects.approved()
        .filter(next_review_due__lte=horizon)
        .select_related("article", "condition", "reviewed_by")
    )


def articles_due(horizon):
    """Articles whose next medical review falls on or before `horizon` (the overdue included)."""
    return Article.objects.filter(next_review_due__lte=horizon).select_related("medical_reviewer")


# The integrity report ----------------------------------------------------------------------------


def condition_matcher() -> suggestions.ConditionMatcher:
    """A matcher for every condition's name and synonyms, built once per page or report."""
    return suggestions.ConditionMatcher(
        suggestions.ConditionNames.from_lines(pk, name, text)
        for pk, name, text in Condition.objects.order_by().values_list("pk", "name", "synonyms")
    )


def conditions_with_matcher() -> tuple[dict, suggestions.ConditionMatcher]:
    """Every condition by primary key (its name, slug and synonyms read) and a matcher for them: one query."""
    read = Condition.objects.order_by().only("name", "slug", "synonyms")
    conditions = {condition.pk: condition for condition in read}
    matcher = suggestions.ConditionMatcher(
        suggestions.ConditionNames.from_lines(pk, condition.name, condition.synonyms)
        for pk, condition in conditions.items()
    )
    return conditions, matcher


def with_sources_known(claims):
    """Claims annotated with `has_sources`, read beside them rather than one query per claim."""
    return claims.annotate(has_sources=Exists(Claim.sources.through.objects.filter(claim=OuterRef("pk"))))


def with_integrity_known(claims):
    """Claims annotated with `has_sources` and `override_reason`: the reason their standing approval gave."""
    return with_sources_known(claims).with_override_reason()


def checked_claims(article):
    """The article's anchored claims with what an integrity check needs of them."""
    return with_integrity_known(
        Claim.objects.filter(article=article, is_orphaned=False).select_related("condition", "evidence_status")
    ).with_causal_sources()


def source_designs(claim: Claim) -> tuple[tuple[str, str], ...]:
    """(label, design) of the claim's sources, read only when its grade supports causal wording (else unused) and
    not already read beside it (`with_causal_sources`)."""
    if not claim.evidence_status.supports_causal_wording or hasattr(claim, "sources_observational"):
        return ()
    return tuple((source.identifier_label, source.design) for source in claim.sources.all())


def claim_facts(claim: Claim) -> integrity.ClaimFacts:
    status = claim.evidence_status
    sourced = getattr(claim, "has_sources", None)
    return integrity.ClaimFacts(
        key=claim.pk,
        start=claim.start,
        end=claim.end,
        quote=claim.quote,
        prefix=claim.prefix,
        suffix=claim.suffix,
        condition_key=claim.condition_id,
        allowed=wording.Strength(status.wording_strength),
        rated=status.is_rated,
        denial_fits=status.denial_fits,
        sourced=claim.sources.exists() if sourced is None else sourced,
        grade_name=status.name,
        override_reason=getattr(claim, "override_reason", None) or "",
        supports_causal=status.supports_causal_wording,
        source_designs=source_designs(claim),
        observational_only=getattr(claim, "sources_observational", None),
        observational_named=claim.observational_named,
    )


def stored_claim_facts():
    """(article id, ClaimFacts) of every anchored claim of a current article, with its stored rating.

    Read as plain values rather than as claims: a large site has a hundred thousand of them.
    """
    statuses = {status.pk: status for status in EvidenceStatus.objects.all()}
    claims = with_integrity_known(Claim.objects.anchored().filter(article__archived_at__isnull=True))
    claims = claims.with_causal_sources()
    fields = ["article_id", "pk", "start", "quote", "condition_id", "evidence_status_id", "has_sources"]
    fields += ["override_reason", "wording_strength", "wording_negated", "wording_relation", "sources_observational"]
    fields += ["observational_first", "observational_count", "wording_promotional"]
    for row in claims.order_by("article_id", "start").values_list(*fields).iterator(chunk_size=2000):
        article_id, pk, start, quote, condition_id, status_id, sourced, reason, strength, negated = row[:10]
        relation, observational, first, count, promotional = row[10:]
        status = statuses[status_id]
        yield (
            article_id,
            integrity.ClaimFacts(
                key=pk,
                start=start,
                end=start + len(quote),
                quote=quote,
                condition_key=condition_id,
                allowed=wording.Strength(status.wording_strength),
                rated=status.is_rated,
                denial_fits=status.denial_fits,
                sourced=sourced,
                grade_name=status.name,
                override_reason=reason or "",
                rated_as=(strength, negated),
                supports_causal=status.supports_causal_wording,
                relation_as=relation or Claim.Relation.NONE.value,
                observational_only=bool(observational),
                observational_named=observational_words(first, count),
                promotional_as=promotional,
            ),
        )


@dataclass
class StatusTotals:
    status: EvidenceStatus
    claims: int
    overclaiming: int  # still open: not approved as it is with a reviewer's reason
    unsourced: int
    overridden: int = 0
    causal: int = 0  # causal wording for an association, still open
    promotional: int = 0  # promotional wording in a claim that does not overclaim: advice only


def status_totals() -> list[StatusTotals]:
    """Claims of current articles per evidence status: how many overclaim (still open, and approved with a
    reviewer's reason) and how many cite nothing."""
    of_current = Q(claims__is_orphaned=False, claims__article__archived_at__isnull=True)
    current = Claim.objects.anchored().filter(article__archived_at__isnull=True)
    overclaiming, unsourced = current.overclaiming_open(), current.unsourced()
    overridden = current.approved_despite_overclaiming()
    causal = current.causal_for_association_open()
    queries = (
        ("overclaiming", overclaiming),
        ("unsourced", unsourced),
        ("overridden", overridden),
        ("causal", causal),
        ("promotional", current.promotional()),
    )
    counted = {
        name: dict(query.order_by().values_list("evidence_status").annotate(n=Count("pk"))) for name, query in queries
    }
    statuses = EvidenceStatus.objects.annotate(n=Count("claims", filter=of_current)).order_by("rank", "name")
    return [
        StatusTotals(
            status=status,
            claims=status.n,
            overclaiming=counted["overclaiming"].get(status.pk, 0),
            unsourced=counted["unsourced"].get(status.pk, 0),
            overridden=counted["overridden"].get(status.pk, 0),
            causal=counted["causal"].get(status.pk, 0),
            promotional=counted["promotional"].get(status.pk, 0),
        )
        for status in statuses
    ]
