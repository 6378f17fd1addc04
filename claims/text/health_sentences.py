"""Whether a sentence states a health relationship, without knowing which conditions the site has.

A sentence reads as a health claim when it links an exposure or a treatment to a health outcome:
it holds a treatment or effect word ("treat", "reduced", "eased", "stem cells", "surgery") and,
elsewhere in it, a health outcome ("symptoms", "pain", "risk of death", "blood pressure") or a
disease-like word ("asthma", "... disease", "... syndrome", "...itis"). "Help" is an effect word
only before what it helps someone do ("help people with obesity breathe more easily"). A treatment or exposure
sold on its promise is a claim with no outcome named ("Gene therapy offers a promising
alternative", "... has shown positive results in early trials"). Pronouns and descriptions
are enough: "It eased symptoms in most patients", "This therapy reduced flares".

Some sentences hold such words and still state no finding, and are never read as claims: methods
("Patients were randomly assigned..."), definitions ("Asthma is a chronic disease of the airways",
"... occurs when ..."), history ("... was first described in 1838"), research plans ("A trial will
test whether...", "... aims to ..."), advice ("... should consult their doctor", and sentences
opening with a verb telling the reader what to do: "See your GP once a year"), prevalence figures
with no exposure and no change ("About one in ten adults is treated for asthma"; "One in three
patients responded to treatment" is a claim) and the burden of a class of conditions with no
treatment or exposure ("Conditions like eczema can affect quality of life"). `excluded`
says so; claims/text/suggestions.py asks it of every sentence, known condition or not.

`disease_phrases` finds the disease-like phrases of a sentence with the name's words before them
("interstitial lung disease", "rheumatoid arthritis", "Crohn's disease"): the words listed as
modifiers, words that end like adjectives of medicine (-ic, -al, -ary, -oid, -ous, -ive, -atory),
and names of people ("Crohn's", "Hodgkin"); disease words written one after the other with only a space
or a hyphen between them are one phrase ("lupus nephritis", never "lupus" and "nephritis" apart), named
by the whole. A phrase overlapping a condition the site knows is never offered; one it knows no condition by is offered
to editors as a new condition, unless it names a class of conditions too broad to grade
("immune system disorders", "chronic diseases": `umbrella`); such a phrase still makes the
sentence a candidate claim.

The words are data, in cues/health_outcomes.toml (its header says how to add to it), beside the
treatment and outcome cues of cues/health_claims.toml. Plain Python with no Django import.
"""

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .phrases import NEVER, Cues, compile_phrases, inflections, is_acronym, loose_form, words_of

DEFAULT_PATH = Path(__file__).parent / "cues" / "health_outcomes.toml"
# The treatment and outcome cues of suggestions.py, found in the same scan as these words.
CUES_PATH = Path(__file__).parent / "cues" / "health_claims.toml"
_SECTIONS = {
    "effects": {"words", "exact", "helps_to"},
    "exposures": {"words", "exact", "cue_nouns"},
    "outcomes": {"words", "exact", "cue_outcomes"},
    "promises": {"words", "exact"},
    "diseases": {"words", "heads", "modifiers", "suffixes", "not_diseases", "umbrellas"},
    "not_claims": {
        "methods",
        "definitions",
        "history",
        "plans",
        "future_verbs",
        "pointers",
        "advice",
        "imperatives",
        "classes",
    },
    "references": {"openings"},
}
# Words that end like an adjective of medicine: "interstitial", "idiopathic", "rheumatoid", "obstructive".
_ADJECTIVE_END = re.compile(r"(?:ic|al|ary|oid|ous|ive|atory|ar)$", re.IGNORECASE)
# Words that never start a disease's name, whatever their case or ending.
_NEVER_MODIFIERS = frozenset(
    " ".join(
        [
            "a an the this that these those its their his her our your my of in on for with by from to and or",
            "as at than like such other many most some any all each no not new early late severe mild",
            "several various general natural medical clinical special usual actual potential total",
            "similar real local social typical critical essential crucial",
        ]
    ).split(" ")
)
_LEADING_MODIFIERS = frozenset({"chronic", "acute", "primary", "secondary", "early-onset", "late-onset"})
_WORD = re.compile(r"[\w'’-]+")
# What may stand between two words of one name: spaces, or a hyphen or dash used as one.
_NAME_GAP = re.compile(r"[ \t\u00a0]*[\-‐‑]?[ \t\u00a0]*")
_NAMED_PERSON = re.compile(r"^[A-Z][a-z]+(?:['’]s)?$")


