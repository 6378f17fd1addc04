from html import escape

import pytest

from articles.text import read_html
from claims.text.phrases import compile_cues
from claims.text.suggestions import (
    DEFAULT_CUES_PATH,
    ConditionMatcher,
    ConditionNames,
    Suggestion,
    load_cues,
    suggest_claims,
)
from tests import prose

LUPUS = ConditionNames(1, "Systemic lupus erythematosus", ("lupus", "SLE"))
RA = ConditionNames(2, "Rheumatoid arthritis", ("RA",))
MS = ConditionNames(3, "Multiple sclerosis", ("MS",))
SSC = ConditionNames(4, "Systemic sclerosis", ("scleroderma",))
IPF = ConditionNames(5, "Idiopathic pulmonary fibrosis", ("IPF",))
PF = ConditionNames(6, "Pulmonary fibrosis")
CROHNS = ConditionNames(7, "Crohn's disease")
AUTOIMMUNE = ConditionNames(8, "Autoimmune disease")
NSCLC = ConditionNames(9, "Non-small cell lung cancer", ("NSCLC",))
ALL = [LUPUS, RA, MS, SSC, IPF, PF, CROHNS, AUTOIMMUNE, NSCLC]


def document(*paragraphs):
    return read_html("".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs))


def suggest(*paragraphs, conditions=ALL, claimed=(), cues=None):
    return suggest_claims(document(*paragraphs).sentences(), ConditionMatcher(conditions), claimed, cues)


def suggested_keys(*paragraphs, **options):
    return [suggestion.condition_key for suggestion in suggest(*paragraphs, **options)]


def named(text, conditions=ALL):
    return [(key, words) for key, words, _, _ in ConditionMatcher(conditions).find(text)]


# Finding conditions ------------------------------------------------------------------------


def test_a_sentence_naming_a_condition_with_a_cue_is_suggested_with_its_offsets():
    doc = document("Stem cells are new. Stem cells may treat lupus in some patients. Nobody knows.")
    [suggestion] = suggest_claims(doc.sentences(), ConditionMatcher(ALL), [])
    sentence = "Stem cells may treat lupus in some patients."
    start = doc.text.index(sentence)
    assert suggestion == Suggestion(start, start + len(sentence), sentence, LUPUS.key, "lupus", ("treat",))
    assert doc.text[suggestion.start : suggestion.end] == sentence


def test_find_gives_each_condition_with_its_words_and_offsets():
    text = "Lupus and RA differ."
    assert ConditionMatcher(ALL).find(text) == [(LUPUS.key, "Lupus", 0, 5), (RA.key, "RA", 10, 12)]


def test_a_sentence_without_a_cue_is_not_suggested():
    assert suggest("Lupus is named after the Latin word for wolf.") == []


def test_a_sentence_with_a_cue_but_no_condition_or_outcome_is_not_suggested():
    assert suggest("Stem cell therapy is offered in three clinics in the city.") == []


def test_a_synonym_counts_like_the_name():
    [suggestion] = suggest("Stem cell transplants may improve skin thickening in scleroderma.")
    assert (suggestion.condition_key, suggestion.condition_words) == (SSC.key, "scleroderma")


def test_names_match_whole_words_only():
    assert named("Immune systems in the long terms; rats rather brave the brain, and lupusoid is no word.") == []
    assert suggest("The lupusoid systems of patients improve in the long terms.") == []


def test_names_match_in_any_case():
    assert named("Lupus, LUPUS, lupus and IDIOPATHIC PULMONARY FIBROSIS") == [
        (LUPUS.key, "Lupus"),
        (LUPUS.key, "LUPUS"),
        (LUPUS.key, "lupus"),
        (IPF.key, "IDIOPATHIC PULMONARY FIBROSIS"),
    ]


def test_a_short_acronym_matches_only_in_capitals():
    copd = ConditionNames(10, "Chronic obstructive pulmonary disease", ("COPD",))
    assert named("IPF, ipf, Ipf; MS, ms, Ms; COPD, copd, Copd", [IPF, MS, copd]) == [
        (IPF.key, "IPF"),
        (MS.key, "MS"),
        (10, "COPD"),
    ]


