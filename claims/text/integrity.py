"""The editorial-integrity check of one article: plain Python with no Django import.

These findings, for editors and reviewers only (readers never see them):
- overclaiming: a claim worded more strongly than its evidence grade allows (claims/text/wording.py
  rates the wording), with the words to soften and rewordings that fit the grade (claims/text/rewording.py);
- causal wording for an association: a claim whose sentence claims a cause while its grade does not
  support causal wording or its sources are all observational (claims/text/causal_wording.py), with
  association rewordings;
- unsourced: a claim that cites no source;
- promotional wording: a claim its grade otherwise fits that sells the result ("promising",
  "exciting": the cues marked `promotional` in wording.toml); advice only, it holds back nothing;
- suggested claims: sentences that make a health claim about a known condition and carry no claim
  about it, or make one naming no known condition and carry no claim (claims/text/suggestions.py
  finds them).

claims/selectors.py reads an article's claims and conditions from the database and
claims/reports.py calls check_article() with them; bench/integrity.py times it on a long article.
"""

import re
from dataclasses import dataclass, field, replace

from . import causal_wording, rewording, wording
from .relationship import read_relationship
from .suggestions import ConditionMatcher, Suggestion, suggest_claims

U = wording.Strength.UNCERTAIN

# The end of a sentence, or of a block, in the text around a claim: the rating reads its own sentence only.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?:\s|$)|\n")


def wording_context(quote: str, prefix: str = "", suffix: str = "") -> tuple[str, int]:
    """The quote with the rest of its sentence around it, and where the quote starts in that text.

    A claim on part of a sentence is read with the words that frame it: “Researchers hope that …”
    before it, “… is not supported by any trial” after it.
    """
    before = _SENTENCE_END.split(prefix or "")[-1].lstrip()
    after = ""
    if suffix and not _SENTENCE_END.search(quote[-1:] + suffix[:1]):
        found = _SENTENCE_END.search(suffix)
        after = (suffix[: found.end()] if found else suffix).rstrip()
    return before + quote + after, len(before)


def wording_text(quote: str, prefix: str = "", suffix: str = "") -> str:
    return wording_context(quote, prefix, suffix)[0]


@dataclass(frozen=True)
class ClaimFacts:
    """What the check needs to know of a claim."""

    key: object
    start: int
    end: int
    quote: str
    condition_key: object
    allowed: wording.Strength  # the strongest wording its evidence grade allows
    prefix: str = ""
    suffix: str = ""
    rated: bool = True  # False for internal grades such as "Not yet rated": nothing to overclaim against
    denial_fits: bool = False  # the grade says the evidence is against: an outright denial fits it
    sourced: bool = True
    grade_name: str = ""
    override_reason: str = ""  # why a reviewer approved its wording as it is, while it stays approved
    rated_as: tuple[int, bool] | None = None  # a stored rating (strength, negated), used instead of rating again
    supports_causal: bool = True  # its grade's supports_causal_wording
    source_designs: tuple[tuple[str, str], ...] = ()  # (label, design) of each cited source
    relation_as: str | None = None  # a stored relationship reading ("none", "association", "cause"), with rated_as
    observational_only: bool | None = None  # read beside it: every known design of its sources is observational
    observational_named: str = ""  # those sources named, read beside it: "PMID 1 (cohort or case-control study)"
    promotional_as: bool | None = None  # a stored reading of promotional wording, with rated_as


@dataclass(frozen=True)
class ClaimCheck:
    claim: ClaimFacts
    rating: wording.Rating
    overclaiming: bool
    advice: "rewording.Advice | None"
    causal: "causal_wording.CausalFinding | None" = None

    @property
    def unsourced(self) -> bool:
        return not self.claim.sourced

    @property
    def overridden(self) -> bool:
        """Overclaiming, and approved as it is with a reviewer's written reason."""
        return self.overclaiming and bool(self.claim.override_reason)

    @property
    def causal_overridden(self) -> bool:
        """Causal wording for an association, approved as it is with a reviewer's written reason."""
        return self.causal is not None and bool(self.claim.override_reason)

    @property
    def promotional(self) -> bool:
        """Promotional or hype words ("promising", "exciting") in a claim its grade otherwise fits; overclaiming's
        explanation names them where it is found. Advice for editors: it does not hold back publication."""
        stored = self.claim.promotional_as if self.claim.rated_as is not None else None
        return not self.overclaiming and (bool(self.rating.promotional) if stored is None else stored)

    @property
    def flagged(self) -> bool:
        return self.overclaiming or self.unsourced or self.causal is not None or self.promotional


@dataclass
class ArticleCheck:
    claims: list[ClaimCheck] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def overclaiming(self) -> list[ClaimCheck]:
        """Overclaiming claims still open: those approved with a reviewer's reason are counted apart."""
        return [check for check in self.claims if check.overclaiming and not check.overridden]

    @property
    def overridden(self) -> list[ClaimCheck]:
        return [check for check in self.claims if check.overridden]

    @property
    def causal_wording(self) -> list[ClaimCheck]:
        """Claims with causal wording for an association still open (not approved with a reviewer's reason)."""
        return [check for check in self.claims if check.causal is not None and not check.causal_overridden]

    @property
    def causal_overridden(self) -> list[ClaimCheck]:
        return [check for check in self.claims if check.causal_overridden]

    @property
    def unsourced(self) -> list[ClaimCheck]:
        return [check for check in self.claims if check.unsourced]

    @property
    def promotional(self) -> list[ClaimCheck]:
        return [check for check in self.claims if check.promotional]

    @property
    def flag_count(self) -> int:
        return len(self.overclaiming) + len(self.causal_wording) + len(self.unsourced) + len(self.suggestions)


