"""What a claim's sources say against its grade (claims/text/source_findings.py), with plain values."""

from claims.text import source_findings as findings
from claims.text import study_design as design
from claims.text.source_findings import SourceFacts
from claims.text.study_design import Expectation

STRONG = Expectation("Strong", (design.SYSTEMATIC_REVIEW, design.RANDOMISED_TRIAL), count=2)
MODERATE = Expectation("Moderate", (design.RANDOMISED_TRIAL, design.COHORT_CASE_CONTROL))
ANYTHING = Expectation("Very uncertain")


def facts(key, design_key=design.RANDOMISED_TRIAL, **kwargs):
    return SourceFacts(key=key, label=f"Study {key}", design=design_key, **kwargs)


def kinds(found):
    return [finding.kind for finding in found]


def test_a_moderate_claim_citing_only_mice_and_a_preprint_outruns_its_sources():
    found = findings.claim_source_findings(MODERATE, [facts(1, design.ANIMAL), facts(2, design.PREPRINT)])

    assert kinds(found) == [findings.OUTRUNS]
    assert found[0].text.endswith("“Study 1” is an animal study and “Study 2” is a preprint.")
    assert found[0].source_keys == (1, 2)


def test_one_source_of_an_expected_design_is_enough_for_moderate():
    assert findings.claim_source_findings(MODERATE, [facts(1, design.ANIMAL), facts(2)]) == []


def test_strong_needs_several_sources_of_its_designs():
    found = findings.claim_source_findings(STRONG, [facts(1), facts(2, design.CASE_SERIES)])
    assert kinds(found) == [findings.OUTRUNS]
    assert found[0].text == (
        "“Strong” expects 2 sources of these designs: systematic review or meta-analysis or randomised trial; "
        "only 1 of its 2 sources has one of them: “Study 2” is a case series or case report."
    )
    assert findings.claim_source_findings(STRONG, [facts(1), facts(2, design.SYSTEMATIC_REVIEW)]) == []


def test_an_unknown_design_does_not_count_and_the_finding_says_so_gently():
    found = findings.claim_source_findings(MODERATE, [facts(1, design.UNKNOWN)])
    assert kinds(found) == [findings.OUTRUNS]
    assert found[0].text.endswith(
        "its only source, “Study 1”, has no known design yet: set the design on the source to count it."
    )


def test_grades_expecting_anything_unrated_grades_and_unsourced_claims_are_not_outrun():
    assert findings.claim_source_findings(ANYTHING, [facts(1, design.ANIMAL)]) == []
    unrated = Expectation("Not yet rated", (design.RANDOMISED_TRIAL,), rated=False)
    assert findings.claim_source_findings(unrated, [facts(1, design.ANIMAL)]) == []
    assert findings.claim_source_findings(MODERATE, []) == []


def test_a_retracted_corrected_or_concerning_source_is_named_with_its_date():
    source = facts(1, notices=(("retraction", "2024-03-01"), ("expression_of_concern", "2023-11-20")))
    found = findings.claim_source_findings(MODERATE, [source, facts(2)])
    assert kinds(found) == [findings.RETRACTED, findings.RETRACTED]
    assert found[0].text == "“Study 1” was retracted on 1 March 2024."
    assert found[1].text == "“Study 1” was given an expression of concern on 20 November 2023."


def test_a_retracted_source_supports_no_grade_whatever_its_design():
    retracted = facts(1, notices=(("retraction", "2024-03-01"),))
    found = findings.claim_source_findings(MODERATE, [retracted])
    assert kinds(found) == [findings.OUTRUNS, findings.RETRACTED]
    assert (
        "its only source, “Study 1”, was retracted, and a retracted source is not counted as support." in found[0].text
    )
    other = facts(2, design.ANIMAL)
    (outrun,) = [f for f in findings.claim_source_findings(MODERATE, [retracted, other]) if f.kind == findings.OUTRUNS]
    assert "none of its 2 sources has one of them and is not retracted" in outrun.text
    assert "“Study 2” is an animal study" in outrun.text
    assert "“Study 1” was retracted, and a retracted source is not counted" in outrun.text
    assert found[0].source_keys == (1,)
    # Under an expression of concern or corrected, it still counts: a reviewer is told of it apart.
    concern = facts(1, notices=(("expression_of_concern", "2024-03-01"), ("correction", "2024-04-01")))
    assert kinds(findings.claim_source_findings(MODERATE, [concern])) == [findings.RETRACTED, findings.RETRACTED]
    two = findings.claim_source_findings(STRONG, [retracted, facts(2, design.SYSTEMATIC_REVIEW)])
    assert "only 1 of its 2 sources has one of them and is not retracted: “Study 1” was retracted" in two[0].text


