"""What a claim's sources say against its grade: plain Python with no Django import.

Four kinds of finding, for editors and reviewers (readers see what became of a source on its citation and badge):
- grade outruns its sources: the grade expects some designs (claims.text.study_design.Expectation,
  set on each evidence status) and fewer of the claim's sources than it needs have one of them, e.g. a
  "Strong" claim citing only animal studies and a preprint. A source whose design is not known never
  counts as support, and the finding says so gently; nor does a retracted source, whatever its design;
- retracted or under concern: a cited source was retracted, corrected or given an expression of concern;
- trial stopped: a cited trial was terminated, withdrawn or suspended (dated by the registry's last
  update of its record, which is not the day it stopped: the finding says so);
- results posted since approval: a cited trial posted its results after the claim was approved (worth a look).

claims/evidence_watch.py reads the sources and their events from the database and passes them here as
SourceFacts; each Finding names the source in its explanation.
"""

import datetime
from dataclasses import dataclass, field

from .study_design import DESIGNS, UNKNOWN, Expectation

OUTRUNS = "outruns"
RETRACTED = "retracted"
TRIAL_STOPPED = "trial_stopped"
RESULTS_POSTED = "results_posted"

KINDS = {
    OUTRUNS: "Grade outruns its sources",
    RETRACTED: "Retracted or under concern",
    TRIAL_STOPPED: "Trial stopped",
    RESULTS_POSTED: "Results posted since approval",
}
# Symbols the common fonts draw (a "⏹" shows as an empty box in many), always beside the words.
SYMBOLS = {OUTRUNS: "⇡", RETRACTED: "✖", TRIAL_STOPPED: "■", RESULTS_POSTED: "ℹ"}

# What a source's events are called in explanations.
RETRACTION, CORRECTION, CONCERN = "retraction", "correction", "expression_of_concern"
NOTICE_WORDS = {RETRACTION: "retracted", CORRECTION: "corrected", CONCERN: "given an expression of concern"}


@dataclass(frozen=True)
class SourceFacts:
    """What the findings need to know of one cited source; dates are ISO strings ("" when none)."""

    key: object
    label: str
    design: str = UNKNOWN
    notices: tuple[tuple[str, str], ...] = ()  # (retraction | correction | expression_of_concern, date)
    trial_stopped: tuple[str, str] | None = None  # (status in words, the registry's last update of the record)
    results_posted_on: str = ""

    @property
    def is_retracted(self) -> bool:
        return any(kind == RETRACTION for kind, _ in self.notices)


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    source_keys: tuple = field(default=())
    about: str = ""  # the source(s) it is about, in a few words for lists: "PMID 123, animal study"

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.kind]


def _named(source: SourceFacts) -> str:
    return f"“{source.label}”"


def day_words(date: str) -> str:
    """An ISO date as people read it: "2014-07-02" is "2 July 2014"; anything else is left as it is."""
    try:
        day = datetime.date.fromisoformat(date)
    except (TypeError, ValueError):
        return date
    return f"{day.day} {day:%B} {day.year}"


def _on(date: str) -> str:
    return f" on {day_words(date)}" if date else ""


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _known_words(known: list[tuple[str, str]]) -> str:
    """The sources of a design the grade does not expect: (label, design), label "" for one not named."""
    named = [f"{label} is {_a(DESIGNS.get(design, design).lower())}" for label, design in known if label]
    others = len(known) - len(named)
    if others:
        whom = f"{others} other{'s' if others > 1 else ''}" if named else str(others)
        named.append(f"{whom} {_plural(others, 'is', 'are')} of another design")
    return _join(named)


def _unknown_words(unknown: list[str]) -> str:
    """The sources whose design is not known: their labels, "" for one not named."""
    named = [label for label in unknown if label]
    others = len(unknown) - len(named)
    if named:
        subject = _join(named + ([f"{others} other{'s' if others > 1 else ''}"] if others else []))
    else:
        subject = str(others)
    return f"{subject} {_plural(len(unknown), 'has', 'have')} no known design yet"


