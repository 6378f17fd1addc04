"""Conditions and evidence statuses that claims use cannot be deleted: the admin says why, never a server error."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from claims.admin.vocabulary import ConditionAdmin, EvidenceStatusAdmin
from claims.models import Condition, EvidenceStatus
from tests.factories import ClaimFactory, ConditionFactory
from tests.helpers import messages_of, page_text

pytestmark = pytest.mark.django_db


def unused_status():
    return EvidenceStatus.objects.create(
        name="Unused grade", slug="unused-grade", symbol="~", badge_text="Unused", description="Not used."
    )


KINDS = {
    "condition": (Condition, ConditionAdmin, lambda claim: claim.condition, ConditionFactory),
    "evidencestatus": (EvidenceStatus, EvidenceStatusAdmin, lambda claim: claim.evidence_status, unused_status),
}


@pytest.mark.parametrize("kind", KINDS)
def test_deleting_one_in_use_says_which_claims_use_it_and_deletes_nothing(root_client, kind):
    model, _, used, _ = KINDS[kind]
    claim = ClaimFactory(live=False)
    row = used(claim)
    url = reverse(f"admin:claims_{kind}_delete", args=[row.pk])

    page = root_client.get(url)
    attempt = root_client.post(url, {"post": "yes"})

    for response in (page, attempt):
        assert response.status_code == 200
        text = page_text(response)
        assert f"“{row}” is in use, so it was not deleted: 1 claim below uses this" in text
        assert claim.get_admin_url() in response.content.decode()  # a link to the claim that uses it
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_deleting_several_when_one_is_in_use_deletes_none_and_says_why(root_client, kind):
    model, _, used, make_unused = KINDS[kind]
    row, unused = used(ClaimFactory(live=False)), make_unused()
    url = reverse(f"admin:claims_{kind}_changelist")

    response = root_client.post(
        url, {"action": "delete_selected", "_selected_action": [row.pk, unused.pk], "post": "yes"}
    )

    assert response.status_code == 200
    assert "Nothing was deleted: some of the selected" in page_text(response)
    assert model.objects.filter(pk__in=[row.pk, unused.pk]).count() == 2


@pytest.mark.parametrize("kind", KINDS)
def test_selecting_only_one_in_use_names_the_kind_in_the_plural(root_client, kind):
    model, _, used, _ = KINDS[kind]
    row = used(ClaimFactory(live=False))

    response = root_client.post(
        reverse(f"admin:claims_{kind}_changelist"), {"action": "delete_selected", "_selected_action": [row.pk]}
    )

    plural = model._meta.verbose_name_plural
    assert f"some of the selected {plural} are in use" in page_text(response)
    assert f"or select only {plural} no claim uses" in page_text(response)
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_one_that_no_claim_uses_can_be_deleted(root_client, kind):
    model, _, _, make_unused = KINDS[kind]
    unused = make_unused()

    response = root_client.post(reverse(f"admin:claims_{kind}_delete", args=[unused.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not model.objects.filter(pk=unused.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_claim_added_after_the_check_makes_the_delete_fail_with_a_message_not_an_error(
    root_client, monkeypatch, kind
):
    """The admin's check finds no claim (as if read just before one was added); the database still refuses."""
    model, model_admin, used, _ = KINDS[kind]
    row = used(ClaimFactory(live=False))
    check = model_admin.get_deleted_objects

    def nothing_protected(self, objs, request):
        deleted, counts, perms, _protected = check(self, objs, request)
        return deleted, counts, perms, []

    monkeypatch.setattr(model_admin, "get_deleted_objects", nothing_protected)
    log = LogEntry.objects.count()

    single = root_client.post(reverse(f"admin:claims_{kind}_delete", args=[row.pk]), {"post": "yes"})
    bulk = root_client.post(
        reverse(f"admin:claims_{kind}_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )

    for response in (single, bulk):
        assert response.status_code == 302
        messages = messages_of(response)
        assert any(m.startswith("Nothing was deleted: 1 claim now uses the") for m in messages), messages
    assert model.objects.filter(pk=row.pk).exists()
    assert LogEntry.objects.count() == log  # no deletion logged for what was not deleted
