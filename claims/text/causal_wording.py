"""Causal wording for an association: a sentence that claims a cause its evidence cannot support.

Plain Python with no Django import. claims/text/integrity.py calls `causal_finding` for each claim with
the sentence's relationship reading (claims/text/relationship.py), its strength rating (wording.py), whether
its grade supports causal wording (`EvidenceStatus.supports_causal_wording`) and its sources' designs
(claims/text/study_design.py). The rules:
1. The sentence claims a cause when the relationship reader reads a CAUSE, hedged or not ("X reduces Y",
   "X may reduce Y", "clinics claim that X cures Y"). A sentence rated UNCERTAIN (absence of evidence:
   "there is no good evidence that X cures Y") or a denial ("X does not cure Y") doubts or denies the
   cause and claims none.
2. A claimed cause is causal wording for an association when its grade does not support causal wording,
   or when every cited source whose design is known is observational (cohort or case-control,
   cross-sectional), so none is a randomised trial or a systematic review. Sources whose design is not
   known yet are not counted either way; a claim citing no source of known design is judged by its grade.
3. The explanation names the causal words, the words set aside and why, and the reason: the grade, or
   "its sources are observational: PMID 1 (cohort or case-control study), ...". It advises association
   wording, except where the grade allows only UNCERTAIN wording (`uncertain`: "It is not known whether
   ...", as an association would still say too much) or overclaiming is found for the same sentence
   (`deferred`: its advice, which fits the grade, is the one to follow); integrity.py sets both.
4. Advice (`association_rewordings`): the sentence reworded as an association, from the cause verb's
   entry in wording.toml's [rewording.association] ("X reduces Y" -> "X is linked to lower Y", "People who
   took X had lower Y"). claims/text/integrity.py keeps only a rewording that fits the grade when rated
   again and that raises this finding no more (read again: an association, or no claimed cause). A hedged
   cause ("X may reduce Y") would raise it again, so it is offered for overclaiming only.
A stored reading (`Claim.wording_relation`, with the stored strength) gives the same finding without the
words, for lists that must not read every sentence again.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from .relationship import Relationship, RelationshipReading, read_relationship
from .study_design import COHORT_CASE_CONTROL, CROSS_SECTIONAL, DESIGNS, UNKNOWN
from .wording import CueSet, Rating, Strength, load_cues, rate

KIND = "causal_for_association"
LABEL = "Causal wording for an association"
SYMBOL = "⇏"  # "does not imply": a link is not yet a cause
OBSERVATIONAL = frozenset({COHORT_CASE_CONTROL, CROSS_SECTIONAL})


@dataclass(frozen=True)
class CausalFinding:
    reason: str  # why the cause is not supported: the grade, or the observational sources
    words: tuple[str, ...] = ()  # the words that claim the cause (none when read from a stored reading)
    set_aside: tuple[tuple[str, str], ...] = ()  # (words, why) the reading did not count
    hedged: bool = False
    hedges: tuple[str, ...] = ()  # the words that hedge the cause ("may"), which do not make it an association
    about: str = ""  # a few words for lists: "its grade" or "observational sources"
    uncertain: bool = False  # its grade allows only UNCERTAIN wording: an association would still say too much
    deferred: bool = False  # overclaiming is found for the same sentence, and its advice is the one to follow

    label = LABEL
    symbol = SYMBOL
    kind = KIND

    def explanation(self) -> str:
        claimed = "a hedged cause" if self.hedged else "a cause"
        text = f"Claims {claimed}" + (f" ({_quoted(self.words)})" if self.words else "")
        if self.deferred:
            text += f", but {self.reason}: follow the overclaiming advice for this sentence, which fits its grade."
        elif self.uncertain:
            text += f", but {self.reason}: say that it is not known (“It is not known whether …”)."
        else:
            text += f", but {self.reason}: word it as an association (“is linked to”, “people who … had …”)."
        if self.hedged:
            hedge = _quoted(self.hedges) if self.hedges else "the hedge"
            text += f" {hedge[0].upper()}{hedge[1:]} hedges the cause but does not make it an association."
        text += "".join(f" “{words}” {why}." for words, why in self.set_aside)
        return text


def _quoted(words) -> str:
    quoted = [f"“{w}”" for w in dict.fromkeys(words)]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def claims_cause(relationship: Relationship | str, strength: Strength | int, negated: bool) -> bool:
    """Rule 1: a cause read, neither doubted (UNCERTAIN) nor denied."""
    relationship = Relationship(relationship) if isinstance(relationship, str) else relationship
    return relationship is Relationship.CAUSE and strength > Strength.UNCERTAIN and not negated


def observational_reason(sources) -> str:
    """Rule 2's second part: "its sources are observational: ..." when every known design is observational, else ""."""
    known = [(label, design) for label, design in sources if design != UNKNOWN]
    if not known or any(design not in OBSERVATIONAL for _, design in known):
        return ""
    named = ", ".join(f"{label} ({DESIGNS[design].lower()})" for label, design in known)
    return f"its sources are observational: {named}"


def unsupported_reason(*, supports_causal: bool, grade_name: str, sources=()) -> tuple[str, str]:
    """(reason, few words for lists) why a claimed cause is unsupported (rule 2), or ("", "") when it is not."""
    if not supports_causal:
        return f"its grade, “{grade_name}”, does not support causal wording", "its grade"
    reason = observational_reason(sources)
    return (reason, "observational sources") if reason else ("", "")