def _retracted_words(retracted: list[str]) -> str:
    """The retracted sources of an expected design, which never count as support: their labels, "" for one not named."""
    named = [label for label in retracted if label]
    others = len(retracted) - len(named)
    if not named:
        subject = f"{others} of them"
    else:
        subject = _join(named + ([f"{others} other{'s' if others > 1 else ''}"] if others else []))
    return f"{subject} {_plural(len(retracted), 'was', 'were')} retracted, and a retracted source is not counted"


def _outruns_text(
    expectation: Expectation, total: int, fitting: int, known: list, unknown: list, retracted: list = ()
) -> str:
    """One sentence counting each of a claim's sources once: those that fit, those of another design, those
    retracted and those whose design is not known yet (neither of which ever counts as support)."""
    needed = "one source" if expectation.count == 1 else f"{expectation.count} sources"
    head = f"“{expectation.grade_name}” expects {needed} of these designs: {expectation.words()}"
    if total == 1 and retracted:
        label = f", {retracted[0]}," if retracted[0] else ""
        body = f"its only source{label} was retracted, and a retracted source is not counted as support"
    elif total == 1 and unknown:
        body = f"its only source, {unknown[0]}, has no known design yet"
    elif total == 1 and known:
        label, design = known[0]
        words = _a(DESIGNS.get(design, design).lower())
        body = f"its only source, {label}, is {words}" if label else f"its only source is {words}"
    elif total == 1:
        body = f"its only source has one of them, and it needs {expectation.count}"
    elif not fitting and len(unknown) == total:
        body = f"none of its {total} sources has a known design yet"
    else:
        unretracted = f" and {_plural(fitting or 1, 'is', 'are')} not retracted" if retracted else ""
        body = (
            f"only {fitting} of its {total} sources {_plural(fitting, 'has', 'have')} one of them{unretracted}"
            if fitting
            else f"none of its {total} sources has one of them{unretracted}"
        )
        rest = [
            words
            for words in (
                known and _known_words(known),
                retracted and _retracted_words(list(retracted)),
                unknown and _unknown_words(unknown),
            )
            if words
        ]
        if rest:
            body += ": " + ", and ".join(rest)
    if unknown:
        body += (": " if ":" not in body else "; ") + (
            "set the design on the source to count it"
            if len(unknown) == 1
            else "set the design on each source to count them"
        )
    return f"{head}; {body}."


def stopped_words(label: str, status: str, updated: str) -> str:
    """A stopped trial in words: the registry dates the last update of its record, not the day it stopped."""
    status = status.lower() or "stopped"
    return f"The trial “{label}” stopped early: status {status}" + (
        f", last updated {day_words(updated)}." if updated else "."
    )


def outruns(expectation: Expectation, sources: list[SourceFacts]) -> Finding | None:
    """The grade expects designs its sources do not have; None when it is met, expects nothing or has no sources."""
    if not expectation.rated or expectation.any_design or not sources:
        return None
    # A retracted source supports no grade, whatever its design.
    retracted = [s for s in sources if s.is_retracted and s.design in expectation.designs]
    fitting = [s for s in sources if s.design in expectation.designs and s not in retracted]
    if len(fitting) >= expectation.count:
        return None
    unknown = [_named(s) for s in sources if s.design == UNKNOWN]
    known = [(_named(s), s.design) for s in sources if s.design != UNKNOWN and s not in fitting and s not in retracted]
    text = _outruns_text(expectation, len(sources), len(fitting), known, unknown, [_named(s) for s in retracted])
    return Finding(OUTRUNS, text, tuple(s.key for s in sources if s not in fitting))


