"""Split a paragraph of medical prose into sentences, with offsets."""

import re

# Words that end in a full stop without ending the sentence (compared in lower case).
ABBREVIATIONS = {
    "al", "approx", "ca", "cf", "dept", "dr", "e.g", "eg", "esp", "est", "i.e", "ie", "inc",
    "incl", "jr", "mr", "mrs", "ms", "prof", "resp", "sr", "st", "viz", "vs", "wt",
}  # fmt: skip
# Abbreviations that only hold before a number ("Fig. 2", "No. 5", "p. 14").
NUMBER_ABBREVIATIONS = {"ch", "eq", "fig", "figs", "no", "nos", "p", "pp", "ref", "refs", "sec", "vol"}
# Capitalised journal-title abbreviations ("N. Engl. J. Med.", "Am. J. Respir. Crit. Care Med.").
JOURNAL_ABBREVIATIONS = {
    "Acad", "Am", "Ann", "Assoc", "Biol", "Br", "Clin", "Crit", "Dis", "Engl", "Eur", "Immunol",
    "Int", "Intern", "Med", "Nat", "Natl", "Pharmacol", "Proc", "Pulm", "Res", "Respir", "Rev",
    "Rheumatol", "Sci", "Ther", "Transl",
}  # fmt: skip

_BOUNDARY = re.compile(
    r"(?:\.{3}|[.!?…‽]+)"  # terminal punctuation, an ellipsis included
    r"[\"'”’»)\]]*"  # closing quotes and brackets
    r"(?:\s?\[\d+(?:\s?[,–-]\s?\d+)*\])?"  # a citation bracket after the stop: "fibrosis.[3]"
    r"(?=\s+[\"'“‘«(\[]?[A-Z0-9À-ÖØ-Þ])"  # then space and a capital or digit
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _is_abbreviation(text, stop_at, next_char):
    match = _WORD_BEFORE.search(text, 0, stop_at)
    if not match:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():
        return True  # an initial: "J. Smith", "N. Engl."
    if "." in word.rstrip("."):
        return True  # "e.g", "i.e", "U.S"
    lower = word.lower()
    if lower in ABBREVIATIONS:
        return True
    if lower in NUMBER_ABBREVIATIONS and next_char.isdigit():
        return True
    return word in JOURNAL_ABBREVIATIONS


def split_sentences(text: str, start: int = 0, end: int | None = None):
    """Return (start, end) offsets of the sentences in text[start:end]."""
    end = len(text) if end is None else end
    spans = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        if text[match.start()] == "." and match.group(0)[:3] != "...":
            following = text[match.end() :].lstrip()[:2].lstrip("\"'“‘«([")
            if _is_abbreviation(text, match.start(), following[:1]):
                continue
        stop = match.end()
        if stop > cursor:
            spans.append((cursor, stop))
        cursor = stop
        while cursor < end and text[cursor].isspace():
            cursor += 1
    if cursor < end:
        spans.append((cursor, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]
