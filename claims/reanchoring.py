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

from django.db import connection, transaction

from articles.text import read_html

from . import pages
from .comments import article_reanchor_threads
from .models import WORDING_FIELDS, Claim
from .services import claim_withdraw_approval
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
    "last_changed_by_id",
    *WORDING_FIELDS,
]


def reanchor_after_text_saved(*, article, user) -> dict:
    """Run by articles.services after each save of an article's text, with the user who saved it.

    The claims are locked and re-anchored first, then the article's page is marked stale: the lock
    order of every write (claims, then the page, then the content generation).
    """
    outcome = article_reanchor_claims(article=article, actor=user)
    pages.mark_stale([article.pk])
    return outcome


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
    document = read_html(article.body_html)
    sentences = [(s.start, s.end) for s in document.sentences()]
    counts = Counter()
    claims = list(article.claims.select_for_update().order_by("pk"))
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
        [claim for claim in claims if _reanchor_values(claim) != before[claim.pk]], actor=actor, outcomes=outcomes
    )
    for claim, reason in withdrawn:
        claim_withdraw_approval(claim=claim, actor=actor, reason=reason)
    # Comment threads on sentences follow them the same way; those on claims follow their claims.
    article_reanchor_threads(article=article, text=document.text, sentences=sentences)
    withdrawn.sort(key=lambda pair: pair[0].pk)
    return {**counts, "withdrawn": [{"pk": claim.pk, "quote": claim.quote} for claim, _ in withdrawn]}


def _reanchor_values(claim):
    return [getattr(claim, field) for field in REANCHOR_FIELDS]


REANCHOR_REASONS = {
    Outcome.MOVED: "Its article was edited: its sentence moved",
    Outcome.CHANGED: "Its article was edited: its words changed",
    PUNCTUATION_ONLY: "Its article was edited: only its punctuation or case changed",
    Outcome.ORPHANED: "Its article was edited: its sentence was removed",
}


def _save_reanchored(claims, *, actor=None, outcomes=None):
    """Write the new anchors of the claims that changed, raise their versions and keep a revision of each.

    One parameterised UPDATE run for every row: bulk_update's CASE per field and row costs
    hundreds of milliseconds for a long article, this a few. The raised version makes a claim form
    opened before the edit refuse to save over the new anchor.
    """
    if not claims:
        return
    # Their places are released first so that claims may swap places without tripping uniqueness.
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(is_orphaned=True)
    quote_name = connection.ops.quote_name
    assignments = ", ".join(f"{quote_name(Claim._meta.get_field(f).column)} = %s" for f in REANCHOR_FIELDS)
    version = quote_name(Claim._meta.get_field("version").column)
    sql = (
        f"UPDATE {quote_name(Claim._meta.db_table)} SET {assignments}, {version} = {version} + 1 "
        f"WHERE {quote_name('id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[*_reanchor_values(claim), claim.pk] for claim in claims])
    for claim in claims:
        claim.version += 1  # the rows are locked since they were read: this is the version just written
        claim._change_reason = REANCHOR_REASONS.get((outcomes or {}).get(claim.pk), "Its article was edited")
    Claim.history.bulk_history_create(claims, update=True, default_user=actor)


def _withdraw(claim, withdrawn, reason):
    if claim.is_approved:
        claim.review_state = Claim.ReviewState.PENDING
        withdrawn.append((claim, reason))