def test_units_and_titles_are_not_acronyms():
    assert named("The pulse lasted 5 ms. Ms Smith met MSc students and MSPs.") == []
    assert [s.condition_key for s in suggest("Ms Smith says ms-long pulses relieve MS pain.")] == [MS.key]


def test_an_acronym_still_matches_beside_punctuation_and_with_a_plural_s():
    assert named("(MS), MS-related, IBDs", [MS, ConditionNames(11, "Inflammatory bowel disease", ("IBD",))]) == [
        (MS.key, "MS"),
        (MS.key, "MS"),
        (11, "IBDs"),
    ]


def test_a_longer_name_in_capitals_still_matches_in_any_case():
    nsclc = ConditionNames(12, "Lung cancer", ("NSCLCX",))  # six letters: not a short acronym
    assert named("nsclcx and Nsclcx", [nsclc]) == [(12, "nsclcx"), (12, "Nsclcx")]


def test_the_longest_name_wins_where_names_overlap():
    assert named("Idiopathic pulmonary fibrosis is one pulmonary fibrosis.") == [
        (IPF.key, "Idiopathic pulmonary fibrosis"),
        (PF.key, "pulmonary fibrosis"),
    ]
    [suggestion] = suggest("Antifibrotic drugs slow idiopathic pulmonary fibrosis.")
    assert suggestion.condition_key == IPF.key


LUPUS_ALONE = ConditionNames(20, "Lupus")
NEPHRITIS = ConditionNames(21, "Nephritis")
LUPUS_NEPHRITIS = ConditionNames(22, "Lupus nephritis")
DIABETES = ConditionNames(23, "Diabetes")
TYPE_2 = ConditionNames(24, "Type 2 diabetes", ("T2D",))
COPD = ConditionNames(25, "Chronic obstructive pulmonary disease", ("COPD",))
PULMONARY = ConditionNames(26, "Pulmonary disease")
ARTHRITIS = ConditionNames(27, "Arthritis")
LONG_AND_SHORT = [LUPUS_ALONE, NEPHRITIS, LUPUS_NEPHRITIS, DIABETES, TYPE_2, COPD, PULMONARY, RA, ARTHRITIS]


@pytest.mark.parametrize(
    ("sentence", "condition", "words"),
    [
        ("Rituximab reduced proteinuria in lupus nephritis.", LUPUS_NEPHRITIS, "lupus nephritis"),
        ("Metformin lowers the risk of heart attacks in type 2 diabetes.", TYPE_2, "type 2 diabetes"),
        ("Inhaled steroids reduce flare-ups of chronic obstructive pulmonary disease.", COPD,
         "chronic obstructive pulmonary disease"),
        ("Methotrexate eases joint pain in rheumatoid arthritis.", RA, "rheumatoid arthritis"),
    ],
)  # fmt: skip
def test_a_known_longer_name_wins_over_the_shorter_names_it_holds(sentence, condition, words):
    assert named(sentence, LONG_AND_SHORT) == [(condition.key, words)]
    [suggestion] = suggest(sentence, conditions=LONG_AND_SHORT)
    assert (suggestion.condition_key, suggestion.condition_words) == (condition.key, words)


@pytest.mark.parametrize("written", ["lupus nephritis", "lupus-nephritis", "Lupus Nephritis"])
def test_two_known_names_written_as_one_are_one_name_the_last_ones(written):
    sentence = f"Rituximab reduced proteinuria in {written}."
    assert named(sentence, [LUPUS_ALONE, NEPHRITIS]) == [(NEPHRITIS.key, written)]
    [suggestion] = suggest(sentence, conditions=[LUPUS_ALONE, NEPHRITIS])
    assert (suggestion.condition_key, suggestion.condition_words) == (NEPHRITIS.key, written)


def test_known_names_kept_apart_by_a_comma_or_a_word_are_each_suggested():
    sentence = "Rituximab reduced flares in lupus, nephritis and in lupus or nephritis."
    assert [key for key, _ in named(sentence, [LUPUS_ALONE, NEPHRITIS])] == [20, 21, 20, 21]
    assert suggested_keys(sentence, conditions=[LUPUS_ALONE, NEPHRITIS]) == [20, 21]


