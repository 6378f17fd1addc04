"""Suggest health claims nobody has graded yet.

A sentence that names a known condition (its name or a synonym) and holds a treatment or
outcome cue ("treat", "symptoms", "survival"...), or an effect word ("eased", "lower"), reads
like a health claim. When no claim on that condition starts inside the sentence, it is
suggested to the editor, once per condition: a claim on lupus in a sentence does not hide the
suggestion for rheumatoid arthritis there.

A sentence that names no condition the site knows is still suggested, once and with no
condition, when it links an exposure or treatment to a health outcome ("It eased symptoms in
most patients", "Inhaled steroids reduce asthma attacks") and no claim at all starts inside it:
claims/text/health_sentences.py reads it. `new_conditions` names the disease-like phrases of
such a sentence the site has no condition for ("Asthma"), for the editor to add.

A sentence naming no condition that refers back to one ("Rituximab is given to people with lupus. This
therapy reduced flares in half of patients.") is suggested for the condition of the nearest earlier
sentence of its paragraph (questions included) that names one, and says which sentence that is
(`Suggestion.context_note`): only when it opens with a reference listed in health_outcomes.toml
[references] ("This", "The disease", "It"), holds a treatment, outcome or effect word, names no disease
of its own, and that earlier sentence names one condition only. Never across paragraphs or headings.

Names match as claims/text/phrases.py says: whole words in any case, short acronyms ("MS",
"IPF") only in capitals, straight and curly apostrophes alike, the "'s" of "Crohn's" optional,
runs of spaces and hyphens alike, and a plural ending ("autoimmune diseases"). Where names
overlap, the one starting first wins, then the longest ("idiopathic pulmonary fibrosis" over
"pulmonary fibrosis"), and two names written as one ("lupus nephritis", with only a space or a hyphen
between them) are one name, the last one's condition. A name shared by two conditions names both. A cue
inside a condition's own name ("treatment-resistant depression") does not count as a cue.

Headings, questions and list labels ("Pain Relief:", six words at most closing with a colon) are
never suggested. A heading or a label names what follows and a question asks
("Can stem cells cure lupus?"); none of them asserts anything a grade could attach to, and the
answer that follows is where the claim is made. Code blocks are not prose and are skipped too.
Nor are methods, definitions, history, research plans and advice (health_sentences `excluded`),
whether or not they name a known condition.

The cue words are data, in cues/health_claims.toml and cues/health_outcomes.toml, so editors can
add to them; each file's header says how. Plain Python with no Django import.
"""

import re
import tomllib
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .health_sentences import load_terms
from .phrases import Cues, compile_cues, compile_phrases, loose_form, words_of

DEFAULT_CUES_PATH = Path(__file__).parent / "cues" / "health_claims.toml"
# Sentence kinds (articles/text.py) that never carry a claim worth suggesting.
SKIPPED_KINDS = frozenset({"heading", "code"})

