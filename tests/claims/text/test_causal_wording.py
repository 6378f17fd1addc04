"""Causal wording for an association (claims/text/causal_wording.py) and the advice that keeps the meaning."""

import pytest

from claims.text import causal_wording
from claims.text.integrity import ClaimFacts, check_claim
from claims.text.relationship import read_relationship
from claims.text.wording import Strength, rate

U, PS, PR, D = Strength.UNCERTAIN, Strength.POSSIBLE, Strength.PROBABLE, Strength.DEFINITE

COHORT = ("PMID 111", "cohort_case_control")
SURVEY = ("PMID 222", "cross_sectional")
TRIAL = ("PMID 333", "randomised_trial")
REVIEW = ("PMID 444", "systematic_review")
NOT_KNOWN = ("PMID 555", "unknown")


def check(quote, allowed=PS, *, supports_causal=False, sources=(), denial_fits=False, grade="Limited evidence"):
    facts = ClaimFacts(
        key=1,
        start=0,
        end=len(quote),
        quote=quote,
        condition_key=1,
        allowed=allowed,
        grade_name=grade,
        supports_causal=supports_causal,
        source_designs=tuple(sources),
        denial_fits=denial_fits,
    )
    return check_claim(facts)


def test_a_plain_cause_under_a_grade_without_causal_wording_is_found_and_named():
    found = check("Daily walking lowers blood pressure in older adults.", PS).causal
    assert found is not None
    assert found.words == ("lowers",)
    text = found.explanation()
    assert "Claims a cause (“lowers”)" in text
    assert "its grade, “Limited evidence”, does not support causal wording" in text


def test_a_hedged_cause_is_still_a_cause_and_the_hedge_is_named():
    found = check("Daily walking may lower blood pressure in older adults.", PS).causal
    assert found is not None and found.hedged
    assert "“may” hedges the cause but does not make it an association" in found.explanation()


def test_association_wording_raises_no_finding():
    assert check("Daily walking is linked to lower blood pressure in older adults.", PS).causal is None


@pytest.mark.parametrize(
    "quote",
    [
        "There is no good evidence that magnet bracelets relieve arthritis pain.",
        "Magnet bracelets do not relieve arthritis pain.",
    ],
)
def test_doubting_or_denying_a_cause_claims_none(quote):
    assert check(quote, U, denial_fits=True).causal is None


def test_a_grade_that_supports_causal_wording_with_trial_sources_raises_nothing():
    assert (
        check("Daily walking lowers blood pressure.", D, supports_causal=True, sources=[COHORT, TRIAL]).causal is None
    )
    assert check("Daily walking lowers blood pressure.", D, supports_causal=True, sources=[REVIEW]).causal is None


def test_only_observational_sources_make_a_cause_unsupported_and_are_named():
    found = check(
        "Daily walking lowers blood pressure.", D, supports_causal=True, sources=[COHORT, SURVEY, NOT_KNOWN]
    ).causal
    assert found is not None
    assert found.reason == (
        "its sources are observational: PMID 111 (cohort or case-control study), PMID 222 (cross-sectional study)"
    )


def test_sources_of_unknown_design_alone_do_not_count_as_observational():
    assert check("Daily walking lowers blood pressure.", D, supports_causal=True, sources=[NOT_KNOWN]).causal is None


def test_an_unrated_grade_raises_no_causal_finding():
    facts = ClaimFacts(key=1, start=0, end=10, quote="Walking lowers blood pressure.", condition_key=1, allowed=U)
    facts = ClaimFacts(**{**facts.__dict__, "rated": False, "supports_causal": False})
    assert check_claim(facts).causal is None


def test_the_finding_names_the_words_set_aside_and_why():
    found = check("Our results suggest that drinking green tea reduces the risk of stroke.", PS).causal
    assert found is not None
    assert "“results suggest” reports the finding without hedging it" in found.explanation()


# --- advice --------------------------------------------------------------------------------------


def test_association_advice_keeps_the_meaning_and_is_read_again():
    advice = check("Daily walking lowers the risk of falls in older adults.", PS).advice
    assert advice.rewordings[0] == "Daily walking is linked to a lower risk of falls in older adults."
    for rewording in advice.rewordings:
        assert rate(rewording).strength <= PS
        assert causal_wording.clears(rewording)


