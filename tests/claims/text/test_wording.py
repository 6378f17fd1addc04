import pytest

from claims.text.wording import (
    DEFAULT_CUES_PATH,
    Strength,
    cues_version,
    is_overclaiming,
    load_cues,
    rate,
)

U, PS, PR, D = Strength.UNCERTAIN, Strength.POSSIBLE, Strength.PROBABLE, Strength.DEFINITE


def counted(text):
    return [cue.text for cue in rate(text).cues]


def families(text):
    return {cue.family for cue in rate(text).cues}


# --- the scale -----------------------------------------------------------------------------------


def test_strength_is_ordered_and_named_by_its_label():
    assert U < PS < PR < D
    assert [s.label for s in Strength] == ["uncertain", "possible", "probable", "definite"]
    assert Strength.from_label("probable") is PR
    assert Strength.from_label(" Definite ") is D


def test_an_unknown_strength_label_is_refused():
    with pytest.raises(ValueError, match="unknown strength"):
        Strength.from_label("likely")


# --- each family of cues -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, strength, family",
    [
        ("Stem cells cure lupus.", D, "strong"),
        ("The infusion reverses lung fibrosis.", D, "strong"),
        ("This study proves that the cells repair the heart.", D, "strong"),
        ("The drug eliminates the root cause of the disease.", D, "strong"),
        ("The therapy will cure your arthritis.", D, "strong"),
        ("This therapy can lead to lasting remission.", D, "strong"),
        ("Stem cell therapy is effective against arthritis.", D, "strong"),
        ("Pulmonary rehabilitation improves breathlessness.", D, "effect"),
        ("Our cell line is the most effective therapy available.", D, "superlative"),
        ("This is the best option for anyone with COPD.", D, "superlative"),
        ("This miracle therapy helped thousands.", D, "hype"),
        ("We guarantee measurable improvement within 90 days.", D, "hype"),
        ("The company calls it a breakthrough.", D, "hype"),
        ("Regular exercise probably reduces joint pain.", PR, "probable"),
        ("Taking the medicine with food is likely to reduce stomach upset.", PR, "probable"),
        ("The benefit is thought to come from the conditioning regimen.", PR, "probable"),
        ("Stem cells may help repair damaged lungs.", PS, "hedge"),
        ("Fish oil might ease morning stiffness.", PS, "hedge"),
        ("Acupuncture could help with pain.", PS, "hedge"),
        ("The treatment appears to reduce swelling.", PS, "hedge"),
        ("Possibly the cells calm inflammation.", PS, "hedge"),
        ("Some studies found a small improvement in lung function.", PS, "hedge"),
        ("The effect of stem cells on mortality remains unclear.", U, "uncertain"),
        ("Stem cell therapy is being studied for lung disease.", U, "uncertain"),
        ("Stem cell treatments for COPD are experimental.", U, "uncertain"),
        ("There is no evidence that stem cells cure arthritis.", U, "absence"),
        ("It is not known whether the treatment is safe in pregnancy.", U, "absence"),
        ("Stem cell therapy has not been shown to slow the disease.", U, "absence"),
        ("We do not know whether stem cells help.", U, "absence"),
        ("Stem cell treatments do not cure lupus.", D, "negation"),
        ("The injections did not improve walking distance.", D, "negation"),
        ("Researchers hope that stem cells will cure lupus.", PS, "reported"),
        ("Supporters say the injections can help people with MS.", PS, "reported"),
        ("Scientists believe the cells work by calming the immune system.", PR, "reported"),
        ("Studies have shown that the injections regenerate cartilage.", D, "reported"),
        ("It has been proven that smoking cessation slows lung decline.", D, "reported"),
    ],
)
def test_each_cue_family_sets_the_strength(text, strength, family):
    rating = rate(text)
    assert rating.strength is strength
    assert family in {cue.family for cue in rating.cues}


