"""Health claims found without a known condition: which sentences read as claims, and which never do."""

from html import escape

import pytest

from articles.text import read_html
from claims.text.health_sentences import DEFAULT_PATH, load_terms
from claims.text.suggestions import ConditionMatcher, ConditionNames, new_conditions, suggest_claims

LUPUS = ConditionNames(1, "Systemic lupus erythematosus", ("lupus", "SLE"))
ASTHMA = ConditionNames(2, "Asthma")


def suggest(*paragraphs, conditions=(), claimed=(), terms=None):
    doc = read_html("".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs))
    return suggest_claims(doc.sentences(), ConditionMatcher(conditions), claimed, terms=terms)


def suggested(sentence, **options):
    return [s.text for s in suggest(sentence, **options)] == [sentence]


# Claims with no condition the site knows -----------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "It eased symptoms in most patients within a month.",
        "This therapy reduced flares over two years.",
        "Autoimmune diseases often respond to high-dose steroids.",
        "The new inhaler lowered the risk of death by a fifth.",
        "After the transplant, relapse was rare.",
        "Regular walking lowers blood pressure in older adults.",
        "Those who took the tablets had less pain and better sleep.",
        "Survival improved in the group given the combination.",
        "The cream cleared eczema in half of the children.",
        "Graft survival was longer with the new anti-rejection drug.",
    ],
)
def test_a_sentence_linking_a_treatment_to_an_outcome_is_suggested_without_a_condition(sentence):
    [suggestion] = suggest(sentence)
    assert suggestion.text == sentence
    assert suggestion.condition_key is None and suggestion.condition_words == ""
    assert not suggestion.names_known_condition
    assert suggestion.cue_words


@pytest.mark.parametrize(
    "sentence",
    [
        # methods
        "Patients were randomly assigned to the drug or to placebo for twelve weeks.",
        "The primary outcome was the change in pain scores at six months.",
        "Symptoms were measured with a validated questionnaire every month.",
        "Early trials of the cream have mostly asked whether a single dose is safe for eczema.",
        # definitions
        "Asthma is a long-term disease of the airways that makes breathing hard.",
        "Autoimmune diseases occur when the immune system attacks healthy tissue and causes pain.",
        "Remission refers to a period in which symptoms improve or disappear.",
        # history
        "The disease was first described in 1838 by a Scottish doctor, long before any treatment.",
        # research plans
        "A new trial will test whether the drug reduces flares in children.",
        "The study aims to find out whether exercise improves fatigue.",
        "Researchers plan to compare the two therapies for pain next year.",
        "Further research is needed to show whether the diet prevents relapse.",
        # advice
        "Anyone thinking about this treatment should consult their doctor about its risks and side effects.",
        # no outcome, or no treatment: outcomes named with nothing changing them
        "Stem cell therapy is offered in three clinics in the city.",
        "The most common symptoms are wheezing, coughing and a tight chest.",
        "Relapses and remissions follow each other for years.",
        "Many people with the disease feel tired in the afternoon.",
    ],
)
def test_methods_definitions_history_plans_and_advice_are_not_suggested(sentence):
    assert suggest(sentence) == []
    assert suggest(sentence, conditions=[ASTHMA]) == []


def test_headings_questions_and_code_are_not_suggested():
    doc = read_html(
        "<h2>How the drug reduces pain</h2><p>Does the drug reduce pain?</p>"
        "<pre><code>reduce_pain(drug)  # the drug reduces pain</code></pre><p>The drug reduced pain.</p>"
    )
    assert [s.text for s in suggest_claims(doc.sentences(), ConditionMatcher([]), [])] == ["The drug reduced pain."]


def test_any_claim_starting_in_the_sentence_hides_the_suggestion_without_a_condition():
    sentence = "This therapy reduced flares over two years."
    assert suggest(sentence, claimed=[(5, LUPUS.key)]) == []
    assert len(suggest(sentence, claimed=[(len(sentence) + 1, LUPUS.key)])) == 1


def test_a_known_condition_is_suggested_with_an_effect_word_alone():
    [suggestion] = suggest("The injections eased lupus within weeks.", conditions=[LUPUS])
    assert (suggestion.condition_key, suggestion.cue_words) == (LUPUS.key, ("eased",))


def test_a_methods_sentence_naming_a_known_condition_is_not_suggested():
    assert suggest("Patients with lupus were randomly assigned to treatment or placebo.", conditions=[LUPUS]) == []


