"""A condition typed beside the claim form's list is added and picked on save, with the Condition admin's checks."""

import html

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission

from claims.models import Claim, Condition
from tests.factories import ClaimFactory, ConditionFactory, UserFactory, evidence
from tests.factories import claim_form_data as change_data
from tests.helpers import messages_of, sentence_value, signed_in

pytestmark = pytest.mark.django_db

SENTENCE = 1  # "Stem-cell infusions may be safe in small early trials."


def add_url(article):
    return f"/admin/claims/claim/add/?article={article.pk}"


def new_claim(article, **overrides):
    data = {
        "sentence": sentence_value(article.sentences()[SENTENCE]),
        "part": "",
        "condition": "",
        "new_condition": "",
        "evidence_status": str(evidence("limited").pk),
        "sources": [],
        "new_sources": "",
        "explanation": "Two small early trials in people.",
        "reviewer_note": "",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def errors_of(response):
    return html.unescape(response.content.decode())


def test_a_condition_typed_beside_the_list_is_added_and_becomes_the_claims(editor_client, editor, article):
    response = editor_client.post(add_url(article), new_claim(article, new_condition="  Lung   fibrosis "))

    assert response.status_code == 302
    condition = Condition.objects.get(name="Lung fibrosis")
    assert condition.slug == "lung-fibrosis"
    claim = Claim.objects.get(article=article)
    assert claim.condition == condition
    assert "Condition added: Lung fibrosis." in messages_of(response)
    assert LogEntry.objects.filter(object_id=str(condition.pk), action_flag=ADDITION, user=editor).exists()


def test_the_claim_form_offers_the_field_beside_the_list(editor_client, article):
    page = editor_client.get(add_url(article)).content.decode()

    assert 'name="new_condition"' in page and "Or add a new condition" in page
    # On the condition's own row, right after the list.
    row = page[page.index('class="form-row field-condition') :]
    assert row.index('name="condition"') < row.index('name="new_condition"') < row.index("field-evidence_status")


@pytest.mark.parametrize("typed", ["asthma", "ASTHMA", " Asthma "])
def test_a_name_already_taken_whatever_its_capitals_is_refused_naming_the_condition_to_pick(
    editor_client, article, typed
):
    ConditionFactory(name="Asthma", slug="asthma")

    response = editor_client.post(add_url(article), new_claim(article, new_condition=typed))

    assert response.status_code == 200
    assert "“Asthma” is already a condition: pick it in the list rather than adding it again." in errors_of(response)
    assert Condition.objects.count() == 1 and not Claim.objects.exists()


def test_the_condition_admin_refuses_the_same_name_in_other_capitals(editor_client):
    ConditionFactory(name="Asthma", slug="asthma")

    response = editor_client.post(
        "/admin/claims/condition/add/", {"name": "asthma", "slug": "asthma-2", "synonyms": "", "description": ""}
    )

    assert response.status_code == 200
    assert "“Asthma” is already a condition" in errors_of(response)
    assert Condition.objects.count() == 1


def test_a_name_whose_web_address_is_taken_is_refused_naming_the_other_condition(editor_client, article):
    ConditionFactory(name="Lung-fibrosis (all kinds)", slug="lung-fibrosis")

    response = editor_client.post(add_url(article), new_claim(article, new_condition="Lung fibrosis"))

    assert response.status_code == 200
    assert "is already the condition “Lung-fibrosis (all kinds)”'s" in errors_of(response)
    assert not Condition.objects.filter(name="Lung fibrosis").exists()


def test_a_name_without_letters_or_a_name_too_long_is_refused(editor_client, article):
    no_letters = editor_client.post(add_url(article), new_claim(article, new_condition="!!!"))
    too_long = editor_client.post(add_url(article), new_claim(article, new_condition="x" * 201))

    assert no_letters.status_code == too_long.status_code == 200
    assert "“!!!” has no letter or digit, so the condition could not have a page." in errors_of(no_letters)
    assert "at most 200 characters" in errors_of(too_long)
    assert Condition.objects.count() == 0 and not Claim.objects.exists()


def test_picking_a_condition_and_typing_one_is_refused(editor_client, article):
    picked = ConditionFactory(name="Asthma", slug="asthma")

    response = editor_client.post(
        add_url(article), new_claim(article, condition=str(picked.pk), new_condition="Lung fibrosis")
    )

    assert response.status_code == 200
    assert "Pick a condition in the list or type a new one, not both" in errors_of(response)
    assert not Condition.objects.filter(name="Lung fibrosis").exists()


def test_neither_a_picked_nor_a_typed_condition_is_refused(editor_client, article):
    response = editor_client.post(add_url(article), new_claim(article))

    assert response.status_code == 200
    assert "Pick the condition this claim is about, or type a new one beside the list." in errors_of(response)


def test_a_refused_form_keeps_the_typed_condition_and_adds_nothing(editor_client, article):
    response = editor_client.post(
        add_url(article),
        new_claim(article, new_condition="Lung fibrosis", evidence_status="", explanation="Typed before refusal."),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="new_condition" value="Lung fibrosis"' in page
    assert "Typed before refusal." in page
    assert not Condition.objects.exists() and not Claim.objects.exists()


def test_a_claim_changed_to_a_new_condition_takes_it(editor_client, article):
    claim = ClaimFactory(article=article, sentence=SENTENCE)

    response = editor_client.post(
        claim.get_admin_url(), change_data(claim, condition="", new_condition="Pulmonary fibrosis")
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.condition.name == "Pulmonary fibrosis"


def test_without_permission_to_add_conditions_there_is_no_field_and_a_typed_one_is_ignored(client, article):
    writer = UserFactory(username="claims-only")
    writer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="claims", codename__in=["add_claim", "change_claim", "view_claim", "view_condition"]
        ),
        *Permission.objects.filter(content_type__app_label="articles", codename="view_article"),
    )
    writer_client = signed_in(writer)
    assert not writer.has_perm("claims.add_condition")

    page = writer_client.get(add_url(article)).content.decode()
    assert 'name="condition"' in page and 'name="new_condition"' not in page

    response = writer_client.post(add_url(article), new_claim(article, new_condition="Lung fibrosis"))
    assert response.status_code == 200
    assert "This field is required." in errors_of(response)  # the list is all there is
    assert not Condition.objects.exists()