@dataclass(frozen=True)
class DiseasePhrase:
    words: str  # as written, with its modifiers: "interstitial lung diseases"
    name: str  # as a condition's name: "Interstitial lung disease"
    start: int
    end: int
    generic: bool  # a head word alone ("the disease"): disease-like, but no condition's name


class Term(NamedTuple):
    words: str  # as written
    kinds: frozenset  # of "cue", "effect", "exposure", "outcome", "disease", "head", "not a claim"
    start: int
    end: int


@dataclass(frozen=True)
class HealthTerms:
    """The compiled words of cues/health_outcomes.toml.

    Every listed word and phrase, with the cues of health_claims.toml, is found in one scan of
    the sentence (one trie-shaped pattern, as in phrases.py) and told apart afterwards by its
    form; the words ending like a disease ("...itis") in a second, short one. One scan rather
    than one a list: the check reads every sentence of an article on each page that shows it.
    """

    pattern: re.Pattern
    kinds: dict  # each listed word and its endings, in lower case and in loose form -> its kinds
    named: dict  # loose form of a listed disease word -> the word as listed
    suffixed: re.Pattern  # a word of three letters or more, then a disease-like ending ("col-itis")
    not_diseases: frozenset
    umbrellas: frozenset  # loose forms of the names of classes of conditions: "autoimmune disease"
    modifiers: frozenset  # lower-case modifiers, one or two words
    plans: re.Pattern  # "will (...) test": research plans told by their verb
    helps: re.Pattern  # "help(s) ... breathe": its group the verb helped
    imperative: re.Pattern  # a sentence opening with a verb telling the reader what to do
    burden: re.Pattern  # a sentence opening on a class of conditions: "Conditions like ..."
    cue_nouns: frozenset  # lower-case cues naming a treatment, not a change
    cue_outcomes: frozenset  # lower-case cues naming an outcome, never an effect
    refers_back: re.Pattern = NEVER  # a sentence opening by referring back: "This therapy", "The disease", "It"

    def find(self, text: str) -> list[Term]:
        """The listed words of `text` and its disease-like words, in text order."""
        found = self.listed(text)
        return sorted(found + self.suffixed_words(text, found), key=_start)

    def listed(self, text: str) -> list[Term]:
        """The words of `text` that the files list, in text order: one scan."""
        found = []
        kinds_of = self.kinds
        for match in self.pattern.finditer(text):
            words = match.group()
            kinds = kinds_of.get(words) or kinds_of.get(words.lower())  # as written first: "AIDS", not "aids"
            if kinds is None:  # spaced or hyphenated otherwise than listed, or with a plural ending
                kinds = kinds_of.get(loose_form(words)) or kinds_of.get(loose_form(words[:-2])) or frozenset()
            start, end = match.span()
            found.append(Term(words, kinds, start, end))
        if "help" in text or "Help" in text:
            # "help people with obesity breathe more easily": the verb helped is the effect.
            for match in self.helps.finditer(text):
                found.append(Term(match.group(1), _EFFECT, match.start(1), match.end(1)))
            found.sort(key=_start)
        return found

    def suffixed_words(self, text: str, found=()) -> list[Term]:
        """The words of `text` that end like a disease ("colitis"), outside the `found` terms."""
        return [
            Term(match.group(), _DISEASE, match.start(), match.end())
            for match in self.suffixed.finditer(text)
            if match.group().lower() not in self.not_diseases
            and not any(start <= match.start() < end for _, _, start, end in found)
        ]

    def excluded(self, text: str, found=None) -> bool:
        """A methods, definition, history, plan, advice, prevalence or burden sentence: not a claim to grade."""
        found = self.listed(text) if found is None else found
        return (
            any(_NOT_A_CLAIM in term.kinds for term in found)
            or self.plans.search(text) is not None
            or _DEFINITION.search(text) is not None
            or self.imperative.search(text) is not None
            or (_PREVALENCE.search(text) is not None and not any(_changes_or_exposes(term) for term in found))
            or (self.burden.search(text) is not None and not any(term.kinds & _TREATING for term in found))
        )

    def cue_words(self, found, outside=()) -> list[Term]:
        """The cues of health_claims.toml among `found`, outside the `outside` spans."""
        return [term for term in found if "cue" in term.kinds and not _inside(term, outside)]

    def effect_words(self, text: str, outside=(), found=None) -> list[Term]:
        """The effect words ("eased", "lower") of `text` outside the `outside` spans."""
        found = self.find(text) if found is None else found
        return [term for term in found if "effect" in term.kinds and not _inside(term, outside)]

    def claim_words(self, text: str, cues: Cues | None = None, found=None) -> tuple[str, ...]:
        """The effect and outcome words that make `text` a health claim, or () when it makes none.

        The cues of health_claims.toml ("treat", "reduce", "symptoms") count as effect words too;
        other `cues` given stand in for them.
        """
        found = self.find(text) if found is None else found
        counted = _EFFECTS if cues is None else _EFFECTS_BUT_CUES
        effects = [(term.start, term.end) for term in found if term.kinds & counted and not _is_outcome_cue(term)]
        cue_words = [] if cues is None else [cue for cue in cues.find(text) if _spaced(cue[0]) not in self.cue_outcomes]
        effects += [(start, end) for _, start, end in cue_words]
        if not effects:
            return ()
        promised = [term for term in found if _PROMISE in term.kinds]
        if promised and _apart([(t.start, t.end) for t in found if t.kinds & _TREATING], promised):
            # A treatment sold on promise with no outcome named: "Gene therapy offers a promising alternative".
            return _distinct(term.words for term in found if term.kinds & (_TREATING | {_PROMISE}))
        generic = [term for term in found if term.kinds == _HEAD and self._bare(text, term)]
        outcomes = [term for term in found if term.kinds & _OUTCOMES and term not in generic]
        # An effect and an outcome in different places: "reduced" and "flares", not "relapse" alone.
        if not _apart(effects, outcomes) and not (
            generic and _apart(self._changes(found, counted, cue_words), generic)
        ):
            # Words ending like a disease are looked for only when the listed words are not enough.
            more = [] if any(_DISEASE is term.kinds for term in found) else self.suffixed_words(text, found)
            if not _apart(effects, more):
                return ()
            found = sorted(found + more, key=_start)
        shown = counted | _OUTCOMES
        words = [(term.start, term.words) for term in found if term.kinds & shown]
        words += [(start, word) for word, start, _ in cue_words]
        return _distinct(word for _, word in sorted(words))

    def _changes(self, found, counted, cue_words):
        """Where the words saying what changed are: a bare "disease" is an outcome only beside one."""
        changing = counted - {"exposure"}
        changes = [
            (term.start, term.end)
            for term in found
            if term.kinds & changing and term.words.lower() not in self.cue_nouns
        ]
        return changes + [(start, end) for word, start, end in cue_words if word.lower() not in self.cue_nouns]

    def umbrella(self, name: str) -> bool:
        """Whether `name` names a class of conditions ("immune system disorders"), too broad to grade."""
        return loose_form(name) in self.umbrellas

    def _bare(self, text, term):
        """A head noun with no name before it: "the disease", "their disorder", not "lung disease"."""
        return _modified_start(text, term.start, self.modifiers) == term.start

    def disease_phrases(self, text: str, found=None) -> list[DiseasePhrase]:
        """The disease-like phrases of `text`, each with the words of its name before it."""
        found = self.find(text) if found is None else found
        if not any(_DISEASE is term.kinds for term in found):
            found = sorted(found + self.suffixed_words(text, found), key=_start)
        phrases = []
        for term in found:
            if not term.kinds & _DISEASES:
                continue
            start = _modified_start(text, term.start, self.modifiers)
            generic = "head" in term.kinds and "disease" not in term.kinds and start == term.start
            if phrases and _joined(text, phrases[-1], start):
                # A disease word that is part of the next one's name ("lupus nephritis", "HIV infection"): one
                # phrase, named by the whole, never two conditions offered for one name.
                start, generic = min(start, phrases.pop().start), False
            head = self.named.get(loose_form(term.words)) or _singular(term.words)
            written = text[start : term.start] + head
            name = written[:1].upper() + written[1:]
            phrases.append(DiseasePhrase(text[start : term.end], name, start, term.end, generic))
        return phrases