def causal_finding(
    reading: RelationshipReading,
    rating: Rating,
    *,
    supports_causal: bool = True,
    grade_name: str = "",
    sources=(),
    unsupported: tuple[str, str] | None = None,
) -> CausalFinding | None:
    """The finding for one sentence, or None; `sources` are (label, design) pairs of its cited sources, or
    `unsupported` the (reason, few words) already found from them (unsupported_reason)."""
    if not claims_cause(reading.relationship, rating.strength, rating.negated):
        return None
    if unsupported is None:
        unsupported = unsupported_reason(supports_causal=supports_causal, grade_name=grade_name, sources=sources)
    reason, about = unsupported
    if not reason:
        return None
    return CausalFinding(
        reason=reason,
        words=tuple(c.text for c in reading.cues if c.family not in ("negation", "modal")),
        set_aside=tuple((c.text, c.reason) for c in reading.set_aside),
        hedged=reading.hedged,
        hedges=tuple(c.text for c in reading.cues if c.family == "modal"),
        about=about,
    )


def stored_finding(relation: str, strength: int, negated: bool, reason: str, about: str) -> CausalFinding | None:
    """The finding from a stored reading (no words named), or None."""
    if not relation or not reason or not claims_cause(relation, strength, negated):
        return None
    return CausalFinding(reason=reason, about=about)


def clears(text: str, cues: CueSet | None = None, *, rating: Rating | None = None) -> bool:
    """True when `text`, read again, claims no cause (rule 1): an association, no relationship, doubt or denial."""
    rating = rating or rate(text, cues)
    if rating.strength == Strength.UNCERTAIN or rating.negated:
        return True  # doubted or denied: no need to read its relationship
    return read_relationship(text).relationship is not Relationship.CAUSE


# --- association rewordings ----------------------------------------------------------------------

_LEADING = re.compile(r"^(?:.*\b(?:that|whether)\s+|.*[,:]\s+)", re.IGNORECASE)
_BEFORE_VERB = {
    "may", "might", "could", "can", "will", "would", "should", "probably", "possibly", "likely", "also", "actually",
    "really", "significantly", "greatly", "dramatically", "substantially", "markedly", "further", "even", "does",
    "do", "did", "help", "helps", "to",
}  # fmt: skip
_ABSOLUTE = re.compile(r"\s*\b(?:completely|permanently|totally|fully|entirely|dramatically|significantly)\b", re.I)
_OBJECT_OPENING = re.compile(r"^(?:against|from|with|of)\s+", re.IGNORECASE)


@lru_cache(maxsize=64)
def _template_strength(template: str, version: str) -> Strength:
    """How strongly a template words its claim, filled with neutral words: rated once per cue version."""
    return rate(template.format(subject="the treatment", change="lower", object="scores", **{"is": "is"})).strength


def association_rewordings(
    text: str, reading: RelationshipReading, cues: CueSet | None = None, allowed: Strength = Strength.DEFINITE
) -> list[str]:
    """The sentence worded as an association, from its first cause verb (rule 4); [] when no verb fits. Templates
    worded more strongly than `allowed` ("People who took X had lower Y" is a finding stated as fact) are skipped."""
    cues = cues or load_cues()
    verb = next((c for c in reading.cues if c.family in ("cause", "comparison")), None)
    if verb is None:
        return []
    base = _base(verb.text.lower(), cues.association)
    if base is None:
        return []
    change = cues.association[base]
    subject = _subject(text[: verb.start])
    found = re.match(r"\s*(.*?)[\s.!?]*$", _ABSOLUTE.sub("", text[verb.end :]), re.DOTALL)
    obj = _OBJECT_OPENING.sub("", found.group(1) if found else "")
    if not subject or not obj:
        return []
    if change and " " not in change and obj.lower().startswith("the "):
        obj = "a " + change + " " + obj[4:]  # "reduces the risk of" -> "a lower risk of"
        change = ""
    plural = _plural(verb.text, subject)
    out = []
    for template in cues.association_templates:
        if _template_strength(template, cues.version) > allowed:
            continue
        needs_comparison = " had " in template or " have " in template
        if needs_comparison and (" " in change or (not change and not obj.lower().startswith("a "))):
            continue
        if needs_comparison and any(word.lower().endswith("ing") for word in subject.split()):
            continue  # "people who took eating fish": an action takes no "took"
        words = template.format(
            subject=subject if template.startswith("{subject}") else _lower_first(subject),
            **{"is": "are" if plural else "is"},
            change=change,
            object=obj,
        )
        out.append(_tidy(words))
    return out


def _base(verb: str, table: dict) -> str | None:
    words = verb.split()
    first = words[0]
    rest = " ".join(words[1:])
    for base in table:
        head, _, tail = base.partition(" ")
        if tail and tail != rest:
            continue
        if first in (head, head + "s", head + "es", head + "d", head + "ed", head[:-1] + "ies", head + head[-1] + "ed"):
            return base
        if head.endswith("e") and first in (head + "s", head + "d"):
            return base
    return None


def _subject(before: str) -> str:
    subject = _LEADING.sub("", before.strip())
    words = subject.split()
    while words and words[-1].lower() in _BEFORE_VERB:
        words.pop()
    return " ".join(words)


def _plural(verb: str, subject: str) -> bool:
    first = verb.split()[0].lower()
    if first.endswith("s") and not first.endswith("ss"):
        return False  # "reduces": the subject is singular
    last = subject.split()[-1].lower()
    return last.endswith("s") and not last.endswith("ss")


def _lower_first(words: str) -> str:
    first, _, rest = words.partition(" ")
    if first[:1].isupper() and first[1:].islower():  # "Statins" but not "MSCs" or "NHS"
        first = first.lower()
    return f"{first} {rest}".strip()


def _tidy(text: str) -> str:
    text = re.sub(r"\s{2,}", " ", text).strip()
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return text[0].upper() + text[1:] if text else text
