"""The wording scale and the cue data: claims/text/cues/wording.toml, parsed into a CueSet.

Plain Python with no Django import; claims/text/wording.py rates sentences with what this loads. The
data file's header explains its format; this module expands each phrase into every wording it
stands for ("~cure" -> cure, cures, cured, curing) and indexes them by their first word, so that
a sentence is matched in one pass over its words with a dictionary look-up per candidate length.
"""

import hashlib
import os
import re
import tomllib
from dataclasses import dataclass, field
from enum import IntEnum
from functools import lru_cache
from pathlib import Path

DEFAULT_CUES_PATH = Path(__file__).resolve().parent / "cues" / "wording.toml"
# The relationship cues (claims/text/relationship.py) share the version: a change to either file re-rates claims.
RELATIONSHIP_CUES_PATH = DEFAULT_CUES_PATH.parent / "relationship.toml"

WEAK_FAMILIES = frozenset({"probable", "hedge", "uncertain", "absence"})
FIRM_FAMILIES = frozenset({"strong", "effect"})
HYPE_FAMILIES = frozenset({"hype", "superlative"})
CALL_FAMILY = "call"  # a call for research: no strength of its own (claims/text/wording.py rule 10)
KNOWN_FAMILIES = WEAK_FAMILIES | FIRM_FAMILIES | HYPE_FAMILIES | {"negation", "reported", CALL_FAMILY}
BLOCK_KEYS = frozenset(
    {
        "family", "phrases", "phrase", "level", "reason", "softer", "replace", "negates", "not_after",
        "not_before", "capitalised_is_name", "attribution", "describes_before", "past_after", "promotional",
    }
)  # fmt: skip

# A word (with inner apostrophes or hyphens: "don't", "cure-all") or a single punctuation mark.
TOKEN = re.compile(r"\w+(?:['’‐‑-]\w+)*|[^\w\s]")
_PHRASE_PART = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\S+")