_DISEASE = frozenset({"disease"})
_EFFECT = frozenset({"effect"})
_HEAD = frozenset({"head"})
_EFFECTS = frozenset({"cue", "effect", "exposure"})
_EFFECTS_BUT_CUES = frozenset({"effect", "exposure"})
_OUTCOMES = frozenset({"outcome", "disease", "head"})
_DISEASES = frozenset({"disease", "head"})
_NOT_A_CLAIM = "not a claim"
_PROMISE = "promise"  # "promising", "positive results": a treatment's promise, with or without an outcome
_TREATING = frozenset({"treatment", "exposure"})  # a [treatment] cue of health_claims.toml, or an exposure
_OUTCOME_CUE = "outcome cue"  # a cue of health_claims.toml naming an outcome ("symptoms"), not an effect
_CUE_OR_OUTCOME = frozenset({"cue", "outcome", _OUTCOME_CUE})


def _is_outcome_cue(term):
    return _OUTCOME_CUE in term.kinds and term.kinds <= _CUE_OR_OUTCOME


def _changes_or_exposes(term):
    """An exposure, or a word saying what changed ("improved", "fewer"); "treated" alone says neither."""
    if term.kinds & {"effect", "exposure", _PROMISE}:
        return True
    return "cue" in term.kinds and "treatment" not in term.kinds and _OUTCOME_CUE not in term.kinds


