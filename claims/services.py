"""Writes that span several rows or record an editorial decision about claims."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from articles.models import ArticleRevision
from articles.services import add_months
from articles.versioning import version_of_locked

from . import assignments, notices, source_metadata
from .models import WORDING_FIELDS, Assignment, Claim, ClaimDecision, Source, WordingStrength
from .policy import refusal_to_review
from .text import causal_wording, identifiers, wording
from .text.anchoring import anchor_at

CLAIM_REVIEW_MONTHS = 12
# Fields whose change sends an approved claim back for review, with the reason recorded.
SUBSTANTIVE_FIELDS = {
    "quote": "its words changed",
    "start": "it moved to another sentence",
    "condition": "its condition changed",
    "evidence_status": "its evidence grade changed",
}
Decision = ClaimDecision.Decision
REVIEWER_DECISIONS = (Decision.APPROVED, Decision.CHANGES_REQUESTED, Decision.REJECTED)
STATE_AFTER = {
    Decision.SUBMITTED: Claim.ReviewState.PENDING,
    Decision.APPROVED: Claim.ReviewState.APPROVED,
    Decision.CHANGES_REQUESTED: Claim.ReviewState.CHANGES_REQUESTED,
    Decision.REJECTED: Claim.ReviewState.REJECTED,
    Decision.WITHDRAWN: Claim.ReviewState.PENDING,
}
SUBMITTABLE_STATES = (Claim.ReviewState.DRAFT, Claim.ReviewState.CHANGES_REQUESTED)
WORD = re.compile(r"\w+")


def source_from_identifier(value: str) -> Source:
    """Find or create the source a pasted identifier names (PMID, DOI, NCT number or URL)."""
    try:
        kind, identifier = identifiers.detect(value)
    except identifiers.IdentifierError as error:
        raise ValidationError(str(error)) from error
    source, _ = Source.objects.get_or_create(kind=kind, identifier=identifier)
    return source


def claim_snapshot(claim: Claim) -> dict:
    """What a decision was made on, kept with the decision."""
    return {
        "quote": claim.quote,
        "condition": claim.condition.name,
        "evidence": claim.evidence_status.name,
        "sources": [source.citation_label for source in claim.sources.all()],
        "explanation": claim.explanation,
        "wording": WordingStrength(claim.wording_strength).name.lower(),
        "overclaiming": claim.is_overclaiming,
        "causal_wording": claim.causal_wording is not None,
    }


SEEN_LABELS = {
    "quote": "Words",
    "condition": "Condition",
    "evidence": "Evidence status",
    "sources": "Sources",
    "explanation": "Public explanation",
    "state": "Review state",
    "place": "Place in the article",
}


def claim_as_seen(claim: Claim) -> dict:
    """What a reviewer sees of a claim when deciding on it, to compare with the claim when they decide."""
    snapshot = claim_snapshot(claim)
    return {
        **{key: snapshot[key] for key in ("quote", "condition", "evidence", "explanation")},
        "sources": sorted(snapshot["sources"]),
        "state": claim.get_review_state_display(),
        "place": "lost its sentence" if claim.is_orphaned else "in its sentence",
    }


def changes_since_seen(seen: dict, claim: Claim) -> list[tuple[str, str, str]]:
    """(label, as seen, now) for everything the reviewer saw that is different now."""
    now = claim_as_seen(claim)
    changes = []
    for key, label in SEEN_LABELS.items():
        before, after = seen.get(key), now[key]
        if key == "sources":
            before, after = ", ".join(before or []) or "none", ", ".join(after) or "none"
        if (before or "") != (after or ""):
            changes.append((label, before or "(empty)", after or "(empty)"))
    return changes


def _record(claim, decision, actor, comment="", override_reason="", at=None):
    return ClaimDecision.objects.create(
        claim=claim,
        decision=decision,
        actor=actor,
        comment=comment,
        override_reason=override_reason,
        snapshot=claim_snapshot(claim),
        created_at=at or timezone.now(),
    )


def send_to_reviewers(claim: Claim, at=None) -> None:
    """Put a claim in the reviewers' queue: pending, waiting since `at` (now).

    The caller saves the claim (with `queued_at`) and records, in the same transaction, the decision that sent
    it: `claim_submit` does both, and a withdrawn approval is recorded by `claim_withdraw_approval` or
    `claims_withdraw_approvals`, dated when the claim entered the queue.
    """
    claim.review_state = Claim.ReviewState.PENDING
    claim.queued_at = at or timezone.now()


def _queued_at(claim: Claim):
    """When the claim entered the queue, which the decision that sent it there is dated by."""
    if claim.review_state != Claim.ReviewState.PENDING or claim.queued_at is None:
        raise ValueError("A withdrawal is recorded once its claim is sent to the reviewers (send_to_reviewers).")
    return claim.queued_at


def overclaiming_refusal(claim: Claim) -> str:
    """What a reviewer is told on approving, with no reason, a claim that overclaims or claims an unsupported cause."""
    allowed = WordingStrength(claim.evidence_status.wording_strength).name.lower()
    worded = WordingStrength(claim.wording_strength).name.lower()
    said = []
    if claim.is_overclaiming:
        said.append(
            f"This sentence is worded as {worded}, more strongly than “{claim.evidence_status.name}” allows "
            f"({allowed}). Ask for softer wording, or give your reason to approve it as it is."
        )
    causal = claim.causal_wording
    if causal is not None:
        said.append(
            f"This sentence claims a cause, but {causal.reason}. Ask for association wording (“is linked to”), "
            "or give your reason to approve it as it is."
        )
    return " ".join(said)


def _clean_text(value):
    # A NUL pasted into a comment means nothing, and PostgreSQL cannot store it.
    return (value or "").replace("\x00", "").strip()


class ClaimChanged(Exception):
    """The claim is no longer what the reviewer saw: nothing was decided."""

    def __init__(self, claim: Claim, seen_version: int):
        super().__init__(
            f"This claim changed after you opened it (version {seen_version}, now version {claim.version}): "
            "nothing was decided. Look at what changed and decide again."
        )
        self.claim, self.seen_version = claim, seen_version


class ClaimGone(Exception):
    """The claim was deleted before the decision could be recorded."""


@transaction.atomic
def claim_decide(
    *, claim: Claim, reviewer, decision, comment: str = "", override_reason: str = "", seen_version=None
) -> Claim:
    """Approve, request changes to or reject a claim, as a reviewer who neither wrote nor last changed it.

    `seen_version` is the claim's version as the reviewer saw it: when the claim has been saved
    since (its words, grade, condition, sources or explanation, or another reviewer's decision),
    ClaimChanged is raised and nothing is recorded. Every decision made through a page passes it.

    Approving a claim worded more strongly than its grade allows takes the reviewer's written
    reason, kept with the decision. The claim row is locked first, so two decisions arriving at once
    are applied one after the other, and the later one, made on a version that is no longer
    current, is refused when it carries the version its reviewer saw.
    """
    if decision not in REVIEWER_DECISIONS:
        raise ValueError(f"Not a reviewer's decision: {decision}")
    comment, override_reason = _clean_text(comment), _clean_text(override_reason)
    given = claim
    # The row alone is locked: on PostgreSQL a locked read joined to the grade or condition finds no
    # row at all when a concurrent save has just changed that grade or condition. Whether its article has a
    # live revision and whether its review is assigned are read beside it (subqueries, not joins): an
    # assignment is made under the same lock (claims.assignments.assign).
    try:
        claim = (
            Claim.objects.select_for_update()
            .annotate(
                article_is_live=Exists(ArticleRevision.objects.filter(article_id=OuterRef("article_id"), is_live=True)),
                review_assigned=Exists(Assignment.objects.open().filter(claim=OuterRef("pk"))),
            )
            .get(pk=claim.pk)
        )
    except Claim.DoesNotExist:
        raise ClaimGone("This claim was deleted meanwhile: nothing was decided.") from None
    if seen_version is not None and claim.version != seen_version:
        raise ClaimChanged(claim, seen_version)
    _take_what_was_read(claim, given)
    reason = refusal_to_review(claim, reviewer, decision)
    if reason:
        raise PermissionDenied(reason)
    if decision in ClaimDecision.NEEDS_COMMENT and not comment:
        raise ValidationError("Say why: a comment is required to request changes or reject.")
    if decision == Decision.APPROVED and claim.needs_override_reason:
        if not override_reason:
            raise ValidationError(overclaiming_refusal(claim))
    else:
        override_reason = ""  # only an approval of an overclaiming or causal claim overrides anything
    now = timezone.now()
    claim._history_user, claim._change_reason = reviewer, Decision(decision).label
    claim.review_state = STATE_AFTER[decision]
    claim.reviewed_by, claim.reviewed_at = reviewer, now
    claim.queued_at = None  # decided: out of the queue until it is submitted again or its approval withdrawn
    if decision == Decision.APPROVED:
        claim.text_changed, claim.previous_quote = False, ""
        claim.next_review_due = add_months(timezone.localdate(now), CLAIM_REVIEW_MONTHS)
    # Only the decision's own fields changed, each set here: the rest was valid as stored, and the rule that
    # nobody approves what they wrote or last changed was asked above (the database's constraint holds it too).
    claim.full_clean(exclude=UNDECIDED_FIELDS, validate_unique=False, validate_constraints=False)
    version_of_locked(claim)
    claim.save()
    notices.claim_decided(claim, _record(claim, decision, reviewer, comment, override_reason))
    if claim.review_assigned:
        assignments.mark_done(claim)  # decided: whoever was assigned it has nothing left to do
    return claim


# What a decision leaves as it was: validated when it was saved.
DECISION_FIELDS = {"review_state", "reviewed_at", "queued_at", "text_changed", "previous_quote", "next_review_due"}
UNDECIDED_FIELDS = [f.name for f in Claim._meta.concrete_fields if f.name not in DECISION_FIELDS]

# What the claim's page read with the claim (claims.admin.review `get_object`) and a decision reads again.
_READ_WITH_THE_CLAIM = ("article", "condition", "evidence_status", "created_by", "last_changed_by")
_ANNOTATIONS_READ = ("sources_observational", "cites_a_source")


def _take_what_was_read(claim, given):
    """Give the locked claim what the caller read of the same version moments before: its article, condition,
    grade, people and sources, so that the decision does not read them again. Nothing when the versions differ."""
    if given is claim or getattr(given, "version", None) != claim.version:
        return
    for name in _READ_WITH_THE_CLAIM:
        field = Claim._meta.get_field(name)
        related = field.get_cached_value(given, default=None)
        if related is not None and related.pk == getattr(claim, field.attname):
            field.set_cached_value(claim, related)
    prefetched = getattr(given, "_prefetched_objects_cache", None)
    if prefetched and "sources" in prefetched:
        claim._prefetched_objects_cache = {"sources": prefetched["sources"]}
    for name in _ANNOTATIONS_READ:
        if hasattr(given, name):
            setattr(claim, name, getattr(given, name))


def claim_approve(*, claim: Claim, reviewer, override_reason: str = "") -> Claim:
    return claim_decide(claim=claim, reviewer=reviewer, decision=Decision.APPROVED, override_reason=override_reason)


def claims_rerate_wording(*, using="default", batch_size=500) -> int:
    """Rate again every claim rated with other cue lists than the current ones; return how many.

    The cue lists are a versioned file: a deployment that changes them runs migrate, which calls
    this. Only the derived wording fields are written, so no version, history or review state moves.
    """
    version = wording.cues_version()
    claims = Claim.objects.using(using)
    # A claim rated before relationships or promotional wording were stored has none: it is read again too.
    unread = Q(wording_relation="") | Q(wording_promotional__isnull=True)
    stale = claims.filter(~Q(wording_checked_with=version) | unread).only(
        "pk", "quote", "prefix", "suffix", *WORDING_FIELDS
    )
    done = 0
    while batch := list(stale.order_by("pk")[:batch_size]):
        # One UPDATE per rating found in the batch: at most 48, rather than a CASE per row.
        rated = {}
        for claim in batch:
            claim.rate_wording()
            key = (claim.wording_strength, claim.wording_negated, claim.wording_relation, claim.wording_promotional)
            rated.setdefault(key, []).append(claim.pk)
        for (strength, negated, relation, promotional), pks in rated.items():
            claims.filter(pk__in=pks).update(
                wording_strength=strength,
                wording_negated=negated,
                wording_relation=relation,
                wording_promotional=promotional,
                wording_checked_with=version,
            )
        done += len(batch)
    return done


@transaction.atomic
def claim_submit(*, claim: Claim, user) -> Claim:
    """An editor sends a draft (or a claim with changes requested) to the reviewers."""
    claim = Claim.objects.select_for_update().select_related("evidence_status", "condition").get(pk=claim.pk)
    if claim.review_state not in SUBMITTABLE_STATES:
        raise ValidationError(f"This claim is “{claim.get_review_state_display()}”: there is nothing to submit.")
    if claim.is_orphaned:
        raise ValidationError("This claim has lost its sentence: re-attach it before submitting it.")
    send_to_reviewers(claim)
    claim._history_user, claim._change_reason = user, Decision.SUBMITTED.label
    claim.save(update_fields=["review_state", "queued_at", "updated_at"])
    notices.claim_submitted(claim, _record(claim, Decision.SUBMITTED, user, at=claim.queued_at))
    return claim


def claim_withdraw_approval(*, claim: Claim, actor=None, reason: str) -> None:
    """Record that an approval no longer stands; the claim itself was already sent back to the reviewers
    (`send_to_reviewers`) and saved."""
    _record(claim, Decision.WITHDRAWN, actor, reason, at=_queued_at(claim))


def claims_withdraw_approvals(withdrawn, *, actor=None) -> None:
    """claim_withdraw_approval for many claims at once, `withdrawn` being (claim, reason) pairs, each claim sent to
    the reviewers (`send_to_reviewers`) and saved already: what each
    snapshot shows (condition, grade, sources) is read for all of them together, and the rows written in one
    INSERT, however many approvals an edit withdrew."""
    if not withdrawn:
        return
    pks = [claim.pk for claim, _ in withdrawn]
    # One read: each claim's sources, in their order, with its condition and grade (an approved claim cites one
    # source at least; one that cites none is read on its own below).
    links = (
        Claim.sources.through.objects.filter(claim_id__in=pks)
        .select_related("source", "claim__condition", "claim__evidence_status")
        .order_by(*(re.sub(r"^(-?)", r"\1source__", name) for name in Source._meta.ordering), "source_id")
    )
    read = {}
    for link in links:
        condition, grade, sources = read.setdefault(
            link.claim_id, (link.claim.condition, link.claim.evidence_status, [])
        )
        sources.append(link.source)
    decisions = []
    for claim, reason in withdrawn:
        at = _queued_at(claim)
        if claim.pk in read:
            claim.condition, claim.evidence_status, sources = read[claim.pk]
            cited = Source.objects.all()  # as prefetch_related leaves it: claim.sources.all() is this list
            cited._result_cache, cited._prefetch_done = sources, True
            claim._prefetched_objects_cache = {"sources": cited}
            designs = [("", source.design) for source in sources]
            claim.sources_observational = bool(causal_wording.observational_reason(designs))
        else:
            claim = Claim.objects.select_related("condition", "evidence_status").get(pk=claim.pk)
        decisions.append(
            ClaimDecision(
                claim=claim,
                decision=Decision.WITHDRAWN,
                actor=actor,
                comment=reason,
                snapshot=claim_snapshot(claim),
                created_at=at,
            )
        )
    ClaimDecision.objects.bulk_create(decisions)


def _words(text):
    return WORD.findall((text or "").lower())


def substantive_changes(claim: Claim, changed_fields, *, old_explanation=None, sources_changed=False) -> list[str]:
    """The reasons a change to an approved claim needs a new review (an empty list when none)."""
    reasons = [SUBSTANTIVE_FIELDS[field] for field in SUBSTANTIVE_FIELDS if field in changed_fields]
    if sources_changed:
        reasons.append("its sources changed")
    if "explanation" in changed_fields and _words(old_explanation) != _words(claim.explanation):
        reasons.append("its public explanation was reworded")
    return list(dict.fromkeys(reasons))


def claim_record_change(
    *, claim: Claim, user, changed_fields, sources_changed=False, old_explanation=None
) -> str | None:
    """Note who changed a claim; withdraw its approval when the change is substantive.

    Called before the claim is saved. Returns the reason when an approval was withdrawn.
    """
    if claim.pk is None:
        claim.created_by = user
    claim.last_changed_by = user
    if not claim.is_approved:
        return None
    reasons = substantive_changes(
        claim, changed_fields, old_explanation=old_explanation, sources_changed=sources_changed
    )
    # A reviewer who edits a claim becomes its last editor and can no longer stand as its approver.
    if not reasons and claim.reviewed_by_id == user.pk:
        reasons = ["its approving reviewer edited it"]
    if not reasons:
        return None
    send_to_reviewers(claim)
    return "Approval withdrawn: " + "; ".join(reasons) + "."


@dataclass
class ClaimSaved:
    """What a save of the claim form did: the approval it withdrew (its reason) and what it could not do."""

    withdrawal: str | None = None
    problems: list[str] = field(default_factory=list)
    # The sources this save added to the claim (picked or typed), whose look-ups the editor is told of.
    added_sources: list = field(default_factory=list)
    # The saver's own assignment to review the claim, released now that they last changed it.
    released: str | None = None


@transaction.atomic
def claim_save(
    *,
    claim: Claim,
    user,
    changed_fields,
    sources,
    new_source_identifiers=(),
    old_explanation=None,
    submit=False,
) -> ClaimSaved:
    """Save a claim as edited in its form by `user`, with its sources, and submit it when asked.

    `changed_fields` are the fields the editor changed (the words included); a substantive change
    withdraws an approval, recorded once the sources are saved so that its snapshot is right. Sources
    typed as identifiers are added when they can be (a refusal is returned, the rest is saved), and a
    submission that is refused is returned the same way.
    """
    sources = list(sources)
    cited_before = set(claim.sources.all()) if claim.pk else set()
    sources_changed = set(sources) != cited_before if claim.pk else bool(sources)
    withdrawal = claim_record_change(
        claim=claim,
        user=user,
        changed_fields=changed_fields,
        sources_changed=sources_changed or bool(new_source_identifiers),
        old_explanation=old_explanation,
    )
    claim.save()
    claim.sources.set(sources)
    saved = ClaimSaved(withdrawal=withdrawal, released=assignments.release_if_changed_by(claim, user))
    saved.added_sources = [source for source in sources if source not in cited_before]
    try:
        added = [source_from_identifier(value) for value in new_source_identifiers]
    except ValidationError as error:
        saved.problems.extend(error.messages)
    else:
        claim.sources.add(*added)
        saved.added_sources += [source for source in added if source not in saved.added_sources]
    # A source made while look-ups were off is looked up once a claim cites it with them on.
    for source in saved.added_sources:
        source_metadata.look_up_if_never(source)
    if withdrawal:
        claim_withdraw_approval(claim=claim, actor=user, reason=withdrawal)
    if submit and claim.review_state in SUBMITTABLE_STATES:
        try:
            claim_submit(claim=claim, user=user)
        except ValidationError as error:
            saved.problems.extend(error.messages)
    return saved


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