class Strength(IntEnum):
    """How assertively a sentence is worded, weakest first."""

    UNCERTAIN = 1
    POSSIBLE = 2
    PROBABLE = 3
    DEFINITE = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def from_label(cls, label: str) -> "Strength":
        try:
            return cls[label.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown strength {label!r}: use uncertain, possible, probable or definite") from None


@dataclass(frozen=True)
class CueEntry:
    """One [[cue]] block of the data file."""

    family: str
    level: Strength
    reason: str
    softer: tuple[tuple[str, str], ...] = ()
    replace: str | None = None
    negates: bool = False
    not_after: re.Pattern | None = None
    not_before: re.Pattern | None = None
    capitalised_is_name: bool = False
    attribution: str = ""  # "subject", "verb" or ""
    describes_before: re.Pattern | None = None  # followed by one of these, it qualifies that word, not the claim
    past_after: re.Pattern | None = None  # after one of these in its sentence, it tells of past ability
    promotional: bool = False  # sells the result rather than stating it

    def softer_form(self, key: str) -> str | None:
        return dict(self.softer).get(key)


@dataclass(frozen=True)
class Form:
    tokens: tuple[str, ...]
    entry: CueEntry
    kind: str | None  # for verbs: "base", "s", "ed" or "ing"
    base: str


@dataclass(frozen=True)
class CueSet:
    forms: dict  # token tuple -> Form
    longest: dict  # first token -> the most tokens of a phrase starting with it
    clause_breaks: dict  # first token -> phrases (token tuples), longest first
    concessive: dict
    dependent: frozenset
    auxiliaries: frozenset
    verb_softer: dict
    templates: dict  # Strength -> tuple of templates
    version: str
    denial_templates: tuple = ()  # for a grade that says the evidence is against: absence or denial
    association: dict = field(default_factory=dict)  # a cause verb's base form -> its association wording
    association_templates: tuple = ()
    clause_joins: dict = field(default_factory=dict)  # phrases that look like a break but are not
    consequence: dict = field(default_factory=dict)  # the breaks that open a consequence (", so")
    framing: dict = field(default_factory=dict)  # openers of a framing phrase ("In a large study, ...")
    participle_followers: frozenset = frozenset()  # words after which a past form may be a participle


# --- loading the data ----------------------------------------------------------------------------


def norm(token: str) -> str:
    """Lower case, curly apostrophes and Unicode hyphens made plain; the length stays the same."""
    return token.lower().replace("’", "'").replace("‐", "-").replace("‑", "-")


def _tokens(text: str) -> list[str]:
    return [norm(t) for t in TOKEN.findall(text)]


def _inflections(word: str) -> list[tuple[str, str]]:
    word, _, past = word.partition("/")
    if word.endswith("ee"):
        s, ed, ing = word + "s", word + "d", word + "ing"
    elif word.endswith("e"):
        s, ed, ing = word + "s", word + "d", word[:-1] + "ing"
    elif word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        s, ed, ing = word[:-1] + "ies", word[:-1] + "ied", word + "ing"
    elif word.endswith(("s", "sh", "ch", "x", "z")):
        s, ed, ing = word + "es", word + "ed", word + "ing"
    else:
        s, ed, ing = word + "s", word + "ed", word + "ing"
    return [("base", word), ("s", s), ("ed", past or ed), ("ing", ing)]


def inflect(verb: str, kind: str) -> str:
    """`verb` as the inflection `kind` ("base", "s", "ed", "ing") of a regular verb."""
    return dict(_inflections(verb))[kind]


def _expand(phrase: str) -> list[tuple[str, str | None, str]]:
    """Every concrete wording of a phrase: (text, verb kind, text with the verb in its base form)."""
    variants = [("", None, "")]
    for part in _PHRASE_PART.findall(phrase):
        if part.startswith("{"):
            choices = [(c.strip(), None, c.strip()) for c in part[1:-1].split("|")]
        elif part.startswith("["):
            choices = [("", None, "")] + [(c.strip(), None, c.strip()) for c in part[1:-1].split("|")]
        elif part.startswith("~"):
            base = part[1:].partition("/")[0]
            choices = [(form, kind, base) for kind, form in _inflections(part[1:])]
        else:
            choices = [(part, None, part)]
        variants = [
            (f"{text} {c}".strip(), kind or ckind, f"{base} {cbase}".strip())
            for text, kind, base in variants
            for c, ckind, cbase in choices
        ]
    return variants


def _guard(patterns, *, before: bool) -> re.Pattern | None:
    if not patterns:
        return None
    alternatives = "|".join(f"(?:{p})" for p in patterns)
    if before:
        return re.compile(rf"^\s*(?:{alternatives})", re.IGNORECASE)
    return re.compile(rf"(?:^|[^\w'’-])(?:{alternatives})\s*$", re.IGNORECASE)


def _anywhere(patterns) -> re.Pattern | None:
    if not patterns:
        return None
    return re.compile("|".join(rf"\b(?:{p})\b" for p in patterns), re.IGNORECASE)


def _parse(raw: bytes, source: str) -> CueSet:
    data = tomllib.loads(raw.decode("utf-8"))
    families = data.get("families", {})
    forms: dict[tuple[str, ...], Form] = {}
    seen: dict[tuple[str, ...], str] = {}
    for number, block in enumerate(data.get("cue", []), start=1):
        family = block.get("family")
        if family not in KNOWN_FAMILIES or family not in families:
            raise ValueError(f"{source}: cue block {number} has unknown family {family!r}")
        unknown = set(block) - BLOCK_KEYS
        if unknown:
            raise ValueError(f"{source}: cue block {number} has unknown key(s) {sorted(unknown)}")
        defaults = families[family]
        if block.get("attribution", "") not in ("", "subject", "verb"):
            raise ValueError(f'{source}: cue block {number}: attribution is "subject" or "verb"')
        entry = CueEntry(
            family=family,
            level=Strength.from_label(block.get("level", defaults["level"])),
            reason=block.get("reason", defaults["reason"]),
            softer=tuple(sorted(block.get("softer", {}).items())),
            replace=block.get("replace"),
            negates=bool(block.get("negates", False)),
            not_after=_guard(block.get("not_after"), before=False),
            not_before=_guard(block.get("not_before"), before=True),
            capitalised_is_name=bool(block.get("capitalised_is_name", False)),
            attribution=block.get("attribution", ""),
            describes_before=_guard(block.get("describes_before"), before=True),
            past_after=_anywhere(block.get("past_after")),
            promotional=bool(block.get("promotional", False)),
        )
        for phrase in block.get("phrases", [block.get("phrase")] if block.get("phrase") else []):
            for text, kind, base in _expand(phrase):
                tokens = tuple(_tokens(text))
                if tokens in seen:
                    raise ValueError(f"{source}: {text!r} is listed twice (in {phrase!r} and {seen[tokens]!r})")
                seen[tokens] = phrase
                forms[tokens] = Form(tokens, entry, kind, base)
    longest: dict[str, int] = {}
    for tokens in forms:
        longest[tokens[0]] = max(longest.get(tokens[0], 0), len(tokens))
    structure = data.get("structure", {})
    rewording = data.get("rewording", {})
    return CueSet(
        forms=forms,
        longest=longest,
        clause_breaks=_by_first_word(structure.get("clause_breaks", [])),
        clause_joins=_by_first_word(structure.get("clause_joins", [])),
        consequence=_by_first_word(structure.get("consequence", [])),
        framing=_by_first_word(structure.get("framing", [])),
        participle_followers=frozenset(structure.get("participle_followers", [])),
        concessive=_by_first_word(structure.get("concessive", [])),
        dependent=frozenset(structure.get("dependent", [])),
        auxiliaries=frozenset(structure.get("auxiliaries", [])),
        verb_softer=dict(rewording.get("verb", {})),
        templates={
            Strength.from_label(k): tuple(v) for k, v in rewording.get("templates", {}).items() if k != "against"
        },
        denial_templates=tuple(rewording.get("templates", {}).get("against", ())),
        association={verb.lower(): words for verb, words in rewording.get("association", {}).get("verbs", {}).items()},
        association_templates=tuple(rewording.get("association", {}).get("templates", ())),
        version=_version(raw, RELATIONSHIP_CUES_PATH.read_bytes()),
    )


def _by_first_word(phrases) -> dict:
    index = {}
    for tokens in sorted((tuple(_tokens(p)) for p in phrases), key=len, reverse=True):
        index.setdefault(tokens[0], []).append(tokens)
    return index


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int) -> CueSet:
    return _parse(Path(path).read_bytes(), path)


def load_cues(path=None) -> CueSet:
    """The cue data at `path` (default: claims/text/cues/wording.toml), parsed once until the file changes."""
    path = os.fspath(path or DEFAULT_CUES_PATH)
    stat = os.stat(path)
    return _load(path, stat.st_mtime_ns, stat.st_size)


def _version(wording: bytes, relationship: bytes) -> str:
    return hashlib.sha256(wording + b"\0" + relationship).hexdigest()[:12]


def cues_version(path=None, relationship_path=None) -> str:
    """A short hash of the cue files' content (wording and relationship), stored beside each check it was used for."""
    wording = Path(path or DEFAULT_CUES_PATH).read_bytes()
    return _version(wording, Path(relationship_path or RELATIONSHIP_CUES_PATH).read_bytes())


def forget_loaded() -> None:
    """Drop the parsed cue files, so that the next load_cues() parses again (bench/integrity.py times it)."""
    _load.cache_clear()
