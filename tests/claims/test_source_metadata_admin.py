"""The Source admin's look-ups: what was found and when, typed values kept beside looked-up ones, the design
set by hand, and "Look up again"."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from claims import source_metadata
from claims.models import Outcome, Source, SourceRecord
from claims.text import study_design
from tests.factories import SourceFactory
from tests.helpers import fresh, messages_of, page_text, recorded_answer, run_tasks

pytestmark = pytest.mark.django_db

CONCERN = "https://api.crossref.org/works/10.5555/heart.2021.3"


def change_url(source):
    return reverse("admin:claims_source_change", args=[source.pk])


def form_data(source, **changes):
    data = {
        "kind": source.kind,
        "identifier": source.identifier,
        "title": source.title,
        "authors": source.authors,
        "journal": source.journal,
        "year": source.year or "",
        "design": source.design,
    }
    if source.design_by_hand:
        data["design_by_hand"] = "on"
    data.update(changes)
    return data


@pytest.fixture
def looked_up(services, django_capture_on_commit_callbacks):
    """A DOI added in the admin, looked up at Crossref (an expression of concern) by the task."""
    services.get(CONCERN).mock(return_value=recorded_answer("crossref_concern.json"))
    with django_capture_on_commit_callbacks(execute=True):
        source = Source.objects.create(kind=Source.Kind.DOI, identifier="10.5555/heart.2021.3")
    run_tasks()
    return fresh(source)


def test_adding_a_source_in_the_admin_looks_it_up_and_keeps_what_the_editor_typed(
    editor_client, services, django_capture_on_commit_callbacks
):
    services.get(CONCERN).mock(return_value=recorded_answer("crossref_concern.json"))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:claims_source_add"),
            {"kind": "", "identifier": "doi:10.5555/heart.2021.3", "title": "Statins in older people", "year": ""},
            follow=True,
        )
    assert response.status_code == 200
    run_tasks()

    source = Source.objects.select_related("record").get()
    assert source.hand_set == ["title"]
    assert source.title == "Statins in older people"
    assert (source.journal, source.year) == ("Heart Outcomes", 2021)
    assert source.record.outcome == Outcome.LOOKED_UP

    text = page_text(editor_client.get(change_url(source)))
    assert "Crossref says: “Statins after sixty: a cohort of 4,000 people”" in text
    assert "Expression of concern, 2022-11-30, doi:10.5555/heart.2022.eoc" in text
    assert "Looked up" in text


def test_the_take_button_replaces_the_typed_value_with_the_looked_up_one(editor_client, looked_up, editor):
    editor_client.post(change_url(looked_up), form_data(looked_up, title="Statins in older people"))
    assert fresh(looked_up).hand_set == ["title"]

    page = editor_client.get(change_url(looked_up)).content.decode()
    take = reverse("admin:claims_source_take", args=[looked_up.pk])
    assert f'name="field" value="title" formmethod="post" formnovalidate\n              formaction="{take}"' in page
    assert editor_client.get(take).status_code == 405  # a link cannot change it, only the form's button
    response = editor_client.post(take, {"field": "title"}, follow=True)

    assert "The looked-up value replaced the typed one." in messages_of(response)
    source = fresh(looked_up)
    assert source.title == "Statins after sixty: a cohort of 4,000 people"
    assert source.hand_set == []


def test_a_reviewer_cannot_take_a_looked_up_value(reviewer_client, looked_up):
    Source.objects.filter(pk=looked_up.pk).update(title="Typed", hand_set=["title"])
    response = reviewer_client.post(reverse("admin:claims_source_take", args=[looked_up.pk]), {"field": "title"})
    assert response.status_code == 403
    assert fresh(looked_up).title == "Typed"


def test_emptying_a_typed_field_gives_it_back_to_the_look_up(editor_client, looked_up):
    editor_client.post(change_url(looked_up), form_data(looked_up, journal="Typed journal"))
    assert fresh(looked_up).hand_set == ["journal"]
    editor_client.post(change_url(looked_up), form_data(fresh(looked_up), journal=""))
    assert fresh(looked_up).hand_set == []


def test_an_editor_sets_the_design_and_the_look_up_keeps_it(editor_client, looked_up):
    assert looked_up.design == study_design.UNKNOWN
    editor_client.post(change_url(looked_up), form_data(looked_up, design=study_design.COHORT_CASE_CONTROL))

    source = fresh(looked_up)
    assert (source.design, source.design_by_hand) == (study_design.COHORT_CASE_CONTROL, True)
    source_metadata.look_up(source.pk)
    assert fresh(source).design == study_design.COHORT_CASE_CONTROL

    # Unticked, the design is the look-up's again.
    unticked = form_data(fresh(source))
    del unticked["design_by_hand"]
    editor_client.post(change_url(source), unticked)
    assert (fresh(source).design, fresh(source).design_by_hand) == (study_design.UNKNOWN, False)


def test_look_up_again_enqueues_pubmed_dois_and_trials_but_never_a_web_address(
    editor_client, services, django_capture_on_commit_callbacks
):
    services.get(CONCERN).mock(return_value=recorded_answer("crossref_concern.json"))
    paper = SourceFactory(kind=Source.Kind.DOI, identifier="10.5555/heart.2021.3", title="", year=None)
    page = SourceFactory(kind=Source.Kind.URL, identifier="https://www.nhs.uk/conditions/", title="NHS")
    DBTaskResult.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:claims_source_changelist"),
            {"action": "look_up_again", "_selected_action": [paper.pk, page.pk]},
            follow=True,
        )

    assert messages_of(response) == [
        "1 source will be looked up again in the background. 1 web address left out: they are never fetched."
    ]
    assert DBTaskResult.objects.count() == 1
    run_tasks()
    assert fresh(paper).record.outcome == Outcome.LOOKED_UP
    assert not SourceRecord.objects.filter(source=page).exists()
    assert not [call for call in services.calls if "nhs.uk" in str(call.request.url)]


def test_look_up_again_with_look_ups_off_says_so(editor_client, settings):
    settings.SOURCE_LOOKUPS = False
    paper = SourceFactory(kind=Source.Kind.PMID, identifier="31000001")
    response = editor_client.post(
        reverse("admin:claims_source_changelist"),
        {"action": "look_up_again", "_selected_action": [paper.pk]},
        follow=True,
    )
    assert messages_of(response) == [source_metadata.OFF_DETAIL]
    assert fresh(paper).record.outcome == Outcome.OFF
    assert "Look-ups turned off" in page_text(editor_client.get(change_url(paper)))


def test_repointing_a_source_drops_what_was_looked_up_and_looks_up_the_new_one(
    editor_client, looked_up, services, django_capture_on_commit_callbacks
):
    services.get("https://api.crossref.org/works/10.5555/preprints.2024.881").mock(
        return_value=recorded_answer("crossref_preprint.json")
    )
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(change_url(looked_up), form_data(looked_up, identifier="10.5555/preprints.2024.881"))
    assert not SourceRecord.objects.filter(source=looked_up, crossref_type="journal-article").exists()
    run_tasks()
    source = fresh(looked_up)
    assert source.record.crossref_type == "posted-content"
    assert source.design == study_design.PREPRINT
