import pytest

from claims.text.relationship import (
    DEFAULT_RELATIONSHIP_PATH,
    Relationship,
    load_relationship_cues,
    read_relationship,
)
from claims.text.wording_cues import DEFAULT_CUES_PATH, cues_version, load_cues

NONE, ASSOCIATION, CAUSE = Relationship.NONE, Relationship.ASSOCIATION, Relationship.CAUSE


def reading(text):
    found = read_relationship(text)
    return found.relationship, found.hedged


def label(text):
    return read_relationship(text).label


# --- association wording -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Heavy snoring was associated with a higher chance of atrial fibrillation.",
        "Shift work is linked to poorer sleep in nurses.",
        "Vitamin C levels correlated with wound healing scores.",
        "Grip strength predicts how long older adults stay independent.",
        "Smoking is a risk factor for cataracts.",
        "The relationship between screen time and short sight was strongest in teenagers.",
    ],
)
def test_association_wording_reads_as_an_association(sentence):
    assert reading(sentence) == (ASSOCIATION, False)
    assert label(sentence) == 3


def test_a_hedged_association_is_still_an_association_and_never_hedged():
    found = read_relationship("Poor dental health may be linked to memory loss in later life.")
    assert (found.relationship, found.hedged, found.label) == (ASSOCIATION, False, 3)
    assert any(c.text == "may" and "association" in c.reason for c in found.set_aside)


# --- direct cause --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The nasal spray shortens colds by two days.",
        "Daily stretching improved balance in people with Parkinson's disease.",
        "Cold water swimming led to fewer days off sick.",
        "High doses of the painkiller cause stomach ulcers.",
        "The booster protects care home residents against severe illness.",
        "The new dressing was effective in healing leg ulcers.",
        "We found a large effect of noise on blood pressure in night workers.",
    ],
)
def test_cause_wording_without_a_modal_reads_as_a_direct_cause(sentence):
    assert reading(sentence) == (CAUSE, False)
    assert label(sentence) == 1


def test_a_cause_outweighs_a_comparison_beside_it():
    sentence = "The inhaler reduced night-time coughing more than the syrup did."
    assert reading(sentence) == (CAUSE, False)


# --- hedged cause --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Eating more fibre may lower the risk of bowel cancer.",
        "A short nap might improve reaction times in junior doctors.",
        "The eye drops could slow the progress of short sight in children.",
        "Gardening may help reduce loneliness in older people.",
        "The cream potentially prevents scarring after burns.",
        "Regular singing appears to ease breathlessness in lung disease.",
        "Swapping to the new schedule would result in fewer missed doses.",
    ],
)
def test_a_modal_before_the_cause_makes_it_a_hedged_cause(sentence):
    assert reading(sentence) == (CAUSE, True)
    assert label(sentence) == 2


def test_a_modal_in_another_clause_does_not_hedge_the_cause():
    assert reading("The tablets may be costly, but they reduce pain.") == (CAUSE, False)
    assert reading("The tablets may be costly; they reduce pain.") == (CAUSE, False)
    assert reading("The tablets are costly, but they may reduce pain.") == (CAUSE, True)


def test_a_modal_far_before_the_cause_does_not_hedge_it():
    sentence = "Patients may, after a long wait and several tests at the clinic, find that the drug relieves pain."
    assert reading(sentence) == (CAUSE, False)


# --- reporting frames ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Our results suggest that the app reduces anxiety before dental work.", (CAUSE, False)),
        ("We found that walking groups improve mood.", (CAUSE, False)),
        ("The authors conclude that the vaccine prevents shingles in most adults.", (CAUSE, False)),
        ("These findings suggest that coffee drinking is associated with fewer gallstones.", (ASSOCIATION, False)),
        ("Our results suggest that the app may reduce anxiety.", (CAUSE, True)),
    ],
)
def test_a_reporting_frame_does_not_hedge_the_claim_inside_it(sentence, expected):
    found = read_relationship(sentence)
    assert (found.relationship, found.hedged) == expected
    assert any(c.family == "frame" and "without hedging" in c.reason for c in found.set_aside)


