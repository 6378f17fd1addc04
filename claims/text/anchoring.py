"""Anchor a quote in an article's plain text, and find it again after the text is edited.

An anchor is the exact quote, some context either side and its offset. After an edit the anchors
of one article are looked for together, in two rounds, because articles repeat themselves: the
same sentence about several conditions with one word changed, lists of near-identical questions.
A claim about one condition on a sentence about another is worse than a claim that has lost its
sentence, so every guess is refused.

1. The exact words. A copy inside a sentence that disagrees with the claim's context is a sibling
   sharing those words, not the claim's. Several copies are told apart by their context, then by
   distance from the old place (they say the very same words, so neither is false), and two
   claims from different places never share a copy.
2. Otherwise the most similar sentence (the claim follows it, flagged so that a reviewer looks
   again), only if it stands in the claim's old context on both sides, no other sentence is
   nearly as like the old words, no other sentence is nearly the same as it (a sibling that may
   as well be the claim's), and no other claim holds it or fits it as well.

Anything else is orphaned. Nothing here touches a database.
"""

from bisect import bisect_right
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from rapidfuzz import fuzz, process

from articles.sentences import split_sentences

CONTEXT_CHARS = 32
# A changed sentence may still be "the same sentence" at this similarity (0-100) to its old words...
SIMILAR_SENTENCE_SCORE = 75
# ...when the rest of its sentence and the sentences either side are each at least this like
# its old surroundings...
SIDE_CONTEXT_SCORE = 80
# ...and no other sentence comes within this many points of it.
RIVAL_MARGIN = 10
# Sentences this alike (0-100) are siblings: a claim that changed cannot follow its words to one
# of them, which may as well be another's.
SIBLING_SCORE = 75
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
    ORPHANED = "orphaned"  # nowhere to be found, or nowhere to be found for sure


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


def locate(text: str, anchor: Anchor, sentences=()) -> Found:
    """Find one anchor in a new version of the text; `sentences` are (start, end) spans of that text."""
    return locate_all(text, [anchor], sentences)[0]


def locate_all(text: str, anchors, sentences=()) -> list[Found]:
    """Find the anchors of one article's claims together in a new version of its text.

    Exact words are placed first: a claim whose words still stand is never pushed out by one that
    only resembles them. Anchors with the same quote and start (several claims on one sentence)
    travel together.
    """
    sentences = sorted(sentences)
    exact = _place_exact(text, anchors, sentences)
    held = _Places(sentences)
    for i, found in exact.items():
        held.add(anchors[i], found.start, found.end)
    followed = {}
    for i, anchor in enumerate(anchors):
        if i not in exact and anchor.quote:
            span = _follow(text, sentences, anchor, anchors, held)
            if span is not None:
                followed[i] = span
    # Two claims from different places that follow their words into one sentence: neither can be sure.
    guessed = _Places(sentences)
    for i, (start, end) in followed.items():
        guessed.add(anchors[i], start, end)
    followed = {i: (start, end) for i, (start, end) in followed.items() if not guessed.clash(anchors[i], start, end)}
    results = []
    for i, anchor in enumerate(anchors):
        if i in exact:
            results.append(Found(Outcome.KEPT if exact[i].start == anchor.start else Outcome.MOVED, exact[i]))
        elif i in followed:
            results.append(Found(Outcome.CHANGED, anchor_at(text, *followed[i])))
        else:
            results.append(Found(Outcome.ORPHANED, None))
    return results


def _overlap(start, end, other_start, other_end):
    return start < other_end and other_start < end


def _same_place(anchor, other):
    """Whether two anchors were on overlapping words before the edit (one sentence's claims)."""
    return _overlap(anchor.start, anchor.end, other.start, other.end)


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


def _sentence_around(sentences, start: int, end: int):
    """The (start, end) of the sentence holding text[start:end], or None."""
    index = bisect_right(sentences, (start, float("inf"))) - 1
    if index >= 0 and sentences[index][0] <= start and end <= sentences[index][1]:
        return sentences[index]
    return None


