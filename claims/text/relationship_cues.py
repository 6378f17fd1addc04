"""The relationship cue data: claims/text/cues/relationship.toml, parsed into RelationshipCues.

Plain Python with no Django import; claims/text/relationship.py reads sentences with what this loads. The data
file's header explains its format, which follows wording.toml's (claims/text/wording_cues.py expands the phrases).
The file is part of wording_cues.cues_version, so a change to it re-rates stored claims.
"""

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from claims.text.wording_cues import RELATIONSHIP_CUES_PATH, _expand, _guard, _tokens

DEFAULT_RELATIONSHIP_PATH = RELATIONSHIP_CUES_PATH
FAMILIES = frozenset(
    {"cause", "association", "comparison", "change", "measure", "modal", "frame", "negation", "open", "advice", "need"}
)
BLOCK_KEYS = frozenset({"family", "phrases", "reason", "not_after", "not_before", "verb_after"})


@dataclass(frozen=True)
class CueEntry:
    family: str
    reason: str
    not_after: object = None  # re.Pattern or None
    not_before: object = None
    verb_after: frozenset = frozenset()  # words after which a comparison word is a verb ("may lower")


@dataclass(frozen=True)
class Form:
    tokens: tuple
    entry: CueEntry
    kind: str | None  # for verbs: "base", "s", "ed" or "ing"


@dataclass(frozen=True)
class RelationshipCues:
    forms: dict  # token tuple -> Form
    longest: dict  # first token -> most tokens of a phrase starting with it
    reasons: dict  # family -> reason
    modal_reach: int
    clause_breaks: dict  # first token -> token tuples, longest first
    to_counts_after: frozenset
    ing_aim_after: frozenset
    state_after: frozenset
    comparatives: frozenset = frozenset()
    change_nouns: frozenset = frozenset()  # cause verbs that are also nouns for a change: "the increase of ..."
    study_verbs: frozenset = frozenset()  # "the effect of X was assessed": what was studied, not found
    topic_nouns: frozenset = frozenset()  # cue nouns that can name a topic: "we assessed the effect of ..."
    judging_adjectives: frozenset = frozenset()  # "promising": before a noun, a cause only for a treatment
    treatment_nouns: frozenset = frozenset()
    people_nouns: frozenset = frozenset()  # "is important for patients": for whom, not an outcome
    pick_out_words: frozenset = frozenset()  # "identify patients who may benefit": whom to pick out, not a finding
    research_verbs: frozenset = frozenset()  # "necessary to evaluate": a need for research, not for an outcome
    measuring_nouns: frozenset = frozenset()  # "the score was useful": a means of knowing, judged, is no effect
    study_subjects: frozenset = frozenset()  # "these findings contribute to": a study as the subject of a cause verb


def _parse(raw: bytes, source: str) -> RelationshipCues:
    data = tomllib.loads(raw.decode("utf-8"))
    reasons = {name: spec["reason"] for name, spec in data.get("families", {}).items()}
    forms, seen = {}, {}
    for number, block in enumerate(data.get("cue", []), start=1):
        family = block.get("family")
        if family not in FAMILIES or family not in reasons:
            raise ValueError(f"{source}: cue block {number} has unknown family {family!r}")
        unknown = set(block) - BLOCK_KEYS
        if unknown:
            raise ValueError(f"{source}: cue block {number} has unknown key(s) {sorted(unknown)}")
        entry = CueEntry(
            family,
            block.get("reason", reasons[family]),
            _guard(block.get("not_after"), before=False),
            _guard(block.get("not_before"), before=True),
            frozenset(block.get("verb_after", [])),
        )
        for phrase in block.get("phrases", []):
            for text, kind, _ in _expand(phrase):
                tokens = tuple(_tokens(text))
                if seen.get(tokens) == (number, phrase):
                    continue  # "~cut/cut": the past form is the base form
                if tokens in seen:
                    raise ValueError(f"{source}: {text!r} is listed twice (in {phrase!r} and {seen[tokens][1]!r})")
                seen[tokens] = (number, phrase)
                forms[tokens] = Form(tokens, entry, kind)
    longest = {}
    for tokens in forms:
        longest[tokens[0]] = max(longest.get(tokens[0], 0), len(tokens))
    structure = data.get("structure", {})
    breaks = {}
    for tokens in sorted((tuple(_tokens(p)) for p in structure.get("clause_breaks", [])), key=len, reverse=True):
        breaks.setdefault(tokens[0], []).append(tokens)
    return RelationshipCues(
        forms=forms,
        longest=longest,
        reasons=reasons,
        modal_reach=int(structure.get("modal_reach", 5)),
        clause_breaks=breaks,
        to_counts_after=frozenset(structure.get("to_counts_after", [])),
        ing_aim_after=frozenset(structure.get("ing_aim_after", [])),
        state_after=frozenset(structure.get("state_after", [])),
        comparatives=frozenset(structure.get("comparatives", [])),
        research_verbs=frozenset(structure.get("research_verbs", [])),
        pick_out_words=frozenset(structure.get("pick_out_words", [])),
        people_nouns=frozenset(structure.get("people_nouns", [])),
        judging_adjectives=frozenset(structure.get("judging_adjectives", [])),
        treatment_nouns=frozenset(structure.get("treatment_nouns", [])),
        change_nouns=frozenset(structure.get("change_nouns", [])),
        study_verbs=frozenset(structure.get("study_verbs", [])),
        topic_nouns=frozenset(structure.get("topic_nouns", [])),
        study_subjects=frozenset(structure.get("study_subjects", [])),
        measuring_nouns=frozenset(structure.get("measuring_nouns", [])),
    )


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int) -> RelationshipCues:
    return _parse(Path(path).read_bytes(), path)


def load_relationship_cues(path=None) -> RelationshipCues:
    """The cue data at `path` (default: claims/text/cues/relationship.toml), parsed once until the file changes."""
    path = os.fspath(path or DEFAULT_RELATIONSHIP_PATH)
    stat = os.stat(path)
    return _load(path, stat.st_mtime_ns, stat.st_size)
