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


def test_advice_rewords_the_sentence_itself_at_each_level():
    text = "Stem cells can reverse lung fibrosis."
    rating = rate(text)
    assert advice(text, rating, PS).words_to_soften == ("can", "reverse")
    assert "Stem cells may reverse lung fibrosis." in advice(text, rating, PS).rewordings
    assert "Early studies suggest that stem cells can reverse lung fibrosis." in advice(text, rating, PS).rewordings
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
    assert suggestion.words_to_soften == ("breakthrough treatment",)
    assert suggestion.rewordings[0] == "This new treatment could transform care."
    reported = "Clinical studies have shown that the injections regenerate cartilage."
    assert advice(reported, rate(reported), U).rewordings[0] == (
        "It is not known whether the injections regenerate cartilage."
    )


def test_advice_is_empty_when_the_wording_fits():
    text = "Stem cells may reverse lung fibrosis."
    assert advice(text, rate(text), PS) == Advice((), ())