# --- negation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The supplement did not reduce hot flushes.", (CAUSE, False)),
        ("Fish oil had no effect on joint pain.", (CAUSE, False)),
        ("The drug may not improve survival in older patients.", (CAUSE, True)),
        ("Coffee was not associated with heart rhythm problems.", (ASSOCIATION, False)),
    ],
)
def test_a_negation_keeps_the_relationship_class(sentence, expected):
    assert reading(sentence) == expected


def test_a_denied_cause_names_the_denial_in_its_explanation():
    found = read_relationship("The supplement did not reduce hot flushes.")
    assert "“did not” denies the effect" in found.explanation()


# --- comparisons and observed changes -------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Asthma was more common among children in damp homes than in dry ones.",
        "Rates of hip fracture were higher in women over 80.",
        "Blood sugar was lower in the group that walked after meals compared with the group that sat.",
        "Patients with gout had raised kidney stone rates.",
        "Cholesterol levels decreased over the following year.",
        "Vitamin D levels were reduced in people who worked night shifts.",
    ],
)
def test_comparisons_and_observed_changes_read_as_an_association(sentence):
    assert reading(sentence) == (ASSOCIATION, False)


def test_a_number_after_more_than_is_no_comparison():
    assert reading("The clinic treated more than 400 people last winter.") == (NONE, False)


def test_a_described_state_is_not_a_cause():
    found = read_relationship("Smokers with raised blood pressure slept less well.")
    assert found.relationship is not CAUSE
    assert any("describes a state" in c.reason for c in found.cues + found.set_aside)


# --- none ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The study recruited 300 adults from four towns.",
        "Psoriasis is a long-term skin condition.",
        "Appointments last about half an hour.",
        "Side effects were mild and short-lived.",
    ],
)
def test_a_sentence_without_relationship_words_claims_none(sentence):
    found = read_relationship(sentence)
    assert (found.relationship, found.hedged, found.label, found.cues) == (NONE, False, 0, ())
    assert found.explanation().startswith("No relationship claimed")


@pytest.mark.parametrize(
    "sentence",
    [
        "Further studies are needed to find out whether the diet improves sleep.",
        "Trials of higher doses are needed before the gel can be offered to everyone.",
        "Doctors should offer the vaccine to reduce the spread of measles.",
        "Strategies to reduce falls in care homes are described.",
        "The programme aimed at improving school meals was launched in May.",
    ],
)
def test_aims_calls_for_research_and_advice_claim_no_relationship(sentence):
    found = read_relationship(sentence)
    assert found.relationship is NONE
    assert found.set_aside  # each word it passed over is named, with why


# --- explanations ---------------------------------------------------------------------------------


def test_the_explanation_names_the_words_that_drove_the_reading_and_the_ones_set_aside():
    found = read_relationship("Our findings suggest that the exercise class might reduce falls.")
    text = found.explanation()
    assert text.startswith("A hedged cause: ")
    assert "“might” hedges the cause" in text
    assert "“reduce” says one thing changes another" in text
    assert "“findings suggest” reports the finding without hedging it" in text
    assert [c.text for c in found.cues] == ["might", "reduce"]


def test_cues_carry_their_offsets_in_the_text():
    text = "Loud music is linked to tinnitus."
    cue = read_relationship(text).cues[0]
    assert text[cue.start : cue.end] == cue.text == "linked"


# --- the cue file ---------------------------------------------------------------------------------


EXTRA = '\n[[cue]]\nfamily = "association"\nphrases = ["goes along with"]\n'


