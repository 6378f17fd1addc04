"""A claim form opened before someone else saved the claim (an editor, a reviewer's decision, an
article edit that moved its sentence) is refused: nothing written, both versions shown, nothing typed lost."""

import pytest

from claims.models import Claim, ClaimDecision
from claims.services import claim_decide
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory, SourceFactory, claim_form_data, evidence
from tests.helpers import fresh, opened_version, page_text, signed_in
from tests.reviewing import decide

pytestmark = pytest.mark.django_db

Decision = ClaimDecision.Decision
TYPED_EXPLANATION = "One small trial in 12 people — no control group.\r\nFollow-up was 6 months <only>."
TYPED_NOTE = "Please check the registry entry NCT01234567 & its results."


@pytest.fixture
def claim(editor):
    return ClaimFactory(article=ArticleFactory(author=editor), sentence=2, review_state=Claim.ReviewState.PENDING)


@pytest.fixture
def second_editor(db):
    return EditorFactory(username="second-editor", first_name="Sam", last_name="Second")


def test_the_second_of_two_editors_saving_a_claim_is_refused_and_nothing_of_theirs_is_written(
    editor, second_editor, claim
):
    first, second = signed_in(editor), signed_in(second_editor)
    first_version = opened_version(first.get(claim.get_admin_url()))
    second_version = opened_version(second.get(claim.get_admin_url()))
    first.post(claim.get_admin_url(), claim_form_data(claim, explanation="Two trials.", base_version=first_version))
    after_first = fresh(claim)
    revisions = after_first.history.count()
    new_source_count = claim.sources.count()

    refused = second.post(
        claim.get_admin_url(),
        claim_form_data(
            claim,
            evidence_status=str(evidence("very-uncertain").pk),
            explanation=TYPED_EXPLANATION,
            reviewer_note=TYPED_NOTE,
            new_sources="PMID: 29298160",
            base_version=second_version,
        ),
    )

    assert refused.status_code == 200
    now = fresh(claim)
    assert (now.explanation, now.evidence_status_id, now.reviewer_note) == (
        "Two trials.",
        after_first.evidence_status_id,
        after_first.reviewer_note,
    )
    assert now.sources.count() == new_source_count  # the typed source was not added
    assert now.version == after_first.version
    assert now.history.count() == revisions
    assert not ClaimDecision.objects.filter(claim=claim).exclude(decision=Decision.SUBMITTED).exists()


def test_the_claim_refusal_shows_the_differing_fields_and_keeps_the_typed_text_and_the_picked_sentence(
    editor, second_editor, claim
):
    first, second = signed_in(editor), signed_in(second_editor)
    first_version = opened_version(first.get(claim.get_admin_url()))
    second_version = opened_version(second.get(claim.get_admin_url()))
    first.post(claim.get_admin_url(), claim_form_data(claim, explanation="Two trials.", base_version=first_version))
    other_sentence = claim.article.sentences()[3]
    typed = claim_form_data(
        claim,
        sentence=f"{other_sentence.start}:{other_sentence.end}",
        evidence_status=str(evidence("very-uncertain").pk),
        explanation=TYPED_EXPLANATION,
        reviewer_note=TYPED_NOTE,
        base_version=second_version,
    )

    refused = second.post(claim.get_admin_url(), typed)

    conflict = refused.context["edit_conflict"]
    differences = {d.label: (d.yours, d.saved) for d in conflict.differences}
    assert list(differences) == ["Words claimed", "Evidence", "Explanation for readers", "Note to the reviewer"]
    assert differences["Words claimed"] == (other_sentence.text, claim.quote)
    assert differences["Evidence"] == (evidence("very-uncertain").name, claim.evidence_status.name)
    assert differences["Explanation for readers"] == (TYPED_EXPLANATION.replace("\r\n", "\n"), "Two trials.")
    text = page_text(refused)
    assert f"saved by {editor.get_full_name()} ({editor.get_username()})" in text
    assert "Not saved: this claim changed after you opened it" in text
    form = refused.context["adminform"].form
    assert form["explanation"].value() == TYPED_EXPLANATION
    assert form["reviewer_note"].value() == TYPED_NOTE
    assert form["sentence"].value() == typed["sentence"]
    assert f'value="{typed["sentence"]}"' in refused.content.decode()  # the picked sentence stays picked
    assert opened_version(refused) == str(fresh(claim).version)

    merged = second.post(claim.get_admin_url(), {**typed, "base_version": opened_version(refused)})

    assert merged.status_code == 302
    now = fresh(claim)
    assert (now.quote, now.explanation) == (other_sentence.text, TYPED_EXPLANATION)