def test_one_condition_named_twice_in_a_sentence_gives_one_suggestion():
    [suggestion] = suggest("Idiopathic pulmonary fibrosis (IPF) has no cure, and IPF worsens.")
    assert (suggestion.condition_key, suggestion.condition_words) == (IPF.key, "Idiopathic pulmonary fibrosis")


def test_straight_and_curly_apostrophes_are_the_same():
    spellings = ["Crohn’s disease", "Crohn's disease", "Crohn‘s disease"]
    assert named(" and ".join(spellings)) == [(CROHNS.key, words) for words in spellings]
    curly_name = ConditionNames(70, "Parkinson’s disease")
    assert named("Parkinson's disease", [curly_name]) == [(70, "Parkinson's disease")]


def test_the_apostrophe_of_a_possessive_name_is_optional():
    spellings = ["Crohn's disease", "Crohns disease", "Crohn disease", "CROHNS DISEASE", "Crohn’s diseases"]
    assert named("; ".join(spellings)) == [(CROHNS.key, words) for words in spellings]
    assert named("Crohnss disease and Crohn'disease") == []


def test_letters_outside_ascii_match_in_any_case():
    sjogren = ConditionNames(71, "Sjögren’s syndrome")
    dotted = ConditionNames(72, "İnflammation X")
    assert named("SJÖGREN'S SYNDROME and İnflammation x", [sjogren, dotted]) == [
        (71, "SJÖGREN'S SYNDROME"),
        (72, "İnflammation x"),
    ]


def test_hyphens_and_runs_of_whitespace_between_words_match():
    spellings = [
        "non small cell lung cancer",
        "non-small-cell lung  cancer",
        "Non‑small\ncell lung cancer",
        "non–small cell lung cancer",
    ]
    assert named("; ".join(spellings)) == [(NSCLC.key, words) for words in spellings]
    spaced = ConditionNames(90, "Non small cell lung cancer")
    assert named("non-small cell lung cancer", [spaced]) == [(90, "non-small cell lung cancer")]


def test_a_simple_plural_of_a_name_matches():
    [suggestion] = suggest("Stem cells may help treat autoimmune diseases.")
    assert (suggestion.condition_key, suggestion.condition_words) == (AUTOIMMUNE.key, "autoimmune diseases")


def test_a_name_that_begins_a_longer_name_still_matches_alone():
    lung = ConditionNames(20, "Lung cancer")
    lung_in_smokers = ConditionNames(21, "Lung cancer in smokers")
    assert named("Lung cancer, and lung cancer in smokers.", [lung, lung_in_smokers]) == [
        (20, "Lung cancer"),
        (21, "lung cancer in smokers"),
    ]
    # Words matched only as written take no plural ending: the shorter must stay whole on its own.
    cues = compile_cues(exact=["outcomes", "outcomes were measured"])
    assert [word for word, _, _ in cues.find("Outcomes improved; outcomes were measured.")] == [
        "Outcomes",
        "outcomes were measured",
    ]


def test_a_name_shared_by_two_conditions_names_both():
    mitral = ConditionNames(30, "Mitral stenosis", ("MS",))
    assert named("MS", [MS, mitral]) == [(MS.key, "MS"), (30, "MS")]


def test_regex_metacharacters_in_names_are_taken_literally():
    conditions = [
        ConditionNames(40, "C++"),
        ConditionNames(41, "(IPF)"),
        ConditionNames(42, "Type 1 diabetes"),
        ConditionNames(43, "Disease X.2"),
    ]
    text = "C++ and (IPF) and type 1 diabetes and disease X.2; not CC, IPF, type 12 diabetes or disease Xx2."
    assert named(text, conditions) == [(40, "C++"), (41, "(IPF)"), (42, "type 1 diabetes"), (43, "disease X.2")]


def test_no_conditions_suggest_nothing():
    assert ConditionMatcher([]).find("Stem cells treat lupus.") == []
    [suggestion] = suggest("Stem cells treat lupus.", conditions=[])
    assert (suggestion.condition_key, suggestion.condition_words) == (None, "")


