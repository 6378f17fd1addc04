"""Ids in admin addresses, list lookups and action selections: a value that names no row is refused
as any other bad value (the list's error page, the "does not exist" redirect, a 404), never a 500.

Text and numbers past the database's integers reach queries in places Django's admin does not check:
text fails on both databases, and a number past 64 bits overflows SQLite.
"""

from urllib.parse import urlencode

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from claims.models import Claim, Condition, EvidenceStatus, Source
from tests.factories import ClaimFactory, SourceFactory
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db

NOT_IDS = ["undefined", "99999999999999999999999", str(2**63), "1.5", "0x10", "²", "１"]

# (list page, lookup through a relation or on a key) as an address could carry them.
LOOKUPS = [
    ("admin:claims_claim_changelist", "condition"),
    ("admin:claims_claim_changelist", "article"),
    ("admin:claims_claim_changelist", "created_by"),
    ("admin:claims_claim_changelist", "sources"),
    ("admin:claims_claim_changelist", "condition__in"),
    ("admin:claims_claim_changelist", "id__in"),
    ("admin:claims_claim_changelist", "article__id__in"),
    ("admin:claims_orphanedclaim_changelist", "condition"),
    ("admin:claims_reviewqueueclaim_changelist", "condition"),
    ("admin:claims_reviewqueueclaim_changelist", "article"),
    ("admin:claims_reviewqueueclaim_changelist", "created_by"),
    ("admin:claims_reviewqueueclaim_changelist", "condition__in"),
    ("admin:claims_source_changelist", "claims"),
    ("admin:claims_condition_changelist", "claims"),
    ("admin:articles_article_changelist", "author"),
    ("admin:articles_article_changelist", "tags"),
    ("admin:taggit_tag_changelist", "article"),
    ("admin:auth_user_changelist", "groups"),
    ("admin:axes_accessattempt_changelist", "id__in"),
]

# Lists whose actions are offered to a superuser, with one they all have.
ACTION_LISTS = [
    ("admin:claims_claim_changelist", "delete_selected"),
    ("admin:claims_orphanedclaim_changelist", "delete_selected"),
    ("admin:claims_reviewqueueclaim_changelist", "reject_selected"),
    ("admin:claims_source_changelist", "delete_selected"),
    ("admin:claims_condition_changelist", "delete_selected"),
    ("admin:claims_evidencestatus_changelist", "delete_selected"),
    ("admin:articles_article_changelist", "archive_selected"),
    ("admin:taggit_tag_changelist", "render_tag_form"),
    ("admin:auth_user_changelist", "delete_selected"),
    ("admin:auth_group_changelist", "delete_selected"),
    ("admin:axes_accessattempt_changelist", "delete_selected"),
]


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize(("page", "lookup"), LOOKUPS)
def test_a_list_lookup_with_what_names_no_row_goes_to_the_lists_error_page(root_client, page, lookup, value):
    ClaimFactory()
    url = reverse(page)
    response = root_client.get(f"{url}?{urlencode({lookup: value})}")
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"


def test_a_list_lookup_with_ids_still_filters(root_client):
    shown, other = ClaimFactory(), ClaimFactory()
    url = reverse("admin:claims_claim_changelist")
    response = root_client.get(f"{url}?{urlencode({'condition': shown.condition_id})}")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [shown]
    response = root_client.get(f"{url}?{urlencode({'id__in': f'{shown.pk},{other.pk}'})}")
    assert set(response.context["cl"].result_list) == {shown, other}


@pytest.mark.parametrize("value", ["99999999999999999999999", str(2**31), "12345", "2026x"])
def test_a_date_in_the_article_lists_dates_past_four_digits_goes_to_the_error_page(root_client, value):
    url = reverse("admin:articles_article_changelist")
    response = root_client.get(f"{url}?updated_at__year={value}")
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize(("page", "action"), ACTION_LISTS)
def test_an_action_on_what_names_no_row_changes_nothing_and_says_so(root_client, page, action, value):
    ClaimFactory(sources=[])
    SourceFactory()
    counts = [model.objects.count() for model in (Claim, Source, Condition, EvidenceStatus)]
    response = root_client.post(reverse(page), {"action": action, ACTION_CHECKBOX_NAME: [value], "index": "0"})
    assert response.status_code == 302
    messages = messages_of(response)
    assert any("Items must be selected" in m for m in messages), messages
    assert [model.objects.count() for model in (Claim, Source, Condition, EvidenceStatus)] == counts


def test_an_action_keeps_the_rows_chosen_by_their_ids(root_client):
    kept, deleted = SourceFactory(), SourceFactory()
    response = root_client.post(
        reverse("admin:claims_source_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [str(deleted.pk), "undefined"], "post": "yes"},
    )
    assert response.status_code == 302
    assert list(Source.objects.all()) == [kept]


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize("model", ["claims/claim", "articles/article"])
def test_a_history_page_of_what_names_no_row_says_it_does_not_exist(root_client, model, value):
    claim = ClaimFactory()
    response = root_client.get(f"/admin/{model}/{value}/history/")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    own = claim.pk if model == "claims/claim" else claim.article_id
    assert root_client.get(f"/admin/{model}/{value}/history/1/").status_code == 302
    assert root_client.get(f"/admin/{model}/{own}/history/{value}/").status_code == 404


@pytest.mark.parametrize("value", [v for v in NOT_IDS if v != "１"])  # int() reads "１" as the row 1
def test_the_evidence_status_list_editing_a_row_that_is_no_id_is_refused(root_client, value):
    status = EvidenceStatus.objects.get(slug="strong")
    data = {
        "_save": "Save",
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": value,
        "form-0-rank": "1",
        "form-0-wording_strength": "2",
    }
    response = root_client.post(reverse("admin:claims_evidencestatus_changelist"), data)
    assert response.status_code == 200
    assert response.context["cl"].formset.errors
    status.refresh_from_db()
    assert status.rank != 1