def _spaced(words):
    return " ".join(words_of(words.lower()))


def _apart(effects, outcomes):
    return any(e_end <= o.start or o.end <= e_start for e_start, e_end in effects for o in outcomes)


def _inside(term, spans):
    return any(start <= term.start and term.end <= end for start, end in spans)


def _modified_start(text, start, modifiers):
    """Where a disease's name starts: back over the words before it that belong to the name, up to three.

    "Chronic" or "acute" belongs to a name only before another word of it ("chronic kidney disease"):
    "chronic disease" names no condition.
    """
    base = max(0, start - 80)
    window = text[base:start]
    if not window[-1:].isspace():
        return start
    nearest_first, end = [], len(window)
    for token in reversed(window.split()[-3:]):
        end = window.rindex(token, 0, end)
        nearest_first.append((token, base + end))
    head_start, index = start, 0
    while index < len(nearest_first):
        word, word_start = nearest_first[index]
        if not _WORD.fullmatch(word):
            break
        if index + 1 < len(nearest_first):
            before, before_start = nearest_first[index + 1]
            if f"{before} {word}".lower() in modifiers:
                start, index = before_start, index + 2
                continue
        lower = word.lower()
        if lower in _NEVER_MODIFIERS or (lower in _LEADING_MODIFIERS and start == head_start):
            break
        if not (
            lower in modifiers
            or lower in _LEADING_MODIFIERS
            or (_ADJECTIVE_END.search(lower) and len(lower) > 4)
            or (_NAMED_PERSON.match(word) and not lower.endswith(("ing", "ed", "ly")))
        ):
            break
        start, index = word_start, index + 1
    return start


def _start(term):
    return term.start


def _joined(text, before: "DiseasePhrase", start: int) -> bool:
    """Whether a disease phrase starting at `start` takes in `before`: it overlaps it, or only spaces or a hyphen
    stand between them ("lupus nephritis"; not "lupus, nephritis" nor "lupus and nephritis")."""
    return start <= before.end or _NAME_GAP.fullmatch(text, before.end, start) is not None


def _singular(word):
    lower = word.lower()
    for plural, singular in (("pathies", "pathy"), ("itides", "itis"), ("omas", "oma")):
        if lower.endswith(plural):
            return word[: -len(plural)] + singular
    if lower.endswith("s") and not lower.endswith(("ss", "is", "us")):
        return word[:-1]
    return word


