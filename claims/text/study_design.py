"""What kind of study a source is, derived from what PubMed, Crossref and ClinicalTrials.gov say of it.

Plain Python, no Django: the look-ups (claims/lookups/) pass in what the services answered, as an
`Indexing`, and get back a design (one of DESIGNS) and plain words for readers ("Randomised trial in
320 adults", "Study in mice"). The rules, first match wins:

1. a preprint (PubMed's "Preprint", Crossref's "posted-content") is a preprint, whatever it studied:
   nobody has reviewed it yet;
2. a study indexed as on animals and not on humans is an animal study;
3. PubMed's publication types, strongest first: systematic review or meta-analysis, guideline,
   randomised trial, non-randomised trial (other clinical trials), case series or report;
4. MeSH study headings: cross-sectional, cohort or case-control (observational studies);
5. a ClinicalTrials.gov record: interventional and randomised, interventional otherwise, observational
   (cross-sectional when its model says so);
6. laboratory work (MeSH "In Vitro Techniques", cultured cells) with no humans or animals indexed;
7. opinion pieces (editorials, comments, letters, narrative reviews) are expert opinion;
8. anything else is unknown.

MeSH indexing is three-valued: a paper PubMed has not indexed yet says nothing about humans or animals
(UNKNOWN), which never counts as a study in humans.
"""

from dataclasses import dataclass, field

SYSTEMATIC_REVIEW = "systematic_review"
RANDOMISED_TRIAL = "randomised_trial"
NON_RANDOMISED_TRIAL = "non_randomised_trial"
COHORT_CASE_CONTROL = "cohort_case_control"
CROSS_SECTIONAL = "cross_sectional"
CASE_SERIES = "case_series"
GUIDELINE = "guideline"
EXPERT_OPINION = "expert_opinion"
ANIMAL = "animal"
LABORATORY = "laboratory"
PREPRINT = "preprint"
UNKNOWN = "unknown"

DESIGNS = {
    SYSTEMATIC_REVIEW: "Systematic review or meta-analysis",
    RANDOMISED_TRIAL: "Randomised trial",
    NON_RANDOMISED_TRIAL: "Non-randomised trial",
    COHORT_CASE_CONTROL: "Cohort or case-control study",
    CROSS_SECTIONAL: "Cross-sectional study",
    CASE_SERIES: "Case series or case report",
    GUIDELINE: "Guideline",
    EXPERT_OPINION: "Expert opinion",
    ANIMAL: "Animal study",
    LABORATORY: "Laboratory study",
    PREPRINT: "Preprint",
    UNKNOWN: "Unknown",
}

YES, NO = "yes", "no"  # MeSH indexing of humans and animals, with UNKNOWN

_SYSTEMATIC = {"meta-analysis", "systematic review", "network meta-analysis"}
_GUIDELINE = {"guideline", "practice guideline", "consensus development conference"}
_RANDOMISED = {"randomized controlled trial", "equivalence trial"}
_TRIAL = {
    "clinical trial",
    "controlled clinical trial",
    "clinical trial, phase i",
    "clinical trial, phase ii",
    "clinical trial, phase iii",
    "clinical trial, phase iv",
    "pragmatic clinical trial",
    "adaptive clinical trial",
}
_CASES = {"case reports"}
_OPINION = {"editorial", "comment", "letter", "review", "news"}
_PREPRINT_TYPES = {"preprint"}
_CROSS_SECTIONAL_MESH = {"cross-sectional studies"}
_COHORT_MESH = {
    "cohort studies",
    "case-control studies",
    "prospective studies",
    "retrospective studies",
    "longitudinal studies",
    "follow-up studies",
}
_OBSERVATIONAL_TYPES = {"observational study"}
_LABORATORY_MESH = {"in vitro techniques", "cells, cultured", "cell line", "cell line, tumor"}
# The animals readers know by name, as MeSH heads them.
ANIMAL_WORDS = {
    "mice": "mice",
    "rats": "rats",
    "dogs": "dogs",
    "cats": "cats",
    "swine": "pigs",
    "sheep": "sheep",
    "cattle": "cattle",
    "rabbits": "rabbits",
    "zebrafish": "zebrafish",
    "macaca mulatta": "rhesus monkeys",
    "primates": "primates",
    "guinea pigs": "guinea pigs",
    "drosophila melanogaster": "fruit flies",
}
_ADULT_AGES = {"ADULT", "OLDER_ADULT"}