@pytest.mark.parametrize("verb", ["cure", "cures", "cured", "curing"])
def test_strong_verbs_are_found_in_every_inflection(verb):
    assert rate(f"The new drug {verb} lupus.").strength is D
    assert verb in counted(f"The new drug {verb} lupus.")


@pytest.mark.parametrize("verb", ["reverse", "reverses", "reversed", "reversing", "eliminated", "guarantees", "proved"])
def test_other_verbs_are_found_inflected_too(verb):
    assert verb in counted(f"Our therapy {verb} the disease.")


def test_cues_are_matched_in_any_case():
    assert rate("STEM CELLS CURE LUPUS.").strength is D
    assert counted("STEM CELLS CURE LUPUS.") == ["CURE"]
    assert rate("Stem cells MAY help.").strength is PS
    assert rate("IT IS NOT KNOWN WHETHER THEY HELP.").strength is U


def test_cue_offsets_point_at_the_words_in_the_rated_text():
    text = "In short, researchers hope that the cells might one day repair the lung."
    for cue in rate(text).cues + rate(text).set_aside:
        assert text[cue.start : cue.end] == cue.text


@pytest.mark.parametrize(
    "text",
    [
        "The mayor opened the new lung clinic.",
        "Mayor Thompson opened the new lung clinic.",
        "Willow bark contains salicin.",
        "The willows by the hospital were cut down.",
        "Mightiness is not a medical term.",
        "The securely stored samples were counted.",
    ],
)
def test_cues_match_whole_words_only(text):
    rating = rate(text)
    assert not any(c.family in ("hedge", "strong") for c in rating.cues + rating.set_aside)
    assert rating.strength is D


def test_may_the_month_is_not_a_hedge():
    assert rate("The first patients were treated in May and all of them improved.").strength is D
    assert rate("May 2024 saw the launch of our clinic.").strength is D
    assert rate("May is a good month to start exercising, which may lift your mood.").strength is PS
    assert counted("May is a good month to start exercising, which may lift your mood.") == ["may"]


def test_will_in_a_plan_is_not_a_claim():
    assert "will" not in counted("Patients will be asked to fill in a diary.")
    assert "will" not in counted("Participants will receive two infusions.")
    assert "will" in counted("The therapy will cure your arthritis.")


# --- negation and absence of evidence ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Stem cells do not cure lupus.",
        "Stem cells don't cure lupus.",
        "Stem cells don’t cure lupus.",
        "The treatment doesn’t reverse scarring.",
        "The treatment can't reverse scarring.",
        "The treatment can’t reverse scarring.",
        "The treatment cannot reverse scarring.",
        "Steroids won't cure the condition.",
        "In the study, the cells could not repair damaged tissue.",
    ],
)
def test_a_plain_denial_is_a_firm_statement_that_is_negated(text):
    rating = rate(text)
    assert rating.strength is D
    assert rating.negated


@pytest.mark.parametrize(
    "text",
    [
        "There is no evidence that stem cells cure lupus.",
        "It is not known whether stem cells can reverse lung fibrosis.",
        "It is unclear whether stem cells reverse lung fibrosis.",
        "Stem cell therapy has not been shown to cure lupus.",
        "We do not know whether stem cells eliminate the disease.",
        "Doctors don’t know if stem cells can repair the lungs.",
    ],
)
def test_absence_of_evidence_makes_the_sentence_uncertain_and_sets_strong_words_aside(text):
    rating = rate(text)
    assert rating.strength is U
    assert not rating.negated
    assert all(cue.family in ("absence", "uncertain") for cue in rating.cues)
    strong_aside = [cue for cue in rating.set_aside if cue.family in ("strong", "effect")]
    assert strong_aside and all("does not count" in cue.reason or "softened" in cue.reason for cue in strong_aside)