def _distinct(words):
    seen, kept = set(), []
    for word in words:
        if word.lower() not in seen:
            seen.add(word.lower())
            kept.append(word)
    return tuple(kept)


# Definitions that name what a thing is: "Asthma is a chronic disease of the airways". Near the
# start only: "Smoking is a common cause of lung disease" names a cause, not a kind.
_DEFINITION = re.compile(
    r"^\W*(?:[\w'’-]+\s+){1,4}?(?:is|are)\s+(?:an?\s+)?(?:(?!(?:for|of|in|against|to|with)\b)[\w-]+\s+){0,3}?"
    r"(?:disease|condition|disorder|illness|syndrome|infection|type|group|family)s?\b",
    re.IGNORECASE,
)


# A figure opening the sentence: "About one in twelve adults", "Around 5 million people", "Half of".
_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|a hundred"
_PREVALENCE = re.compile(
    rf"^\W*(?:(?:about|around|roughly|nearly|almost|approximately|over|more than|fewer than|less than|"
    rf"up to|as many as|an estimated|some|only)\s+)?"
    rf"(?:\d[\d,.]*(?:\s*(?:%|per\s?cent|percent|million|thousand|billion|in\s+\d+))?|(?:{_NUMBER_WORDS})"
    rf"(?:\s+(?:in|out of)\s+(?:\d+|[a-z]+))?|half|a third|a quarter|a fifth|a tenth)\b",
    re.IGNORECASE,
)


# Reading the file ----------------------------------------------------------------------------


def _read(path):
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    for section, keys in data.items():
        if section not in _SECTIONS:
            raise ValueError(f"{path}: unknown section [{section}]; the sections are {', '.join(_SECTIONS)}")
        for key, values in keys.items():
            if key not in _SECTIONS[section]:
                raise ValueError(f"{path}: [{section}] has '{key}'; it reads {', '.join(sorted(_SECTIONS[section]))}")
            if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
                raise ValueError(f"{path}: [{section}] {key} should be a list of quoted words")
    return data


def _compile(data, cue_data) -> HealthTerms:
    def section(name):
        return data.get(name, {})

    kinds, phrases = {}, []

    def add(entries, kind, takes_endings):
        for entry in entries:
            written = words_of(entry)
            if written and is_acronym(written):
                # A short acronym ("AIDS", "COPD") is matched in capitals only, and known by its capitals:
                # "aids" is another word.
                phrases.append((written, kind in _DISEASES))
                for form in (written[0], written[0] + "s"):
                    kinds[form] = kinds.get(form, frozenset()) | {kind}
                continue
            words = words_of(entry.lower())
            if not words:
                continue
            for last in inflections(words[-1]) if takes_endings else [words[-1]]:
                phrase = [*words[:-1], last]
                phrases.append((phrase, not takes_endings and kind in _DISEASES))
                written = " ".join(phrase)
                endings = ("", "s", "es") if kind in _DISEASES else ("",)
                forms = {
                    loose_form(written),
                    *(written + e for e in endings),
                    *(written.replace(" ", "-") + e for e in endings),
                }
                for form in forms:
                    kinds[form] = kinds.get(form, frozenset()) | {kind}

    for name, kind in (
        ("effects", "effect"),
        ("exposures", "exposure"),
        ("outcomes", "outcome"),
        ("promises", _PROMISE),
    ):
        add(section(name).get("words", []), kind, True)
        add(section(name).get("exact", []), kind, False)
    for entries in cue_data.values():
        add(entries.get("words", []), "cue", True)
        add(entries.get("exact", []), "cue", False)
    add(cue_data.get("treatment", {}).get("words", []), "treatment", True)
    add(cue_data.get("treatment", {}).get("exact", []), "treatment", False)
    cue_outcomes = {_spaced(word) for word in section("outcomes").get("cue_outcomes", [])}
    for form, found in list(kinds.items()):
        if "cue" in found and _spaced(form) in cue_outcomes:
            kinds[form] = found | {_OUTCOME_CUE}
    diseases = section("diseases")
    add(diseases.get("words", []), "disease", False)
    add(diseases.get("heads", []), "head", False)
    claims = section("not_claims")
    for kind in ("methods", "definitions", "history", "plans", "pointers", "advice"):
        add(claims.get(kind, []), _NOT_A_CLAIM, False)
    verbs = sorted({form for verb in claims.get("future_verbs", []) for form in inflections(verb.lower())})
    plans = NEVER
    if verbs:
        alternatives = "|".join(map(re.escape, sorted(verbs, key=len, reverse=True)))
        plans = re.compile(rf"\b(?:[Ww]ill|[Ss]hall)\s+(?:[a-z]+\s+){{0,2}}?(?:{alternatives})\b")
    return HealthTerms(
        pattern=compile_phrases(phrases),
        helps=_helps(section("effects").get("helps_to", [])),
        imperative=_opening(claims.get("imperatives", []), r"(?:(?:please|always|never|do not|don't|don’t)\s+)?"),
        burden=_opening(claims.get("classes", []), ""),
        kinds=kinds,
        named={loose_form(word): word for word in diseases.get("words", [])},
        suffixed=_suffixed_words(diseases.get("suffixes", [])),
        not_diseases=frozenset(word.lower() for word in diseases.get("not_diseases", [])),
        umbrellas=frozenset(loose_form(name) for name in diseases.get("umbrellas", [])),
        modifiers=frozenset(" ".join(words_of(word.lower())) for word in diseases.get("modifiers", [])),
        plans=plans,
        cue_nouns=frozenset(word.lower() for word in section("exposures").get("cue_nouns", [])),
        cue_outcomes=frozenset(cue_outcomes),
        refers_back=_refers_back(section("references").get("openings", [])),
    )


