import pytest

from claims.text import study_design as sd
from claims.text.study_design import Indexing, derive, mesh_presence, plain_words

RCT = ("Randomized Controlled Trial",)
ADULTS = ("ADULT", "OLDER_ADULT")


@pytest.mark.parametrize(
    "indexing, design",
    [
        (Indexing(publication_types=("Journal Article", "Meta-Analysis")), sd.SYSTEMATIC_REVIEW),
        (Indexing(publication_types=("Systematic Review", "Randomized Controlled Trial")), sd.SYSTEMATIC_REVIEW),
        (Indexing(publication_types=("Randomized Controlled Trial",), humans=sd.YES), sd.RANDOMISED_TRIAL),
        (Indexing(publication_types=("Clinical Trial, Phase II",)), sd.NON_RANDOMISED_TRIAL),
        (Indexing(publication_types=("Case Reports",)), sd.CASE_SERIES),
        (Indexing(publication_types=("Practice Guideline",)), sd.GUIDELINE),
        (Indexing(publication_types=("Editorial",)), sd.EXPERT_OPINION),
        (Indexing(mesh_headings=("Cross-Sectional Studies",)), sd.CROSS_SECTIONAL),
        (Indexing(publication_types=("Observational Study",)), sd.COHORT_CASE_CONTROL),
        (Indexing(mesh_headings=("Prospective Studies", "Humans"), humans=sd.YES), sd.COHORT_CASE_CONTROL),
        # A preprint is a preprint, whatever it studied.
        (Indexing(publication_types=("Preprint", "Randomized Controlled Trial")), sd.PREPRINT),
        (Indexing(crossref_type="posted-content"), sd.PREPRINT),
        # Animals indexed, humans not: an animal study, even a randomised one.
        (Indexing(publication_types=RCT, humans=sd.NO, animals=sd.YES), sd.ANIMAL),
        # Both indexed: the human study stands.
        (Indexing(publication_types=RCT, humans=sd.YES, animals=sd.YES), sd.RANDOMISED_TRIAL),
        # Not yet indexed: neither animal nor human.
        (Indexing(publication_types=("Journal Article",)), sd.UNKNOWN),
        (Indexing(mesh_headings=("In Vitro Techniques",), humans=sd.NO, animals=sd.NO), sd.LABORATORY),
        (Indexing(mesh_headings=("In Vitro Techniques", "Humans"), humans=sd.YES, animals=sd.NO), sd.UNKNOWN),
        (Indexing(trial_study_type="INTERVENTIONAL", trial_allocation="RANDOMIZED"), sd.RANDOMISED_TRIAL),
        (Indexing(trial_study_type="INTERVENTIONAL", trial_allocation="NA"), sd.NON_RANDOMISED_TRIAL),
        (Indexing(trial_study_type="OBSERVATIONAL", trial_observational_model="COHORT"), sd.COHORT_CASE_CONTROL),
        (Indexing(trial_study_type="OBSERVATIONAL", trial_observational_model="CROSS_SECTIONAL"), sd.CROSS_SECTIONAL),
        (Indexing(), sd.UNKNOWN),
    ],
)
def test_design_follows_the_rules(indexing, design):
    assert derive(indexing) == design


def test_a_paper_not_yet_indexed_is_unknown_never_human():
    assert mesh_presence([], indexed=False) == (sd.UNKNOWN, sd.UNKNOWN)
    assert mesh_presence(["Humans"], indexed=False) == (sd.UNKNOWN, sd.UNKNOWN)
    assert mesh_presence(["Humans", "Adult"], indexed=True) == (sd.YES, sd.NO)
    assert mesh_presence(["Animals", "Mice"], indexed=True) == (sd.NO, sd.YES)


@pytest.mark.parametrize(
    "design, indexing, words",
    [
        (sd.RANDOMISED_TRIAL, Indexing(enrolment=320, trial_ages=ADULTS), "Randomised trial in 320 adults"),
        (sd.RANDOMISED_TRIAL, Indexing(enrolment=1200), "Randomised trial in 1,200 people"),
        (sd.NON_RANDOMISED_TRIAL, Indexing(enrolment=40, trial_ages=("CHILD",)), "Non-randomised trial in 40 children"),
        (sd.RANDOMISED_TRIAL, Indexing(), "Randomised trial"),
        (sd.ANIMAL, Indexing(mesh_headings=("Animals", "Mice")), "Study in mice"),
        (sd.ANIMAL, Indexing(mesh_headings=("Animals", "Mice", "Rats")), "Study in mice and rats"),
        (sd.ANIMAL, Indexing(mesh_headings=("Animals",)), "Study in animals"),
        (sd.PREPRINT, Indexing(), "Preprint (not yet peer reviewed)"),
        (sd.SYSTEMATIC_REVIEW, Indexing(enrolment=5000), "Systematic review or meta-analysis"),
        (sd.UNKNOWN, None, "Study design not known"),
    ],
)
def test_plain_words_for_readers(design, indexing, words):
    assert plain_words(design, indexing) == words


def test_every_design_has_a_label():
    assert set(sd.DESIGNS) == {
        sd.SYSTEMATIC_REVIEW,
        sd.RANDOMISED_TRIAL,
        sd.NON_RANDOMISED_TRIAL,
        sd.COHORT_CASE_CONTROL,
        sd.CROSS_SECTIONAL,
        sd.CASE_SERIES,
        sd.GUIDELINE,
        sd.EXPERT_OPINION,
        sd.ANIMAL,
        sd.LABORATORY,
        sd.PREPRINT,
        sd.UNKNOWN,
    }