@lru_cache(maxsize=4096)
def _old_sentence(anchor: Anchor) -> tuple[int, int]:
    """The (start, end) of the quote's own sentence in prefix + quote + suffix, as far as they show it."""
    window = anchor.prefix + anchor.quote + anchor.suffix
    low, high = len(anchor.prefix), len(anchor.prefix) + len(anchor.quote)
    offset = 0
    for line in window.split("\n"):
        for start, end in split_sentences(line):
            if offset + start <= low < offset + end or offset + start < high <= offset + end:
                low, high = min(low, offset + start), max(high, offset + end)
        offset += len(line) + 1
    return low, high


def _keeps_its_sentence(text: str, sentences, anchor: Anchor, start: int, end: int) -> bool:
    """Whether the words of the quote's old sentence that the anchor shows still surround text[start:end].

    Siblings share whole stretches of words ("Stem-cell infusions are being tested" for lupus, for
    arthritis): the rest of the sentence is what tells them apart. Only words inside both the old
    and the new sentence are compared, so that a neighbour's edit never counts.
    """
    low, high = _old_sentence(anchor)
    before = anchor.prefix[low:]
    after = anchor.suffix[: high - len(anchor.prefix) - len(anchor.quote)]
    sentence = _sentence_around(sentences, start, end)
    if sentence is not None:
        before = before[len(before) - min(len(before), start - sentence[0]) :]
        after = after[: sentence[1] - end]
    return text.endswith(before, 0, start) and text.startswith(after, end)


def _place_exact(text: str, anchors, sentences) -> dict:
    """Index of each anchor whose exact words are found -> their new anchor."""
    places = {}  # (quote, start) -> indexes of the anchors that were there
    for i, anchor in enumerate(anchors):
        if anchor.quote:
            places.setdefault((anchor.quote, anchor.start), []).append(i)
    options = []
    positions_of = {}
    for quote, old_start in places:
        anchor = anchors[places[quote, old_start][0]]
        if quote not in positions_of:
            positions_of[quote] = _occurrences(text, quote)
        positions = [
            p
            for p in positions_of[quote]
            if _keeps_its_sentence(text, sentences, anchor, p, p + len(quote))
            and (
                len(quote) >= DISTINCTIVE_QUOTE
                or _context_similarity(text, anchor, p, p + len(quote)) >= SHORT_QUOTE_CONTEXT_SCORE
            )
        ]
        for p in positions:
            context = _context_score(text, anchor, p, p + len(quote))
            options.append((-context, abs(p - old_start), p, quote, old_start))
    # Best context first, then nearest the old place; each copy goes to one place's claims.
    options.sort()
    placed, held = {}, _Places(sentences)
    for _, _, position, quote, old_start in options:
        anchor = anchors[places[quote, old_start][0]]
        if (quote, old_start) in placed or held.clash(anchor, position, position + len(quote)):
            continue
        placed[quote, old_start] = position
        held.add(anchor, position, position + len(quote))
    return {
        i: anchor_at(text, position, position + len(quote))
        for (quote, old_start), position in placed.items()
        for i in places[quote, old_start]
    }


class _Places:
    """The places given to claims so far in the new text, by sentence."""

    def __init__(self, sentences):
        self.sentences, self.by_sentence = sentences, {}

    def add(self, anchor: Anchor, start: int, end: int):
        sentence = _sentence_around(self.sentences, start, end)
        self.by_sentence.setdefault(sentence, []).append((anchor, start, end))

    def clash(self, anchor: Anchor, start: int, end: int) -> bool:
        """Whether text[start:end] would put the anchor beside another place's claim it was not beside.

        Claims of one sentence move together: they keep their distance. Claims from two places
        that end in one sentence at a new distance could not both be where they were.
        """
        sentence = _sentence_around(self.sentences, start, end)
        if sentence is None:
            nearby = [place for places in self.by_sentence.values() for place in places]
        else:
            nearby = self.by_sentence.get(sentence, []) + self.by_sentence.get(None, [])
        for other, other_start, other_end in nearby:
            if _same_place(anchor, other):
                continue
            if _overlap(start, end, other_start, other_end):
                return True
            beside = sentence is not None and _sentence_around(self.sentences, other_start, other_end) == sentence
            if beside and start - anchor.start != other_start - other.start:
                return True
        return False


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


def _partial_span(text: str, sentence, quote: str):
    """The whole words inside a longer sentence most like the quote, as (start, end)."""
    low, high = sentence
    alignment = fuzz.partial_ratio_alignment(quote, text[low:high])
    return _snap_to_words(text, low + alignment.dest_start, low + alignment.dest_end, (low, high))