def test_an_edited_cue_file_is_parsed_again_and_its_new_words_count(tmp_path):
    path = tmp_path / "relationship.toml"
    path.write_text(DEFAULT_RELATIONSHIP_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_relationship_cues(path) is load_relationship_cues(path)
    sentence = "Poor sleep goes along with low mood."
    assert read_relationship(sentence, load_relationship_cues(path)).relationship is NONE
    path.write_text(path.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    assert read_relationship(sentence, load_relationship_cues(path)).relationship is ASSOCIATION


@pytest.mark.parametrize(
    "block, message",
    [
        ('[[cue]]\nfamily = "wishful"\nphrases = ["hope"]\n', "unknown family"),
        ('[[cue]]\nfamily = "modal"\nphrases = ["may"]\n', "listed twice"),
        ('[[cue]]\nfamily = "modal"\nphrases = ["perchance"]\nlevel = "possible"\n', "unknown key"),
    ],
)
def test_a_broken_cue_file_is_refused_with_a_message(tmp_path, block, message):
    path = tmp_path / "relationship.toml"
    path.write_text(DEFAULT_RELATIONSHIP_PATH.read_text(encoding="utf-8") + "\n" + block, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_relationship_cues(path)


def test_the_relationship_cues_are_part_of_the_cue_version_that_re_rates_claims(tmp_path):
    assert cues_version() == load_cues().version
    path = tmp_path / "relationship.toml"
    path.write_text(DEFAULT_RELATIONSHIP_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert cues_version(DEFAULT_CUES_PATH, path) == cues_version()
    path.write_text(path.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    assert cues_version(DEFAULT_CUES_PATH, path) != cues_version()


# --- where the claim is --------------------------------------------------------------------------


def test_the_words_before_a_reporting_frame_are_its_subject_not_its_claim():
    sentence = "The reductions in pain seen after the course suggest that yoga is linked to better sleep."
    found = read_relationship(sentence)
    assert (found.relationship, found.hedged) == (ASSOCIATION, False)
    assert any(c.text == "reductions in" and "subject of" in c.reason for c in found.set_aside)


def test_an_action_opening_its_clause_is_hedged_by_the_modal_verb_after_it():
    assert reading("Cutting down on salt could be the simplest way to protect the heart.") == (CAUSE, True)
    assert reading("Cutting down on salt protects the heart.") == (CAUSE, False)


def test_a_potential_effect_is_a_hedged_cause():
    assert reading("The trial points to a potential benefit of early physiotherapy.") == (CAUSE, True)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Older patients stayed longer in hospital than younger ones.", (ASSOCIATION, False)),
        ("Sales of the cream were higher last year.", (ASSOCIATION, False)),
        ("The waiting list is longer than two years.", (NONE, False)),
        ("Fewer than half of the patients came back.", (NONE, False)),
        ("The prevalence of eczema in the town was 12%.", (NONE, False)),
    ],
)
def test_than_compares_only_after_a_comparative_and_not_before_a_number(sentence, expected):
    assert reading(sentence) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Admissions for asthma fell by 30% over the decade.", ASSOCIATION),
        ("Admissions for asthma were reduced by the new inhaler.", CAUSE),
        ("Noise could impact the sleep of night workers.", CAUSE),
        ("The impact of noise is still unclear.", NONE),
    ],
)
def test_an_observed_change_is_an_association_and_a_change_with_its_cause_a_cause(sentence, expected):
    assert read_relationship(sentence).relationship is expected


def test_a_modal_that_hedges_nothing_says_so_in_words_for_an_editor():
    association = read_relationship("Poor dental health may be linked to memory loss.")
    assert "“may” hedges an association, which stays an association." in association.explanation()
    cause = read_relationship("The supplement did not reduce hot flushes, although it may be pricey.")
    assert (cause.relationship, cause.hedged) == (CAUSE, False)
    assert "“may” does not stand just before the cause in its clause" in cause.explanation()


def test_lower_after_a_modal_is_read_and_explained_as_the_verb():
    found = read_relationship("Eating more fibre may lower the risk of bowel cancer.")
    assert "“lower” says one thing changes another" in found.explanation()


# --- what a thing is needed for ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Regular foot checks are critical to preventing amputations in diabetes.", 1),
        ("A stable home is essential for recovery from an eating disorder.", 1),
        ("Good sleep habits are key in lowering blood pressure.", 1),
        ("Extra vitamin D may be necessary to keep bones strong in winter.", 2),
        ("It is important to ask every patient about falls.", 0),
        ("It may be essential to review the doses each year.", 0),
        ("Larger trials are necessary to confirm these results.", 0),
        ("A longer follow-up will be necessary to carefully assess safety.", 0),
        ("These findings are important to inform local policy.", 0),
        ("A careful history is still necessary in some cases.", 0),
        ("Clear labels are important.", 0),
        ("Stiff arteries are important in predicting strokes.", 3),
    ],
)
def test_what_a_thing_is_needed_for_is_a_cause_unless_it_is_advice_or_research(sentence, expected):
    assert label(sentence) == expected


