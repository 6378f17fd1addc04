"""Frames, modals and promotional words: how the strength rating reads them (claims/text/wording.py rules 10 to 12)."""

import pytest

from claims.text.relationship import Relationship, read_relationship
from claims.text.wording import Strength, rate

U, PS, PR, D = Strength.UNCERTAIN, Strength.POSSIBLE, Strength.PROBABLE, Strength.DEFINITE


def aside(text):
    return {cue.text: cue.reason for cue in rate(text).set_aside}


def test_a_reporting_frame_hedges_the_strength_while_the_claim_inside_stays_a_cause():
    text = "Our findings suggest that daily folic acid reduces the risk of neural tube defects."
    rating = rate(text)
    assert rating.strength is PS
    assert [cue.text for cue in rating.cues] == ["findings suggest that"]
    reading = read_relationship(text)
    assert reading.relationship is Relationship.CAUSE


def test_a_conditional_would_is_not_a_plain_statement():
    rating = rate("A national screening programme would save lives.")
    assert rating.strength is PS
    assert "conditional" in rating.explanation()


def test_would_before_probably_leaves_the_strength_to_probably():
    assert rate("A longer course would probably lower relapse rates.").strength is PR


def test_would_in_a_procedure_is_no_hedge():
    assert rate("Volunteers would be asked to keep a sleep diary.").strength is D


def test_could_in_a_finished_trial_reports_past_ability_not_a_hedge():
    text = "In the trial, the triage app could reduce the wait for a nurse to 15 minutes."
    rating = rate(text)
    assert rating.strength is D
    assert "finished study" in aside(text)["could"]
    assert "In the trial" in rating.explanation()


def test_could_without_a_past_setting_stays_a_hedge():
    assert rate("The triage app could reduce the wait for a nurse to 15 minutes.").strength is PS


def test_potentially_before_an_adjective_qualifies_it_and_hedges_nothing():
    text = "Meningitis is a potentially fatal infection of the lining of the brain."
    assert rate(text).strength is D
    assert "qualifies “fatal”" in aside(text)["potentially"]
    assert rate("The tablets potentially shorten a migraine attack.").strength is PS


def test_twice_as_likely_is_a_comparison_stated_as_fact_and_an_association():
    text = "Night-shift nurses were twice as likely to report back pain."
    rating = rate(text)
    assert rating.strength is D
    assert [cue.text for cue in rating.cues] == ["twice as likely"]
    assert "compares groups" in rating.explanation()
    assert read_relationship(text).relationship is Relationship.ASSOCIATION


def test_appears_hedges_without_to_but_not_where_something_appears():
    assert rate("The new booster appears safe in pregnancy.").strength is PS
    assert rate("The rash often appears on the legs first.").strength is D
    assert rate("It seems likely that the booster lasts a year.").strength is PR


@pytest.mark.parametrize(
    "text",
    [
        "We did not find evidence that zinc lozenges shorten colds.",
        "The review found no convincing evidence that garlic prevents colds.",
    ],
)
def test_not_finding_evidence_is_absence_of_evidence_not_a_denial(text):
    rating = rate(text)
    assert rating.strength is U
    assert not rating.negated


def test_a_call_for_research_has_no_strength_of_its_own():
    assert rate("Further research is needed.").strength is U
    stated = rate("Zinc lozenges reduce the length of a cold; further research is needed.")
    assert stated.strength is D
    assert "calls for more research" in {cue.text: cue.reason for cue in stated.set_aside}["further research is needed"]
    assert rate("Zinc lozenges may shorten colds, but more research is needed.").strength is PS


def test_what_a_call_for_research_asks_about_does_not_count():
    text = "Experts agree that more research is needed before the implant can be offered widely."
    rating = rate(text)
    assert rating.strength is U
    assert "asks about" in aside(text)["can"]


@pytest.mark.parametrize(
    "text",
    [
        "Although the trials were small, physiotherapy improves balance after a stroke.",
        "Physiotherapy improves balance after a stroke, although the trials were small.",
    ],
)
def test_a_conceded_limitation_does_not_hedge_the_claim(text):
    rating = rate(text)
    assert rating.strength is D
    assert [cue.text for cue in rating.cues] == ["improves"]


def test_promising_and_encouraging_are_named_as_promotional():
    rating = rate("The early results are encouraging and the drug looks promising.")
    assert rating.strength is PS
    assert [cue.text for cue in rating.promotional] == ["encouraging", "promising"]
    assert "Promotional: “encouraging” and “promising” sell the result" in rating.explanation()


@pytest.mark.parametrize("word", ["revolutionary", "game-changing"])
def test_revolutionary_and_game_changing_are_hype(word):
    rating = rate(f"This {word} inhaler may ease asthma attacks.")
    assert rating.strength is D
    assert f"Hype: “{word}” promotes the result" in rating.explanation()
    assert "Promotional:" not in rating.explanation()


def test_a_sentence_with_no_promotional_word_has_no_note():
    rating = rate("Physiotherapy improves balance after a stroke.")
    assert rating.promotional == ()
    assert rating.promotion_note() == ""
