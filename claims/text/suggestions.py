"""Suggest health claims nobody has graded yet.

A sentence that names a known condition (its name or a synonym) and holds a treatment or
outcome cue ("treat", "symptoms", "survival"...) reads like a health claim. When no claim on
that condition starts inside the sentence, it is suggested to the editor, once per condition:
a claim on lupus in a sentence does not hide the suggestion for rheumatoid arthritis there.

Matching is by whole words in any case. Straight and curly apostrophes are the same, as are
runs of spaces and hyphens ("non-small cell" / "non small cell"), and a name also matches with
a plural ending ("autoimmune diseases"). Where names overlap, the one starting first wins, then
the longest ("idiopathic pulmonary fibrosis" over "pulmonary fibrosis"). A name shared by two
conditions ("MS") names both. A cue inside a condition's own name ("treatment-resistant
depression") does not count as a cue.

Headings and questions are never suggested. A heading labels what follows and a question asks
("Can stem cells cure lupus?"); neither asserts anything a grade could attach to, and the
answer that follows is where the claim is made. Code blocks are not prose and are skipped too.

The cue words are data, in cues/health_claims.toml, so editors can add to them; that file's
header says how. Plain Python with no Django import.
"""

import re
import tomllib
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_CUES_PATH = Path(__file__).parent / "cues" / "health_claims.toml"
# Sentence kinds (articles/text.py) that never carry a claim worth suggesting.
SKIPPED_KINDS = frozenset({"heading", "code"})

APOSTROPHES = "'’‘ʼ"
# What may separate the words of a name: spaces (any), hyphens and the dashes used as hyphens.
_SEPARATORS = r"\s\-‐‑‒–"
_SEPARATOR_PATTERN = f"[{_SEPARATORS}]+"
_SPLIT_WORDS = re.compile(_SEPARATOR_PATTERN)
_APOSTROPHE_PATTERN = f"[{APOSTROPHES}]"
_ONE_APOSTROPHE = str.maketrans(APOSTROPHES, "'" * len(APOSTROPHES))
# A question may close with quotes or brackets after its mark: 'Does it "cure" lupus?")'.
_QUESTION_END = re.compile(r"\?[\"'”’»)\]\s]*$")
_NEVER = re.compile(r"(?!)")


@dataclass(frozen=True)
class ConditionNames:
    key: object  # the condition's primary key in the app
    name: str
    synonyms: tuple[str, ...] = ()

    def __post_init__(self):
        # The database keeps synonyms as text, one per line; taken as a tuple of characters,
        # that text would make every letter a name.
        if isinstance(self.synonyms, str):
            object.__setattr__(self, "synonyms", _lines(self.synonyms))

    @classmethod
    def from_lines(cls, key, name, synonyms_text=""):
        """Names as the database keeps them: synonyms one per line."""
        return cls(key, name, _lines(synonyms_text or ""))


def _lines(text):
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class Suggestion:
    start: int  # the sentence's offsets in the article text
    end: int
    text: str  # the sentence
    condition_key: object
    condition_words: str  # the words that named the condition, as written
    cue_words: tuple[str, ...]  # the treatment/outcome words found, as written


# Building patterns -------------------------------------------------------------------------
# Phrases are compiled into one regular expression shaped as a trie: alternatives that share a
# beginning share it in the pattern ("multiple (?:sclerosis|myeloma)"), so at each place in the
# text the engine follows one path instead of trying every phrase in turn. Case is spelled out
# as character classes ("[Mm]") rather than left to re.IGNORECASE: the engine skips an
# alternative whose first class does not hold the next character without entering it. On a
# 5,000-word text with 150 names a flat case-insensitive alternation took ten times as long.

_SEPARATOR = object()  # a run of spaces or hyphens between two words
_APOSTROPHE = object()
_END = object()  # a phrase ends here; its value says whether a plural ending may follow
_PLURAL = "(?:[Ee]?[Ss])"  # one group, so that a "?" after it applies to all of it


def _words(phrase):
    return [word for word in _SPLIT_WORDS.split(phrase.strip()) if word]


def _normal_form(phrase):
    """The phrase as matching sees it: lower case, one apostrophe, single spaces."""
    return " ".join(_words(phrase)).lower().translate(_ONE_APOSTROPHE)


def _atoms(words):
    """The phrase as a sequence of trie steps: lower-case characters, apostrophes, separators."""
    atoms = []
    for index, word in enumerate(words):
        if index:
            atoms.append(_SEPARATOR)
        for char in word:
            lower = char.lower()
            # A letter whose lower case is two characters ("İ") is kept as written.
            atoms.append(_APOSTROPHE if char in APOSTROPHES else lower if len(lower) == 1 else char)
    return atoms


def _characters(atom):
    """The characters a (non-separator) atom stands for: a letter in each case, or any apostrophe."""
    if atom is _APOSTROPHE:
        return APOSTROPHES
    return "".join(sorted({form for form in (atom, atom.upper(), atom.title()) if len(form) == 1}))


def _atom_pattern(atom):
    if atom is _SEPARATOR:
        return _SEPARATOR_PATTERN
    characters = _characters(atom)
    if len(characters) == 1:
        return re.escape(characters)
    return "[" + "".join(re.escape(character) for character in characters) + "]"


