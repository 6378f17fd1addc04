"""The claims app's admin. Django's admin autodiscovery imports this package, which registers:

- claims.py: ClaimAdmin (the claim form, its list with counts by review state, saving through the
  services, the article picker for a new claim) and OrphanedClaimAdmin (claims that lost their sentence).
- vocabulary.py: ConditionAdmin, EvidenceStatusAdmin and SourceAdmin: rows that claims use are never
  deleted from under them, and a source's change goes through claims.source_review.
- queue.py: ReviewQueueAdmin: the reviewers' queue ("Claims waiting for review"), longest waiting first, each
  claim in its paragraph, ready or blocked, with who is assigned it.
- evidence_alerts.py: EvidenceAlertAdmin: the reviewers' evidence alerts (a cited source retracted, under
  concern or its trial stopped) and the page resolving each.

and holds what ClaimAdmin is made of:

- review.py: review decisions: one from the claim's page, or in bulk with one comment; the signed
  `seen` token that makes a decision land only on the claim as its reviewer saw it; the integrity column.
- integrity.py: the "Integrity report" page and its CSV.
- assigning.py: assigning a claim's or an article draft's review, and "Take this" (claims.assignments).

- comments.py: CommentThreadAdmin: only the addresses the comment forms post to (start a thread on
  a claim or a sentence, reply, resolve, reopen), and CommentsMixin, the discussion on a claim's page.

and registers, last, publication.py: PublicationAdmin, on articles' ArticleRevision: the pages that
publish an article's draft, sign it off and dismiss a suggested claim, and, from revisions.py, the
article's list of revisions, a revision as readers saw it, publishing one again and the urgent
withdrawal of a live claim (no change page of a revision).
"""

# The order matters: the queue's admin and ClaimAdmin both name URLs "claims_claim_decide" and
# "claims_claim_assign" (review.py), and reverse() finds the one registered last, which must be the claim's. The
# vocabulary's admins come between them, keeping the admin's URL list in its order.
from . import queue  # noqa: F401 (registers the reviewers' queue)

# isort: split
from . import vocabulary  # noqa: F401 (registers the condition, evidence status and source admins)

# isort: split
from . import claims  # noqa: F401 (registers the claim and orphaned claim admins)

# isort: split
from . import evidence_alerts  # noqa: F401 (registers the reviewers' evidence alerts)

# isort: split
from . import comments  # noqa: F401 (registers the addresses the comment forms post to)

# isort: split
from . import publication  # noqa: F401 (registers the publish, sign-off and dismissal pages)
