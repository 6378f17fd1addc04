"""Sentence segmentation of medical prose: the gold set's hard cases, each hard category, the contract."""

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.sentences import split_sentences
from bench.gold.hard_cases import CATEGORIES
from bench.segmentation import hard_case_items, prf, score
from tests.helpers import sentences_of

TARGET_F1 = 0.98
NBSP = "\u00a0"


def test_hard_cases_score_at_least_the_target_f1():
    hits, predicted, expected, wrong = score(split_sentences, hard_case_items())
    precision, recall, f1 = prf(hits, predicted, expected)
    assert f1 >= TARGET_F1, f"F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f}); wrong: {[w[0] for w in wrong]}"


def test_hard_cases_cover_at_least_250_sentences():
    assert sum(len(gold) for _, _, gold in hard_case_items()) >= 250


@pytest.mark.parametrize("category", list(CATEGORIES))
def test_every_hard_case_category_splits_as_its_gold(category):
    for sentences in CATEGORIES[category]:
        assert sentences_of(" ".join(sentences)) == sentences


def case(text, *expected, id):
    return pytest.param(text, list(expected), id=id)


TARGETED = [
    # Abbreviations that never end a sentence.
    case("Use a spacer, e.g. a plastic tube. It helps.", "Use a spacer, e.g. a plastic tube.", "It helps.", id="e.g."),
    case("Rest, i.e. no sport, for a week. Then walk.", "Rest, i.e. no sport, for a week.", "Then walk.", id="i.e."),
    case("Dr. Mensah agreed. So did Prof. Ali.", "Dr. Mensah agreed.", "So did Prof. Ali.", id="Dr. and Prof."),
    case(
        "It took approx. 12 days. Most healed.", "It took approx. 12 days.", "Most healed.", id="approx. before number"
    ),
    case("Drug vs. Placebo was the question. Drug won.", "Drug vs. Placebo was the question.", "Drug won.", id="vs."),
    case("Cf. Table 2 for doses. They vary.", "Cf. Table 2 for doses.", "They vary.", id="cf."),
    case("Built ca. 1900, it still stands. Visit it.", "Built ca. 1900, it still stands.", "Visit it.", id="ca."),
    # Abbreviations that hold before a number only.
    case("See Fig. 2 for the curves. They split.", "See Fig. 2 for the curves.", "They split.", id="Fig. 2"),
    case("It is shown in Fig. 2. The curves split.", "It is shown in Fig. 2.", "The curves split.", id="Fig. 2 at end"),
    case("Trial No. 5 failed. Why?", "Trial No. 5 failed.", "Why?", id="No. 5"),
    case("Did it help? No. The pain came back.", "Did it help?", "No.", "The pain came back.", id="No. as an answer"),
    case("Read pp. 12–14 first. Then dose.", "Read pp. 12–14 first.", "Then dose.", id="pp. 12–14"),
    case("It is due in Sept. 2025. Wait.", "It is due in Sept. 2025.", "Wait.", id="month before year"),
    # Authors, initials and journals.
    case("Smith J. et al. agreed. Jones did not.", "Smith J. et al. agreed.", "Jones did not.", id="Smith J. et al."),
    case("As shown by Ng et al. The effect held.", "As shown by Ng et al.", "The effect held.", id="et al. at end"),
    case("Ng et al. [4] agreed. Fine.", "Ng et al. [4] agreed.", "Fine.", id="et al. before citation"),
    case("By J. R. Hart in 1998. Still used.", "By J. R. Hart in 1998.", "Still used.", id="initials"),
    case(
        "It ran in N. Engl. J. Med. 2018;379:1-9 first. Others followed.",
        "It ran in N. Engl. J. Med. 2018;379:1-9 first.",
        "Others followed.",
        id="journal mid-sentence",
    ),
    case(
        "It ran in Lancet Respir. Med. The data held.",
        "It ran in Lancet Respir. Med.",
        "The data held.",
        id="journal end",
    ),
    # Degrees and countries.
    case(
        "Ana Ruiz, M.D., and Li Wu, Ph.D., wrote it. Read it.",
        "Ana Ruiz, M.D., and Li Wu, Ph.D., wrote it.",
        "Read it.",
        id="M.D. Ph.D. mid",
    ),
    case(
        "It was led by Li Wu, Ph.D. She is a chemist.",
        "It was led by Li Wu, Ph.D.",
        "She is a chemist.",
        id="Ph.D. at end",
    ),
    case(
        "It is sold in the U.S. and the U.K. today. Not here.",
        "It is sold in the U.S. and the U.K. today.",
        "Not here.",
        id="U.S. U.K. mid",
    ),
    case(
        "The U.S. Food and Drug Administration agreed. Good.",
        "The U.S. Food and Drug Administration agreed.",
        "Good.",
        id="U.S. before name",
    ),
    case("It is legal in the U.S. The U.K. differs.", "It is legal in the U.S.", "The U.K. differs.", id="U.S. at end"),
    # Numbers, doses and statistics.
    case("Give 1.5 mg/kg daily. Check levels.", "Give 1.5 mg/kg daily.", "Check levels.", id="decimal dose"),
    case("It was significant (p < 0.05). Good.", "It was significant (p < 0.05).", "Good.", id="p < 0.05"),
    case("It fell, p = .03. Small.", "It fell, p = .03.", "Small.", id="p = .03"),
    case("OR 1.9 (95% CI 1.2–3.4). Robust.", "OR 1.9 (95% CI 1.2–3.4).", "Robust.", id="95% CI"),
    case("Rates were 30–40%. That is high.", "Rates were 30–40%.", "That is high.", id="percent range"),
    case("Keep it below 100 mg/dL. Recheck.", "Keep it below 100 mg/dL.", "Recheck.", id="mg/dL. at end"),
    case("It began in 2016. 812 adults joined.", "It began in 2016.", "812 adults joined.", id="digit starts sentence"),
    # Stages, types and vitamins.
    case("It was Stage II. Surgery followed.", "It was Stage II.", "Surgery followed.", id="Stage II."),
    case("It was Stage I. Surgery followed.", "It was Stage I.", "Surgery followed.", id="Stage I."),
    case(
        "Most lack vitamin D. In winter it is worse.", "Most lack vitamin D.", "In winter it is worse.", id="vitamin D."
    ),
    case(
        "It prevents type 2 diabetes. In trials it worked.",
        "It prevents type 2 diabetes.",
        "In trials it worked.",
        id="type 2 diabetes.",
    ),
    # Numbered steps.
    case("1. Wash your hands. 2. Dry them.", "1. Wash your hands.", "2. Dry them.", id="numbered steps"),
    case("Do this. 1. Open it. 2. Pour it.", "Do this.", "1. Open it.", "2. Pour it.", id="steps after a sentence"),
    case("Use bed 2. The rest are full.", "Use bed 2.", "The rest are full.", id="number at end is no list marker"),
    # Questions, exclamations, quotes and brackets.
    case("Is it safe? Yes! Ask first.", "Is it safe?", "Yes!", "Ask first.", id="? and !"),
    case("Really?! Yes.", "Really?!", "Yes.", id="?!"),
    case("Does it work‽ No.", "Does it work‽", "No.", id="interrobang"),
    case("“Will it hurt?” she asked. No.", "“Will it hurt?” she asked.", "No.", id="question inside quote"),
    case("He said “rest.” She did.", "He said “rest.”", "She did.", id="closing ”"),
    case("It says ‘eat first.’ Few do.", "It says ‘eat first.’", "Few do.", id="closing ’"),
    case("It reads «Keep cold.» Do so.", "It reads «Keep cold.»", "Do so.", id="closing »"),
    case(
        "Eat first. (Milk will do.) Then take it.",
        "Eat first.",
        "(Milk will do.)",
        "Then take it.",
        id="sentence in brackets",
    ),
    case(
        "Wait. (It stings. That is normal.) Rinse.",
        "Wait.",
        "(It stings. That is normal.)",
        "Rinse.",
        id="sentences in brackets",
    ),
    # Ellipses and dashes.
    case(
        "Results were mixed... More work is needed.", "Results were mixed...", "More work is needed.", id="... at end"
    ),
    case("It was … surprisingly small. Odd.", "It was … surprisingly small.", "Odd.", id="… mid-sentence"),
    case("It helped… Then it stopped.", "It helped…", "Then it stopped.", id="… at end"),
    case("It worked—briefly. Then not.", "It worked—briefly.", "Then not.", id="em dash"),
    # URLs and DOIs.
    case(
        "See https://example.org/a.b for it. Read it.", "See https://example.org/a.b for it.", "Read it.", id="URL mid"
    ),
    case("See https://example.org/a.b. Read it.", "See https://example.org/a.b.", "Read it.", id="URL at end"),
    case("See doi:10.1056/NEJMoa1703327 now. Read it.", "See doi:10.1056/NEJMoa1703327 now.", "Read it.", id="DOI mid"),
    case("See doi:10.1056/NEJMoa1703327. Read it.", "See doi:10.1056/NEJMoa1703327.", "Read it.", id="DOI at end"),
    case("Visit nice.org.uk. It is free.", "Visit nice.org.uk.", "It is free.", id="domain at end"),
    # Citations.
    case("It reduced fibrosis [3]. Humans differ.", "It reduced fibrosis [3].", "Humans differ.", id="[3] before stop"),
    case("It reduced fibrosis.[3] Humans differ.", "It reduced fibrosis.[3]", "Humans differ.", id="[3] after stop"),
    case("Two trials agree [3, 4]. One does not.", "Two trials agree [3, 4].", "One does not.", id="[3, 4]"),
    case("Reviews agree.[3–5] None had children.", "Reviews agree.[3–5]", "None had children.", id="[3–5] after stop"),
    # Spaces and case.
    case(f"Give 10{NBSP}mg. Dr.{NBSP}Ali agrees.", f"Give 10{NBSP}mg.", f"Dr.{NBSP}Ali agrees.", id="no-break spaces"),
    case("It is new. mRNA vaccines are safe.", "It is new.", "mRNA vaccines are safe.", id="mRNA starts sentence"),
    case(
        "They are reprogrammed. iPSCs grow well.",
        "They are reprogrammed.",
        "iPSCs grow well.",
        id="iPSCs starts sentence",
    ),
    case(
        "It lasted approx. two weeks. Fine.", "It lasted approx. two weeks.", "Fine.", id="plain lower case continues"
    ),
    case("Take 1 g q.i.d. Pain eased.", "Take 1 g q.i.d.", "Pain eased.", id="dosing abbreviation at end"),
    case(
        "Take it at 8 a.m. and 8 p.m. daily. Fine.", "Take it at 8 a.m. and 8 p.m. daily.", "Fine.", id="a.m. p.m. mid"
    ),
    case("No full stop at the end", "No full stop at the end", id="no final stop"),
]