def test_a_need_for_research_sets_aside_what_it_would_study_and_says_why():
    found = read_relationship("More work is necessary to evaluate whether the drug reduces falls.")
    assert found.relationship is NONE
    assert any(c.text == "reduces" and "calls for research" in c.reason for c in found.set_aside)
    found = read_relationship("Daily walking is critical to reducing the risk of a second stroke.")
    assert "is critical" in [c.text for c in found.cues]
    assert "needed for an outcome" in found.explanation()


# --- what was studied, and cue words used as nouns ------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "We measured the effect of noise on blood pressure in night workers.",
        "The effects of shift work on sleep were studied in nurses.",
        "This review summarises the effects of caffeine in athletes.",
        "The influence of diet on acne was examined in a survey of students.",
        "The benefits and harms of screening were discussed with each patient.",
        "Changes in weight were recorded every month.",
        "Patients with reduced kidney function were excluded.",
        "An improved method for counting steps is described.",
        "The association between tea and migraine has been assessed in two cohorts.",
    ],
)
def test_what_was_studied_is_no_finding(sentence):
    found = read_relationship(sentence)
    assert found.label == 0
    assert any("names what was studied" in c.reason for c in found.set_aside)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The effect of noise on blood pressure was large in night workers.", 1),
        ("Our study showed a lasting effect of the scheme on smoking.", 1),
        ("The association between tea and migraine was weak.", 3),
        ("Changes in weight were larger in the group given advice.", 3),
    ],
)
def test_a_cue_in_the_subject_of_a_finding_still_counts(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "However, this increase was not linked to the new rota.",
        "The small increases of heart rate were related to caffeine intake.",
        "We saw a decrease of two points in the anxiety score.",
    ],
)
def test_a_cause_verb_used_as_a_noun_for_a_change_is_no_cause(sentence):
    found = read_relationship(sentence)
    assert found.relationship is not CAUSE
    assert any("names a change as a thing" in c.reason for c in found.cues + found.set_aside)


def test_a_cause_verb_after_a_modal_is_still_a_verb_not_a_noun():
    assert label("Extra fluids may increase the number of night-time toilet visits.") == 2


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Hospital stays resulting in bed sores were common in older patients.", 3),
        ("All scores contributing to the frailty index were within normal limits.", 0),
        ("The dressing was changed daily, thereby reducing infection.", 1),
        ("Regular stretching, improving posture, eased back pain.", 1),
    ],
)
def test_an_ing_form_describing_the_noun_before_it_is_no_claim(sentence, expected):
    assert label(sentence) == expected


def test_a_consequence_of_something_is_a_cause():
    assert label("Tooth loss in these children is a consequence of sugary drinks.") == 1


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Sunlight exposure is likely to improve vitamin D status.", 2),
        ("It is possible that air pollution worsens asthma in children.", 2),
        ("It is plausible that poor sleep raises blood pressure.", 2),
    ],
)
def test_likely_to_and_it_is_possible_that_hedge_the_cause(sentence, expected):
    assert label(sentence) == expected


def test_groups_that_were_compared_are_no_finding():
    found = read_relationship("The two doses were compared with placebo over twelve weeks.")
    assert found.label == 0
    assert any(c.text == "compared with" and "names what was studied" in c.reason for c in found.set_aside)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The insulin pump reduced the need for injections in teenagers.", 1),
        ("Keyhole surgery can avoid the need for a long hospital stay.", 1),
        ("There is a need for trials of whether the drug reduces falls.", 0),
        ("These results show the need for careful monitoring of blood pressure.", 0),
    ],
)
def test_the_need_a_treatment_removes_is_not_a_call_for_research(sentence, expected):
    assert label(sentence) == expected


