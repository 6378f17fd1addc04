"""The editorial-integrity check of one article: plain Python with no Django import.

Three kinds of finding, for editors and reviewers only (readers never see them):
- overclaiming: a claim worded more strongly than its evidence grade allows (claims/text/wording.py
  rates the wording), with the words to soften and rewordings that fit the grade (claims/text/rewording.py);
- unsourced: a claim that cites no source;
- suggested claims: sentences that make a health claim about a known condition and carry no claim
  about it, or make one naming no known condition and carry no claim (claims/text/suggestions.py
  finds them).

claims/selectors.py reads an article's claims and conditions from the database and
claims/reports.py calls check_article() with them; bench/integrity.py times it on a long article.
"""

import re
from dataclasses import dataclass, field

from . import rewording, wording
from .suggestions import ConditionMatcher, Suggestion, suggest_claims

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


@dataclass(frozen=True)
class ClaimCheck:
    claim: ClaimFacts
    rating: wording.Rating
    overclaiming: bool
    advice: "rewording.Advice | None"

    @property
    def unsourced(self) -> bool:
        return not self.claim.sourced

    @property
    def overridden(self) -> bool:
        """Overclaiming, and approved as it is with a reviewer's written reason."""
        return self.overclaiming and bool(self.claim.override_reason)

    @property
    def flagged(self) -> bool:
        return self.overclaiming or self.unsourced


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
    def unsourced(self) -> list[ClaimCheck]:
        return [check for check in self.claims if check.unsourced]

    @property
    def flag_count(self) -> int:
        return len(self.overclaiming) + len(self.unsourced) + len(self.suggestions)


def check_claim(claim: ClaimFacts, *, advise: bool = True) -> ClaimCheck:
    """Rate a claim's wording against its grade; with `advise`, say how to soften it when it overclaims.

    A claim given `rated_as` keeps that rating, with no words named: the site's report counts with
    the ratings stored on save rather than reading every claim again.
    """
    text = wording_text(claim.quote, claim.prefix, claim.suffix)
    if claim.rated_as is None:
        rating = wording.rate(text)
    else:
        rating = wording.Rating(wording.Strength(claim.rated_as[0]), claim.rated_as[1], ())
    overclaiming = claim.rated and wording.is_overclaiming(rating, claim.allowed, denial_fits=claim.denial_fits)
    return ClaimCheck(
        claim=claim,
        rating=rating,
        overclaiming=overclaiming,
        advice=rewording.advice(text, rating, claim.allowed) if overclaiming and advise else None,
    )


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