@pytest.mark.parametrize(
    "text",
    [
        "We found no trials that tested this, so no conclusions can be drawn.",
        "The review found no trials, so no conclusions can be drawn about its effect on pain.",
        "No conclusions can be drawn about whether acupuncture prevents migraine.",
        "No reliable conclusions could be reached from these data.",
        "Conclusions cannot be drawn from two observational studies.",
        "Firm conclusions can’t be drawn yet.",
        "We could not draw any conclusions about its safety in pregnancy.",
        "The trials were too small to draw firm conclusions.",
        "We found no studies that compared the two treatments.",
        "There are no trials of melatonin in children with eczema.",
        "There have been no randomised trials, so whether it works remains unknown.",
        "No trials that tested honey for burns were found.",
        "Whether the effect lasts remains unknown.",
        "Its effect on survival is not known.",
        "No trials have tested it in children, so nothing is known about its safety there.",
    ],
)
def test_absence_of_evidence_and_conclusions_that_cannot_be_drawn_read_as_uncertain(text):
    rating = rate(text)
    assert (rating.strength, rating.negated) == (U, False), rating.explanation()
    assert "absence" in {cue.family for cue in rating.cues}


def test_a_can_inside_no_conclusions_is_not_a_claim_but_a_plain_consequence_still_is():
    assert [cue.text for cue in rate("No conclusions can be drawn.").set_aside] == []
    assert rate("No conclusions can be drawn.").cues[0].text == "No conclusions can be drawn"
    # The consequence clause is still judged on its own: a stated effect after ", so" keeps its strength.
    assert rate("We found no trials in children, so it cures adults only.").strength is D
    # Missing things that are not evidence are no absence of evidence.
    assert rate("There were no serious side effects.").strength is D
    assert rate("There is no cure for lupus.").negated


def test_absence_of_evidence_covers_hype_words_in_its_clause():
    rating = rate("There is no evidence that the treatment is a breakthrough.")
    assert rating.strength is U
    assert "breakthrough" in [cue.text for cue in rating.set_aside]


def test_could_not_and_cannot_are_denials_but_cannot_be_ruled_out_is_a_hedge():
    assert rate("The authors could not find any serious adverse events.").strength is D
    assert rate("A benefit cannot be ruled out.").strength is PS
    assert rate("The authors could not exclude a small increase in infections.").strength is PS
    assert rate("The trial could not determine whether the cells improved survival.").strength is U


def test_a_doubt_overlapping_a_denial_wins_over_it():
    rating = rate("Researchers are not sure why some people get this side effect.")
    assert rating.strength is U
    assert not rating.negated


def test_a_negation_in_a_dependent_clause_does_not_deny_the_claim():
    rating = rate("The therapy might offer a new option for people who have not responded to drugs.")
    assert rating.strength is PS
    assert not rating.negated
    assert rate("A transplant might be offered if other treatments have not worked.").negated is False


def test_a_hedged_denial_keeps_its_hedge_and_is_negated():
    rating = rate("Stem cells may not improve lung function in advanced fibrosis.")
    assert rating.strength is PS and rating.negated
    rating = rate("The treatment probably does not reduce mortality.")
    assert rating.strength is PR and rating.negated


# --- clauses, reported speech, hype, plain statements --------------------------------------------


def test_each_clause_is_judged_and_the_strongest_counts():
    assert rate("Stem cell treatment may help, but it is still being studied.").strength is PS
    rating = rate("Steroids won't cure the condition, but they can control the inflammation.")
    assert rating.strength is D
    assert not rating.negated  # the second clause claims an effect


def test_a_conceded_clause_does_not_count():
    assert rate("Although the exact mechanism is unclear, MSCs reverse scarring.").strength is D
    assert rate("Although replacing cells is hard, they might help repair tissue.").strength is PS
    assert rate("Fish oil might ease stiffness, although the studies were small.").strength is PS


def test_hopeful_or_claimed_attribution_weakens_and_firm_attribution_does_not():
    assert rate("Researchers hope that stem cells will cure lupus.").strength is PS
    assert rate("The founders claim their cells can repair scarred lungs.").strength is PS
    assert rate("Studies have shown that the injections regenerate cartilage.").strength is D
    assert rate("Experts agree that the therapy works.").strength is D


