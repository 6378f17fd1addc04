"""Changing a source that claims cite, in the Source admin and through claims.source_review.

Repointing a source (its kind or identifier) is a change to the evidence under every claim citing it:
approvals are withdrawn with the reason, and whoever repointed it may not decide on those claims.
Correcting its title or year keeps approvals and is kept in each citing claim's history.
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from claims import source_review
from claims.models import ArticlePage, Claim, ClaimDecision, Source
from claims.policy import refusal_to_review
from claims.services import claim_approve
from claims.source_review import source_change
from tests.factories import ClaimFactory, SourceFactory, published
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db

State = Claim.ReviewState
Decision = ClaimDecision.Decision
REASON = "Approval withdrawn: its source PMID 24836312 was changed to PMID 29298160."


@pytest.fixture
def source(db):
    return SourceFactory(identifier="24836312", title="A trial of pirfenidone", year=2014)


@pytest.fixture
def approved(article, source, reviewer):
    claim = ClaimFactory(article=article, sentence=1, sources=[source])
    return claim_approve(claim=claim, reviewer=reviewer)


def edit(client, source, **changes):
    data = {"kind": source.kind, "identifier": source.identifier, "title": source.title, "year": source.year or ""}
    data.update(changes)
    return client.post(reverse("admin:claims_source_change", args=[source.pk]), data, follow=True)


def test_repointing_a_source_withdraws_each_approval_citing_it_naming_the_change(
    editor_client, editor, approved, source
):
    response = edit(editor_client, source, identifier="29298160")

    assert response.status_code == 200
    source.refresh_from_db()
    assert source.identifier == "29298160"
    claim = Claim.objects.get(pk=approved.pk)
    assert claim.review_state == State.PENDING
    assert claim.last_changed_by == editor
    withdrawal = claim.decisions.first()
    assert (withdrawal.decision, withdrawal.actor, withdrawal.comment) == (Decision.WITHDRAWN, editor, REASON)
    assert withdrawal.snapshot["sources"] == ["PMID 29298160"]
    revision = claim.history.first()
    assert revision.history_user == editor
    assert revision.history_change_reason == "Source PMID 24836312 changed to PMID 29298160."
    assert any("Approval withdrawn from 1 claim citing this source" in m for m in messages_of(response))


def test_a_changed_kind_is_a_repointing_too(editor_client, article, reviewer):
    source = SourceFactory(kind=Source.Kind.URL, identifier="https://example.org/trial", title="")
    claim = claim_approve(claim=ClaimFactory(article=article, sources=[source]), reviewer=reviewer)

    edit(editor_client, source, kind="doi", identifier="10.1056/NEJMoa1703327")

    claim.refresh_from_db()
    assert claim.review_state == State.PENDING
    assert claim.decisions.first().comment == (
        "Approval withdrawn: its source https://example.org/trial was changed to doi:10.1056/nejmoa1703327."
    )


def test_the_same_identifier_typed_another_way_changes_nothing(editor_client, approved, source):
    edit(editor_client, source, kind="", identifier="PMID: 24836312")

    claim = Claim.objects.get(pk=approved.pk)
    assert claim.review_state == State.APPROVED
    assert claim.decisions.first().decision == Decision.APPROVED
    assert claim.history.count() == approved.history.count()


def test_claims_not_approved_keep_their_state_but_the_repointing_editor_may_not_decide_on_them(
    client, superuser, second_reviewer, article, source
):
    pending = ClaimFactory(article=article, sentence=1, sources=[source])
    draft = ClaimFactory(article=article, sentence=2, sources=[source], review_state=State.DRAFT)
    client.force_login(superuser)

    edit(client, source, identifier="29298160")

    for claim, state in ((pending, State.PENDING), (draft, State.DRAFT)):
        claim = Claim.objects.get(pk=claim.pk)
        assert claim.review_state == state
        assert not claim.decisions.filter(decision=Decision.WITHDRAWN).exists()
        assert claim.last_changed_by == superuser
    pending = Claim.objects.get(pk=pending.pk)
    assert refusal_to_review(pending, superuser) == (
        "You made the last change to this claim: another reviewer must decide on it."
    )
    with pytest.raises(PermissionDenied):
        claim_approve(claim=pending, reviewer=superuser)
    assert claim_approve(claim=pending, reviewer=second_reviewer).review_state == State.APPROVED


def test_the_reviewer_who_approved_may_not_approve_again_after_repointing_its_source(
    client, superuser, article, source
):
    claim = claim_approve(claim=ClaimFactory(article=article, sources=[source]), reviewer=superuser)
    client.force_login(superuser)

    edit(client, source, identifier="29298160")

    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.review_state, claim.last_changed_by) == (State.PENDING, superuser)
    with pytest.raises(PermissionDenied):
        claim_approve(claim=claim, reviewer=superuser)


def test_correcting_the_title_or_year_keeps_approvals_and_is_kept_in_each_citing_claims_history(
    editor_client, editor, approved, source, article
):
    other = ClaimFactory(article=article, sentence=2, sources=[source])
    revisions = {claim.pk: claim.history.count() for claim in (approved, other)}
    versions = {claim.pk: Claim.objects.get(pk=claim.pk).version for claim in (approved, other)}

    response = edit(editor_client, source, title="Pirfenidone", year="2015")

    for claim in (approved, other):
        fresh = Claim.objects.get(pk=claim.pk)
        assert fresh.review_state == claim.review_state
        assert fresh.last_changed_by == claim.last_changed_by
        assert fresh.version == versions[claim.pk]  # a claim form open meanwhile can still be saved
        assert fresh.history.count() == revisions[claim.pk] + 1
        note = fresh.history.first()
        assert note.history_user == editor
        assert note.history_change_reason == (
            "Source PMID 24836312 corrected: title “A trial of pirfenidone” → “Pirfenidone”; year 2014 → 2015."
        )
    assert not ClaimDecision.objects.filter(decision=Decision.WITHDRAWN).exists()
    said = "Title and year corrected: recorded in the history of the 2 claims citing this source; the approved one "
    assert said + "keeps its approval." in messages_of(response)


def test_the_reviewer_who_approved_a_claim_may_correct_its_sources_title(client, superuser, article, source):
    claim = claim_approve(claim=ClaimFactory(article=article, sources=[source]), reviewer=superuser)
    client.force_login(superuser)

    edit(client, source, title="Pirfenidone in idiopathic pulmonary fibrosis")

    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.review_state, claim.reviewed_by) == (State.APPROVED, superuser)


def test_a_long_correction_is_shortened_to_fit_the_history_and_kept_whole_in_the_sources_log(
    editor_client, approved, source
):
    title = "Pirfenidone in patients with idiopathic pulmonary fibrosis: a randomised, double-blind trial " * 3

    edit(editor_client, source, title=title.strip())

    note = Claim.objects.get(pk=approved.pk).history.first().history_change_reason
    assert len(note) <= 100
    assert note.startswith("Source PMID 24836312 corrected: title “A trial of pirfenidone” → “Pirfenidone in")
    log = LogEntry.objects.get(object_id=str(source.pk))
    assert log.get_change_message() == f"Source title from “A trial of pirfenidone” to “{title.strip()}”."


def test_a_shortened_correction_shows_where_the_titles_differ(editor_client, article):
    title = "Myeloablative autologous stem-cell transplantation for severe scleroderma (SCOT trial)"
    source = SourceFactory(kind=Source.Kind.DOI, identifier="10.1056/nejmoa1703327", title=title)
    claim = ClaimFactory(article=article, sources=[source])

    edit(editor_client, source, title=title.removesuffix(" (SCOT trial)"))

    assert claim.history.first().history_change_reason == (
        "Source doi:10.1056/nejmoa1703327 corrected: title “… scleroderma (SCOT trial)” → “… scleroderma”."
    )


def test_the_claims_history_page_shows_the_correction_and_who_made_it(editor_client, approved, source):
    edit(editor_client, source, year="2015")

    page = editor_client.get(reverse("admin:claims_claim_history", args=[approved.pk])).content.decode()
    assert "Source PMID 24836312 corrected: year 2014 → 2015." in page
    assert "Alex Tester" in " ".join(page.split())


def test_the_public_page_shows_a_claim_whose_source_was_repointed_as_under_review(
    client, editor, approved, source, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        published(article)
        ArticlePage.objects.filter(article=article).update(generation=1, built_generation=0)
    assert "Under review" not in client.get(article.get_absolute_url()).text
    with django_capture_on_commit_callbacks(execute=True):
        source_change(source=source, user=editor, kind="pmid", identifier="29298160", title=source.title, year=2014)
        published(article)  # readers see the claim under review once the draft is published again

    assert ArticlePage.objects.get(article=article).is_fresh
    text = client.get(article.get_absolute_url()).text
    assert "Under review" in text
    assert "24836312" not in text and "29298160" not in text  # a claim under review shows no sources
    export = client.get(reverse("claims:article-json", args=[article.slug])).json()
    assert [(c["review_state"], c["sources"]) for c in export["claims"]] == [("under_review", [])]


def test_the_source_and_its_claims_change_together_or_not_at_all(editor, approved, source, monkeypatch):
    def failing(**kwargs):
        raise RuntimeError("the decision could not be recorded")

    monkeypatch.setattr(source_review, "claim_withdraw_approval", failing)
    with pytest.raises(RuntimeError):
        source_change(source=source, user=editor, kind="pmid", identifier="29298160", title=source.title, year=2014)

    source.refresh_from_db()
    assert source.identifier == "24836312"
    claim = Claim.objects.get(pk=approved.pk)
    assert (claim.review_state, claim.last_changed_by) == (State.APPROVED, approved.last_changed_by)


def test_only_those_who_may_change_sources_can_repoint_one(reviewer, approved, source):
    with pytest.raises(PermissionDenied):
        source_change(source=source, user=reviewer, kind="pmid", identifier="29298160", title="", year=None)
    source.refresh_from_db()
    assert source.identifier == "24836312"


def test_repointing_onto_a_source_that_exists_is_refused_and_withdraws_nothing(editor_client, approved, source):
    SourceFactory(identifier="29298160")

    response = edit(editor_client, source, identifier="29298160")

    assert "This source exists already" in response.content.decode()
    assert Claim.objects.get(pk=approved.pk).review_state == State.APPROVED


def test_filling_in_the_citation_of_a_source_only_pending_claims_cite_mentions_no_approval(
    editor_client, source, article
):
    Source.objects.filter(pk=source.pk).update(title="")
    ClaimFactory(article=article, sentence=2, sources=[source], review_state=State.PENDING)

    response = edit(editor_client, Source.objects.get(pk=source.pk), title="Pirfenidone")

    assert "Title filled in: recorded in the history of the claim citing this source." in messages_of(response)
    assert not any("approval" in m or "correction" in m.lower() for m in messages_of(response))