def test_a_state_someone_reports_is_described_not_caused():
    found = read_relationship("Most participants reported improved sleep.")
    assert found.relationship is ASSOCIATION
    assert any("describes a state" in c.reason for c in found.cues)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Reducing screen time was associated with better sleep in teenagers.", 3),
        ("Increased sugar intake in early childhood is linked to tooth decay.", 3),
        ("Raised blood pressure readings were strongly correlated with age.", 3),
        ("The exercise class reduces pain and is associated with better mood.", 1),
    ],
)
def test_a_cause_word_in_the_subject_of_an_association_is_part_of_it(sentence, expected):
    assert label(sentence) == expected


def test_the_subject_of_an_association_says_why_its_cause_word_is_set_aside():
    found = read_relationship("Reducing screen time was associated with better sleep.")
    assert any(c.text == "Reducing" and "is part of what “associated” links" in c.reason for c in found.set_aside)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The score helps identify patients who may benefit from early surgery.", 0),
        ("Screening can find women who would benefit from a smaller dose.", 0),
        ("Patients who may benefit from the drug should be told about it.", 0),
        ("Older patients may benefit from the new drug.", 2),
    ],
)
def test_whom_to_pick_out_is_not_a_finding(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Night workers were at higher risk of diabetes, probably because of poor sleep.", 3),
        ("The clinic saw no new cases, perhaps because of the short follow-up.", 0),
        ("The fall in admissions was probably because of the new vaccine.", 2),
    ],
)
def test_a_guess_at_why_after_a_comma_leaves_the_finding_as_it_is(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Tai chi could be used as a gentle way to improve balance in older adults.", 2),
        ("The new guidance may offer a chance to reduce antibiotic use.", 2),
        ("Strategies to reduce falls in care homes are described.", 0),
        ("Nurses used a checklist to reduce missed doses.", 0),
    ],
)
def test_an_aim_after_a_modal_is_a_hedged_cause(sentence, expected):
    assert label(sentence) == expected


def test_an_aim_after_a_modal_says_why_it_counts():
    found = read_relationship("Tai chi could be used as a gentle way to improve balance.")
    assert any(c.text == "improve" and "may serve to do" in c.reason for c in found.cues)
    assert any(c.text == "could" for c in found.cues)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Although larger trials are needed, the spray reduced nosebleeds in our patients.", 1),
        ("While further study is warranted, early feeding may shorten hospital stays.", 2),
        ("Larger trials are needed, as the spray may reduce nosebleeds.", 0),
    ],
)
def test_a_call_for_research_in_an_opening_concession_ends_at_its_comma(sentence, expected):
    assert label(sentence) == expected


def test_regardless_of_whether_is_no_open_question():
    assert label("Cooling the skin reduced pain regardless of whether ice or a gel pack was used.") == 1


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("There were promising trends in step counts over the year.", 0),
        ("This paper describes an effective way to recruit older adults.", 0),
        ("Low blood sugar may be a helpful sign of an infection.", 0),
        ("Ginger may be a useful option for morning sickness.", 2),
        ("Weight loss is an effective treatment for sleep apnoea.", 1),
        ("Breastfeeding was protective against ear infections.", 1),
        ("Fish oil appears to be a valuable addition to standard therapy for dry eyes.", 2),
    ],
)
def test_an_adjective_judging_an_effect_claims_one_only_for_a_treatment_or_an_effect(sentence, expected):
    assert label(sentence) == expected


def test_an_adjective_describing_a_thing_says_why_it_is_set_aside():
    found = read_relationship("There were promising trends in step counts.")
    assert any(c.text == "promising" and "describes a thing" in c.reason for c in found.set_aside)


@pytest.mark.parametrize(
    "sentence",
    [
        "Migraine was more severe in women who slept badly.",
        "Night-shift nurses were more prone to back pain.",
        "Vitamin levels in vegans were significantly different from those in meat eaters.",
    ],
)
def test_more_severe_and_different_from_compare_groups(sentence):
    assert label(sentence) == 3


def test_for_whom_something_matters_is_not_what_it_changes():
    assert label("Regular eye checks are important for patients with diabetes.") == 0
    assert label("Regular eye checks are important for preventing blindness.") == 1


def test_is_necessary_naming_no_outcome_stays_advice():
    found = read_relationship("Trials showing that the drug reduces falls are necessary.")
    assert found.label == 0
    assert any(c.text == "reduces" and "recommends an action" in c.reason for c in found.set_aside)