def test_a_modal_word_says_more_than_the_attribution_around_it():
    assert rate("Taken together, the results suggest that the therapy is probably safe.").strength is PR
    assert rate("Studies have shown that the cells may help.").strength is PS
    assert rate("Experts agree that more research is needed.").strength is U


@pytest.mark.parametrize(
    "text",
    [
        "This breakthrough treatment could transform lupus care.",
        "The therapy might be the most effective option for decades.",
        "Stem cells may help, and this is the greatest advance of our time.",
        "As research evolves, stem cell therapy may revolutionise care.",
    ],
)
def test_a_hedge_does_not_hide_a_hype_word(text):
    rating = rate(text)
    assert rating.strength is D
    assert families(text) & {"hype", "superlative"}


def test_a_denied_hype_word_is_a_denial_not_hype():
    rating = rate("Stem cell therapy is not a miracle cure.")
    assert rating.strength is D and rating.negated
    assert "miracle cure" in [cue.text for cue in rating.set_aside]


def test_a_sentence_without_any_hedge_reads_as_plain_fact():
    rating = rate("Smoking makes lung fibrosis worse.")
    assert rating.strength is D
    assert rating.cues == ()
    assert rating.explanation() == "Definite: no hedging word, so it reads as a plain statement of fact."


@pytest.mark.parametrize(
    "text, strength",
    [
        ("It is too soon to know whether the drug helps.", U),
        ("Little is known about the long-term effects of the injections.", U),
        ("There is no solid evidence that the tea removes toxins.", U),
        ("Evidence that the drops work is lacking.", U),
        ("Data were insufficient to judge the effect on admissions.", U),
        ("The benefit has yet to be shown in people.", U),
        ("The claim is not supported by any trial.", U),
        ("No randomised trial has shown that the pills prevent colds.", U),
        ("Higher intake was associated with fewer fractures.", PS),
        ("Drinking coffee is linked to a lower risk of liver disease.", PS),
        ("There are signs that the diet lowers blood sugar.", PS),
        ("In theory, the implant lowers pressure in the eye.", PS),
        ("The larger dose tended to work better.", PR),
        ("It is thought that the virus triggers the rash.", PR),
    ],
)
def test_hedges_and_missing_evidence_in_their_common_wordings(text, strength):
    assert rate(text).strength is strength


def test_linked_to_after_when_names_a_condition_and_is_no_hedge():
    assert rate("The drug probably slows decline when lung disease is linked to scleroderma.").strength is PR


@pytest.mark.parametrize(
    "text",
    [
        "Adding the cells to standard treatment made no clear difference.",
        "The trial found no added benefit over standard treatment.",
        "Patients on usual care were compared with those on standard care.",
    ],
)
def test_a_comparison_arm_named_standard_treatment_is_not_a_strong_word(text):
    assert not {"standard treatment", "standard care"} & {cue.text for cue in rate(text).cues}


def test_being_the_standard_treatment_presents_it_as_established():
    assert "is the standard treatment" in counted("A transplant is the standard treatment for SCID.")


def test_a_finding_of_no_added_benefit_is_a_denial():
    rating = rate("The trial found no added benefit over standard treatment.")
    assert rating.strength is D and rating.negated
    assert not is_overclaiming(rating, U, denial_fits=True)


@pytest.mark.parametrize(
    "text",
    [
        "Adding the cells to standard treatment made no clear difference.",
        "The only randomised trial did not show a clear benefit.",
        "There is no clear benefit from the drops.",
    ],
)
def test_a_result_that_is_not_clear_is_missing_evidence_not_a_denial(text):
    rating = rate(text)
    assert rating.strength is U and not rating.negated


def test_a_disease_that_has_not_responded_to_treatment_is_described_not_denied():
    rating = rate("Transplant has been tried for Crohn's disease that has not responded to any medicine.")
    assert not rating.negated
    assert rate("The drug has not helped.").negated


def test_a_small_trial_limits_its_finding_whatever_its_design():
    assert rate("A small placebo-controlled trial found that the drops lowered eye pressure.").strength is PS