def test_conditions_without_synonyms_or_with_blank_ones_are_fine():
    conditions = [
        ConditionNames(50, "Lupus"),
        ConditionNames.from_lines(51, "Rheumatoid arthritis", "\n   \nRA\n"),
        ConditionNames(52, "", ("", "  ")),
    ]
    assert ConditionNames.from_lines(51, "Rheumatoid arthritis", "\n   \nRA\n").synonyms == ("RA",)
    assert ConditionNames.from_lines(51, "Rheumatoid arthritis", None).synonyms == ()
    assert suggested_keys("Stem cells may treat lupus and RA.", conditions=conditions) == [50, 51]


def test_synonyms_given_as_database_text_are_read_one_per_line():
    condition = ConditionNames(53, "Systemic sclerosis", "scleroderma\nSSc\n")
    assert condition.synonyms == ("scleroderma", "SSc")
    assert named("Scleroderma, a disease, is also SSc.", [condition]) == [(53, "Scleroderma"), (53, "SSc")]


# Cues --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cue",
    [
        "treat", "treats", "treated", "treating", "treatment", "treatments", "therapy", "therapies",
        "improve", "improves", "improved", "improving", "improvement", "reduce", "reduced", "reducing",
        "reduction", "prevent", "prevented", "prevention", "symptom", "symptoms", "survival", "survive",
        "survived", "risk", "risks", "cure", "cured", "curing", "relieve", "relieves", "relief", "heal",
        "healing", "repair", "repaired", "reverse", "reversed", "slow", "slows", "slowed", "remission",
        "relapse", "relapses", "outcome", "outcomes", "effective", "benefit", "benefits", "side effects",
        "side-effects", "Treatment",
    ],
)  # fmt: skip
def test_cues_match_with_their_inflections(cue):
    [suggestion] = suggest(f"In lupus the word {cue} appears.")
    assert suggestion.cue_words == (cue,)


def test_cues_match_whole_words_only():
    assert suggest("The lupus treaty was signed by health ministers in a slowdown.") == []


def test_cue_words_are_given_as_written_once_each():
    [suggestion] = suggest("Treatment of lupus is a treatment that eases symptoms, Symptoms say.")
    assert suggestion.cue_words == ("Treatment", "symptoms")


def test_a_cue_inside_a_condition_name_does_not_count():
    resistant = ConditionNames(60, "Treatment-resistant depression")
    assert suggest("Treatment-resistant depression is common.", conditions=[resistant]) == []
    assert suggested_keys("Ketamine may relieve treatment-resistant depression.", conditions=[resistant]) == [60]


def test_every_cue_comes_from_the_cue_file(tmp_path):
    empty = tmp_path / "cues.toml"
    empty.write_text("[treatment]\nwords = []\n")
    assert load_cues(empty).words == ()
    assert suggest("Stem cells treat lupus, improve survival and reduce symptoms.", cues=load_cues(empty)) == []


def test_an_extended_cue_file_adds_a_cue(tmp_path):
    extended = tmp_path / "cues.toml"
    extended.write_text(DEFAULT_CUES_PATH.read_text() + '\n[stability]\nwords = ["steady"]\n')
    sentence = "Early grafts steadied scleroderma in the trial."
    assert suggest(sentence) == []
    [suggestion] = suggest(sentence, cues=load_cues(extended))
    assert (suggestion.condition_key, suggestion.cue_words) == (SSC.key, ("steadied",))
    assert suggested_keys("Stem cells treat lupus.", cues=load_cues(extended)) == [LUPUS.key]


def test_a_cue_file_with_an_unknown_key_is_refused(tmp_path):
    misspelt = tmp_path / "cues.toml"
    misspelt.write_text('[treatment]\nword = ["treat"]\n')
    with pytest.raises(ValueError, match="only 'words' and 'exact'"):
        load_cues(misspelt)


def test_the_default_cue_file_is_read_once():
    assert load_cues() is load_cues()
    assert "side effect" in load_cues().words


# What is not suggested ---------------------------------------------------------------------


def test_headings_are_not_suggested():
    doc = read_html("<h2>Stem cells to treat lupus</h2><p>Stem cells may treat lupus.</p>")
    kinds = [sentence.kind for sentence in doc.sentences()]
    suggestions = suggest_claims(doc.sentences(), ConditionMatcher(ALL), [])
    assert kinds == ["heading", "paragraph"]
    assert [suggestion.text for suggestion in suggestions] == ["Stem cells may treat lupus."]


