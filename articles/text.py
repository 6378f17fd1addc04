"""Plain text, units and sentences of an article's sanitised HTML.

The plain text is what a reader sees: whitespace collapsed, one blank line between blocks.
Every text node keeps its place in that plain text, so a range of the plain text (a claim's
quote) can later be wrapped in the HTML without re-rendering the Markdown.
"""

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from .sentences import split_sentences

BLOCK_KINDS = {
    "p": "paragraph",
    "dd": "paragraph",
    "dt": "paragraph",
    "div": "paragraph",
    "blockquote": "paragraph",
    "h1": "heading",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "h5": "heading",
    "h6": "heading",
    "li": "list_item",
    "td": "table_cell",
    "th": "table_cell",
    "pre": "code",
}
# Containers that end the unit before them but hold no text of their own.
STRUCTURAL_TAGS = {"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "hr"}
UNIT_SEPARATOR = "\n\n"
_SPLIT_WHITESPACE = re.compile(r"(\s+)")


@dataclass(frozen=True)
class Unit:
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    kind: str
    start: int
    end: int
    text: str
    index: int


@dataclass
class Token:
    """A piece of the HTML: markup emitted as is, or text mapped to the plain text."""

    markup: str = ""
    text: str = ""
    start: int = -1  # offset of `text` in the plain text; -1 for markup

    @property
    def is_text(self):
        return self.start >= 0


@dataclass
class Document:
    text: str
    units: list
    tokens: list

    def sentences(self):
        found = []
        for unit in self.units:
            if unit.kind in {"heading", "code"}:
                spans = [(unit.start, unit.end)]
            else:
                spans = split_sentences(self.text, unit.start, unit.end)
            for start, end in spans:
                found.append(Sentence(unit.kind, start, end, self.text[start:end], len(found)))
        return found


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []
        self.parts = []
        self.pos = 0
        self.units = []
        self.unit_kind = None
        self.unit_start = None
        self.kinds = []
        self.pre_depth = 0
        self.pending_space = None  # the text token whose whitespace may become a space

    # Units --------------------------------------------------------------------------------
    def _append(self, text):
        self.parts.append(text)
        self.pos += len(text)

    def _begin_unit(self):
        if self.unit_start is None:
            if self.units:
                self._append(UNIT_SEPARATOR)
            self.unit_start = self.pos
            self.unit_kind = self.kinds[-1] if self.kinds else "paragraph"

    def _end_unit(self):
        if self.unit_start is not None and self.pos > self.unit_start:
            self.units.append(Unit(self.unit_kind, self.unit_start, self.pos))
        self.unit_start = None
        self.pending_space = None

    # Parser callbacks ---------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_KINDS or tag in STRUCTURAL_TAGS:
            self._end_unit()
        if tag in BLOCK_KINDS:
            self.kinds.append(BLOCK_KINDS[tag])
        if tag == "pre":
            self.pre_depth += 1
        self.tokens.append(Token(markup=self.get_starttag_text()))
        if tag == "br":
            self._whitespace(Token(start=self.pos))

    def handle_startendtag(self, tag, attrs):
        if tag in STRUCTURAL_TAGS:
            self._end_unit()
        self.tokens.append(Token(markup=self.get_starttag_text()))
        if tag == "br":
            self._whitespace(Token(start=self.pos))

    def handle_endtag(self, tag):
        if tag in BLOCK_KINDS or tag in STRUCTURAL_TAGS:
            self._end_unit()
        if tag in BLOCK_KINDS and self.kinds:
            self.kinds.pop()
        if tag == "pre" and self.pre_depth:
            self.pre_depth -= 1
        self.tokens.append(Token(markup=f"</{tag}>"))

    def handle_data(self, data):
        if not data:
            return
        if self.pre_depth:
            self._begin_unit()
            self.tokens.append(Token(text=data, start=self.pos))
            self._append(data)
            return
        if not data.strip():
            if self.unit_start is None:
                # Layout whitespace between blocks: kept in the HTML, absent from the text.
                self.tokens.append(Token(markup="\n" if "\n" in data else " "))
            else:
                self._whitespace(Token(start=self.pos))
            return
        token = Token(start=-1)
        self.tokens.append(token)
        for piece in _split_keep(data):
            if piece.isspace():
                if self.unit_start is not None:
                    self.pending_space = token
                continue
            self._begin_unit()
            if self.pending_space is not None:
                if self.pending_space is token and token.start < 0:
                    token.start = self.pos
                self.pending_space.text += " "
                self._append(" ")
                self.pending_space = None
            if token.start < 0:
                token.start = self.pos
            token.text += piece
            self._append(piece)
        if token.start < 0:
            token.start = self.pos

    def _whitespace(self, token):
        self.tokens.append(token)
        if self.unit_start is not None:
            self.pending_space = token

    def close(self):
        super().close()
        self._end_unit()


def _split_keep(data):
    """Split into alternating runs of whitespace and non-whitespace."""
    return [piece for piece in _SPLIT_WHITESPACE.split(data) if piece]


def read_html(html: str) -> Document:
    """Read sanitised HTML into its plain text, units and mapped tokens."""
    reader = _Reader()
    reader.feed(html or "")
    reader.close()
    return Document(text="".join(reader.parts), units=reader.units, tokens=reader.tokens)


def plain_text(html: str) -> str:
    return read_html(html).text


# Wrapping ----------------------------------------------------------------------------------


def wrap_ranges(document: Document, ranges, open_tag, close_tag="</span>", after=None, badge_points=None):
    """Return the document's HTML with each plain-text range wrapped.

    `ranges` are (start, end, key) triples. Where a range crosses markup or overlaps another,
    the wrapper is closed and reopened around each piece so the HTML stays well-formed.
    `open_tag(key, first_piece)` gives the opening tag; `after(keys)` gives HTML inserted once
    at each of `badge_points` ({offset: keys}, each offset the end of one of the ranges); by
    default after the last piece of the ranges that end at the same offset.
    """
    ranges = sorted((s, e, k) for s, e, k in ranges if e > s)
    ends = dict(badge_points) if badge_points is not None else {}
    if badge_points is None:
        for _, e, k in ranges:
            ends.setdefault(e, []).append(k)
    opened = set()
    out = []
    link_depth = 0
    waiting = []  # badges held back until an enclosing link closes: links must not nest
    for token in document.tokens:
        if not token.is_text:
            out.append(token.markup)
            if token.markup.startswith("<a ") or token.markup == "<a>":
                link_depth += 1
            elif token.markup == "</a>" and link_depth:
                link_depth -= 1
                if not link_depth and waiting:
                    out.extend(waiting)
                    waiting = []
            continue
        t_start, t_end = token.start, token.start + len(token.text)
        cuts = {t_start, t_end}
        for s, e, _ in ranges:
            if t_start < s < t_end:
                cuts.add(s)
            if t_start < e < t_end:
                cuts.add(e)
        cuts = sorted(cuts)
        for a, b in zip(cuts, cuts[1:], strict=False):
            piece = escape(token.text[a - t_start : b - t_start], quote=False)
            active = [k for s, e, k in ranges if s <= a and b <= e]
            for key in active:
                out.append(open_tag(key, key not in opened))
                opened.add(key)
            out.append(piece)
            out.append(close_tag * len(active))
            if after and b in ends and any(k in opened for k in ends[b]):
                (waiting if link_depth else out).append(after(ends.pop(b)))
    out.extend(waiting)
    return "".join(out)