@pytest.mark.parametrize(
    "text, strength",
    [
        ("The only randomised trial was small.", D),
        ("The only randomised trial may have missed a small benefit.", PS),
        ("Children probably do best when treated in the first months of life.", PR),
        ("At best, the tablets may delay symptoms by a few weeks.", PS),
        ("Most people may notice a mild headache.", PS),
        ("The greatest risk is probably in the first year.", PR),
    ],
)
def test_plain_comparisons_and_limits_are_not_hype(text, strength):
    assert rate(text).strength is strength
    assert not families(text) & {"hype", "superlative"}


@pytest.mark.parametrize(
    "text",
    [
        "This may be the best treatment for asthma.",
        "It might be the most important advance in migraine care.",
    ],
)
def test_a_superlative_that_ranks_a_treatment_or_an_advance_is_hype(text):
    assert rate(text).strength is D
    assert "superlative" in families(text)


@pytest.mark.parametrize(
    "text",
    [
        "Some clinics claim that the infusions can cure lupus, but no trial has shown this.",
        "Supporters say the drops cure cataracts, but this has not been shown.",
        "Sellers claim the bracelets are a miracle cure, but there is no proof.",
    ],
)
def test_a_claim_reported_and_then_rebutted_reads_as_its_rebuttal(text):
    rating = rate(text)
    assert rating.strength is U
    assert not is_overclaiming(rating, U, denial_fits=True)
    assert any("rebut" in cue.reason for cue in rating.set_aside)


def test_a_claim_rebutted_by_a_denial_is_a_denial():
    rating = rate("Some clinics claim that the infusions cure lupus, but trials show they do not.")
    assert rating.strength is D and rating.negated
    assert not is_overclaiming(rating, U, denial_fits=True)


def test_a_reported_claim_without_a_rebuttal_still_counts():
    rating = rate("Some clinics claim that the infusions can cure lupus.")
    assert rating.strength is PS and not rating.negated
    assert is_overclaiming(rating, U, denial_fits=True)


# --- explanations --------------------------------------------------------------------------------


def test_the_explanation_names_the_words_that_drove_the_rating():
    assert rate("Stem cells can reverse lung fibrosis.").explanation() == (
        "Definite: “can reverse” states an outcome as certain; no hedging word softens it."
    )
    hedged = rate("Stem cells may reverse lung fibrosis.").explanation()
    assert hedged.startswith("Possible: “may”") and "“reverse” is softened by the hedge" in hedged
    denial = rate("Stem cells do not cure lupus.").explanation()
    assert denial.startswith("Definite, a denial: “do not cure”")
    hype = rate("This breakthrough could transform care.").explanation()
    assert "“breakthrough” is a hype word" in hype and "“could” does not soften the hype word" in hype
    absent = rate("There is no evidence that stem cells cure lupus.").explanation()
    assert absent.startswith("Uncertain: “There is no evidence”") and "“cure”" in absent


# --- overclaiming --------------------------------------------------------------------------------


def test_a_sentence_overclaims_when_worded_above_what_its_grade_allows():
    definite = rate("Stem cells can reverse lung fibrosis.")
    possible = rate("Stem cells may reverse lung fibrosis.")
    assert is_overclaiming(definite, PS)
    assert is_overclaiming(definite, PR)
    assert not is_overclaiming(definite, D)
    assert not is_overclaiming(possible, PS)
    assert is_overclaiming(possible, U)


def test_a_denial_never_overclaims_when_the_grade_is_not_supported():
    denial = rate("Stem cells do not cure lupus.")
    assert is_overclaiming(denial, U)
    assert not is_overclaiming(denial, U, denial_fits=True)
    claim = rate("Stem cells cure lupus.")
    assert is_overclaiming(claim, U, denial_fits=True)
    absent = rate("There is no evidence that stem cells cure lupus.")
    assert not is_overclaiming(absent, U, denial_fits=True)


# --- the cue file --------------------------------------------------------------------------------

EXTRA_CUE = """
[[cue]]
family = "hedge"
phrases = ["~whisper"]
"""