# --- groups, studies and professionals named with a cause word --------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Walkers who increased their daily steps had lower blood pressure at one year.", 3),
        ("Teenagers who reduced their screen time were less likely to report poor sleep.", 3),
        ("Smokers who had successfully cut down were more often women.", 3),
        ("Cutting down on salt reduced blood pressure in older walkers.", 1),
        ("Nurses who work nights may benefit from a shorter rota.", 2),
    ],
)
def test_a_cause_verb_just_after_who_names_a_group(sentence, expected):
    assert label(sentence) == expected


def test_a_group_named_by_what_it_did_says_why_its_cause_word_is_set_aside():
    found = read_relationship("Walkers who increased their daily steps had lower blood pressure.")
    assert any(c.text == "increased" and "describes a group" in c.reason for c in found.set_aside)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("These findings contribute to a clearer picture of frailty in care homes.", 0),
        ("Our results may help shape the next round of trials.", 0),
        ("The present study strengthens the case for a larger trial.", 0),
        ("This study also improves on earlier sampling methods.", 0),
        ("The study drug improved sleep in shift workers.", 1),
        ("Results improved after the second dose.", 3),
    ],
)
def test_a_study_as_the_subject_of_a_cause_verb_claims_no_effect(sentence, expected):
    assert label(sentence) == expected


def test_a_study_as_the_subject_says_why_its_cause_word_is_set_aside():
    found = read_relationship("These findings contribute to a clearer picture of frailty.")
    assert any(c.text == "contribute to" and "says what a study does" in c.reason for c in found.set_aside)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The leaflet may help clinicians explain the risks of surgery.", 0),
        ("A shared record helps practitioners plan home visits.", 0),
        ("The leaflet may help patients lose weight.", 2),
    ],
)
def test_helping_the_people_who_give_care_is_not_an_effect_on_health(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The trial was not designed to detect an effect on hip fractures.", 0),
        ("The effect of dose could not be assessed in so few patients.", 0),
        ("The effect of dose could not be explained by age alone.", 1),
        ("The higher dose could not be given to frail patients because it caused falls.", 1),
    ],
)
def test_an_effect_named_as_what_a_study_looks_for_is_not_a_finding(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Gout affects about 3% of adults in this country.", 0),
        ("Hay fever affects millions of people each spring.", 0),
        ("Coeliac disease affects 1 in 100 people.", 0),
        ("Night shifts affected sleep quality in junior doctors.", 1),
    ],
)
def test_affects_with_a_count_says_how_common_a_condition_is(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Aspirin is widely used to prevent clots after surgery.", 0),
        ("Beta blockers are commonly used to slow the heart rate.", 0),
        ("The pill is prescribed to lower cholesterol.", 0),
        ("Cheap plans to lower salt in bread were drafted.", 0),
        ("Aspirin can be used to prevent clots after surgery.", 1),
        ("The new pill could be used to lower cholesterol.", 2),
        ("The pill helped to lower cholesterol.", 1),
    ],
)
def test_a_practice_or_an_aim_after_to_is_not_a_finding(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Damage control surgery was done in six patients.", 0),
        ("Boost sessions were offered after three months.", 0),
        ("Increase in clinic visits was seen in the winter.", 3),
        ("Regular naps boost alertness in night workers.", 1),
    ],
)
def test_a_base_form_opening_the_sentence_names_a_thing(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The effect estimates were wide in the smaller towns.", 0),
        ("Our design allows an estimate of the effect of each dose.", 0),
        ("A careful evaluation of the impact on waiting lists is planned.", 0),
        ("The drug had an effect on sleep in every town.", 1),
    ],
)
def test_an_effect_named_as_a_quantity_to_estimate_is_not_a_finding(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Improving access to dentists remains a challenge on the islands.", 0),
        ("Reducing waiting lists is a priority for the new board.", 0),
        ("We think that preventing falls at home will need new funding.", 0),
        ("Reducing salt intake lowers blood pressure.", 1),
        ("Cutting screen time improved sleep in teenagers.", 1),
        ("Improving access to dentists may cut tooth loss.", 2),
        ("Reducing salt intake may be key to a healthy heart.", 2),
    ],
)
def test_an_action_opening_its_clause_is_the_subject_not_the_claim(sentence, expected):
    assert label(sentence) == expected