def test_the_lists_summary_does_not_count_a_retracted_source_either():
    summary = findings.SourceSummary(total=1, fitting=0, retracted=1, notice="retraction|2024-03-01|Study 1")
    [outruns, notice] = findings.summary_findings(MODERATE, summary)
    assert outruns.kind == findings.OUTRUNS and outruns.about == "retracted source"
    assert outruns.text.endswith("; its only source was retracted, and a retracted source is not counted as support.")
    assert notice.text == "“Study 1” was retracted on 1 March 2024."


def test_a_stopped_trial_is_named():
    found = findings.claim_source_findings(MODERATE, [facts(1, trial_stopped=("terminated", "2024-05-02"))])
    assert kinds(found) == [findings.TRIAL_STOPPED]
    # The registry dates the last update of the record, not the day the trial stopped.
    assert found[0].text == "The trial “Study 1” stopped early: status terminated, last updated 2 May 2024."


def test_results_posted_after_approval_are_worth_a_look_but_not_before_or_unapproved():
    source = facts(1, results_posted_on="2024-06-01")
    assert kinds(findings.claim_source_findings(MODERATE, [source], approved_on="2024-01-01")) == [
        findings.RESULTS_POSTED
    ]
    assert findings.claim_source_findings(MODERATE, [source], approved_on="2024-07-01") == []
    assert findings.claim_source_findings(MODERATE, [source], approved_on="") == []


def summary_said(expectation=STRONG, **counts):
    [finding] = findings.summary_findings(expectation, findings.SourceSummary(**counts))
    return finding.text.split("; ", 1)[1]


def test_the_lists_summary_says_in_words_how_many_sources_fit():
    assert summary_said(total=1, fitting=1) == "its only source has one of them, and it needs 2."
    assert summary_said(total=3) == "none of its 3 sources has one of them: 3 are of another design."
    assert summary_said(total=3, fitting=1) == "only 1 of its 3 sources has one of them: 2 are of another design."
    assert summary_said(total=3, fitting=1, retracted=2) == (
        "only 1 of its 3 sources has one of them and is not retracted: 2 of them were retracted, and a retracted "
        "source is not counted."
    )


def test_the_lists_summary_names_the_source_the_grade_outruns():
    def found(fitting, total, unfit):
        summary = findings.SourceSummary(total=total, fitting=fitting, unfit=unfit)
        [finding] = findings.summary_findings(STRONG, summary)
        return finding.text.split("; ", 1)[1], finding.about

    assert found(0, 1, f"{design.ANIMAL}|PMID 123") == (
        "its only source, PMID 123, is an animal study.",
        "PMID 123, animal study",
    )
    assert found(1, 3, f"{design.CASE_SERIES}|doi:10.1/x") == (
        "only 1 of its 3 sources has one of them: doi:10.1/x is a case series or case report and 1 other is of "
        "another design.",
        "doi:10.1/x, case series or case report, and 1 more",
    )


def test_sources_of_unknown_design_are_counted_once_in_one_sentence():
    early = Expectation("Early research only", (design.ANIMAL, design.LABORATORY))
    both_unknown = summary_said(early, total=2, unknown=2, unfit=f"{design.UNKNOWN}|PMID 31000003")
    assert both_unknown == "none of its 2 sources has a known design yet: set the design on each source to count them."
    only = summary_said(MODERATE, total=1, unknown=1, unfit=f"{design.UNKNOWN}|NCT01234567")
    assert only == "its only source, NCT01234567, has no known design yet: set the design on the source to count it."
    named_unknown = summary_said(MODERATE, total=3, unknown=2, unfit=f"{design.UNKNOWN}|PMID 3")
    assert named_unknown == (
        "none of its 3 sources has one of them: 1 is of another design, and PMID 3 and 1 other have no known design "
        "yet; set the design on each source to count them."
    )
    named_known = summary_said(MODERATE, total=3, unknown=2, unfit=f"{design.ANIMAL}|PMID 1")
    assert named_known == (
        "none of its 3 sources has one of them: PMID 1 is an animal study, and 2 have no known design yet; "
        "set the design on each source to count them."
    )
    assert "not fit either" not in named_known and "not counted" not in named_known


def test_the_claim_page_names_every_source_once():
    sources = [facts(1, design.ANIMAL), facts(2, design.UNKNOWN), facts(3, design.UNKNOWN)]
    [finding] = findings.claim_source_findings(MODERATE, sources)
    assert finding.text.split("; ", 1)[1] == (
        "none of its 3 sources has one of them: “Study 1” is an animal study, and “Study 2” and “Study 3” have no "
        "known design yet; set the design on each source to count them."
    )


def test_dates_are_written_in_words():
    assert findings.day_words("2014-07-02") == "2 July 2014"
    assert findings.day_words("") == ""
    source = facts(1, results_posted_on="2024-06-01")
    [finding] = findings.claim_source_findings(MODERATE, [source], approved_on="2024-01-01")
    assert "posted its results on 1 June 2024, after this claim was approved on 1 January 2024" in finding.text


def test_a_stopped_trial_has_a_symbol_common_fonts_draw():
    assert findings.SYMBOLS[findings.TRIAL_STOPPED] == "■"
