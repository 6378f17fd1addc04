"""Writes that span several rows or record an editorial decision about claims."""

import datetime
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from articles.text import read_html

from . import identifiers
from .anchoring import Outcome, anchor_at, locate
from .models import Claim, Source

CLAIM_REVIEW_INTERVAL = datetime.timedelta(days=365)
SUBSTANTIVE_FIELDS = ("quote", "start", "condition", "evidence_status")
REANCHOR_FIELDS = [
    "quote",
    "prefix",
    "suffix",
    "start",
    "is_orphaned",
    "text_changed",
    "previous_quote",
    "review_state",
]


def source_from_identifier(value: str) -> Source:
    """Find or create the source a pasted identifier names (PMID, DOI, NCT number or URL)."""
    try:
        kind, identifier = identifiers.detect(value)
    except identifiers.IdentifierError as error:
        raise ValidationError(str(error)) from error
    source, _ = Source.objects.get_or_create(kind=kind, identifier=identifier)
    return source


def refusal_to_review(claim: Claim, user) -> str | None:
    """Why `user` may not decide on `claim`, or None when they may."""
    if not user.is_authenticated or not user.has_perm("claims.review_claim"):
        return "Only medical reviewers can approve claims."
    if user.pk == claim.created_by_id:
        return "You wrote this claim: another reviewer must approve it."
    if user.pk == claim.last_changed_by_id:
        return "You made the last change to this claim: another reviewer must approve it."
    if claim.is_orphaned:
        return "This claim has lost its sentence: re-attach it before approving."
    if not claim.evidence_status.is_rated:
        return f"The evidence is “{claim.evidence_status.name}”: rate it before approving."
    if not claim.sources.exists():
        return "This claim cites no source: add at least one before approving."
    return None


@transaction.atomic
def claim_approve(*, claim: Claim, reviewer) -> Claim:
    """Approve a claim as `reviewer`, refusing anyone who wrote or last changed it."""
    claim = Claim.objects.select_for_update().select_related("evidence_status").get(pk=claim.pk)
    reason = refusal_to_review(claim, reviewer)
    if reason:
        raise PermissionDenied(reason)
    now = timezone.now()
    claim.review_state = Claim.ReviewState.APPROVED
    claim.text_changed, claim.previous_quote = False, ""
    claim.reviewed_by = reviewer
    claim.reviewed_at = now
    claim.next_review_due = timezone.localdate(now) + CLAIM_REVIEW_INTERVAL
    claim.full_clean()
    claim.save()
    return claim


def claim_record_change(*, claim: Claim, user, changed_fields, sources_changed=False) -> bool:
    """Note who changed a claim; withdraw its approval when the change is substantive.

    Called before the claim is saved. Returns True when an approval was withdrawn.
    """
    if claim.pk is None:
        claim.created_by = user
    claim.last_changed_by = user
    substantive = sources_changed or any(field in changed_fields for field in SUBSTANTIVE_FIELDS)
    # A reviewer who edits a claim becomes its last editor and can no longer stand as its approver.
    if claim.is_approved and (substantive or claim.reviewed_by_id == user.pk):
        claim.review_state = Claim.ReviewState.PENDING
        return True
    return False


def claim_create(
    *, article, start, end, condition, evidence_status, user, sources=(), explanation="", reviewer_note=""
) -> Claim:
    """Create a claim on article.body_text[start:end]."""
    claim = Claim(
        article=article,
        condition=condition,
        evidence_status=evidence_status,
        explanation=explanation,
        reviewer_note=reviewer_note,
        created_by=user,
        last_changed_by=user,
    )
    claim.set_anchor(anchor_at(article.body_text, start, end))
    claim.full_clean()
    claim.save()
    claim.sources.set(sources)
    return claim


@transaction.atomic
def article_reanchor_claims(*, article) -> dict:
    """Find every claim again in the article's current text, in one pass. Nothing is ever deleted.

    Claims whose words are unchanged follow them; claims whose words changed follow the most
    similar sentence, flagged and sent back for review; the rest are orphaned.
    """
    document = read_html(article.body_html)
    sentences = [(s.start, s.end) for s in document.sentences()]
    counts = Counter()
    claims = list(article.claims.select_for_update().order_by("pk"))
    before = {claim.pk: _reanchor_values(claim) for claim in claims}
    taken = set()
    for claim in claims:
        found = locate(document.text, claim.anchor, sentences)
        outcome = found.outcome
        if found.anchor is not None and (claim.condition_id, found.anchor.start) in taken:
            outcome = Outcome.ORPHANED  # two claims about one condition landed on one place: keep the first
        counts[outcome.value] += 1
        if outcome is Outcome.ORPHANED:
            claim.is_orphaned = True
            _withdraw(claim)
            continue
        taken.add((claim.condition_id, found.anchor.start))
        if outcome is Outcome.CHANGED:
            claim.previous_quote = claim.previous_quote or claim.quote
            claim.text_changed = True
            _withdraw(claim)
        claim.set_anchor(found.anchor)
        claim.is_orphaned = False
    _save_reanchored([claim for claim in claims if _reanchor_values(claim) != before[claim.pk]])
    return dict(counts)


def _reanchor_values(claim):
    return [getattr(claim, field) for field in REANCHOR_FIELDS]


def _save_reanchored(claims):
    """Write the new anchors of the claims that changed.

    One parameterised UPDATE run for every row: bulk_update's CASE per field and row costs
    hundreds of milliseconds for a long article, this a few.
    """
    if not claims:
        return
    # Their places are released first so that claims may swap places without tripping uniqueness.
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(is_orphaned=True)
    quote_name = connection.ops.quote_name
    assignments = ", ".join(f"{quote_name(Claim._meta.get_field(f).column)} = %s" for f in REANCHOR_FIELDS)
    sql = f"UPDATE {quote_name(Claim._meta.db_table)} SET {assignments} WHERE {quote_name('id')} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[*_reanchor_values(claim), claim.pk] for claim in claims])


def _withdraw(claim):
    if claim.is_approved:
        claim.review_state = Claim.ReviewState.PENDING