# A question may close with quotes or brackets after its mark: 'Does it "cure" lupus?")'.
_QUESTION_END = re.compile(r"\?[\"'”’»)\]\s]*$")
# A list's label: a few words closing with a colon ("Pain Relief:"), naming what the items say.
# What may stand between two names that make one ("lupus nephritis"): spaces, or a hyphen or dash used as one.
_NAME_GAP = re.compile(r"[ \t\u00a0]*[\-‐‑]?[ \t\u00a0]*")
_LABEL = re.compile(r"^\W*(?:[^\s:]+\s+){0,5}[^\s:]+\s*:[\"'”’»)\]\s]*$")


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
    condition_key: object  # None when the sentence names no condition the site knows
    condition_words: str  # the words that named the condition, as written ("" when none)
    cue_words: tuple[str, ...]  # the treatment/outcome words found, as written
    # When the sentence names no condition but refers back to one ("This therapy reduced flares"): the offset
    # and words of the earlier sentence of its paragraph that names it, and gives the suggestion its condition.
    context_start: int | None = None
    context_text: str = ""

    @property
    def names_known_condition(self) -> bool:
        return self.condition_key is not None

    @property
    def from_context(self) -> bool:
        """The condition comes from an earlier sentence, not from the sentence's own words."""
        return self.context_start is not None

    def context_note(self, limit: int = 120) -> str:
        """Why a condition the sentence does not name is suggested: which earlier sentence names it."""
        if not self.from_context:
            return ""
        earlier = self.context_text
        if len(earlier) > limit:
            earlier = earlier[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"  # shortened at a word
        return (
            f"Names no condition itself; it refers back to “{self.condition_words}”, named in the earlier "
            f"sentence “{earlier}”"
        )


# Conditions --------------------------------------------------------------------------------


class ConditionMatcher:
    """Finds the conditions a text names; compiled once as a single regular expression."""

    def __init__(self, conditions: Iterable[ConditionNames]):
        self._keys = {}  # loose form of a name (phrases.loose_form) -> keys of the conditions it names
        phrases = []
        for condition in conditions:
            for phrase in (condition.name, *condition.synonyms):
                words = words_of(phrase or "")
                if not words:
                    continue
                keys = self._keys.setdefault(loose_form(phrase), [])
                if condition.key not in keys:
                    keys.append(condition.key)
                phrases.append((words, True))
        self._pattern = compile_phrases(phrases)

    def find(self, text: str) -> list[tuple[object, str, int, int]]:
        """(condition key, matched words, start, end) for each condition named, in text order.

        One name is one condition: the longest name starting at a place wins over the shorter ones it holds
        ("lupus nephritis" over "lupus"), and a name written just before another, with only spaces or a hyphen
        between them, qualifies it ("lupus nephritis" where the site knows lupus and nephritis apart): the two
        are one name, the last one's condition, as "type 2 diabetes" is a diabetes.
        """
        found = []
        for match in self._pattern.finditer(text):
            start = match.start()
            if found and _NAME_GAP.fullmatch(text, found[-1][3], start):
                start = found[-1][2]
                while found and found[-1][2] == start:
                    found.pop()
            for key in self._keys_of(match.group()):
                found.append((key, text[start : match.end()], start, match.end()))
        return found

    def _keys_of(self, words):
        # The loose form drops every final "s"; an "-es" plural ("abscesses") needs its "e" dropped too.
        for candidate in (words, words[:-2]):
            keys = self._keys.get(loose_form(candidate))
            if keys:
                return keys
        return ()

    def knows(self, phrase: str) -> bool:
        """Whether some condition has this name or synonym, in any of the spellings matched."""
        return bool(self._keys_of(phrase))


# Cues --------------------------------------------------------------------------------------


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


def is_label(text: str) -> bool:
    """A short label closing with a colon ("Slowing Disease Progression:"): it names, it asserts nothing."""
    return bool(_LABEL.match(text))


def suggest_claims(
    sentences, matcher: ConditionMatcher, claimed: Iterable[tuple[int, object]], cues=None, terms=None
) -> list[Suggestion]:
    """Suggested claims: sentences making a health claim with no claim on what they name.

    `sentences` have .start, .end, .text (and .kind); `claimed` holds (start offset, condition
    key) for each existing claim. A sentence naming known conditions is suggested once for each
    of them with no claim starting in it on that condition. A sentence naming none is suggested
    once, with no condition, when health_sentences reads it as a claim and no claim starts in it.
    `terms` are health_sentences' words (cues/health_outcomes.toml by default).
    """
    default_cues = load_cues()
    cues = default_cues if cues is None else cues
    terms = load_terms() if terms is None else terms
    claim_starts = {}
    for start, key in claimed:
        claim_starts.setdefault(key, []).append(start)
    every_start = sorted(start for starts in claim_starts.values() for start in starts)
    for starts in claim_starts.values():
        starts.sort()

    def claimed_in(starts, sentence):
        index = bisect_left(starts, sentence.start)
        return index < len(starts) and starts[index] < sentence.end

    suggestions = []
    earlier, previous = None, None  # the paragraph's latest sentence naming a known condition, with its names
    for sentence in sentences:
        text = sentence.text
        if previous is None or not _same_block(previous, sentence):
            earlier = None
        previous = sentence
        if getattr(sentence, "kind", None) in SKIPPED_KINDS:
            continue
        named = matcher.find(text)
        referred, earlier = earlier, ((sentence, named) if named else earlier)
        if is_question(text) or is_label(text):
            continue  # never suggested, but what it names is what the next sentences may refer back to
        spans = [(start, end) for _, _, start, end in named]
        found = None
        if named and all(claimed_in(claim_starts.get(key, ()), sentence) for key, _, _, _ in named):
            continue  # every condition it names already has its claim here
        if named:
            # The condition is the outcome: a treatment cue is enough, or an effect word ("eased") in a
            # sentence carrying no claim at all (one claim in a sentence is taken as its reading).
            # The default cues are among the terms' words, found in the same scan as the rest.
            if cues is default_cues:
                found = terms.listed(text)
                words = _distinct(term.words for term in terms.cue_words(found, outside=spans))
            else:
                words = _distinct(word for word, _, _ in cues.find(text, outside=spans))
            if not words and not claimed_in(every_start, sentence):
                found = terms.listed(text) if found is None else found
                words = _distinct(term.words for term in terms.effect_words(text, spans, found))
        elif claimed_in(every_start, sentence):
            continue
        else:
            found = terms.listed(text)
            # The default cues are among the terms' words, found in the same scan.
            words = terms.claim_words(text, cues=None if cues is default_cues else cues, found=found)
            referred = _referred_to(referred, text, found, terms)
            if referred is not None and not words:
                # Referring back, a treatment or outcome cue or an effect word is enough, as for a condition named.
                if cues is default_cues:
                    words = _distinct(term.words for term in terms.cue_words(found))
                else:
                    words = _distinct(word for word, _, _ in cues.find(text))
                words = words or _distinct(term.words for term in terms.effect_words(text, (), found))
        if not words or terms.excluded(text, found):
            continue
        if not named and referred is not None:
            context, (key, condition_words, _, _) = referred
            suggestions.append(
                Suggestion(sentence.start, sentence.end, text, key, condition_words, words, context.start, context.text)
            )
            continue
        if not named:
            suggestions.append(Suggestion(sentence.start, sentence.end, text, None, "", words))
            continue
        seen = set()
        for key, condition_words, _, _ in named:
            if key in seen or claimed_in(claim_starts.get(key, ()), sentence):
                continue
            seen.add(key)
            suggestions.append(Suggestion(sentence.start, sentence.end, text, key, condition_words, words))
    return suggestions


# Blocks (paragraphs, list items) are kept apart by a blank line in an article's plain text (articles.text), and
# the sentences of one block by a single space: two sentences further apart are in different blocks.
_BLOCK_GAP = len("\n\n")


def _same_block(before, after) -> bool:
    return after.start - before.end < _BLOCK_GAP and getattr(before, "kind", None) == getattr(after, "kind", None)


def _referred_to(earlier, text, found, terms):
    """(earlier sentence, its one condition's match) when a sentence naming no known condition refers back to
    the condition the nearest earlier sentence of its paragraph names: it opens with a reference ("This therapy",
    "The disease", "It") and names no disease of its own. None otherwise, and when that sentence names several.
    """
    if earlier is None or not terms.refers_back.search(text):
        return None
    sentence, named = earlier
    if len({key for key, _, _, _ in named}) != 1:
        return None  # "lupus and RA ... This therapy ...": which one it means is the editor's call
    if any(not phrase.generic for phrase in terms.disease_phrases(text, found)):
        return None  # "It also eased asthma": the sentence names its own condition
    return sentence, named[0]


def new_conditions(text: str, matcher: ConditionMatcher, terms=None) -> tuple[str, ...]:
    """The disease-like phrases of a sentence that no condition on the site has, as names, once each.

    A class of conditions ("autoimmune diseases", "lung disease") is never offered: too broad to grade.

    Asked only of the suggestions an editor is shown ("Add “Asthma” as a condition"), not by the
    check itself, which only counts them.
    """
    terms = load_terms() if terms is None else terms
    spans = [(start, end) for _, _, start, end in matcher.find(text)]
    names, seen = [], set()
    for phrase in terms.disease_phrases(text):
        if (
            phrase.generic
            or terms.umbrella(phrase.name)
            or any(start < phrase.end and phrase.start < end for start, end in spans)
        ):
            continue
        form = loose_form(phrase.name)
        if form not in seen and not matcher.knows(phrase.name):
            seen.add(form)
            names.append(phrase.name)
    return tuple(names)


def _distinct(words):
    """The words in order, each once whatever its case."""
    seen = set()
    kept = []
    for word in words:
        if word.lower() not in seen:
            seen.add(word.lower())
            kept.append(word)
    return tuple(kept)