def test_an_action_as_the_subject_says_why_it_is_set_aside():
    found = read_relationship("Reducing waiting lists is a priority for the new board.")
    assert any(c.text == "Reducing" and "names an action as the subject" in c.reason for c in found.set_aside)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Prolonged labour was the most common reason for referral.", 0),
        ("An improved version of the leaflet was printed.", 0),
        ("Reduced vision, raised eye pressure and headache were the usual first signs.", 0),
        ("Increased risk of gout was seen in the beer drinkers.", 3),
        ("Raised cholesterol levels were found in a third of the drivers.", 3),
        ("People with reduced vision fell more often.", 3),
    ],
)
def test_a_state_naming_a_thing_at_the_start_is_no_comparison(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("We hypothesised that the gel would shorten healing time.", 0),
        ("This trial tested the hypothesis that early feeding prevents infection.", 0),
        ("It is not known if the spray prevents colds in children.", 0),
        ("Nurses were asked if the new rota reduced stress.", 0),
        ("Our results support the hypothesis that poor sleep is a risk factor for falls.", 3),
        ("These data confirm the hypothesis that the gel shortens healing time.", 1),
        ("If used daily, the gel shortens healing time.", 1),
    ],
)
def test_a_hypothesis_under_test_and_if_meaning_whether_claim_nothing(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("These results are promising.", 0),
        ("The new score was useful in busy clinics.", 0),
        ("Such registries are very valuable for planning services.", 0),
        ("The leaflet information may be helpful for carers.", 0),
        ("The new gel was useful in healing burns.", 1),
        ("The gel may be helpful for healing burns.", 2),
    ],
)
def test_judging_a_finding_or_a_means_of_knowing_claims_no_effect(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("After adjusting for the effects of age, poor sleep remained linked to low mood.", 3),
        ("Walkers slept longer than drivers after controlling for the influence of income.", 3),
        ("Accounting for the effect of season, the clinics saw 300 cases.", 0),
        ("The effect of the drug on mood was large.", 1),
    ],
)
def test_an_effect_adjusted_for_is_a_confounder_not_a_finding(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Because of its low cost, the test should be offered to all.", 0),
        ("Owing to the small sample, larger studies are needed.", 0),
        ("Because of its low cost, the test cut waiting times.", 1),
    ],
)
def test_a_reason_opening_a_sentence_of_advice_is_part_of_the_advice(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Although smoking causes gum disease, in our sample it was not linked to tooth loss.", 3),
        ("In runners taking iron, which improves stamina, knee pain was associated with age.", 3),
        ("While yoga eases stress, its association with sleep in this group was weak.", 3),
        ("Although yoga eased stress, it did not improve sleep.", 1),
        ("The gel, which shortened healing, was associated with itching.", 1),
    ],
)
def test_a_cause_in_a_background_part_gives_way_to_the_association_of_the_main_part(sentence, expected):
    assert label(sentence) == expected


def test_a_cause_in_a_background_part_says_why_it_is_set_aside():
    found = read_relationship("Although smoking causes gum disease, in our sample it was not linked to tooth loss.")
    assert any(c.text == "causes" and "background part" in c.reason for c in found.set_aside)


def test_a_past_tense_part_reports_a_finding_not_background():
    assert label("Although yoga eased stress, its association with sleep was weak.") == 1


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Propensity scores were used to reduce confounding.", 0),
        ("A blinded assessor was used to minimise bias.", 0),
        ("The cream can be used to reduce itching.", 1),
        ("The cream could be used to reduce itching.", 2),
    ],
)
def test_was_used_to_describes_how_a_study_was_done(sentence, expected):
    assert label(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Training in this breathing technique was useful for easing panic.", 1),
        ("Coaching based on the score was helpful in cutting relapses.", 1),
    ],
)
def test_a_means_of_knowing_named_after_a_preposition_is_not_what_is_judged(sentence, expected):
    assert label(sentence) == expected