def check_claim(claim: ClaimFacts, *, advise: bool = True) -> ClaimCheck:
    """Rate a claim's wording against its grade and look for causal wording for an association; with `advise`,
    say how to reword it when either is found.

    A claim given `rated_as` (and `relation_as`) keeps that rating and reading, with no words named: the site's
    report counts with the ratings stored on save rather than reading every claim again.
    """
    text = wording_text(claim.quote, claim.prefix, claim.suffix)
    reading = None
    if claim.rated_as is None:
        rating = wording.rate(text)
    else:
        rating = wording.Rating(wording.Strength(claim.rated_as[0]), claim.rated_as[1], ())
    overclaiming = claim.rated and wording.is_overclaiming(rating, claim.allowed, denial_fits=claim.denial_fits)
    causal = None
    if claim.rated and claim.relation_as is not None:
        reason, about = _unsupported(claim)
        causal = causal_wording.stored_finding(claim.relation_as, rating.strength, rating.negated, reason, about)
    elif claim.rated and claim.rated_as is None and rating.strength > U and not rating.negated:
        unsupported = _unsupported(claim)
        if unsupported[0]:  # the relationship is read only where a cause would be unsupported
            reading = read_relationship(text)
            causal = causal_wording.causal_finding(reading, rating, unsupported=unsupported)
    if causal is not None:
        # An "uncertain" grade fits no association wording; overclaiming's advice, when found, comes first.
        causal = replace(causal, uncertain=claim.allowed == U, deferred=overclaiming)
    return ClaimCheck(
        claim=claim,
        rating=rating,
        overclaiming=overclaiming,
        advice=_advice(text, rating, claim, overclaiming, causal, reading) if advise else None,
        causal=causal,
    )


def _unsupported(claim: ClaimFacts) -> tuple[str, str]:
    """(reason, few words) why a cause would be unsupported for this claim, from its grade and its sources."""
    if claim.observational_only is None:
        return causal_wording.unsupported_reason(
            supports_causal=claim.supports_causal, grade_name=claim.grade_name, sources=claim.source_designs
        )
    if claim.supports_causal and claim.observational_only:
        named = claim.observational_named
        reason = f"its sources are observational: {named}" if named else "its sources are all observational"
        return reason, "observational sources"
    return causal_wording.unsupported_reason(supports_causal=claim.supports_causal, grade_name=claim.grade_name)


def _advice(text, rating, claim: ClaimFacts, overclaiming: bool, causal, reading) -> "rewording.Advice | None":
    """Rewordings for what the claim was found to do, each rated (and read) again before it is shown.

    Overclaiming alone: softer wording that fits the grade (claims/text/rewording.py). Causal wording for an
    association: association wording first, then any softer wording, each kept only if it fits the grade and
    claims no cause when read again (claims/text/causal_wording.py).
    """
    if not overclaiming and causal is None:
        return None
    if causal is None or reading is None:
        return rewording.advice(text, rating, claim.allowed, denial_fits=claim.denial_fits)
    cues = wording.load_cues()
    # Association wording is "possible" at least ("is linked to"): it never fits an "uncertain" grade.
    associated = (
        causal_wording.association_rewordings(text.strip(), reading, cues, claim.allowed) if claim.allowed > U else []
    )
    kept = _clearing(associated, claim, cues)
    if overclaiming and not kept:
        # Softer wording only when no association wording fits: most of it ("may reduce") still claims a cause.
        softer = rewording.advice(text, rating, claim.allowed, denial_fits=claim.denial_fits).rewordings
        kept = _clearing(softer, claim, cues)
    words = rewording.words_to_soften(rating, claim.allowed) if overclaiming else ()
    return rewording.Advice(tuple(dict.fromkeys(words + causal.words)), tuple(kept))


def _clearing(candidates, claim: ClaimFacts, cues, room: int = rewording.MAX_REWORDINGS) -> list[str]:
    """The candidates that fit the grade and claim no cause when rated and read again, at most `room`."""
    kept = []
    for candidate in dict.fromkeys(candidates):
        if len(kept) == room:
            break
        rated = wording.rate(candidate, cues)
        if rated.strength <= claim.allowed and causal_wording.clears(candidate, cues, rating=rated):
            kept.append(candidate)
    return kept


def check_article(sentences, claims, matcher: ConditionMatcher, *, advise: bool = True) -> ArticleCheck:
    """Check every claim of an article and look for health claims nobody graded.

    `sentences` are the article's sentences (objects with start, end, text and kind), `claims` its
    anchored claims as ClaimFacts, `matcher` built once from the site's conditions.
    """
    claims = sorted(claims, key=lambda claim: claim.start)
    return ArticleCheck(
        claims=[check_claim(claim, advise=advise) for claim in claims],
        suggestions=suggest_claims(sentences, matcher, [(claim.start, claim.condition_key) for claim in claims]),
    )