@pytest.mark.parametrize("question", ["Can stem cells cure lupus?", 'Does it "cure" lupus?"', "Will RA improve? "])
def test_questions_are_not_suggested(question):
    assert suggest(question) == []


@pytest.mark.parametrize("label", ["Easing Joint Pain:", "Lupus treatment options:", "Reducing flares in RA: "])
def test_a_short_label_ending_in_a_colon_is_not_suggested(label):
    assert suggest(label) == []
    assert suggest(label, conditions=[]) == []


def test_a_sentence_running_on_after_its_colon_is_still_suggested():
    assert suggested_keys("In one trial: methotrexate eased joint pain in RA.") == [RA.key]


def test_list_items_are_suggested():
    doc = read_html("<ul><li>Stem cells may reduce lupus flares.</li></ul>")
    [suggestion] = suggest_claims(doc.sentences(), ConditionMatcher(ALL), [])
    assert suggestion.condition_key == LUPUS.key


# Existing claims ---------------------------------------------------------------------------

TWO_CONDITIONS = "Stem cells may help. They reduce flares in lupus and in RA. More trials are due."


def offset_of(words):
    return document(TWO_CONDITIONS).text.index(words)


def test_a_claim_on_the_condition_in_the_sentence_hides_its_suggestion():
    claims = [(offset_of("They reduce"), LUPUS.key)]
    assert suggested_keys(TWO_CONDITIONS, claimed=claims) == [RA.key]


def test_a_claim_on_part_of_the_sentence_hides_its_suggestion():
    claims = [(offset_of("flares in lupus"), LUPUS.key), (offset_of("RA"), RA.key)]
    assert suggested_keys(TWO_CONDITIONS, claimed=claims) == []


def test_a_claim_on_another_condition_does_not_hide_the_suggestion():
    claims = [(offset_of("They reduce"), MS.key)]
    assert suggested_keys(TWO_CONDITIONS, claimed=claims) == [LUPUS.key, RA.key]


def test_a_claim_starting_in_another_sentence_does_not_hide_the_suggestion():
    sentence = document(TWO_CONDITIONS).sentences()[1]
    assert sentence.text == "They reduce flares in lupus and in RA."
    claims = [(offset_of("Stem cells may"), LUPUS.key), (sentence.end, RA.key), (offset_of("More"), RA.key)]
    assert suggested_keys(TWO_CONDITIONS, claimed=claims) == [LUPUS.key, RA.key]


# Scale and real prose ----------------------------------------------------------------------


def test_a_long_article_gets_every_suggestion():
    paragraph = "Stem cells are studied. They may reduce symptoms of lupus. Scleroderma is rare. " * 2000
    suggestions = suggest(paragraph)
    assert len(suggestions) == 2000
    assert {suggestion.condition_key for suggestion in suggestions} == {LUPUS.key}


def test_real_prose_suggests_a_sentence_naming_three_conditions():
    lines = prose.read(prose.IRON).splitlines()
    doc = document(*[line for line in lines if line.strip()])
    sentence = (
        "Testing early matters most for women with coeliac disease, heavy menstrual bleeding before pregnancy or "
        "Crohn’s disease, because treating their low iron before the third trimester may reduce the chance of a "
        "blood transfusion and speed their recovery after the birth."
    )
    [start] = [s.start for s in doc.sentences() if s.text == sentence]
    coeliac = ConditionNames(80, "Coeliac disease", ("celiac disease",))
    bleeding = ConditionNames(81, "Heavy menstrual bleeding", ("menorrhagia",))
    matcher = ConditionMatcher([coeliac, bleeding, CROHNS])

    here = [s for s in suggest_claims(doc.sentences(), matcher, []) if s.start == start]
    assert [(s.condition_key, s.condition_words) for s in here] == [
        (coeliac.key, "coeliac disease"),
        (bleeding.key, "heavy menstrual bleeding"),
        (CROHNS.key, "Crohn’s disease"),
    ]
    assert here[0].cue_words == ("treating", "reduce", "recovery")

    claimed = [(start, bleeding.key)]
    here = [s for s in suggest_claims(doc.sentences(), matcher, claimed) if s.start == start]
    assert [s.condition_key for s in here] == [coeliac.key, CROHNS.key]