def _similar_spans(text: str, sentences, anchor: Anchor, cutoff: float):
    """(score, start, end) of sentences, and of parts of longer ones, at least `cutoff` like the old quote."""
    choices = [text[s:e] for s, e in sentences]
    spans = [
        sentences[index]
        for _, _, index in process.extract(anchor.quote, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5)
    ]
    longer = {i: choice for i, choice in enumerate(choices) if len(choice) > len(anchor.quote)}
    for _, _, index in process.extract(anchor.quote, longer, scorer=fuzz.partial_ratio, score_cutoff=cutoff, limit=5):
        spans.append(_partial_span(text, sentences[index], anchor.quote))
    scored = [(fuzz.ratio(anchor.quote, text[start:end]), start, end) for start, end in spans]
    return [span for span in scored if span[0] >= cutoff]


def _context_holds(text: str, sentences, anchor: Anchor, start: int, end: int) -> bool:
    """Whether text[start:end] stands where the old quote stood: like its old surroundings on each side.

    Each side is compared in two parts, the rest of the sentence and the neighbouring sentence,
    because siblings share the first and differ only in the second.
    """
    low, high = _sentence_around(sentences, start, end) or (start, end)
    old_low, old_high = _old_sentence(anchor)
    old_before, old_after = len(anchor.prefix) - old_low, old_high - len(anchor.prefix) - len(anchor.quote)
    # A side shorter than CONTEXT_CHARS met the edge of the text: the new place must meet it too.
    before_from = max(0, start - CONTEXT_CHARS)
    after_to = end + CONTEXT_CHARS
    inside_from, inside_to = max(before_from, low), min(after_to, high)
    prefix_cut, suffix_cut = len(anchor.prefix) - old_before, old_after
    parts = [
        (anchor.prefix[prefix_cut:], text[inside_from:start]),
        (anchor.prefix[:prefix_cut], text[before_from:inside_from]),
        (anchor.suffix[:suffix_cut], text[end:inside_to]),
        (anchor.suffix[suffix_cut:], text[inside_to:after_to]),
    ]
    return all(fuzz.ratio(old, new) >= SIDE_CONTEXT_SCORE for old, new in parts)


def _has_sibling(text: str, sentences, sentence) -> bool:
    """Whether another sentence of the text is nearly the same words as text[sentence]."""
    others = [text[s:e] for s, e in sentences if (s, e) != sentence]
    return bool(
        process.extractOne(text[sentence[0] : sentence[1]], others, scorer=fuzz.ratio, score_cutoff=SIBLING_SCORE)
    )


def _follow(text: str, sentences, anchor: Anchor, anchors, held):
    """The (start, end) the anchor's changed words may be followed to, or None when that would be a guess."""
    if len(anchor.quote) < MIN_FUZZY_QUOTE or not sentences:
        return None
    spans = _similar_spans(text, sentences, anchor, SIMILAR_SENTENCE_SCORE - RIVAL_MARGIN)
    like_enough = [span for span in spans if span[0] >= SIMILAR_SENTENCE_SCORE]
    if not like_enough:
        return None
    # A claim on a whole sentence follows a whole sentence, a claim on part of one a part, when
    # one is like enough.
    low, high = _old_sentence(anchor)
    was_whole = (low, high) == (len(anchor.prefix), len(anchor.prefix) + len(anchor.quote))
    whole_sentences = set(sentences)
    score, start, end = max(
        [span for span in like_enough if (span[1:] in whole_sentences) == was_whole] or like_enough,
        key=lambda s: (s[0], _context_similarity(text, anchor, s[1], s[2]), -abs(s[1] - anchor.start)),
    )
    if not _context_holds(text, sentences, anchor, start, end) or held.clash(anchor, start, end):
        return None
    # Any other sentence nearly as like the old words, even a weaker or shorter one, makes this a
    # guess; so does one nearly the same as the new sentence, which may as well be the claim's.
    sentence = _sentence_around(sentences, start, end)
    if any(s[0] >= score - RIVAL_MARGIN and _sentence_around(sentences, s[1], s[2]) != sentence for s in spans):
        return None
    if sentence is not None and _has_sibling(text, sentences, sentence):
        return None
    target = text[start:end]
    for other in anchors:
        if not _same_place(anchor, other) and fuzz.ratio(other.quote, target) >= score:
            return None
    return start, end
