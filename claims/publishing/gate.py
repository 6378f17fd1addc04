"""The publication gate: what the draft is, and what stops it going live or being signed off."""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from articles.models import ArticleRevision

from ..models import Claim, SuggestionDismissal
from ..policy import refusal_for_missing_credentials, refusal_to_sign_off
from ..reports import article_findings
from ..text.punctuation import same_words


@dataclass(frozen=True)
class Blocker:
    """One reason a draft may not be published yet, with the page where it is dealt with."""

    text: str
    url: str = ""


class PublicationRefused(ValidationError):
    def __init__(self, blockers):
        self.blockers = list(blockers)
        super().__init__([blocker.text for blocker in self.blockers])


# The draft ---------------------------------------------------------------------------------------


def shortened(words: str, most: int = 80) -> str:
    """The words as they are when short, else cut at a word boundary before `most` characters, with “…”."""
    if len(words) <= most:
        return words
    return words[:most].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def draft_claims(article):
    return list(
        Claim.objects.filter(article=article)
        .with_override_reason()
        .select_related("condition", "evidence_status", "reviewed_by", "last_changed_by")
        .prefetch_related("sources")
        .order_by("start", "pk")
    )


def draft_digest(article, claims=None) -> str:
    """Names the draft exactly: its text and the version of each of its claims."""
    claims = draft_claims(article) if claims is None else claims
    parts = [article.title, article.standfirst, article.body, *(f"{c.pk}:{c.version}" for c in claims)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def draft_last_editor(article, claims=None):
    """Who last changed the draft's text or one of its claims (None when nobody is on record)."""
    claims = draft_claims(article) if claims is None else claims
    text_saved = _last_text_save(article)
    candidates = [text_saved] if text_saved and text_saved[1] is not None else []
    candidates += [(claim.updated_at, claim.last_changed_by) for claim in claims if claim.last_changed_by_id]
    return max(candidates, key=lambda pair: pair[0])[1] if candidates else None


def _last_text_save(article, looked_at=200):
    """(when, who) of the newest revision that changed the article's title, standfirst or body.

    Saves of other fields (a medical review recorded, archiving) are not edits of the draft's text.
    """
    rows = list(
        article.history.order_by("-history_date", "-history_id").only(
            "title", "standfirst", "body", "history_user", "history_date"
        )[:looked_at]
    )
    for newer, older in zip(rows, [*rows[1:], None], strict=True):
        if older is None or (newer.title, newer.standfirst, newer.body) != (older.title, older.standfirst, older.body):
            return newer.history_date, newer.history_user
    return None


def live_revision(article):
    return ArticleRevision.objects.filter(article=article, is_live=True).first()


def _claim_terms(claim):
    return (claim.quote, claim.condition_id, claim.evidence_status_id, frozenset(s.pk for s in claim.sources.all()))


def is_minor(article, claims=None, findings=None) -> bool:
    """No claimed sentence changed since the live revision, and no new health claim: no new sign-off needed."""
    live = live_revision(article)
    if live is None or live.medical_review is None:
        return False
    claims = draft_claims(article) if claims is None else claims
    published = {p.claim_id: p for p in live.published_claims.prefetch_related("sources")}
    if set(published) != {claim.pk for claim in claims}:
        return False
    if any(_claim_terms(claim) != _claim_terms(published[claim.pk]) for claim in claims):
        return False
    return not open_suggestions(article, findings=findings)


# The gate ----------------------------------------------------------------------------------------


def open_suggestions(article, findings=None):
    """Sentences the integrity check takes for ungraded health claims that no reviewer dismissed.

    One entry a sentence: the check suggests a sentence once for each condition it names, but a
    reviewer claims or dismisses the sentence.
    """
    findings = findings or article_findings(article)
    dismissed = set(SuggestionDismissal.objects.filter(article=article).values_list("sentence", flat=True))
    sentences = {}
    for suggestion in findings.check.suggestions:
        if suggestion.text not in dismissed:
            sentences.setdefault((suggestion.start, suggestion.end), suggestion)
    return list(sentences.values())


# A claim blocks its draft when orphaned or not approved: `claim_blockers` says why in words, and the same rule
# as a database condition (`BLOCKING_CLAIM`) finds the blocked drafts for the admin home and the article list.
BLOCKING_CLAIM = Q(is_orphaned=True) | ~Q(review_state=Claim.ReviewState.APPROVED)


def claim_blockers(claims):
    """The gate's reasons for the draft's claims that block it (`BLOCKING_CLAIM`), each with the claim's page."""
    for claim in claims:
        url = reverse("admin:claims_claim_change", args=[claim.pk])
        words = f"“{shortened(claim.quote)}”"
        if claim.is_orphaned:
            yield Blocker(f"The claim {words} has lost its sentence: re-attach or delete it.", url)
        elif not claim.is_approved:
            yield Blocker(f"The claim {words} is {claim.get_review_state_display().lower()}, not approved.", url)


def signed_off_revision(article, digest):
    """The revision signed off for this exact draft, if there is one not yet published."""
    return (
        ArticleRevision.objects.filter(article=article, draft_digest=digest, signed_off_by__isnull=False)
        .order_by("-number")
        .first()
    )


def publication_blockers(article) -> list[Blocker]:
    """Everything that stops the draft from going live now, each with where to deal with it."""
    return gate(article, draft_claims(article))[0]


def gate(article, claims) -> tuple[list[Blocker], "ArticleRevision | None"]:
    """What blocks the draft made of `claims` (`draft_claims`), and the revision signed off for it, if any.

    One reading of the draft for both, so that publishing checks the gate and takes the signed-off
    revision without reading the claims or computing the digest again.
    """
    findings = article_findings(article, claims=claims)
    blockers = list(claim_blockers(claims))
    integrity_url = reverse("admin:articles_article_change", args=[article.pk]) + "#integrity"
    for suggestion in open_suggestions(article, findings=findings):
        blockers.append(
            Blocker(f"“{shortened(suggestion.text)}” reads as a health claim: claim it or dismiss it.", integrity_url)
        )
    signed = signed_off_revision(article, draft_digest(article, claims))
    if signed is None and not is_minor(article, claims, findings):
        blockers.append(
            Blocker(
                "No medical sign-off for this draft: a reviewer who neither wrote it nor last edited it signs it off.",
                reverse("admin:articles_article_change", args=[article.pk]) + "#sign-off",
            )
        )
    return blockers, signed


def sign_off_blockers(article, reviewer, claims=None, *, last_editor=None) -> list[str]:
    """Why the reviewer may not sign off the draft; `last_editor` saves looking it up again."""
    claims = draft_claims(article) if claims is None else claims
    last_editor = draft_last_editor(article, claims) if last_editor is None else last_editor
    reasons = []
    refusal = refusal_to_sign_off(article, reviewer, last_editor=last_editor)
    if refusal or (refusal := refusal_for_missing_credentials(reviewer)):
        reasons.append(refusal)
    reasons += [blocker.text for blocker in claim_blockers(claims)]
    findings = article_findings(article, claims=[c for c in claims if not c.is_orphaned])
    for check in findings.check.overclaiming:
        reasons.append(
            f"“{shortened(check.claim.quote)}” is worded more strongly than its grade allows, with no reason given."
        )
    return reasons


# Punctuation-only changes, for the sign-off ------------------------------------------------------


@dataclass(frozen=True)
class PunctuationChange:
    """An approved claim whose words changed only in punctuation, spacing, quote marks, dashes or case."""

    claim: Claim
    before: str  # the words readers see (the live revision's copy), or those its reviewer approved
    after: str  # the words of the draft


def punctuation_changes(article) -> list[PunctuationChange]:
    """The approved claims of the draft whose words differ from their approved words only in punctuation or case.

    Re-anchoring lets such a claim keep its approval (claims.reanchoring): the sign-off page lists
    them so that the signer sees every change of a claimed sentence. A claim is compared with its
    copy in the live revision; one not published yet, with the words its reviewer approved
    (`previous_quote`, kept by re-anchoring).
    """
    live = live_revision(article)
    published = dict(live.published_claims.values_list("claim_id", "quote")) if live else {}
    changes = []
    for claim in draft_claims(article):
        if not claim.is_approved:
            continue
        before = published.get(claim.pk) or ("" if claim.text_changed else claim.previous_quote)
        if before and before != claim.quote and same_words(before, claim.quote):
            changes.append(PunctuationChange(claim=claim, before=before, after=claim.quote))
    return changes