# A sentence referring back to the condition an earlier one names ------------------------------


NAMES_LUPUS = "Rituximab is given to some people with lupus."  # names lupus, claims nothing
THERAPY = "This therapy reduced flares in half of patients."


def suggested_for(*paragraphs, **options):
    """Each suggested sentence with (condition key, where its condition came from), in text order."""
    return [(s.text, s.condition_key, s.context_start) for s in suggest(*paragraphs, **options)]


def test_a_sentence_referring_back_is_suggested_for_the_condition_named_before_it():
    [suggestion] = suggest(f"{NAMES_LUPUS} {THERAPY}")
    assert (suggestion.text, suggestion.condition_key, suggestion.condition_words) == (THERAPY, LUPUS.key, "lupus")
    assert (suggestion.context_start, suggestion.context_text) == (0, NAMES_LUPUS)
    assert suggestion.from_context
    note = suggestion.context_note()
    assert note.startswith("Names no condition itself; it refers back to “lupus”")
    assert note.endswith(f"named in the earlier sentence “{NAMES_LUPUS}”")
    assert suggestion.context_note(limit=20).endswith("“Rituximab is given…”")


def test_without_the_earlier_sentence_it_names_no_condition():
    assert suggested_for(THERAPY) == [(THERAPY, None, None)]


@pytest.mark.parametrize(
    "later",
    [
        "The disease went into remission in a third of them.",
        "It may also lower the dose of steroids people need.",
        "They had fewer flares after a year.",
        "In these patients, kidney function improved.",
    ],
)
def test_the_referring_words_and_a_cue_or_effect_make_the_suggestion(later):
    assert suggested_for(f"{NAMES_LUPUS} {THERAPY} {later}") == [(THERAPY, LUPUS.key, 0), (later, LUPUS.key, 0)]


def test_the_nearest_earlier_sentence_naming_a_condition_gives_it():
    ra = "Methotrexate is given to people with rheumatoid arthritis."
    text = f"{NAMES_LUPUS} {ra} {THERAPY}"
    assert suggested_for(text) == [(THERAPY, RA.key, len(NAMES_LUPUS) + 1)]


def test_a_question_naming_the_condition_gives_it_though_it_is_never_suggested():
    [suggestion] = suggest("Can stem cells cure lupus? They reduced flares in two small trials.")
    assert (suggestion.condition_key, suggestion.context_text) == (LUPUS.key, "Can stem cells cure lupus?")


def test_the_condition_is_never_taken_from_another_paragraph():
    assert suggested_for(NAMES_LUPUS, THERAPY) == [(THERAPY, None, None)]


def test_the_condition_is_never_taken_across_a_heading():
    doc = read_html(f"<p>{NAMES_LUPUS}</p><h2>Results</h2><p>{THERAPY}</p>")
    [suggestion] = suggest_claims(doc.sentences(), ConditionMatcher(ALL), [])
    assert (suggestion.text, suggestion.condition_key) == (THERAPY, None)


def test_a_sentence_not_opening_by_referring_back_keeps_no_condition():
    sentence = "Rituximab reduced flares in half of patients."
    assert suggested_for(f"{NAMES_LUPUS} {sentence}") == [(sentence, None, None)]


@pytest.mark.parametrize(
    "later",
    ["It is given as two infusions a fortnight apart.", "This was a small study of forty adults."],
)
def test_a_referring_sentence_with_no_health_cue_is_not_suggested(later):
    assert suggest(f"{NAMES_LUPUS} {later}") == []


def test_a_referring_sentence_naming_a_disease_of_its_own_is_not_given_the_earlier_condition():
    sentence = "It also eased asthma in some patients."
    assert suggested_for(f"{NAMES_LUPUS} {sentence}") == [(sentence, None, None)]


def test_an_earlier_sentence_naming_two_conditions_gives_neither():
    text = f"Rituximab is given to people with lupus or rheumatoid arthritis. {THERAPY}"
    assert suggested_for(text) == [(THERAPY, None, None)]


def test_a_claim_starting_in_the_referring_sentence_hides_its_suggestion():
    start = len(NAMES_LUPUS) + 1
    assert suggest(f"{NAMES_LUPUS} {THERAPY}", claimed=[(start, RA.key)]) == []