# Conditions to add -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Inhaled steroids reduce asthma attacks.", ("Asthma",)),
        ("The cream cleared eczema in half of the children.", ("Eczema",)),
        ("Infliximab eased ulcerative colitis in most patients.", ("Ulcerative colitis",)),
        ("Statins lower the risk of chronic kidney disease.", ("Chronic kidney disease",)),
        ("It improved Cushing's syndrome and Hodgkin lymphomas.", ("Cushing's syndrome", "Hodgkin lymphoma")),
        ("It eased symptoms in most patients.", ()),
        ("This treatment may slow the disease.", ()),
        ("The diagnosis was quicker, and the therapy improved symptoms.", ()),
        ("Hearing aids improve the quality of life of older people.", ()),  # "aids", not AIDS
        ("The drug slowed AIDS in most patients.", ("AIDS",)),
    ],
)  # fmt: skip
def test_a_suggestion_offers_the_disease_like_phrases_the_site_does_not_know(sentence, names):
    [suggestion] = suggest(sentence)
    assert new_conditions(suggestion.text, ConditionMatcher([])) == names


def test_a_phrase_the_site_knows_is_not_offered_again():
    sentence = "Inhaled steroids reduce asthma attacks and eczema."
    [suggestion] = suggest(sentence, conditions=[ASTHMA])
    assert suggestion.condition_key == ASTHMA.key
    assert new_conditions(sentence, ConditionMatcher([ASTHMA])) == ("Eczema",)
    known = ConditionMatcher([ASTHMA, ConditionNames(3, "Atopic eczema", ("eczema",))])
    assert new_conditions(sentence, known) == ()


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Rituximab reduced proteinuria in patients with lupus nephritis.", ("Lupus nephritis",)),
        ("Rituximab reduced proteinuria in lupus-nephritis.", ("Lupus-nephritis",)),
        ("Metformin lowers the risk of heart attacks in type 2 diabetes.", ("Type 2 diabetes",)),
        ("Inhaled steroids reduce flare-ups of chronic obstructive pulmonary disease.", (
            "Chronic obstructive pulmonary disease",)),
        ("Methotrexate eases joint pain in rheumatoid arthritis.", ("Rheumatoid arthritis",)),
        # Names kept apart by a comma or a word are two names.
        ("The drug eased lupus, nephritis and asthma in most patients.", ("Lupus", "Nephritis", "Asthma")),
        ("Stem cells reduced flares in patients with lupus and nephritis.", ("Lupus", "Nephritis")),
    ],
)  # fmt: skip
def test_a_name_of_several_disease_words_is_offered_once_whole(sentence, names):
    assert new_conditions(sentence, ConditionMatcher([])) == names


def test_a_known_condition_inside_a_longer_name_leaves_no_part_of_it_offered():
    sentence = "Rituximab reduced proteinuria in patients with lupus nephritis."
    # Only lupus is known: the sentence is suggested for it, and "Nephritis" is not offered on its own.
    [suggestion] = suggest(sentence, conditions=[LUPUS])
    assert suggestion.condition_key == LUPUS.key
    assert new_conditions(sentence, ConditionMatcher([LUPUS])) == ()
    diabetes = ConditionNames(3, "Diabetes")
    assert (
        new_conditions("Metformin lowers the risk of heart attacks in type 2 diabetes.", ConditionMatcher([diabetes]))
        == ()
    )


def test_once_the_condition_is_added_the_sentence_names_it():
    sentence = "Inhaled steroids reduce asthma attacks."
    [before] = suggest(sentence)
    [name] = new_conditions(sentence, ConditionMatcher([]))
    [after] = suggest(sentence, conditions=[ConditionNames(9, name)])
    assert (before.condition_key, after.condition_key, after.condition_words) == (None, 9, "asthma")


# The word file -----------------------------------------------------------------------------


def test_every_word_comes_from_the_file(tmp_path):
    empty = tmp_path / "outcomes.toml"
    empty.write_text("[effects]\nwords = []\n")
    terms = load_terms(empty)
    assert suggest("It eased symptoms in most patients.", terms=terms) == []
    added = tmp_path / "added.toml"
    added.write_text(DEFAULT_PATH.read_text().replace('"symptom",', '"symptom", "wheeze",'))
    assert suggest("It eased wheezes in most patients.") == []
    assert len(suggest("It eased wheezes in most patients.", terms=load_terms(added))) == 1


def test_a_file_with_an_unknown_key_or_section_is_refused(tmp_path):
    misspelt = tmp_path / "outcomes.toml"
    misspelt.write_text('[outcomes]\nword = ["pain"]\n')
    with pytest.raises(ValueError, match="\\[outcomes\\] has 'word'"):
        load_terms(misspelt)
    misspelt.write_text('[outcome]\nwords = ["pain"]\n')
    with pytest.raises(ValueError, match="unknown section \\[outcome\\]"):
        load_terms(misspelt)


