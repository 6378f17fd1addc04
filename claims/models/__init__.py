"""The claims app's models. Import them from here: `from claims.models import Claim`.

vocabulary.py: what claims are made with, edited in the admin by editors.
- Condition: a health condition a claim is about (name, slug, optional ICD-10 code and MeSH ID, synonyms).
- EvidenceStatus: an evidence grade (rank, badge symbol and words, tone) and the strongest wording it allows.
- WordingStrength: the scale of that wording, uncertain to definite (the values of claims.text.wording.Strength).
- Source: a study or page cited as evidence: a PubMed ID, DOI, NCT number or web address.

source_record.py: what the look-ups said of a source (claims/lookups/, claims/source_metadata.py).
- SourceRecord: one source's looked-up citation, PubMed types and MeSH indexing, Crossref updates
  (retractions, corrections, expressions of concern) and ClinicalTrials.gov record, with the look-up's
  outcome (Outcome) and when.
- LookupSlot: one service's rate limit, shared by every process through the database.

claim.py: the claims themselves.
- Claim: one sentence (or part of one) of an article, anchored by its quote, about one condition, with
  a grade, sources and a review state; versioned, with its history kept by simple-history
  (HistoricalClaim).
- OrphanedClaim: proxy listing the claims whose words an edit removed, waiting for an editor.
- ReviewQueueClaim: proxy listing the claims submitted for review, waiting for a reviewer.

assignment.py
- Assignment: a claim, or an article draft's medical review, given to one reviewer with a due date; done
  when they decide or sign off, released when they become its last changer.

decision.py
- ClaimDecision: one decision about a claim (submitted, approved, changes requested, rejected, approval
  withdrawn), kept for good with a snapshot of what was decided on; the claim's state follows the latest.

publication.py: what readers are shown of claims, and sentences said to make none.
- PublishedClaim: a claim as published with a revision of its article (articles.ArticleRevision):
  readers see these copies, never the draft claims.
- ConditionEvidenceCount: how many claims of a condition its evidence map shows with one grade, counted as
  the published claims change (claims/map_counts.py).
- SuggestionDismissal: a reviewer's word, with a reason, that a suggested sentence makes no health claim.

comments.py: editors' and reviewers' discussion, never public (claims/comments.py).
- CommentThread: a thread on a claim, or on a sentence of the draft anchored as a claim is (re-anchored
  after each edit, orphaned and kept when its sentence goes); resolved and reopened.
- Comment: one plain-text comment in a thread; replies are the thread's next comments.

evidence_watch.py: what the evidence watch found (claims/evidence_watch.py).
- SourceEvent: a source retracted, corrected, under concern, its trial stopped or its results posted, dated.
- EvidenceAlert: such an event raised on a claim citing the source, for a reviewer to resolve.

stored_pages.py: what readers are served, derived from the rows above (article pages, list pages).
- ArticlePage: the claim-annotated part of an article's public page, stored and rebuilt when stale.
- ContentGeneration: the single row whose number rises with every change readers could see.
- ListPage: a page of a public list (home, topic, conditions, evidence map), stored whole at a content generation.
- ListPageRendering: a list page being rendered, the render lock where the database has no advisory locks.

The models hold data, its constraints and read-only questions (Claim.public_grade, is_overclaiming).
The rules about them live elsewhere: who may do what in claims/policy.py; every write that records a
decision or spans several rows in claims/services.py (and claims/reanchoring.py, claims/source_review.py);
what marks stored pages stale in claims/signals.py. docs/architecture.md's "Rule → where it lives"
table finds any rule in one guess.
"""

from .assignment import Assignment, AssignmentQuerySet
from .claim import (
    WORDING_FIELDS,
    Claim,
    ClaimQuerySet,
    HistoricalClaim,  # made by simple-history's HistoricalRecords on Claim
    OrphanedClaim,
    OrphanedClaimManager,
    ReviewQueueClaim,
    ReviewQueueManager,
)
from .comments import COMMENT_MAX_CHARS, Comment, CommentThread
from .decision import ClaimDecision
from .evidence_watch import EvidenceAlert, SourceEvent
from .publication import ConditionEvidenceCount, PublishedClaim, SuggestionDismissal
from .source_record import Indexed, LookupSlot, Outcome, SourceRecord, UpdateKind
from .stored_pages import ArticlePage, ContentGeneration, ListPage, ListPageRendering
from .vocabulary import (
    Condition,
    EvidenceStatus,
    EvidenceStatusQuerySet,
    Source,
    WordingStrength,
    validate_icd10,  # named by migrations
    validate_mesh,  # named by migrations
)

__all__ = [
    "COMMENT_MAX_CHARS",
    "WORDING_FIELDS",
    "ArticlePage",
    "Assignment",
    "AssignmentQuerySet",
    "Claim",
    "ClaimDecision",
    "ClaimQuerySet",
    "Comment",
    "CommentThread",
    "Condition",
    "ContentGeneration",
    "EvidenceAlert",
    "EvidenceStatus",
    "EvidenceStatusQuerySet",
    "HistoricalClaim",
    "Indexed",
    "ListPage",
    "ListPageRendering",
    "LookupSlot",
    "OrphanedClaim",
    "OrphanedClaimManager",
    "Outcome",
    "PublishedClaim",
    "ConditionEvidenceCount",
    "ReviewQueueClaim",
    "ReviewQueueManager",
    "Source",
    "SourceEvent",
    "SourceRecord",
    "SuggestionDismissal",
    "UpdateKind",
    "WordingStrength",
    "validate_icd10",
    "validate_mesh",
]