def test_a_reviewers_decision_made_while_an_editor_has_the_claim_open_makes_the_editors_save_conflict(
    editor, reviewer, claim
):
    editing, reviewing = signed_in(editor), signed_in(reviewer)
    opened = opened_version(editing.get(claim.get_admin_url()))
    decided = decide(reviewing, claim, Decision.APPROVED, follow=False, comment="Checked both trials.")

    refused = editing.post(
        claim.get_admin_url(),
        claim_form_data(claim, evidence_status=str(evidence("limited").pk), base_version=opened),
    )

    assert decided.status_code == 302
    assert refused.status_code == 200
    now = fresh(claim)
    assert now.review_state == Claim.ReviewState.APPROVED  # the decision stands
    assert now.evidence_status == claim.evidence_status  # the editor's change was not written
    text = page_text(refused)
    assert f"saved by {reviewer.get_full_name()} ({reviewer.get_username()})" in text
    assert "(Approved)" in text
    assert "Its review state is now “Approved”" in text
    assert "saying “Checked both trials.”" in text  # the reviewer's comment, for the editor to act on
    assert "“Checked both trials.”." not in text  # its own full stop ends the note
    # Saving again after seeing the decision goes through, and withdraws the approval as any such change does.
    again = editing.post(
        claim.get_admin_url(),
        claim_form_data(claim, evidence_status=str(evidence("limited").pk), base_version=opened_version(refused)),
    )
    assert again.status_code == 302
    assert fresh(claim).review_state == Claim.ReviewState.PENDING
    assert fresh(claim).decisions.first().decision == Decision.WITHDRAWN


def test_a_claim_moved_by_an_article_edit_makes_a_form_opened_before_it_conflict(editor, editor_client, claim):
    opened = opened_version(editor_client.get(claim.get_admin_url()))
    article = claim.article
    article.body = "A new first sentence about breathing.\n\n" + article.body
    article.save()

    refused = editor_client.post(
        claim.get_admin_url(), claim_form_data(claim, explanation="Reworded.", base_version=opened)
    )

    assert refused.status_code == 200
    now = fresh(claim)
    assert now.start != claim.start  # the re-anchoring is kept
    assert now.explanation == claim.explanation
    assert "Its article was edited: its sentence moved" in page_text(refused)


def test_a_stale_claim_object_is_never_refused_by_a_service(reviewer, claim):
    """Services read the row afresh and lock it: only forms are refused for being out of date."""
    stale = fresh(claim)
    current = fresh(claim)
    current.explanation = "Changed by someone else."
    current.save()

    decided = claim_decide(claim=stale, reviewer=reviewer, decision=Decision.CHANGES_REQUESTED, comment="Add a source.")

    assert decided.review_state == Claim.ReviewState.CHANGES_REQUESTED
    assert fresh(claim).explanation == "Changed by someone else."
    assert fresh(claim).version == claim.version + 2


def test_sources_chosen_in_a_refused_form_are_listed_beside_the_saved_ones(editor, second_editor, claim):
    first, second = signed_in(editor), signed_in(second_editor)
    first_version = opened_version(first.get(claim.get_admin_url()))
    second_version = opened_version(second.get(claim.get_admin_url()))
    first.post(claim.get_admin_url(), claim_form_data(claim, explanation="Two trials.", base_version=first_version))
    extra = SourceFactory(identifier="31415926")

    refused = second.post(
        claim.get_admin_url(),
        claim_form_data(
            claim,
            sources=[*claim_form_data(claim)["sources"], str(extra.pk)],
            new_sources="doi:10.1056/NEJMoa1703327",
            base_version=second_version,
        ),
    )

    sources = next(d for d in refused.context["edit_conflict"].differences if d.label == "Sources")
    assert "PMID 31415926" in sources.yours.splitlines()
    assert "doi:10.1056/NEJMoa1703327 (to add)" in sources.yours.splitlines()
    assert "PMID 31415926" not in sources.saved
    assert not claim.sources.filter(pk=extra.pk).exists()
