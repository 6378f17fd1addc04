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
SYMBOLS = {OUTRUNS: "⇡", RETRACTED: "✖", TRIAL_STOPPED: "⏹", RESULTS_POSTED: "ℹ"}

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


def _on(date: str) -> str:
    return f" on {date}" if date else ""


def stopped_words(label: str, status: str, updated: str) -> str:
    """A stopped trial in words: the registry dates the last update of its record, not the day it stopped."""
    status = status.lower() or "stopped"
    return f"The trial “{label}” stopped early: status {status}" + (f", last updated {updated}." if updated else ".")


def outruns(expectation: Expectation, sources: list[SourceFacts]) -> Finding | None:
    """The grade expects designs its sources do not have; None when it is met, expects nothing or has no sources."""
    if not expectation.rated or expectation.any_design or not sources:
        return None
    # A retracted source supports no grade, whatever its design.
    retracted = [s for s in sources if s.is_retracted and s.design in expectation.designs]
    fitting = [s for s in sources if s.design in expectation.designs and s not in retracted]
    if len(fitting) >= expectation.count:
        return None
    unknown = [s for s in sources if s.design == UNKNOWN]
    known = [s for s in sources if s.design != UNKNOWN and s not in fitting and s not in retracted]
    needed = "one source" if expectation.count == 1 else f"{expectation.count} sources"
    text = f"“{expectation.grade_name}” expects {needed} of these designs: {expectation.words()}."
    if fitting or retracted:
        said = _fitting_words(len(fitting), len(sources), len(retracted))
        text += f" {said[0].upper()}{said[1:]}"
    if retracted:
        text += " Retracted: " + "; ".join(_named(s) for s in retracted) + "."
    if known:
        cited = "; ".join(f"{_named(s)} ({DESIGNS.get(s.design, s.design).lower()})" for s in known)
        text += f" It cites {cited}."
    if unknown:
        text += (
            " The design of "
            + ", ".join(_named(s) for s in unknown)
            + " is not known yet, so it is not counted: setting it on the source may clear this."
        )
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
                    f"The trial {_named(source)} posted its results on {source.results_posted_on}, after this "
                    f"claim was approved on {approved_on}: worth a look.",
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


def _unfit_words(summary: SourceSummary) -> tuple[str, str]:
    """(the sentence naming the first source that does not fit, its few words for lists); ("", "") for none."""
    if not summary.unfit:
        return "", ""
    design, label = summary.unfit.split("|", 1)
    design_words = DESIGNS.get(design, design).lower() if design != UNKNOWN else "design not known yet"
    others = summary.total - summary.fitting - 1
    about = f"{label}, {design_words}" + (f", and {others} more" if others > 0 else "")
    if summary.total == 1:
        if design == UNKNOWN:
            return f"its only source, {label}, has a design not known yet.", about
        return f"its only source, {label}, is {_a(design_words)}.", about
    said = f" {label} is {_a(design_words)}" if design != UNKNOWN else f" {label} has a design not known yet"
    if others > 0:
        said += f", and {others} other{'s' if others > 1 else ''} do{'' if others > 1 else 'es'} not fit either"
    return said + ".", about


def _fitting_words(fitting: int, total: int, retracted: int = 0) -> str:
    """How many of a claim's sources have a design its grade expects, in words; `retracted` of those
    with one were retracted and are not counted."""
    if retracted:
        if total == 1:
            return "its only source was retracted, and a retracted source is not counted as support."
        counted = "none" if not fitting else f"only {fitting}"
        return (
            f"{counted} of its {total} sources {'counts' if fitting <= 1 else 'count'}: {retracted} with one of "
            f"them {'was' if retracted == 1 else 'were'} retracted, and a retracted source is not counted as support."
        )
    if total == 1:
        return "its one source has none of them."
    if not fitting:
        return f"none of its {total} sources has one of them."
    return f"only {fitting} of its {total} sources {'has' if fitting == 1 else 'have'} one of them."


def summary_findings(expectation: Expectation, summary: SourceSummary, approved_on: str = "") -> list[Finding]:
    """The findings `claim_source_findings` makes, from a SourceSummary: the first source of each kind named."""
    found = []
    if expectation.rated and not expectation.any_design and summary.total and summary.fitting < expectation.count:
        needed = "one source" if expectation.count == 1 else f"{expectation.count} sources"
        named, about = _unfit_words(summary)
        if summary.retracted and not about:
            about = "retracted source"
        # One source: its naming says it all ("its only source, PMID 123, is an animal study.").
        counted = _fitting_words(summary.fitting, summary.total, summary.retracted)
        said = named if summary.total == 1 and named else counted + named
        text = f"“{expectation.grade_name}” expects {needed} of these designs: {expectation.words()}; {said}"
        if summary.unknown:
            text += (
                f" {summary.unknown} {'has a design' if summary.unknown == 1 else 'have designs'} not known yet, "
                "not counted: setting it on the source may clear this."
            )
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
                f"The trial “{label}” posted its results on {date}, after this claim was approved on "
                f"{approved_on}: worth a look.",
                about=label,
            )
        )
    return found