def _helps(verbs):
    """ "help(s|ed|ing)", up to five words, then one of `verbs` (with its endings) as group 1."""
    forms = sorted({form for verb in verbs for form in inflections(verb.lower())}, key=len, reverse=True)
    if not forms:
        return NEVER
    alternatives = "|".join(map(re.escape, forms))
    return re.compile(rf"\b[Hh]elp(?:s|ed|ing)?\s+(?:[\w'’-]+\s+){{0,5}}?(?:to\s+)?((?i:{alternatives}))\b")


def _opening(phrases, before):
    """A pattern for a sentence opening with one of `phrases` as a whole word, not as a noun ("Use of ...")."""
    if not phrases:
        return NEVER
    alternatives = "|".join(r"\s+".join(map(re.escape, words_of(p))) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(
        rf"^\W*{before}(?:{alternatives})\b(?![-'’])(?!\s+(?:of|is|are|was|were|has|had)\b)", re.IGNORECASE
    )


def _refers_back(openings):
    """A sentence opening on one of `openings` as whole words, in any case: "This therapy ...", "It may ..."."""
    if not openings:
        return NEVER
    ordered = sorted(openings, key=len, reverse=True)
    alternatives = "|".join(r"[\s\-]+".join(map(re.escape, words_of(opening))) for opening in ordered)
    return re.compile(rf"^\W*(?:{alternatives})(?![\w'’-])", re.IGNORECASE)


def _suffixed_words(suffixes):
    # Spelt out in lower and upper case rather than with IGNORECASE, which made the pattern three
    # times slower: the engine can no longer rule out a letter class at a glance.
    endings = sorted({form for suffix in suffixes for form in (suffix.lower(), suffix.upper())}, key=len, reverse=True)
    if not endings:
        return NEVER
    return re.compile(rf"\b[A-Za-z]{{3,}}(?:{'|'.join(map(re.escape, endings))})(?![A-Za-z])")


def _read_cues():
    with open(CUES_PATH, "rb") as handle:
        return tomllib.load(handle)  # suggestions.load_cues checks its shape


@lru_cache(maxsize=1)
def _default_terms():
    return _compile(_read(DEFAULT_PATH), _read_cues())


def load_terms(path=None) -> HealthTerms:
    """The words of a TOML file shaped like cues/health_outcomes.toml; the default file is read once and kept."""
    return _default_terms() if path is None else _compile(_read(path), _read_cues())