def claim_source_findings(expectation: Expectation, sources: list[SourceFacts], approved_on: str = "") -> list[Finding]:
    """Every finding about one claim's sources: `approved_on` is the ISO date of its standing approval."""
    found = []
    grade = outruns(expectation, sources)
    if grade:
        found.append(grade)
    for source in sources:
        for kind, date in source.notices:
            words = NOTICE_WORDS.get(kind)
            if words:
                found.append(Finding(RETRACTED, f"{_named(source)} was {words}{_on(date)}.", (source.key,)))
        if source.trial_stopped:
            status, date = source.trial_stopped
            found.append(Finding(TRIAL_STOPPED, stopped_words(source.label, status, date), (source.key,)))
        if source.results_posted_on and approved_on and source.results_posted_on > approved_on:
            found.append(
                Finding(
                    RESULTS_POSTED,
                    f"The trial {_named(source)} posted its results on {day_words(source.results_posted_on)}, "
                    f"after this claim was approved on {day_words(approved_on)}: worth a look.",
                    (source.key,),
                )
            )
    return found


@dataclass(frozen=True)
class SourceSummary:
    """What one query reads beside each claim, for lists and panels: counts, and the first source of each kind.

    `fitting` counts the sources with an expected design that were not retracted, `retracted` those with
    one that were (no support for the grade). `notice` is "kind|date|label" (the earliest retraction,
    correction or concern), `stopped` "status|date|label" (the date the registry's last update),
    `results` "date|label" (results posted after the approval), `unfit` "design|label" (the first
    source without a design the grade expects), "" for none.
    """

    total: int = 0
    fitting: int = 0
    unknown: int = 0
    retracted: int = 0
    notice: str = ""
    stopped: str = ""
    results: str = ""
    unfit: str = ""


def _a(words: str) -> str:
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


def _unfit_about(summary: SourceSummary) -> str:
    """The first source that does not fit, in a few words for lists ("PMID 123, animal study, and 1 more")."""
    if not summary.unfit:
        return ""
    design, label = summary.unfit.split("|", 1)
    design_words = DESIGNS.get(design, design).lower() if design != UNKNOWN else "design not known yet"
    others = summary.total - summary.fitting - 1
    return f"{label}, {design_words}" + (f", and {others} more" if others > 0 else "")


def summary_findings(expectation: Expectation, summary: SourceSummary, approved_on: str = "") -> list[Finding]:
    """The findings `claim_source_findings` makes, from a SourceSummary: the first source of each kind named."""
    found = []
    if expectation.rated and not expectation.any_design and summary.total and summary.fitting < expectation.count:
        about = _unfit_about(summary) or ("retracted source" if summary.retracted else "")
        known_count = max(0, summary.total - summary.fitting - summary.unknown - summary.retracted)
        known, unknown = [("", "")] * known_count, [""] * summary.unknown
        if summary.unfit:  # the first source that does not fit is named
            design, label = summary.unfit.split("|", 1)
            if design == UNKNOWN and unknown:
                unknown[0] = label
            elif design != UNKNOWN and known:
                known[0] = (label, design)
        retracted = [""] * summary.retracted
        text = _outruns_text(expectation, summary.total, summary.fitting, known, unknown, retracted)
        found.append(Finding(OUTRUNS, text, about=about))
    if summary.notice:
        kind, date, label = summary.notice.split("|", 2)
        found.append(Finding(RETRACTED, f"“{label}” was {NOTICE_WORDS.get(kind, 'updated')}{_on(date)}.", about=label))
    if summary.stopped:
        status, date, label = summary.stopped.split("|", 2)
        status = status.removeprefix("ClinicalTrials.gov: ") or "stopped"
        found.append(Finding(TRIAL_STOPPED, stopped_words(label, status, date), about=label))
    if summary.results and approved_on:
        date, label = summary.results.split("|", 1)
        found.append(
            Finding(
                RESULTS_POSTED,
                f"The trial “{label}” posted its results on {day_words(date)}, after this claim was approved on "
                f"{day_words(approved_on)}: worth a look.",
                about=label,
            )
        )
    return found