def test_people_who_took_wording_is_offered_where_the_grade_allows_its_strength():
    advice = check("Statins reduce the risk of stroke.", PR, supports_causal=True, sources=[COHORT]).advice
    assert "Statins are linked to a lower risk of stroke." in advice.rewordings
    assert "People who took statins tended to have a lower risk of stroke." in advice.rewordings
    # "had a lower risk" states the comparison as fact (DEFINITE): more than a "probable" grade allows.
    assert "People who took statins had a lower risk of stroke." not in advice.rewordings
    definite = check("Statins reduce the risk of stroke.", D, supports_causal=True, sources=[COHORT]).advice
    assert "People who took statins had a lower risk of stroke." in definite.rewordings


def test_a_hedged_cause_is_never_offered_for_the_causal_finding():
    advice = check("Zinc lozenges reduce cold symptoms.", PS).advice
    assert advice.rewordings
    assert not any("may" in rewording for rewording in advice.rewordings)


def test_overclaiming_without_a_causal_finding_keeps_the_grades_hedge():
    advice = check("Zinc lozenges reduce cold symptoms.", PS, supports_causal=True).advice
    assert "Zinc lozenges may reduce cold symptoms." in advice.rewordings


def test_not_supported_by_evidence_is_advised_as_an_absence_not_an_open_question():
    quote = "Some clinics claim that stem-cell infusions cure asthma completely"
    result = check(quote, U, denial_fits=True, grade="Not supported by evidence")
    assert result.overclaiming
    assert result.advice.rewordings
    assert result.advice.rewordings[0] == "There is no good evidence that stem-cell infusions cure asthma."
    assert not any(r.startswith("It is not known whether") for r in result.advice.rewordings)


def test_very_uncertain_still_asks_the_open_question():
    result = check("Stem-cell infusions cure asthma.", U, grade="Very uncertain", supports_causal=True)
    assert result.advice.rewordings[0] == "It is not known whether stem-cell infusions cure asthma."


def test_a_gerund_subject_gets_no_people_who_took_wording():
    reading = read_relationship("Eating oily fish lowers the risk of heart attacks.")
    rewordings = causal_wording.association_rewordings("Eating oily fish lowers the risk of heart attacks.", reading)
    assert rewordings == ["Eating oily fish is linked to a lower risk of heart attacks."]


def test_a_verb_with_no_association_wording_gets_none():
    text = "The implant rebuilds damaged cartilage."
    assert causal_wording.association_rewordings(text, read_relationship(text)) == []


def test_a_stored_reading_gives_the_finding_without_words():
    found = causal_wording.stored_finding("cause", int(D), False, "its grade does not support causal wording", "grade")
    assert found is not None and found.words == ()
    assert found.explanation().startswith("Claims a cause, but its grade")
    assert causal_wording.stored_finding("association", int(D), False, "x", "grade") is None
    assert causal_wording.stored_finding("cause", int(U), False, "x", "grade") is None
    assert causal_wording.stored_finding("cause", int(D), True, "x", "grade") is None


# --- the advice, beside overclaiming -------------------------------------------------------------


def _check(text, allowed, **kwargs):
    facts = ClaimFacts(key=1, start=0, end=len(text), quote=text, condition_key=None, allowed=allowed, **kwargs)
    return check_claim(facts)


def test_an_uncertain_grade_is_not_advised_association_wording():
    check = _check(
        "Turmeric shortens migraine attacks.", Strength.UNCERTAIN, supports_causal=False, grade_name="Very uncertain"
    )
    assert check.overclaiming and check.causal is not None
    explanation = check.causal.explanation()
    assert "association" not in explanation and "linked" not in explanation
    assert "overclaiming" in explanation  # it defers to the overclaiming advice rather than contradicting it
    assert check.advice.rewordings
    assert all("linked" not in r and "tended" not in r for r in check.advice.rewordings)
    assert all(rate(r).strength is Strength.UNCERTAIN for r in check.advice.rewordings)


def test_an_uncertain_finding_advises_the_grade_s_own_wording():
    found = causal_wording.CausalFinding(
        reason="its grade, “Very uncertain”, does not support causal wording", uncertain=True
    )
    assert "It is not known whether" in found.explanation()
    assert "association" not in found.explanation()


def test_a_cause_that_fits_its_grade_s_strength_is_still_advised_association_wording():
    sources = (("PMID 1", "cohort_case_control"),)
    check = _check(
        "Walking probably lowers blood pressure.", Strength.PROBABLE, grade_name="Moderate", source_designs=sources
    )
    assert not check.overclaiming and check.causal is not None
    assert "word it as an association" in check.causal.explanation()
