"""Whole-word phrase patterns: lists of names or cue words compiled into one regular expression each.

Matching ignores case, except for short acronyms: a single word of two to five characters written
all in capitals ("MS", "IPF", "COPD") matches only in capitals, so "ms" in "5 ms" and "Ms" in
"Ms Smith" are not multiple sclerosis. Straight and curly apostrophes are the same, as are runs of
spaces and hyphens ("non-small cell" / "non small cell"). A possessive "'s" is optional: "Crohn's
disease" also matches "Crohns disease" and "Crohn disease". `loose_form` gives the one form all
these spellings share, to find what a match named.

Plain Python with no Django import.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

APOSTROPHES = "'’‘ʼ"
# What may separate the words of a phrase: spaces (any), hyphens and the dashes used as hyphens.
_SEPARATORS = r"\s\-‐‑‒–"
SEPARATOR_PATTERN = f"[{_SEPARATORS}]+"
_SPLIT_WORDS = re.compile(SEPARATOR_PATTERN)
_ONE_APOSTROPHE = str.maketrans(APOSTROPHES, "'" * len(APOSTROPHES))
_POSSESSIVE_END = re.compile(r"'s$", re.IGNORECASE)
NEVER = re.compile(r"(?!)")

# Building patterns -------------------------------------------------------------------------
# Phrases are compiled into one regular expression shaped as a trie: alternatives that share a
# beginning share it in the pattern ("multiple (?:sclerosis|myeloma)"), so at each place in the
# text the engine follows one path instead of trying every phrase in turn. Case is spelled out
# as character classes ("[Mm]") rather than left to re.IGNORECASE: the engine skips an
# alternative whose first class does not hold the next character without entering it. On a
# 5,000-word text with 150 names a flat case-insensitive alternation took ten times as long.

_SEPARATOR = object()  # a run of spaces or hyphens between two words
_APOSTROPHE = object()
_POSSESSIVE = object()  # an optional "'s", with or without its apostrophe
_END = object()  # a phrase ends here; its value is the ending that may follow ("" for none)
PLURAL = "(?:[Ee]?[Ss])"  # one group, so that a "?" after it applies to all of it
_ACRONYM_PLURAL = "s"  # "IBDs"


def words_of(phrase):
    return [word for word in _SPLIT_WORDS.split(phrase.strip()) if word]


def normal_form(phrase):
    """The phrase as matching sees it: lower case, one apostrophe, single spaces."""
    return " ".join(words_of(phrase)).lower().translate(_ONE_APOSTROPHE)


def loose_form(phrase):
    """The form every spelling a pattern matches shares: no apostrophes, no final "s" on any word."""
    return " ".join(
        _POSSESSIVE_END.sub("", word).replace("'", "").rstrip("s") or word for word in normal_form(phrase).split(" ")
    )


def is_acronym(words):
    """A short name written in capitals ("MS", "COPD"), matched only in capitals."""
    return len(words) == 1 and 2 <= len(words[0]) <= 5 and words[0].isalnum() and words[0].isupper()


def _atoms(words):
    """The phrase as a sequence of trie steps: lower-case characters, apostrophes, separators."""
    if is_acronym(words):
        return [("=", char) for char in words[0]]
    atoms = []
    for index, word in enumerate(words):
        if index:
            atoms.append(_SEPARATOR)
        possessive = len(word) > 2 and word[-1] in "sS" and word[-2] in APOSTROPHES
        for char in word[:-2] if possessive else word:
            lower = char.lower()
            # A letter whose lower case is two characters ("İ") is kept as written.
            atoms.append(_APOSTROPHE if char in APOSTROPHES else lower if len(lower) == 1 else char)
        if possessive:
            atoms.append(_POSSESSIVE)
    return atoms


def _characters(atom):
    """The characters a (non-separator) atom stands for: a letter in each case, or any apostrophe."""
    if atom is _APOSTROPHE:
        return APOSTROPHES
    if isinstance(atom, tuple):  # a letter of an acronym: as written only
        return atom[1]
    return "".join(sorted({form for form in (atom, atom.upper(), atom.title()) if len(form) == 1}))


def _atom_pattern(atom):
    if atom is _SEPARATOR:
        return SEPARATOR_PATTERN
    if atom is _POSSESSIVE:
        return f"(?:[{APOSTROPHES}]?[Ss])?"
    characters = _characters(atom)
    if len(characters) == 1:
        return re.escape(characters)
    return "[" + "".join(re.escape(character) for character in characters) + "]"


def _trie_pattern(node):
    """The regex for a trie node: {atom: child, ..., _END: the ending a phrase ending here takes}."""
    branches = [_atom_pattern(atom) + _trie_pattern(child) for atom, child in node.items() if atom is not _END]
    if _END in node:
        # A phrase may end here, or go on: the longer continuations are tried first, so the
        # longest phrase starting at one place wins.
        if node[_END]:
            branches.append(node[_END])
        if not branches:
            return ""
        # Grouped even when there is one branch: "?" would otherwise make only its last character optional.
        return "(?:" + "|".join(branches) + ")?"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _ending(words, plural):
    if not plural:
        return ""
    if is_acronym(words):
        return _ACRONYM_PLURAL
    last = words[-1]
    # "C++" or "(IPF)" takes no plural ending, nor a possessive ("Crohn's"); "disease" does.
    if not last[-1].isalnum() or (len(last) > 2 and last[-1] in "sS" and last[-2] in APOSTROPHES):
        return ""
    return PLURAL


def compile_phrases(phrases, *, flags=0):
    """One whole-word pattern for (words, takes a plural ending) pairs; never matches if empty."""
    root = {}
    for words, plural in phrases:
        node = root
        for atom in _atoms(words):
            node = node.setdefault(atom, {})
        ending = _ending(words, plural)
        node[_END] = max(node.get(_END, ""), ending, key=len)
    if not root:
        return NEVER
    # The leading look-ahead is the trie's first characters in one class: a single test that
    # rules out most places in the text before the look-behind and the trie are tried there.
    first = "".join(re.escape(character) for atom in root for character in _characters(atom))
    return re.compile(rf"(?=[{first}])(?<!\w){_trie_pattern(root)}(?!\w)", flags)


# Cue words ---------------------------------------------------------------------------------


def inflections(word):
    """The regular forms of a cue's last word: -s, -es, -ed, -ing, -ment(s); cure: cured, curing; therapy: therapies."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing", word + "ment", word + "ments"}
    lower = word.lower()
    if lower.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if len(lower) > 1 and lower.endswith("y") and lower[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    return forms


@dataclass(frozen=True)
class Cues:
    """Cue words, compiled."""

    words: tuple[str, ...]  # the cues as the file lists them
    pattern: re.Pattern

    def find(self, text: str, outside=()) -> list[tuple[str, int, int]]:
        """(cue as written, start, end) for each cue in `text` not inside an `outside` span."""
        return [
            (match.group(), match.start(), match.end())
            for match in self.pattern.finditer(text)
            if not any(start <= match.start() and match.end() <= end for start, end in outside)
        ]


def compile_cues(inflected: Iterable[str] = (), exact: Iterable[str] = ()) -> Cues:
    """Cues from words that take regular endings and words matched only as written (in any case)."""
    listed = []
    phrases = []
    for entry, takes_endings in [(word, True) for word in inflected] + [(word, False) for word in exact]:
        # Cue words are matched in any case, whatever case the file writes them in.
        words = words_of(entry.lower())
        if not words:
            continue
        listed.append(" ".join(words_of(entry)))
        for last in inflections(words[-1]) if takes_endings else [words[-1]]:
            phrases.append(([*words[:-1], last], False))
    return Cues(words=tuple(listed), pattern=compile_phrases(phrases))
