"""Plain text, as copied from a web page, to a draft article's Markdown body.

The rules, in the order they apply:

1. The title is the first non-empty line, any leading "#" removed. When it reads like prose
   (it ends with a full stop or is longer than 120 characters) it is also kept as the body's
   opening paragraph, so no text is lost, and a warning asks the editor for a real title.
2. Paragraphs. When the body (everything after the title, blank lines at its start and end not
   counted) has no blank lines, every line is a block of its own: that is how text copied from
   a web page arrives, and how the seed articles are written. When it has blank lines,
   they separate blocks, and the lines of a block are joined into one paragraph (hard-wrapped
   text), unless one of them is longer than 100 characters: such a block is one paragraph a
   line, as if it had no blank lines. In a joined block, bullet lines start list items (the
   lines under them continue the item) and a heading-like first line clearly shorter than the
   line under it stays a heading.
3. A block is a list item when it starts with "-", "*", "–" and a space, a bullet sign (•, ◦,
   ▪, ‣), or a number of up to three digits with "." or ")" ("1." or "1)"): numbered items
   make ordered lists that keep their first number. Indented (nested) items are flattened.
4. A block is a heading when it is short (at most 80 characters and 12 words), starts with a
   capital or digit, does not end with sentence punctuation (. , : ; ! ? …), is not a list
   item, is not the last block and the block after it does not start in lower case (which
   would make it the first half of a broken sentence). Headings become "## ".
5. Lines of only -, =, *, _, ~, # or bullets (rules and underlines) are dropped.
6. The text is escaped so that it renders exactly as written: prose such as "[3]", "*", "_",
   "<5%" or a line starting with "#" or "2019." never turns into markup.
"""

import re
from dataclasses import dataclass

from .text import read_html

MAX_BYTES = 1_048_576
TITLE_MAX_CHARS = 200  # Article.title's max_length
TITLE_PROSE_CHARS = 120
HEADING_MAX_CHARS = 80
HEADING_MAX_WORDS = 12
WRAP_MAX_CHARS = 100

_BULLET = re.compile(r"(?:[-*–]\s+|[•◦▪‣]\s*)(?=\S)")
_NUMBERED = re.compile(r"(\d{1,3})[.)]\s+(?=\S)")
_DECORATION = re.compile(r"[-=*_~#•·\s]{3,}")
_CLOSERS = "\"'”’»)]"
_HEADING_ENDINGS = ".,:;!?…"
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_INLINE_SPECIAL = re.compile(r"[\\`*_{}\[\]|]")
_ENTITY = re.compile(r"&(?=#|\w+;)")  # "&copy;", "&#169" would become characters
_ORDINAL_START = re.compile(r"\d+(?=\.(?:\s|$))")  # "2019. was" would start an ordered list


class ImportRefused(Exception):
    """The text cannot be imported; the message tells the editor why and what to do."""


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "paragraph", "bullet" or "numbered"
    text: str  # as written, whitespace collapsed, without its list marker
    number: int | None = None  # a numbered item's number

    @property
    def is_list_item(self):
        return self.kind in {"bullet", "numbered"}


@dataclass(frozen=True)
class ImportedArticle:
    title: str
    body_markdown: str
    blocks: tuple
    warnings: tuple = ()

    @property
    def headings(self):
        return [block.text for block in self.blocks if block.kind == "heading"]

    @property
    def paragraphs(self):
        return [block.text for block in self.blocks if block.kind == "paragraph"]

    @property
    def list_items(self):
        return [block.text for block in self.blocks if block.is_list_item]


@dataclass(frozen=True)
class TextStats:
    words: int
    headings: int
    sentences: int  # outside headings, as the sentence splitter counts them for claims


# Checking the bytes ------------------------------------------------------------------------


def check_upload(data: bytes, name: str) -> str:
    """Return the text of an uploaded file, or refuse it (empty, binary, not UTF-8, over 1 MB)."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"{name}: larger than 1 MB. The import takes text files up to 1 MB ({MAX_BYTES:,} bytes).")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(f"{name}: UTF-16 text. Save it as UTF-8 and import it again.")
    if b"\x00" in data or _mostly_control(data):
        raise ImportRefused(f"{name}: binary data, not plain text. Import a .txt file or paste the text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"{name}: not UTF-8 text (byte 0x{data[error.start]:02X} at position {error.start:,}). "
            "Save it as UTF-8 and import it again."
        ) from error
    if not text.strip():
        raise ImportRefused(f"{name}: empty. There is nothing to import.")
    return text


def _mostly_control(data: bytes) -> bool:
    control = sum(1 for byte in data if (byte < 32 and byte not in b"\t\n\r\f\v") or byte == 127)
    return control > len(data) * 0.1


# Parsing -----------------------------------------------------------------------------------


def parse_plain_text(text: str) -> ImportedArticle:
    """Read plain text (first line the title) into a title and a Markdown body."""
    lines = [_clean_line(line) for line in text.lstrip("\ufeff").splitlines()]
    lines = [line for line in lines if not _DECORATION.fullmatch(line)]
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        raise ImportRefused("The text is empty. There is nothing to import.")
    title = " ".join(lines[0].lstrip("#").split())
    if not title:
        raise ImportRefused("The first line, the title, has no words.")
    body = lines[1:]
    warnings = []
    if _reads_like_prose(title):
        body.insert(0, title)
        title = _shorten(title, TITLE_MAX_CHARS)
        warnings.append(
            "The first line reads like a sentence, not a title: it is also the opening paragraph. "
            "Give the article a short title in the admin."
        )
    blocks = _classify(_segments(body))
    if not blocks:
        raise ImportRefused(f"There is no text under the title “{title}”: nothing to import.")
    return ImportedArticle(title=title, body_markdown=_markdown(blocks), blocks=tuple(blocks), warnings=tuple(warnings))


def _clean_line(line):
    return " ".join(_CONTROL.sub("", line).split())


def _reads_like_prose(title):
    return len(title) > TITLE_PROSE_CHARS or (title.endswith(".") and not title.endswith("..."))


def _shorten(text, limit):
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _segments(lines):
    """The body's blocks of text, before deciding what each one is."""
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    if "" not in lines:
        return list(lines)  # one block a line
    segments = []
    for block in _runs(lines):
        if len(block) > 1 and all(len(line) <= WRAP_MAX_CHARS for line in block):
            segments.extend(_unwrap(block))
        else:
            segments.extend(block)
    return segments


