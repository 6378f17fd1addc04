"""Compare two versions of an article's text, for the history pages of the admin.

Plain Python with no Django import. The Markdown source is compared line by line (editors write
one paragraph a line); where lines were rewritten, their sentences are compared instead, so that
one reworded sentence in a long paragraph shows as that sentence, not the whole paragraph.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from .sentences import split_sentences

ADDED, REMOVED, UNCHANGED, SKIPPED = "added", "removed", "unchanged", "skipped"


@dataclass(frozen=True)
class DiffRow:
    """One line (or sentence of a rewritten line) of a comparison.

    `old_line` and `new_line` are 1-based line numbers in each version (None where the row is not
    in that version). A SKIPPED row stands for `skipped` unchanged lines left out of the display.
    """

    kind: str
    text: str
    old_line: int | None = None
    new_line: int | None = None
    skipped: int = 0
    # For a sentence rewritten into another: (changed, words) runs, the changed ones told apart.
    segments: tuple[tuple[bool, str], ...] = ()

    @property
    def marker(self):
        """The words that say what happened to the row, so that colour is never the only sign."""
        return {ADDED: "+ added", REMOVED: "− removed"}.get(self.kind, "")


def diff_text(old: str, new: str) -> list[DiffRow]:
    """Rows saying which lines, or sentences of rewritten lines, were added, removed or kept."""
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    rows = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [
                DiffRow(UNCHANGED, old_lines[i], old_line=i + 1, new_line=j + 1)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
        elif tag == "delete":
            rows += [DiffRow(REMOVED, old_lines[i], old_line=i + 1) for i in range(i1, i2)]
        elif tag == "insert":
            rows += [DiffRow(ADDED, new_lines[j], new_line=j + 1) for j in range(j1, j2)]
        else:
            rows += _diff_sentences(_sentences(old_lines, i1, i2), _sentences(new_lines, j1, j2))
    # Unchanged blank lines only separate paragraphs: shown, they read as empty sentences.
    return [row for row in rows if row.kind != UNCHANGED or row.text.strip()]


def _sentences(lines, first, last):
    """(line number, sentence) for each sentence of lines[first:last]; a blank line is one empty unit."""
    units = []
    for index in range(first, last):
        line = lines[index]
        spans = split_sentences(line) or [(0, 0)]
        units += [(index + 1, line[start:end]) for start, end in spans]
    return units


def _diff_sentences(old_units, new_units):
    rows = []
    old_texts, new_texts = [text for _, text in old_units], [text for _, text in new_units]
    matcher = SequenceMatcher(None, old_texts, new_texts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [
                DiffRow(UNCHANGED, old_texts[i], old_line=old_units[i][0], new_line=new_units[j][0])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        paired = tag == "replace" and i2 - i1 == j2 - j1
        removed_words, added_words = {}, {}
        if paired:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                removed_words[i], added_words[j] = changed_words(old_texts[i], new_texts[j])
        rows += [
            DiffRow(REMOVED, old_texts[i], old_line=old_units[i][0], segments=removed_words.get(i, ()))
            for i in range(i1, i2)
        ]
        rows += [
            DiffRow(ADDED, new_texts[j], new_line=new_units[j][0], segments=added_words.get(j, ()))
            for j in range(j1, j2)
        ]
    return rows


# Words, single punctuation marks and runs of spaces: a changed comma is a change of its own.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")


def changed_words(old: str, new: str):
    """The two sentences as runs of (changed, text), so that a reworded sentence shows which words changed."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    before, after = [], []
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            _append(before, tag != "equal", "".join(old_tokens[i1:i2]))
        if j2 > j1:
            _append(after, tag != "equal", "".join(new_tokens[j1:j2]))
    return tuple(before), tuple(after)


def _append(runs, changed, text):
    if runs and runs[-1][0] == changed:
        runs[-1] = (changed, runs[-1][1] + text)
    else:
        runs.append((changed, text))


def collapse_unchanged(rows: list[DiffRow], context: int = 2) -> list[DiffRow]:
    """Keep `context` unchanged rows around each change; replace longer unchanged runs by one SKIPPED row."""
    kept = []
    run = []

    def flush(at_start, at_end):
        head = 0 if at_start else context
        tail = 0 if at_end else context
        if len(run) > head + tail + 1:
            kept.extend(run[:head])
            kept.append(DiffRow(SKIPPED, "", skipped=len(run) - head - tail))
            kept.extend(run[len(run) - tail :])
        else:
            kept.extend(run)
        run.clear()

    for row in rows:
        if row.kind == UNCHANGED:
            run.append(row)
            continue
        if run:
            flush(at_start=not kept, at_end=False)
        kept.append(row)
    if run:
        flush(at_start=not kept, at_end=True)
    return kept


def count_changes(rows: list[DiffRow]) -> dict[str, int]:
    """How many rows were added and removed."""
    return {kind: sum(row.kind == kind for row in rows) for kind in (ADDED, REMOVED)}