def _trie_pattern(node):
    """The regex for a trie node: {atom: child, ..., _END: takes a plural ending}."""
    branches = [_atom_pattern(atom) + _trie_pattern(child) for atom, child in node.items() if atom is not _END]
    if _END in node:
        # A phrase may end here, or go on: the longer continuations are tried first, so the
        # longest phrase starting at one place wins.
        if node[_END]:
            branches.append(_PLURAL)
        if not branches:
            return ""
        return (branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")") + "?"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _compile_phrases(phrases):
    """One whole-word pattern for (words, takes a plural ending) pairs; never matches if empty."""
    root = {}
    for words, plural in phrases:
        node = root
        for atom in _atoms(words):
            node = node.setdefault(atom, {})
        node[_END] = node.get(_END, False) or plural
    if not root:
        return _NEVER
    # The leading look-ahead is the trie's first characters in one class: a single test that
    # rules out most places in the text before the look-behind and the trie are tried there.
    first = "".join(re.escape(character) for atom in root for character in _characters(atom))
    return re.compile(rf"(?=[{first}])(?<!\w){_trie_pattern(root)}(?!\w)")


# Conditions --------------------------------------------------------------------------------


class ConditionMatcher:
    """Finds the conditions a text names; compiled once as a single regular expression."""

    def __init__(self, conditions: Iterable[ConditionNames]):
        self._keys = {}  # normal form of a name -> keys of the conditions it names
        phrases = []
        for condition in conditions:
            for phrase in (condition.name, *condition.synonyms):
                words = _words(phrase or "")
                if not words:
                    continue
                keys = self._keys.setdefault(_normal_form(phrase), [])
                if condition.key not in keys:
                    keys.append(condition.key)
                # "C++" or "(IPF)" takes no plural ending; "disease" does.
                phrases.append((words, words[-1][-1].isalnum()))
        self._pattern = _compile_phrases(phrases)

    def find(self, text: str) -> list[tuple[object, str, int, int]]:
        """(condition key, matched words, start, end) for each condition named, in text order."""
        found = []
        for match in self._pattern.finditer(text):
            for key in self._keys_of(match.group()):
                found.append((key, match.group(), match.start(), match.end()))
        return found

    def _keys_of(self, words):
        form = _normal_form(words)
        for candidate in (form, form[:-1], form[:-2]):  # as written, then without a plural ending
            if candidate in self._keys:
                return self._keys[candidate]
        return ()


# Cues --------------------------------------------------------------------------------------


def _inflections(word):
    """The regular forms of a cue's last word (see the cues file's header)."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing", word + "ment", word + "ments"}
    lower = word.lower()
    if lower.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if len(lower) > 1 and lower.endswith("y") and lower[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    return forms


@dataclass(frozen=True)
class Cues:
    """Treatment and outcome cues, compiled."""

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
    """Cues from words that take regular endings and words matched only as written."""
    listed = []
    phrases = []
    for entry, takes_endings in [(word, True) for word in inflected] + [(word, False) for word in exact]:
        words = _words(entry)
        if not words:
            continue
        listed.append(" ".join(words))
        for last in _inflections(words[-1]) if takes_endings else [words[-1]]:
            phrases.append(([*words[:-1], last], False))
    return Cues(words=tuple(listed), pattern=_compile_phrases(phrases))


def _read_cues_file(path):
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    inflected, exact = [], []
    for section, entries in data.items():
        if not isinstance(entries, dict):
            raise ValueError(f"{path}: '{section}' should be a [section] holding 'words' and 'exact' lists")
        for name, values in entries.items():
            if name not in {"words", "exact"}:
                raise ValueError(f"{path}: [{section}] has '{name}'; only 'words' and 'exact' are read")
            if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
                raise ValueError(f"{path}: [{section}] {name} should be a list of quoted words")
            (inflected if name == "words" else exact).extend(values)
    return compile_cues(inflected, exact)


@lru_cache(maxsize=1)
def _default_cues():
    return _read_cues_file(DEFAULT_CUES_PATH)


def load_cues(path=None) -> Cues:
    """The cues in a TOML file; the default file is read once and kept."""
    return _default_cues() if path is None else _read_cues_file(path)


# Suggestions -------------------------------------------------------------------------------


def is_question(text: str) -> bool:
    return bool(_QUESTION_END.search(text))


def suggest_claims(
    sentences, matcher: ConditionMatcher, claimed: Iterable[tuple[int, object]], cues=None
) -> list[Suggestion]:
    """Suggested claims: sentences naming a condition with a cue and no claim on that condition.

    `sentences` have .start, .end, .text (and .kind); `claimed` holds (start offset, condition
    key) for each existing claim. A claim hides the suggestion for its own condition in the
    sentence it starts in, and nothing else.
    """
    cues = load_cues() if cues is None else cues
    claim_starts = {}
    for start, key in claimed:
        claim_starts.setdefault(key, []).append(start)
    for starts in claim_starts.values():
        starts.sort()

    def claimed_in(key, sentence):
        starts = claim_starts.get(key, ())
        index = bisect_left(starts, sentence.start)
        return index < len(starts) and starts[index] < sentence.end

    suggestions = []
    for sentence in sentences:
        if getattr(sentence, "kind", None) in SKIPPED_KINDS or is_question(sentence.text):
            continue
        named = matcher.find(sentence.text)
        if not named:
            continue
        found_cues = cues.find(sentence.text, outside=[(start, end) for _, _, start, end in named])
        if not found_cues:
            continue
        cue_words = _distinct(word for word, _, _ in found_cues)
        seen = set()
        for key, words, _, _ in named:
            if key in seen or claimed_in(key, sentence):
                continue
            seen.add(key)
            suggestions.append(Suggestion(sentence.start, sentence.end, sentence.text, key, words, cue_words))
    return suggestions


def _distinct(words):
    """The words in order, each once whatever its case."""
    seen = set()
    kept = []
    for word in words:
        if word.lower() not in seen:
            seen.add(word.lower())
            kept.append(word)
    return tuple(kept)
