"""Anchor a quote in an article's plain text: exact quote, context either side, offset."""

from dataclasses import dataclass

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Anchor:
    quote: str
    prefix: str
    suffix: str
    start: int

    @property
    def end(self):
        return self.start + len(self.quote)


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


def _context_score(text: str, anchor: Anchor, position: int) -> int:
    before = text[max(0, position - len(anchor.prefix)) : position]
    after = text[position + len(anchor.quote) : position + len(anchor.quote) + len(anchor.suffix)]
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


def locate(text: str, anchor: Anchor) -> Anchor | None:
    """Find the anchor's quote in new text; None when the quote no longer appears verbatim."""
    if not anchor.quote:
        return None
    positions = _occurrences(text, anchor.quote)
    if not positions:
        return None
    # Several copies: the one whose surroundings match best, then the one nearest the old place.
    best = max(positions, key=lambda p: (_context_score(text, anchor, p), -abs(p - anchor.start)))
    return anchor_at(text, best, best + len(anchor.quote))