def test_an_added_cue_in_an_extended_file_changes_the_rating(tmp_path):
    path = tmp_path / "wording.toml"
    path.write_text(DEFAULT_CUES_PATH.read_text(encoding="utf-8") + EXTRA_CUE, encoding="utf-8")
    text = "Fans whisper that the cream erases wrinkles overnight."
    assert rate(text).strength is D
    extended = load_cues(path)
    assert rate(text, extended).strength is PS
    assert [cue.text for cue in rate(text, extended).cues] == ["whisper"]


def test_an_edited_cue_file_is_parsed_again(tmp_path):
    path = tmp_path / "wording.toml"
    path.write_text(DEFAULT_CUES_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_cues(path) is load_cues(path)  # parsed once while unchanged
    before = load_cues(path)
    path.write_text(path.read_text(encoding="utf-8") + EXTRA_CUE, encoding="utf-8")
    assert load_cues(path) is not before
    assert rate("Sellers whisper that the drops are safe.", load_cues(path)).strength is PS


def test_cues_version_is_a_short_hash_that_changes_with_the_file(tmp_path):
    assert len(cues_version()) == 12
    assert cues_version() == load_cues().version
    path = tmp_path / "wording.toml"
    path.write_text(DEFAULT_CUES_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert cues_version(path) == cues_version()
    path.write_text(path.read_text(encoding="utf-8") + EXTRA_CUE, encoding="utf-8")
    assert cues_version(path) != cues_version()
    assert load_cues(path).version == cues_version(path)


@pytest.mark.parametrize(
    "block, message",
    [
        ('[[cue]]\nfamily = "wishful"\nphrases = ["hopefully"]\n', "unknown family"),
        ('[[cue]]\nfamily = "hedge"\nphrases = ["may"]\n', "listed twice"),
        ('[[cue]]\nfamily = "hedge"\nphrase_list = ["hopefully"]\n', "unknown key"),
        ('[[cue]]\nfamily = "hedge"\nlevel = "maybe"\nphrases = ["hopefully"]\n', "unknown strength"),
    ],
)
def test_a_mistake_in_the_cue_file_is_reported(tmp_path, block, message):
    path = tmp_path / "wording.toml"
    path.write_text(DEFAULT_CUES_PATH.read_text(encoding="utf-8") + "\n" + block, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_cues(path)


def test_a_consequence_after_so_is_a_clause_of_its_own():
    # The "may" of the consequence does not soften the claim before it.
    rating = rate("Coffee reduces asthma attacks, so two cups a day may be worth trying.")
    assert rating.strength is D
    assert is_overclaiming(rating, PS)
    assert rate("Green tea lowers blood pressure, and so a mug each morning might help.").strength is D
    assert rate("Zinc may shorten colds, so it could be worth a try.").strength is PS


def test_so_that_joins_a_purpose_to_its_clause():
    text = "Doctors give the inhaler to prevent attacks, so that children may sleep through the night."
    assert rate(text).strength is PS


@pytest.mark.parametrize(
    "text",
    [
        "This is a promising new inhaler that could transform life for people with asthma.",
        "Cold-water swimming transformed his recovery from long COVID.",
        "Doctors call the patch a game-changer for migraine.",
        "A transformative diet for people with gout.",
    ],
)
def test_transform_and_game_changer_are_hype_whatever_hedge_is_near(text):
    rating = rate(text)
    assert rating.strength is D
    assert is_overclaiming(rating, PR)
    assert any(cue.family == "hype" for cue in rating.cues)
    assert "Hype:" in rating.explanation()


def test_promising_framing_is_named_as_promotional_in_the_explanation():
    assert "Promotional: “promising”" in rate("This is a promising inhaler that could transform care.").explanation()


def test_a_denial_giving_the_reason_for_a_doubt_after_so_is_background():
    rating = rate("None of the trials measured sleep quality, so its effect on sleep is unknown.")
    assert rating.strength is U
    assert not rating.negated