def test_the_default_file_is_read_once():
    assert load_terms() is load_terms()


@pytest.mark.parametrize(
    "sentence",
    [
        "Visit your pharmacist every few months to check your inhaler technique and your symptoms.",
        "Always carry your reliever inhaler, since attacks can start without warning.",
        "Keep a diary of your flares and the treatments you try.",
        "Don't stop taking steroids suddenly, as symptoms may return.",
    ],
)
def test_a_sentence_telling_the_reader_what_to_do_is_not_suggested(sentence):
    assert suggest(sentence) == []
    assert suggest(sentence, conditions=[LUPUS, ASTHMA]) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Roughly one in eight children is treated for asthma.",
        "Around 300,000 people in Scotland receive treatment for lupus.",
        "Nearly 40% of adults with eczema are treated by their GP.",
        "Diseases such as lupus and psoriasis can affect quality of life and reduce life expectancy.",
    ],
)
def test_a_prevalence_or_burden_statement_is_not_suggested(sentence):
    assert suggest(sentence) == []
    assert suggest(sentence, conditions=[LUPUS, ASTHMA]) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Exercise reduced pain in most patients with lupus.",
        "Use of inhaled steroids lowered the number of asthma attacks.",
        "About 60% of patients had less pain after the new drug was added.",
        "One in three people with eczema responded to the cream within a month.",
        "About one in four people who drink alcohol daily develops liver disease.",
        "Diseases such as lupus can be treated with steroids.",
    ],
)
def test_claims_opening_like_advice_or_a_figure_are_still_suggested(sentence):
    assert suggested(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Fecal transplant offers a promising option for people who have tried everything else.",
        "Among the most promising developments of the decade is CAR-T therapy.",
        "The new vaccine has shown encouraging results in early trials.",
        "Many see this drug as a breakthrough.",
    ],
)
def test_a_treatment_sold_on_its_promise_is_suggested_with_no_outcome_named(sentence):
    assert suggested(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The view from the new hospital wing is promising.",
        "Her early career was a breakthrough for the lab.",
        "The promise of a single injection that fixes everything is easy to understand.",
    ],
)
def test_promise_with_no_treatment_is_not_suggested(sentence):
    assert suggest(sentence) == []


def test_help_before_what_it_helps_someone_do_is_an_effect_and_offers_the_condition():
    sentence = "Cutting down on salt can help people with hypertension sleep through the night."
    assert suggested(sentence)
    assert new_conditions(sentence, ConditionMatcher([])) == ("Hypertension",)
    hypertension = ConditionNames(3, "Hypertension")
    assert [s.condition_key for s in suggest(sentence, conditions=[hypertension])] == [3]


def test_help_alone_is_not_an_effect():
    assert suggest("Nurses help people with hypertension every day.") == []


@pytest.mark.parametrize(
    ("sentence", "offered"),
    [
        ("Gentle yoga eased pain in people with osteoarthritis.", "Osteoarthritis"),
        ("A weekly swim improved symptoms of fibromyalgia.", "Fibromyalgia"),
        ("Talking therapy reduced nightmares in veterans with PTSD.", "PTSD"),
    ],
)
def test_common_conditions_are_offered(sentence, offered):
    assert suggested(sentence)
    assert offered in new_conditions(sentence, ConditionMatcher([]))


def test_a_class_of_conditions_is_not_offered_but_still_makes_a_claim():
    sentence = "Mesenchymal cells eased flares in immune system disorders, autoimmune diseases and lung diseases."
    assert suggested(sentence)
    assert new_conditions(sentence, ConditionMatcher([])) == ()
    named = "Mesenchymal cells eased flares in autoimmune diseases such as coeliac disease."
    assert new_conditions(named, ConditionMatcher([])) == ("Coeliac disease",)


# Risk compared between groups -----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "People who drink sugary drinks are twice as likely to develop gout.",
        "Children exposed to second-hand smoke are more likely to have asthma attacks.",
        "Smokers were three times more likely to be admitted to hospital with pneumonia.",
        "Those who walked daily were less likely to die of heart failure.",
    ],
)
def test_a_risk_compared_between_groups_is_suggested_without_a_condition(sentence):
    assert suggested(sentence)


def test_a_risk_compared_between_groups_is_suggested_for_a_known_condition():
    sentence = "Women who smoke are more likely to develop lupus."
    found = suggest(sentence, conditions=[LUPUS])
    assert [(s.text, s.condition_key) for s in found] == [(sentence, 1)]
    assert "more likely" in found[0].cue_words


def test_likely_alone_without_a_comparison_or_an_outcome_is_not_suggested():
    assert not suggest("It is likely to rain during the open day for patients.")