def _runs(lines):
    run = []
    for line in [*lines, ""]:
        if line:
            run.append(line)
        elif run:
            yield run
            run = []


def _unwrap(block):
    """Join a hard-wrapped block; its list items and a heading first line stay apart."""
    first, following = block[0], block[1]
    segments = []
    if _heading_like(first) and (
        _list_marker(following) or (not _starts_lower(following) and len(first) < 0.6 * len(following))
    ):
        segments.append(first)
        block = block[1:]
    current = None
    for line in block:
        if current is None or _list_marker(line):
            if current is not None:
                segments.append(current)
            current = line
        else:
            current += " " + line
    segments.append(current)
    return segments


def _classify(segments):
    blocks = []
    for index, segment in enumerate(segments):
        following = segments[index + 1] if index + 1 < len(segments) else None
        marker = _list_marker(segment)
        if marker is not None:
            kind, number, rest = marker
            blocks.append(Block(kind, rest, number))
        elif _heading_like(segment) and following is not None and not _starts_lower(following):
            blocks.append(Block("heading", segment))
        else:
            blocks.append(Block("paragraph", segment))
    return blocks


def _list_marker(line):
    """("bullet" | "numbered", number, text) for a list item; None otherwise."""
    if match := _BULLET.match(line):
        return "bullet", None, line[match.end() :]
    if match := _NUMBERED.match(line):
        return "numbered", int(match.group(1)), line[match.end() :]
    return None


def _heading_like(line):
    if len(line) > HEADING_MAX_CHARS or len(line.split()) > HEADING_MAX_WORDS or _list_marker(line):
        return False
    first = next((char for char in line if char.isalnum()), "")
    last = line.rstrip(_CLOSERS)[-1:]
    return bool(first) and not first.islower() and last not in _HEADING_ENDINGS


def _starts_lower(line):
    return line[:1].islower()


# Writing Markdown --------------------------------------------------------------------------


def _markdown(blocks):
    parts = []
    for index, block in enumerate(blocks):
        previous = blocks[index - 1] if index else None
        if block.kind == "heading":
            text = "## " + _escape_inline(block.text).replace("#", "\\#")
        elif block.kind == "paragraph":
            text = _escape_block(block.text)
        else:
            marker = "-" if block.kind == "bullet" else f"{block.number}."
            text = f"{marker} {_escape_block(block.text)}"
        # Items of the same kind in a row are one list: a blank line between would loosen it.
        if previous is not None and previous.kind == block.kind and block.is_list_item:
            parts[-1] += "\n" + text
        else:
            parts.append(text)
    return "\n\n".join(parts) + "\n"


def _escape_inline(text):
    text = _INLINE_SPECIAL.sub(lambda match: "\\" + match.group(0), text)
    return _ENTITY.sub("&amp;", text).replace("<", "&lt;")


def _escape_block(text):
    """Escape text that starts a block, where a leading sign would otherwise be markup."""
    text = _escape_inline(text)
    if text[:1] in {"#", ">", "+", "-"}:
        return "\\" + text
    if match := _ORDINAL_START.match(text):
        return f"{match.group(0)}\\{text[match.end() :]}"
    if re.match(r":(\s|$)", text):
        return "&#58;" + text[1:]
    if text.startswith("~~~"):
        return "&#126;" + text[1:]
    return text


# Counting ----------------------------------------------------------------------------------


def text_stats(html: str) -> TextStats:
    """Words, headings and sentences of a rendered body, as an editor would count them."""
    document = read_html(html)
    words = sum(1 for word in document.text.split() if any(char.isalnum() for char in word))
    headings = sum(1 for unit in document.units if unit.kind == "heading")
    sentences = sum(1 for sentence in document.sentences() if sentence.kind != "heading")
    return TextStats(words=words, headings=headings, sentences=sentences)
