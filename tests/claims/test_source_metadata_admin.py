"""The Source admin's look-ups: what was found and when, typed values kept beside looked-up ones, the design
set by hand, and "Look up again"."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks_db.models import DBTaskResult

from claims import evidence_watch, source_metadata
from claims.models import Outcome, Source, SourceEvent, SourceRecord
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
    assert "Expression of concern, 30 November 2022, doi:10.5555/heart.2022.eoc" in text
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
    assert source_metadata.OFF_DETAIL in page_text(editor_client.get(change_url(paper)))


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


# Queued look-ups, look-ups turned off, and what happened to a source -------------------------------


def test_a_saved_source_says_its_look_up_is_queued_and_when_until_the_worker_answers(
    editor_client, services, clock, django_capture_on_commit_callbacks
):
    asked = clock(0)
    services.get(CONCERN).mock(return_value=recorded_answer("crossref_concern.json"))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:claims_source_add"), {"kind": "", "identifier": "10.5555/heart.2021.3"}, follow=True
        )
    source = Source.objects.get()
    assert (source.record.outcome, source.record.queued_at) == (Outcome.QUEUED, asked)
    when = date_format(timezone.localtime(asked), "j M Y, H:i")
    queued = f"Look-up queued on {when}: the citation fills in once the background worker answers."
    assert f"DOI 10.5555/heart.2021.3: {queued}" in messages_of(response)
    assert queued in page_text(editor_client.get(change_url(source)))
    assert "Never looked up" not in page_text(editor_client.get(change_url(source)))
    assert "Look-up queued" in page_text(editor_client.get(reverse("admin:claims_source_changelist")))

    run_tasks()
    assert fresh(source).record.outcome == Outcome.LOOKED_UP
    assert "Look-up queued" not in page_text(editor_client.get(change_url(source)))


def test_asking_again_keeps_the_last_answer_and_says_a_look_up_is_queued(editor_client, looked_up):
    with_answer = editor_client.post(
        reverse("admin:claims_source_changelist"),
        {"action": "look_up_again", "_selected_action": [looked_up.pk]},
    )
    assert with_answer.status_code == 302
    record = fresh(looked_up).record
    assert record.outcome == Outcome.LOOKED_UP and record.is_queued
    text = page_text(editor_client.get(change_url(looked_up)))
    assert (
        "Outcome Looked up: PubMed has no record of this DOI: humans/animals unknown." in text
        and "Asked again Look-up queued on" in text
    )


def test_with_look_ups_off_the_outcome_is_one_plain_sentence_wherever_it_is_shown(editor_client, settings):
    settings.SOURCE_LOOKUPS = False
    response = editor_client.post(
        reverse("admin:claims_source_add"), {"kind": "", "identifier": "PMID 31000001"}, follow=True
    )
    paper = Source.objects.get()
    sentence = "Look-ups are turned off on this site: type the citation by hand."
    assert f"PMID 31000001: {sentence}" in messages_of(response)
    # A row stored with the old words reads the same.
    SourceRecord.objects.create(source=paper, outcome=Outcome.OFF, detail="Look-ups are turned off (SOURCE_LOOKUPS).")
    text = page_text(editor_client.get(change_url(paper)))
    assert f"Outcome {sentence} " in text
    assert "(" + sentence not in text and "SOURCE_LOOKUPS" not in text


def test_the_source_page_lists_its_events_newest_first_with_the_alerts_they_raised(reviewer_client, reviewer):
    from tests.claims.test_evidence_watch import relying_on

    paper = SourceFactory(kind=Source.Kind.PMID, identifier="31000009", title="")
    claim = relying_on(reviewer, paper)
    SourceEvent.objects.create(
        source=paper, kind=SourceEvent.Kind.CORRECTION, date=datetime.date(2019, 3, 2), detail="Notice PMID 31000010"
    )
    retracted = SourceEvent.objects.create(
        source=paper, kind=SourceEvent.Kind.RETRACTION, date=datetime.date(2021, 6, 4)
    )
    (alert,) = evidence_watch.raise_alerts(retracted)
    assert alert.claim == claim

    response = reviewer_client.get(change_url(paper))

    text = page_text(response)
    assert "Retraction on 4 Jun 2021" in text and "Correction on 2 Mar 2019 : Notice PMID 31000010" in text
    assert text.index("Retraction on 4 Jun 2021") < text.index("Correction on 2 Mar 2019")
    assert f"Alert on “{claim.quote[:30]}" in text and "open" in text
    assert reverse("admin:claims_evidencealert_resolve", args=[alert.pk]) in response.content.decode()


def test_a_looked_up_source_with_no_events_says_so(reviewer_client):
    paper = SourceFactory(kind=Source.Kind.PMID, identifier="31000011")
    SourceRecord.objects.create(source=paper, outcome=Outcome.LOOKED_UP, looked_up_at=timezone.now())
    text = page_text(reviewer_client.get(change_url(paper)))
    assert "No retraction, correction, expression of concern, stopped trial or posted results recorded" in text
    assert "No typed value differs from the look-up." in text


def test_a_source_never_looked_up_claims_to_know_nothing(reviewer_client, settings):
    settings.SOURCE_LOOKUPS = False
    paper = SourceFactory(kind=Source.Kind.PMID, identifier="31000013")
    text = page_text(reviewer_client.get(change_url(paper)))
    assert "No look-up has answered yet, so nothing is known of a retraction" in text
    assert "No look-up has answered yet: there is nothing to compare what was typed with." in text
    assert "No typed value differs" not in text and "No retraction, correction" not in text


def test_a_source_made_while_look_ups_were_off_is_looked_up_when_saved_with_them_on(
    editor_client, settings, django_capture_on_commit_callbacks
):
    settings.SOURCE_LOOKUPS = False
    paper = SourceFactory(kind=Source.Kind.PMID, identifier="31000014", title="", year=None)
    settings.SOURCE_LOOKUPS = True

    with django_capture_on_commit_callbacks() as queued:
        response = editor_client.post(change_url(paper), form_data(paper, title="Typed"), follow=True)

    assert fresh(paper).record.outcome == Outcome.QUEUED and queued
    assert any(m.startswith("PMID 31000014: Look-up queued on ") for m in messages_of(response))
    assert f'<a href="{change_url(paper)}">PMID 31000014</a>: Look-up queued' in response.text


def test_a_bare_pubmed_id_is_labelled_pmid_in_lists_and_the_autocomplete(editor_client):
    SourceFactory(kind=Source.Kind.PMID, identifier="31000012", title="", year=None)
    listed = page_text(editor_client.get(reverse("admin:claims_source_changelist")))
    assert "PMID 31000012" in listed
    found = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "claims", "model_name": "claim", "field_name": "sources", "term": "31000012"},
    ).json()
    assert [row["text"] for row in found["results"]] == ["PMID 31000012"]


def test_the_sources_list_heads_every_column_and_marks_what_happened_in_words(editor_client):
    retracted = SourceFactory(kind=Source.Kind.PMID, identifier="31000015", title="A retracted paper")
    trial = SourceFactory(kind=Source.Kind.NCT, identifier="NCT04000015", title="A stopped trial")
    day = datetime.date(2014, 7, 2)
    SourceEvent.objects.create(source=retracted, kind=SourceEvent.Kind.RETRACTION, date=day)
    SourceEvent.objects.create(source=retracted, kind=SourceEvent.Kind.EXPRESSION_OF_CONCERN, date=day)
    SourceEvent.objects.create(source=trial, kind=SourceEvent.Kind.TRIAL_STOPPED, date=day)

    page = editor_client.get(reverse("admin:claims_source_changelist"))

    content = page.content.decode()
    (head,) = re.findall(r"<thead>(.*?)</thead>", content, flags=re.S)
    headings = [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)
    ]
    assert headings[1:] == ["Source", "Study design", "Look-up", "Events", "Claims"]
    text = page_text(page)
    assert "✖ Retracted ⚠ Under concern" in text and "■ Trial stopped" in text
    assert 'id="action-toggle"' in head  # the one heading without words is the select-all box
