"""Anchor a quote in an article's plain text, and find it again after the text is edited.

An anchor is the exact quote, some context either side and its offset. After an edit each
anchor is looked for in three steps: the exact quote (several copies are told apart by their
context, then by distance from the old place); otherwise the most similar sentence, if it is
similar enough (the claim follows it but is flagged so that a reviewer looks again); otherwise
the claim is orphaned. Nothing here touches a database.
"""

from dataclasses import dataclass
from enum import Enum

from rapidfuzz import fuzz, process

CONTEXT_CHARS = 32
# A changed sentence is still "the same sentence" at this similarity (0-100) to its old words...
SAME_SENTENCE_SCORE = 90
# ...or at this lower one when its surroundings also still match.
SIMILAR_SENTENCE_SCORE = 75
SIMILAR_CONTEXT_SCORE = 60
# Short quotes ("lung function") recur in a text: below this length a single exact copy is not
# enough on its own, and the surroundings must match too.
DISTINCTIVE_QUOTE = 24
SHORT_QUOTE_CONTEXT_SCORE = 50
# Quotes shorter than this are too generic to follow when their words change: they are orphaned.
MIN_FUZZY_QUOTE = 40


@dataclass(frozen=True)
class Anchor:
    quote: str
    prefix: str
    suffix: str
    start: int

    @property
    def end(self):
        return self.start + len(self.quote)


class Outcome(Enum):
    KEPT = "kept"  # same words, same place
    MOVED = "moved"  # same words, elsewhere in the text
    CHANGED = "changed"  # the words changed: followed to the most similar sentence
    ORPHANED = "orphaned"  # nowhere to be found


@dataclass(frozen=True)
class Found:
    outcome: Outcome
    anchor: Anchor | None


def anchor_at(text: str, start: int, end: int) -> Anchor:
    """The anchor of text[start:end], with its surrounding context."""
    return Anchor(
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        start=start,
    )


def _occurrences(text: str, quote: str):
    found = []
    position = text.find(quote)
    while position >= 0:
        found.append(position)
        position = text.find(quote, position + 1)
    return found


def _context_score(text: str, anchor: Anchor, start: int, end: int) -> int:
    """How many characters of the old context still stand right next to text[start:end]."""
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    score = 0
    for a, b in zip(reversed(before), reversed(anchor.prefix), strict=False):
        if a != b:
            break
        score += 1
    for a, b in zip(after, anchor.suffix, strict=False):
        if a != b:
            break
        score += 1
    return score


def _context_similarity(text: str, anchor: Anchor, start: int, end: int) -> float:
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    return fuzz.ratio(before + "|" + after, anchor.prefix + "|" + anchor.suffix)


def _find_exact(text: str, anchor: Anchor) -> Anchor | None:
    length = len(anchor.quote)
    positions = _occurrences(text, anchor.quote)
    if len(positions) == 1 and length >= DISTINCTIVE_QUOTE:
        return anchor_at(text, positions[0], positions[0] + length)
    if length < DISTINCTIVE_QUOTE:
        positions = [
            p for p in positions if _context_similarity(text, anchor, p, p + length) >= SHORT_QUOTE_CONTEXT_SCORE
        ]
    if not positions:
        return None
    best = max(positions, key=lambda p: (_context_score(text, anchor, p, p + length), -abs(p - anchor.start)))
    return anchor_at(text, best, best + length)


def _snap_to_words(text: str, start: int, end: int, bounds: tuple[int, int]) -> tuple[int, int]:
    """Widen an approximate match to whole words, within its sentence."""
    low, high = bounds
    while start > low and not text[start - 1].isspace():
        start -= 1
    while end < high and not text[end].isspace() and text[end - 1].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _find_similar(text: str, sentences, anchor: Anchor) -> Anchor | None:
    """The span of the sentence (or part of one) most like the old quote, if like enough."""
    if len(anchor.quote) < MIN_FUZZY_QUOTE or not sentences:
        return None
    choices = [text[s:e] for s, e in sentences]
    spans = []
    # A whole-sentence claim: the most similar whole sentence.
    for _, _, index in process.extract(
        anchor.quote, choices, scorer=fuzz.ratio, score_cutoff=SIMILAR_SENTENCE_SCORE, limit=5
    ):
        spans.append(sentences[index])
    # A claim on part of a sentence: the most similar stretch inside a longer sentence.
    if not spans:
        longer = [i for i, choice in enumerate(choices) if len(choice) > len(anchor.quote)]
        for _, _, index in process.extract(
            anchor.quote,
            {i: choices[i] for i in longer},
            scorer=fuzz.partial_ratio,
            score_cutoff=SIMILAR_SENTENCE_SCORE,
            limit=5,
        ):
            low, high = sentences[index]
            alignment = fuzz.partial_ratio_alignment(anchor.quote, choices[index])
            spans.append(_snap_to_words(text, low + alignment.dest_start, low + alignment.dest_end, (low, high)))
    best = None
    for start, end in spans:
        score = fuzz.ratio(anchor.quote, text[start:end])
        context = _context_similarity(text, anchor, start, end)
        if score >= SAME_SENTENCE_SCORE or (score >= SIMILAR_SENTENCE_SCORE and context >= SIMILAR_CONTEXT_SCORE):
            rank = (score + context / 10, -abs(start - anchor.start))
            if best is None or rank > best[0]:
                best = (rank, start, end)
    if best is None:
        return None
    return anchor_at(text, best[1], best[2])


def locate(text: str, anchor: Anchor, sentences=()) -> Found:
    """Find an anchor in a new version of the text; `sentences` are (start, end) spans of that text."""
    if not anchor.quote:
        return Found(Outcome.ORPHANED, None)
    exact = _find_exact(text, anchor)
    if exact is not None:
        return Found(Outcome.KEPT if exact.start == anchor.start else Outcome.MOVED, exact)
    similar = _find_similar(text, sentences, anchor)
    if similar is not None:
        return Found(Outcome.CHANGED, similar)
    return Found(Outcome.ORPHANED, None)
