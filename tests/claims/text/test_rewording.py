import pytest

from claims.text.rewording import Advice, advice
from claims.text.wording import Strength, rate

U, PS, PR = Strength.UNCERTAIN, Strength.POSSIBLE, Strength.PROBABLE


# --- advice --------------------------------------------------------------------------------------

ADVISED = [
    "Stem cells can reverse lung fibrosis.",
    "Our stem cell therapy reverses lung fibrosis in just six weeks.",
    "This breakthrough treatment could transform the lives of people with lupus.",
    "Clinical studies have shown that the injections regenerate damaged cartilage.",
    "Stem cell treatments do not cure lupus.",
    "Regular exercise probably reduces joint pain.",
    "Researchers hope that stem cells will cure lupus.",
    "Dr Lee's team has cured dozens of patients.",
    "Steroids won't cure the condition, but they can control the inflammation.",
    "Our cell line is the most effective regenerative therapy available today.",
    "Smoking makes lung fibrosis worse.",
]


@pytest.mark.parametrize("text", ADVISED)
def test_every_rewording_fits_the_allowed_level(text):
    rating = rate(text)
    for allowed in Strength:
        suggestion = advice(text, rating, allowed)
        if allowed >= rating.strength:
            assert suggestion == Advice((), ())
            continue
        assert 1 <= len(suggestion.rewordings) <= 3
        for rewording in suggestion.rewordings:
            assert rewording != text
            assert rate(rewording).strength <= allowed, rewording
        assert set(suggestion.words_to_soften) <= {cue.text for cue in rating.cues}


def test_advice_never_names_a_kind_of_study_the_sources_may_not_be():
    # The advice is read without the claim's sources: "Early studies suggest" would call a randomised trial early.
    text = "Colchicine taken early in an attack probably shortens it."
    rewordings = advice(text, rate(text), PS).rewordings
    assert rewordings and not any("studies" in r.lower() for r in rewordings)


def test_advice_rewords_the_sentence_itself_at_each_level():
    text = "Stem cells can reverse lung fibrosis."
    rating = rate(text)
    assert advice(text, rating, PS).words_to_soften == ("can", "reverse")
    assert "Stem cells may reverse lung fibrosis." in advice(text, rating, PS).rewordings
    assert "Some evidence suggests that stem cells can reverse lung fibrosis." in advice(text, rating, PS).rewordings
    assert "Stem cells can probably reverse lung fibrosis." in advice(text, rating, PR).rewordings
    assert advice(text, rating, U).rewordings[0] == "It is not known whether stem cells can reverse lung fibrosis."


def test_advice_puts_may_before_a_bare_verb_only_after_a_likely_subject():
    noun = "MSCs support tissue repair and regeneration."
    rewordings = advice(noun, rate(noun), PS).rewordings
    assert rewordings and all("may repair" not in r for r in rewordings)  # "tissue repair" is a noun
    verb = "Stem cells repair the lungs of people with scarring."
    assert "Stem cells may repair the lungs of people with scarring." in advice(verb, rate(verb), PS).rewordings
    pronoun = "They reverse scarring."
    assert "They may reverse scarring." in advice(pronoun, rate(pronoun), PS).rewordings


def test_advice_softens_a_denial_and_drops_hype_and_attribution():
    denial = "Stem cell treatments do not cure lupus."
    assert "Stem cell treatments may not cure lupus." in advice(denial, rate(denial), PS).rewordings
    hype = "This breakthrough treatment could transform care."
    suggestion = advice(hype, rate(hype), PS)
    assert suggestion.words_to_soften == ("breakthrough treatment", "transform")
    assert suggestion.rewordings[0] == "This new treatment could change care."
    reported = "Clinical studies have shown that the injections regenerate cartilage."
    assert advice(reported, rate(reported), U).rewordings[0] == (
        "It is not known whether the injections regenerate cartilage."
    )


def test_advice_is_empty_when_the_wording_fits():
    text = "Stem cells may reverse lung fibrosis."
    assert advice(text, rate(text), PS) == Advice((), ())


# --- framed sentences and past verbs -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "In a trial that enrolled 2,000 children, the spray cured most ear infections.",
        "Among older adults, daily walking prevents falls.",
    ],
)
@pytest.mark.parametrize("allowed", [U, PS, PR])
def test_a_framed_sentence_gets_no_hedge_put_before_its_frame(text, allowed):
    frame = text.split(",")[0]
    for rewording in advice(text, rate(text), allowed).rewordings:
        assert rewording.startswith(frame), rewording
        assert rate(rewording).strength <= allowed


def test_a_framed_sentence_has_its_verb_softened_in_place():
    text = "In the trial, the cream healed most leg ulcers."
    assert advice(text, rate(text), PS).rewordings == ("In the trial, the cream may have healed most leg ulcers.",)


def test_a_past_verb_takes_may_have_never_possibly():
    text = "The inhaler eased wheezing in most children."
    rewordings = advice(text, rate(text), PS).rewordings
    assert "The inhaler may have eased wheezing in most children." in rewordings
    assert not any("possibly eased" in r for r in rewordings)


def test_a_past_form_that_may_be_a_participle_is_not_softened_in_place():
    text = "Kidney function restored to normal."
    rewordings = advice(text, rate(text), PS).rewordings
    assert rewordings  # the templates still fit
    assert not any("possibly restored" in r or "may have restored" in r for r in rewordings)
