"""Claims follow their sentences when an article's text is edited: one pass over all of them.

Nothing is ever deleted: a claim whose words are unchanged follows them, one whose words changed
follows the most similar sentence (flagged, sent back for review, and its last changer becomes the
person whose edit changed it), and the rest are orphaned.

An approved claim whose words changed only in punctuation, spacing, quote marks, dashes or case
(claims.text.punctuation.same_words) follows them and keeps its approval: the words and numbers
its reviewer approved all stand. It is not flagged; `previous_quote` keeps the words as they were
approved, and claims.publishing.punctuation_changes lists such claims for the medical sign-off.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from . import pages
from .comments import article_reanchor_threads
from .models import WORDING_FIELDS, Assignment, Claim, CommentThread
from .services import claims_withdraw_approvals, send_to_reviewers
from .text.anchoring import Found, Outcome, locate_all
from .text.punctuation import same_words

# The outcome, and key of the counts, of an approved claim whose words changed only in punctuation or case.
PUNCTUATION_ONLY = "punctuation"

REANCHOR_FIELDS = [
    "quote",
    "prefix",
    "suffix",
    "start",
    "is_orphaned",
    "text_changed",
    "previous_quote",
    "review_state",
    "queued_at",
    "last_changed_by_id",
    *WORDING_FIELDS,
]


def reanchor_after_text_saved(*, article, user) -> dict:
    """Run by articles.services after each save of an article's text, inside its transaction, with the user who
    saved it.

    The claims are locked and re-anchored first, then the article's page is marked stale when the save
    changed what it shows: the lock order of every write (claims, then the page, then the content
    generation). Readers' page of an article with a live revision shows that revision and the claims
    published with it, so an edit of the draft's text and claims leaves it as it was; only a new web
    address (the slug) changes it. The page of a draft never published (which only staff reach) shows the
    draft. Either is rebuilt by a background task once the save commits (`pages.mark_stale_later`),
    and by its next reading if that comes first: a long article's page is never built in the editor's request.
    """
    outcome = _reanchor_claims(article=article, actor=user)
    slug_changed = getattr(article, "saved_slug_change", True)
    if slug_changed or not _has_live_revision(article):
        # A new address shows on public lists too; a draft's page only to staff.
        pages.mark_stale_later([article.pk], public=slug_changed)
    return outcome


_UNREAD = object()


def _has_live_revision(article) -> bool:
    """Read with the article by the admin (`live_number`), otherwise asked."""
    live_number = getattr(article, "live_number", _UNREAD)
    if live_number is _UNREAD:
        return article._has_live_revision()
    return live_number is not None


@transaction.atomic
def article_reanchor_claims(*, article, actor=None) -> dict:
    """Find every claim again in the article's current text, in one pass. Nothing is ever deleted.

    Claims whose words are unchanged follow them; claims whose words changed follow the most
    similar sentence when that is no guess among near-identical ones (claims.text.anchoring), flagged
    and sent back for review; the rest are orphaned, and orphans stay so. An approved claim whose
    words changed only in punctuation, spacing, quote marks, dashes or case follows them and stays
    approved (counted as "punctuation").

    Returns the counts of each outcome ("kept", "moved", "changed", "punctuation", "orphaned", the
    ones that happened) and, under "withdrawn", the approvals this pass withdrew: a list of
    {"pk": claim pk, "quote": its words now}, empty when none was, in the order of the claims' pks.
    """
    return _reanchor_claims(article=article, actor=actor)


def _reanchor_claims(*, article, actor=None) -> dict:
    article.__dict__.pop("open_assignments_read", None)  # what an earlier save of this copy read
    # The reading of the body the save just made, when it is that body (articles.models.Article.read_body).
    document = article.read_body()
    sentences = [(s.start, s.end) for s in document.sentences()]
    counts = Counter()
    claims = list(_locked_claims(article, actor))
    before = {claim.pk: _reanchor_values(claim) for claim in claims}
    # An orphan is never re-attached here, whatever the text now says: only an editor picks its sentence.
    looked_for = [claim for claim in claims if not claim.is_orphaned]
    found_by_pk = {
        claim.pk: found
        for claim, found in zip(
            looked_for, locate_all(document.text, [c.anchor for c in looked_for], sentences), strict=True
        )
    }
    not_found = Found(Outcome.ORPHANED, None)
    taken = set()
    withdrawn = []
    outcomes = {}
    # Claims whose exact words stand take their places before any claim that only resembles them.
    for claim in sorted(claims, key=lambda c: (found_by_pk.get(c.pk, not_found).outcome is Outcome.CHANGED, c.pk)):
        found = found_by_pk.get(claim.pk, not_found)
        outcome = found.outcome
        if found.anchor is not None and (claim.condition_id, found.anchor.start) in taken:
            outcome = Outcome.ORPHANED  # two claims about one condition landed on one place: keep the first
        if outcome is Outcome.CHANGED and claim.is_approved and same_words(claim.quote, found.anchor.quote):
            outcome = PUNCTUATION_ONLY
        counts[getattr(outcome, "value", outcome)] += 1
        outcomes[claim.pk] = outcome
        if outcome is Outcome.ORPHANED:
            claim.is_orphaned = True
            _withdraw(claim, withdrawn, "Approval withdrawn: an edit of the article removed its sentence.")
            continue
        taken.add((claim.condition_id, found.anchor.start))
        if outcome == PUNCTUATION_ONLY:
            # The approved words and numbers stand: the approval and the last changer stay (the
            # editor is on record in the article's and the claim's history), and the words as they
            # were approved are kept for the sign-off to list.
            claim.previous_quote = claim.previous_quote or claim.quote
        elif outcome is Outcome.CHANGED:
            claim.previous_quote = claim.previous_quote or claim.quote
            claim.text_changed = True
            if actor is not None:
                # Whoever changed the words may not then decide on them, whichever form they used.
                claim.last_changed_by_id = actor.pk
            _withdraw(claim, withdrawn, "Approval withdrawn: an edit of the article changed its words.")
        claim.set_anchor(found.anchor)
        claim.rate_wording()
        claim.is_orphaned = False
    _save_reanchored(
        [claim for claim in claims if _reanchor_values(claim) != before[claim.pk]],
        actor=actor,
        outcomes=outcomes,
        places_before={
            pk: (values[REANCHOR_FIELDS.index("start")], values[REANCHOR_FIELDS.index("is_orphaned")])
            for pk, values in before.items()
        },
    )
    claims_withdraw_approvals(withdrawn, actor=actor)
    # Comment threads on sentences follow them the same way; those on claims follow their claims. Whether the
    # article has any was read with its claims: an article with none (most) reads no threads.
    if not claims or claims[0].sentence_threads:
        article_reanchor_threads(article=article, text=document.text, sentences=sentences)
    if actor is not None and claims:
        # Read with the claims, under their lock (an assignment is made under the claim's or the article's lock):
        # claims.assignments.release_after_text_saved releases these without reading them again.
        article.open_assignments_read = OpenAssignments(
            user_id=actor.pk,
            draft=claims[0].draft_assigned_to_actor,
            claims={claim.pk: claim.assigned_to_actor for claim in claims if claim.assigned_to_actor is not None},
            last_changed_by={claim.pk: claim.last_changed_by_id for claim in claims},
        )
    withdrawn.sort(key=lambda pair: pair[0].pk)
    return {**counts, "withdrawn": [{"pk": claim.pk, "quote": claim.quote} for claim, _ in withdrawn]}


@dataclass(frozen=True)
class OpenAssignments:
    """The open assignments to the saving user of an article's draft review (`draft`, its pk or None) and of its
    claims (claim pk -> assignment pk), read with the claims a save re-anchored, and their last changers after it."""

    user_id: int
    draft: int | None
    claims: dict
    last_changed_by: dict


def _locked_claims(article, actor):
    """The article's claims, locked, with what the rest of the save asks of the article beside them.

    Subqueries rather than joins (a locked read joined to another table can miss a row that changed meanwhile
    on PostgreSQL): whether it has comment threads on sentences, and the open assignments to the saving user of
    each claim and of the draft's review. The article's row is locked already (its save wrote it).
    """
    open_to_actor = Assignment.objects.open().filter(reviewer_id=getattr(actor, "pk", None))
    return (
        article.claims.select_for_update()
        .annotate(
            sentence_threads=Exists(
                CommentThread.objects.filter(article_id=article.pk, claim__isnull=True, is_orphaned=False)
            ),
            assigned_to_actor=Subquery(open_to_actor.filter(claim=OuterRef("pk")).values("pk")[:1]),
            draft_assigned_to_actor=Subquery(open_to_actor.filter(article_id=article.pk).values("pk")[:1]),
        )
        .order_by("pk")
    )


def _reanchor_values(claim):
    return [getattr(claim, field) for field in REANCHOR_FIELDS]


REANCHOR_REASONS = {
    Outcome.MOVED: "Its article was edited: its sentence moved",
    Outcome.CHANGED: "Its article was edited: its words changed",
    PUNCTUATION_ONLY: "Its article was edited: only its punctuation or case changed",
    Outcome.ORPHANED: "Its article was edited: its sentence was removed",
}


def _save_reanchored(claims, *, actor=None, outcomes=None, places_before=None):
    """Write the new anchors of the claims that changed, raise their versions and keep a revision of each.

    One parameterised UPDATE run for every row: bulk_update's CASE per field and row costs
    hundreds of milliseconds for a long article, this a few. The raised version makes a claim form
    opened before the edit refuse to save over the new anchor.
    """
    if not claims:
        return
    if places_before is None or _takes_a_place_held(claims, places_before):
        # Their places are released first so that claims may swap places without tripping uniqueness.
        Claim.objects.filter(pk__in=[c.pk for c in claims]).update(is_orphaned=True)
    quote_name = connection.ops.quote_name
    assignments = ", ".join(f"{quote_name(Claim._meta.get_field(f).column)} = %s" for f in REANCHOR_FIELDS)
    version = quote_name(Claim._meta.get_field("version").column)
    sql = (
        f"UPDATE {quote_name(Claim._meta.db_table)} SET {assignments}, {version} = {version} + 1 "
        f"WHERE {quote_name('id')} = %s"
    )
    fields = [Claim._meta.get_field(name) for name in REANCHOR_FIELDS]

    def row(claim):  # each value as the database takes it (a time as each backend stores times)
        values = zip(fields, _reanchor_values(claim), strict=True)
        return [*(field.get_db_prep_save(value, connection) for field, value in values), claim.pk]

    with connection.cursor() as cursor:
        cursor.executemany(sql, [row(claim) for claim in claims])
    for claim in claims:
        claim.version += 1  # the rows are locked since they were read: this is the version just written
        claim._change_reason = REANCHOR_REASONS.get((outcomes or {}).get(claim.pk), "Its article was edited")
    _insert_history(claims, actor)


def _insert_history(claims, actor):
    """One revision of each claim ("~", changed, by `actor`), written by one parameterised INSERT run per row.

    What simple-history's bulk_history_create writes, but not split into one INSERT per few dozen rows, as
    bulk_create must on SQLite (999 parameters a statement): a long article's edit costs one statement.
    """
    history = Claim.history.model
    now = timezone.now()
    rows = [
        history(
            history_date=now,
            history_user_id=getattr(actor, "pk", None),
            history_change_reason=claim._change_reason,
            history_type="~",
            **{field.attname: getattr(claim, field.attname) for field in history.tracked_fields},
        )
        for claim in claims
    ]
    fields = [field for field in history._meta.concrete_fields if field is not history._meta.pk]
    quote_name = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote_name(history._meta.db_table)} ({', '.join(quote_name(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [[field.get_db_prep_save(field.pre_save(row, add=True), connection) for field in fields] for row in rows],
        )


def _takes_a_place_held(claims, places_before) -> bool:
    """Whether a changed claim moves to the place (condition, start) another changed claim held before.

    Only then could the row-by-row UPDATE meet the uniqueness of a place half-way; claims that did not
    change keep their places, and the pass never puts two claims on one place.
    """
    held = {}
    for claim in claims:
        start, orphaned = places_before[claim.pk]
        if not orphaned:
            held[(claim.condition_id, start)] = claim.pk
    return any(
        held.get((claim.condition_id, claim.start), claim.pk) != claim.pk for claim in claims if not claim.is_orphaned
    )


def _withdraw(claim, withdrawn, reason):
    if claim.is_approved:
        send_to_reviewers(claim)
        withdrawn.append((claim, reason))
