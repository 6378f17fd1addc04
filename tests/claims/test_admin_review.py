import pytest
from django.urls import reverse

from claims.models import Claim
from tests.factories import ClaimFactory
from tests.reviewing import decide, decide_url

pytestmark = pytest.mark.django_db


def test_reviewer_sees_an_approve_button_and_approving_records_them(client, reviewer):
    claim = ClaimFactory()
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "Approve this claim" in page.text
    response = decide(client, claim, "approved")
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.APPROVED and claim.reviewed_by == reviewer
    # The queue is empty now: the reviewer is sent back to it, told what was decided and that nothing waits.
    assert f"Approved “{claim}”." in response.text and "No more claims to review." in response.text


def test_reviewer_is_told_why_they_cannot_approve_their_own_claim(client, reviewer):
    claim = ClaimFactory(created_by=reviewer, last_changed_by=reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "Approve this claim" not in page.text
    assert "You wrote this claim" in page.text
    response = decide(client, claim, "approved")
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.PENDING
    assert "You wrote this claim" in response.text


def test_editor_gets_no_approve_button_and_a_forced_post_is_refused(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "Approve this claim" not in page.text
    decide(client, claim, "approved")
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.PENDING


def test_approve_endpoint_refuses_get_and_anonymous_users(client, reviewer):
    claim = ClaimFactory()
    assert decide(client, claim, "approved", follow=False).status_code == 302  # to the admin login
    client.force_login(reviewer)
    assert client.get(decide_url(claim)).status_code == 405
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.PENDING


def test_an_editor_cannot_delete_an_approved_claim_but_a_reviewer_can(client, editor, reviewer, second_reviewer):
    from claims.services import claim_approve

    claim = claim_approve(claim=ClaimFactory(), reviewer=second_reviewer)
    delete_url = reverse("admin:claims_claim_delete", args=[claim.pk])
    client.force_login(editor)
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "delete_selected", "_selected_action": [claim.pk], "post": "yes"},
    )
    assert Claim.objects.filter(pk=claim.pk).exists()
    client.force_login(reviewer)
    reviewer.groups.first().permissions.add(*_delete_permission())
    client.post(delete_url, {"post": "yes"})
    assert not Claim.objects.filter(pk=claim.pk).exists()


def _delete_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="delete_claim")


def test_an_orphaned_claims_form_says_what_happened_with_its_words_escaped(client, editor, article):
    claim = ClaimFactory(article=article, is_orphaned=True)
    Claim.objects.filter(pk=claim.pk).update(quote="<script>alert(1)</script> cells heal lungs.")
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "This claim lost its sentence" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; cells heal lungs." in page.text
    assert "<script>alert(1)</script>" not in page.text


def test_orphaned_claims_are_listed_for_editors_to_reattach_or_delete(client, editor, article):
    orphan = ClaimFactory(article=article, sentence=2)
    anchored = ClaimFactory(article=article, sentence=1)
    article.body = article.body.replace(orphan.quote, "")
    article.save()
    client.force_login(editor)
    page = client.get(reverse("admin:claims_orphanedclaim_changelist"))
    assert orphan.quote in page.text
    assert anchored.quote not in page.text
    assert reverse("admin:claims_claim_change", args=[orphan.pk]) in page.text  # the re-attach link
    client.post(
        reverse("admin:claims_orphanedclaim_changelist"),
        {"action": "delete_selected", "_selected_action": [orphan.pk], "post": "yes"},
    )
    assert not Claim.objects.filter(pk=orphan.pk).exists()
    assert Claim.objects.filter(pk=anchored.pk).exists()


def test_reattaching_an_orphan_by_picking_a_sentence_puts_it_back(client, editor, article):
    orphan = ClaimFactory(article=article, sentence=2)
    article.body = article.body.replace(orphan.quote, "Infusions were safe in two small trials.")
    article.save()
    orphan.refresh_from_db()
    assert orphan.is_orphaned
    sentence = next(s for s in article.sentences() if s.text == "Infusions were safe in two small trials.")
    client.force_login(editor)
    response = client.post(
        reverse("admin:claims_claim_change", args=[orphan.pk]),
        {
            "sentence": f"{sentence.start}:{sentence.end}",
            "part": "",
            "condition": orphan.condition_id,
            "evidence_status": orphan.evidence_status_id,
            "sources": [s.pk for s in orphan.sources.all()],
            "new_sources": "",
            "explanation": orphan.explanation,
            "reviewer_note": "",
            "base_version": orphan.version,
        },
    )
    assert response.status_code == 302
    orphan.refresh_from_db()
    assert not orphan.is_orphaned and orphan.quote == "Infusions were safe in two small trials."
