"""Work lists: what waits for an editor or a reviewer, as the admin's lists filter it and the admin home counts it.

Each function answers one question with the rule the rest of the product applies, so that a count on the
admin home (claims/dashboard.py) and the list its link opens (the filters in claims/filters.py) can never
disagree:

- claims sent back to their editor: a reviewer requested changes or rejected them;
- drafts blocked at the publication gate by their claims: the gate's claim rule
  (claims.publishing.gate `BLOCKING_CLAIM`, whose reasons `claim_blockers` words: a claim orphaned, or not approved);
- drafts waiting for a medical sign-off: none of their claims blocks, and no revision signed off or live
  was taken from this exact draft (the gate's `draft_digest`);
- assigned work: an open assignment (claims.assignments), to one reviewer or to anyone.
"""

from collections import defaultdict
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Q

from articles.models import Article, ArticleRevision

from .models import Assignment, Claim
from .publishing.gate import BLOCKING_CLAIM, draft_digest

SENT_BACK = [Claim.ReviewState.CHANGES_REQUESTED, Claim.ReviewState.REJECTED]


def sent_back(claims, user=None):
    """Claims a reviewer sent back (changes requested or rejected); those `user` wrote, when given."""
    claims = claims.filter(review_state__in=SENT_BACK)
    return claims if user is None else claims.filter(created_by=user)


def gate_blocked(articles, blocked=True):
    """Articles whose draft the publication gate holds back for one of its claims (or, `blocked` False, those
    none of whose claims does)."""
    blocking = Exists(Claim.objects.filter(BLOCKING_CLAIM, article=OuterRef("pk")))
    return articles.filter(blocking) if blocked else articles.exclude(blocking)


def blocking_claims_of(article_ids):
    """The claims blocking each of `article_ids`, in the draft's order: {article id: [claims]}, in one query."""
    found = defaultdict(list)
    rows = Claim.objects.filter(BLOCKING_CLAIM, article_id__in=list(article_ids)).order_by("article_id", "start", "pk")
    for claim in rows.only("pk", "article_id", "quote", "is_orphaned", "review_state", "start"):
        found[claim.article_id].append(claim)
    return found


def awaiting_sign_off_ids(articles) -> list[int]:
    """Ids of `articles` whose draft none of its claims blocks and that no revision signed off (or live) was
    taken from: a reviewer's sign-off is what the gate still asks. Three queries, whatever their number."""
    chosen = articles.order_by().values("pk")
    candidates = list(
        gate_blocked(Article.objects.all(), blocked=False)
        .filter(pk__in=chosen)
        .only("pk", "title", "standfirst", "body")
    )
    ids = [article.pk for article in candidates]
    claims = defaultdict(list)
    rows = Claim.objects.filter(article_id__in=ids).order_by("start", "pk").values_list("article_id", "pk", "version")
    for article_id, pk, version in rows:
        claims[article_id].append(SimpleNamespace(pk=pk, version=version))
    settled = defaultdict(set)
    revisions = ArticleRevision.objects.filter(article_id__in=ids).filter(
        Q(signed_off_by__isnull=False) | Q(is_live=True)
    )
    for article_id, digest in revisions.values_list("article_id", "draft_digest"):
        settled[article_id].add(digest)
    return [
        article.pk for article in candidates if draft_digest(article, claims[article.pk]) not in settled[article.pk]
    ]


def assignment_condition(target: str, reviewer=None):
    """Rows (claims, `target` "claim", or articles, "article") with an open assignment: to `reviewer`, or to
    anyone when no reviewer is given."""
    current = Assignment.objects.open().filter(**{target: OuterRef("pk")})
    return Exists(current if reviewer is None else current.filter(reviewer=reviewer))