@pytest.mark.parametrize("text, expected", TARGETED)
def test_hard_category(text, expected):
    assert sentences_of(text) == expected


def test_offsets_index_the_whole_text_within_the_given_range():
    text = "Title\n\nFirst one. Second one.\n\nLast."
    start = text.index("First")
    end = text.index("\n\nLast")
    assert [text[s:e] for s, e in split_sentences(text, start, end)] == ["First one.", "Second one."]


def test_surrounding_whitespace_stays_outside_the_spans():
    assert split_sentences("  One. Two.  ") == [(2, 6), (7, 11)]
    assert split_sentences("   ") == []


PROSE_ALPHABET = "aAbBzZ19 .?!…()[]“”'\",;:/–\u00a0\n"


@given(st.text(alphabet=PROSE_ALPHABET, max_size=80), st.data())
def test_spans_keep_the_contract_on_any_text(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    spans = split_sentences(text, start, end)
    cursor = start
    for span_start, span_end in spans:
        assert cursor <= span_start < span_end <= end
        assert text[cursor:span_start].strip() == ""
        assert not text[span_start].isspace() and not text[span_end - 1].isspace()
        cursor = span_end
    assert text[cursor:end].strip() == ""


def test_the_splitter_imports_no_django():
    code = "import sys, articles.sentences; sys.exit('django' in sys.modules)"
    repo = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=repo, check=False).returncode == 0