@dataclass(frozen=True)
class Indexing:
    """What the services said of one source, in their own words (all optional)."""

    publication_types: tuple[str, ...] = ()
    mesh_headings: tuple[str, ...] = ()
    humans: str = UNKNOWN
    animals: str = UNKNOWN
    crossref_type: str = ""
    trial_study_type: str = ""  # ClinicalTrials.gov: INTERVENTIONAL, OBSERVATIONAL, EXPANDED_ACCESS
    trial_allocation: str = ""  # RANDOMIZED, NON_RANDOMIZED, NA
    trial_observational_model: str = ""  # COHORT, CASE_CONTROL, CROSS_SECTIONAL, …
    trial_phases: tuple[str, ...] = ()
    trial_ages: tuple[str, ...] = ()  # CHILD, ADULT, OLDER_ADULT
    enrolment: int | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Expectation:
    """The designs an evidence grade expects its sources to have: none means any design will do."""

    grade_name: str
    designs: tuple[str, ...] = ()
    count: int = 1
    rated: bool = True

    @property
    def any_design(self) -> bool:
        return not self.designs

    def words(self) -> str:
        """The expected designs in words: "systematic review or meta-analysis or randomised trial"."""
        names = [DESIGNS[d].lower() for d in self.designs if d in DESIGNS]
        return " or ".join(names)


def mesh_presence(headings, indexed: bool) -> tuple[str, str]:
    """(humans, animals), each yes, no or unknown, from a paper's MeSH headings.

    A paper not yet indexed (`indexed` false, or no headings at all) is unknown on both counts.
    """
    if not indexed or not headings:
        return UNKNOWN, UNKNOWN
    names = {heading.strip().lower() for heading in headings}
    return (YES if "humans" in names else NO), (YES if "animals" in names else NO)


def derive(indexing: Indexing) -> str:
    """The study design these answers point to: one of DESIGNS' keys."""
    types = {t.strip().lower() for t in indexing.publication_types}
    mesh = {h.strip().lower() for h in indexing.mesh_headings}
    if types & _PREPRINT_TYPES or indexing.crossref_type == "posted-content":
        return PREPRINT
    if indexing.animals == YES and indexing.humans == NO:
        return ANIMAL
    if types & _SYSTEMATIC:
        return SYSTEMATIC_REVIEW
    if types & _GUIDELINE:
        return GUIDELINE
    if types & _RANDOMISED:
        return RANDOMISED_TRIAL
    if types & _TRIAL:
        return NON_RANDOMISED_TRIAL
    if types & _CASES:
        return CASE_SERIES
    if mesh & _CROSS_SECTIONAL_MESH:
        return CROSS_SECTIONAL
    if mesh & _COHORT_MESH or types & _OBSERVATIONAL_TYPES:
        return COHORT_CASE_CONTROL
    study_type = indexing.trial_study_type.upper()
    if study_type == "INTERVENTIONAL":
        return RANDOMISED_TRIAL if indexing.trial_allocation.upper() == "RANDOMIZED" else NON_RANDOMISED_TRIAL
    if study_type == "OBSERVATIONAL":
        if indexing.trial_observational_model.upper() == "CROSS_SECTIONAL":
            return CROSS_SECTIONAL
        return COHORT_CASE_CONTROL
    if mesh & _LABORATORY_MESH and indexing.humans != YES and indexing.animals != YES:
        return LABORATORY
    if types & _OPINION:
        return EXPERT_OPINION
    return UNKNOWN


def animals_studied(mesh_headings) -> list[str]:
    """The animals readers know by name among a paper's MeSH headings, in plain words."""
    names = {h.strip().lower() for h in mesh_headings}
    return [word for heading, word in ANIMAL_WORDS.items() if heading in names]


def participants(indexing: Indexing) -> str:
    """Who took part, in plain words ("adults", "people"), from a trial's ages."""
    ages = {age.upper() for age in indexing.trial_ages}
    if ages and ages <= _ADULT_AGES:
        return "adults"
    if ages == {"CHILD"}:
        return "children"
    return "people"


def plain_words(design: str, indexing: Indexing | None = None) -> str:
    """The design in plain words for readers: "Randomised trial in 320 adults", "Study in mice"."""
    indexing = indexing or Indexing()
    if design == ANIMAL:
        animals = animals_studied(indexing.mesh_headings)
        if not animals:
            return "Study in animals"
        named = animals[0] if len(animals) == 1 else ", ".join(animals[:-1]) + " and " + animals[-1]
        return f"Study in {named}"
    if design == PREPRINT:
        return "Preprint (not yet peer reviewed)"
    if design == LABORATORY:
        return "Laboratory study (cells or tissue, not people)"
    if design == UNKNOWN:
        return "Study design not known"
    label = DESIGNS.get(design, DESIGNS[UNKNOWN])
    if design in {RANDOMISED_TRIAL, NON_RANDOMISED_TRIAL, COHORT_CASE_CONTROL, CROSS_SECTIONAL} and indexing.enrolment:
        count = indexing.enrolment
        who = participants(indexing)
        if count == 1 and who == "people":
            who = "person"
        return f"{label} in {count:,} {who}"
    return label
