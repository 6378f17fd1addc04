"""Looking sources up at PubMed, Crossref and ClinicalTrials.gov, with their answers recorded (respx).

The answers are in tests/claims/lookup_answers/, written in each service's documented shape; the
`services` fixture (tests/conftest.py) turns look-ups on and answers every request or refuses it.
"""

import datetime

import httpx
import pytest
import respx
from django_tasks_db.models import DBTaskResult

from claims import source_metadata
from claims.lookups import LookupFailed, LookupRefused, NotFound, crossref, limits, look_up
from claims.lookups.http import MAX_BYTES, client, get
from claims.models import LookupSlot, Outcome, Source, SourceRecord
from claims.services import source_from_identifier
from claims.tasks import look_up_source
from claims.text import study_design
from tests.factories import SourceFactory
from tests.helpers import fresh, run_tasks
from tests.helpers import recorded_answer as answer

pytestmark = pytest.mark.django_db

EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
CROSSREF = "https://api.crossref.org/works/"
STUDIES = "https://clinicaltrials.gov/api/v2/studies/"


def pubmed(mock, pmid, summary, fetch):
    mock.get(f"{EUTILS}/esummary.fcgi", params__contains={"id": pmid}).mock(return_value=answer(summary))
    mock.get(f"{EUTILS}/efetch.fcgi", params__contains={"id": pmid}).mock(return_value=answer(fetch))


def source(kind, identifier, **fields):
    """A source as an editor creates it, with look-ups off (nothing is enqueued)."""
    return SourceFactory(kind=kind, identifier=identifier, title=fields.pop("title", ""), year=None, **fields)


def test_a_paper_found_at_pubmed_fills_its_citation_and_design(services):
    pubmed(services, "31000001", "esummary_trial.json", "efetch_trial.xml")
    services.get(CROSSREF + "10.5555/lungmed.2019.014").mock(return_value=answer("crossref_trial.json"))
    paper = source(Source.Kind.PMID, "31000001")

    assert source_metadata.look_up(paper.pk) == Outcome.LOOKED_UP

    paper = fresh(paper)
    assert paper.title == "Inhaled therapy for breathlessness in lung fibrosis: a randomised trial."
    assert paper.authors == "Okafor N, Lindqvist A"
    assert paper.journal == "Journal of Lung Medicine"
    assert paper.year == 2019
    assert paper.design == study_design.RANDOMISED_TRIAL
    record = paper.record
    assert record.outcome == Outcome.LOOKED_UP and record.looked_up_at is not None
    assert record.publication_types == ["Journal Article", "Randomized Controlled Trial"]
    assert (record.humans, record.animals) == ("yes", "no")
    assert record.crossref_type == "journal-article"
    assert not record.is_retracted
    # Polite: NCBI is told the tool and the email, Crossref gets a User-Agent with the mailto.
    fetched = [call.request for call in services.calls]
    pubmed_params = fetched[0].url.params
    assert pubmed_params["tool"] == "evidence-cms-tests" and pubmed_params["email"] == "editors@example.org"
    assert pubmed_params["retmode"] == "json"
    assert "mailto:editors@example.org" in fetched[-1].headers["User-Agent"]


def test_a_second_look_up_with_the_same_answer_changes_nothing(services):
    pubmed(services, "31000001", "esummary_trial.json", "efetch_trial.xml")
    services.get(CROSSREF + "10.5555/lungmed.2019.014").mock(return_value=answer("crossref_trial.json"))
    paper = source(Source.Kind.PMID, "31000001")
    source_metadata.look_up(paper.pk)
    first = SourceRecord.objects.values(*SourceRecord.ANSWER_FIELDS).get(pk=paper.pk)
    before = Source.objects.values().get(pk=paper.pk)

    source_metadata.look_up(paper.pk)

    assert SourceRecord.objects.values(*SourceRecord.ANSWER_FIELDS).get(pk=paper.pk) == first
    assert Source.objects.values().get(pk=paper.pk) == before


def test_an_unknown_pmid_is_not_found(services):
    services.get(f"{EUTILS}/esummary.fcgi").mock(return_value=answer("esummary_unknown.json"))
    paper = source(Source.Kind.PMID, "99999998")

    assert source_metadata.look_up(paper.pk) == Outcome.NOT_FOUND
    assert fresh(paper).record.detail == "PubMed does not know it"
    assert fresh(paper).title == ""


def test_an_unknown_doi_is_not_found(services):
    services.get(CROSSREF + "10.5555/nothing").mock(return_value=httpx.Response(404, text="Resource not found."))
    paper = source(Source.Kind.DOI, "10.5555/nothing")
    assert source_metadata.look_up(paper.pk) == Outcome.NOT_FOUND


def test_a_retracted_paper_says_so_from_pubmed_and_crossref(services):
    pubmed(services, "31000002", "esummary_retracted.json", "efetch_retracted.xml")
    services.get(CROSSREF + "10.5555/cnr.2016.77").mock(return_value=answer("crossref_retracted.json"))
    paper = source(Source.Kind.PMID, "31000002")

    source_metadata.look_up(paper.pk)

    record = fresh(paper).record
    assert "Retracted Publication" in record.publication_types
    assert record.is_retracted
    retractions = record.updates_of("retraction")
    assert {(u["source"], u.get("pmid", ""), u.get("doi", "")) for u in retractions} == {
        ("PubMed: Clin Nutr Rep. 2018 Jan;3(1):5", "31000099", ""),
        ("Crossref (retraction-watch)", "", "10.5555/cnr.2018.01"),
    }
    assert [u["date"] for u in retractions if u.get("doi")] == ["2018-01-09"]


def test_an_expression_of_concern_is_kept_with_its_date(services):
    services.get(CROSSREF + "10.5555/heart.2021.3").mock(return_value=answer("crossref_concern.json"))
    paper = source(Source.Kind.DOI, "10.5555/heart.2021.3")

    source_metadata.look_up(paper.pk)

    record = fresh(paper).record
    assert record.has_expression_of_concern and not record.is_retracted
    assert record.updates_of("expression_of_concern")[0]["date"] == "2022-11-30"
    assert fresh(paper).authors == "Raman P"


def test_a_preprint_is_a_preprint_and_names_its_published_version(services):
    services.get(CROSSREF + "10.5555/preprints.2024.881").mock(return_value=answer("crossref_preprint.json"))
    paper = source(Source.Kind.DOI, "10.5555/preprints.2024.881")

    source_metadata.look_up(paper.pk)

    paper = fresh(paper)
    assert paper.design == study_design.PREPRINT
    assert paper.design_words == "Preprint (not yet peer reviewed)"
    assert paper.record.relations == {"is-preprint-of": ["10.5555/lungmed.2025.2"]}


def test_a_terminated_trial_keeps_its_status_phase_and_enrolment(services):
    services.get(STUDIES + "NCT04000001").mock(return_value=answer("study_terminated.json"))
    trial = source(Source.Kind.NCT, "NCT04000001")

    source_metadata.look_up(trial.pk)

    trial = fresh(trial)
    record = trial.record
    assert record.trial_title == trial.title == "Pirfenidone Versus Placebo in Early Lung Fibrosis"
    assert record.trial_status == "TERMINATED"
    assert record.trial_phases == ["PHASE3"] and record.trial_study_type == "INTERVENTIONAL"
    assert record.enrolment == 320 and record.results_posted is True
    assert record.trial_last_update == datetime.date(2023, 4, 18)
    assert trial.design == study_design.RANDOMISED_TRIAL
    assert trial.design_words == "Randomised trial in 320 adults"


def test_an_animal_study_is_one_and_a_paper_not_yet_indexed_is_not_called_human(services):
    pubmed(services, "31000003", "esummary_animal.json", "efetch_animal.xml")
    mice = source(Source.Kind.PMID, "31000003")
    source_metadata.look_up(mice.pk)
    mice = fresh(mice)
    assert (mice.record.humans, mice.record.animals) == ("no", "yes")
    assert mice.design == study_design.ANIMAL and mice.design_words == "Study in mice"

    # Looked up again before MeSH indexed it: unknown, never human, and the design found earlier is kept.
    services.routes.clear()
    pubmed(services, "31000003", "esummary_animal.json", "efetch_not_indexed.xml")
    source_metadata.look_up(mice.pk)
    mice = fresh(mice)
    assert (mice.record.humans, mice.record.animals) == ("unknown", "unknown")
    assert mice.record.derived_design == study_design.UNKNOWN and mice.design == study_design.ANIMAL

    # A paper first looked up before indexing has no design, not a study in humans.
    mice.delete()
    unindexed = source(Source.Kind.PMID, "31000003")
    source_metadata.look_up(unindexed.pk)
    unindexed = fresh(unindexed)
    assert (unindexed.record.humans, unindexed.design) == ("unknown", study_design.UNKNOWN)


def test_a_hand_typed_title_is_kept_and_the_difference_shown(services, editor):
    services.get(CROSSREF + "10.5555/heart.2021.3").mock(return_value=answer("crossref_concern.json"))
    paper = source(Source.Kind.DOI, "10.5555/heart.2021.3", title="Statins in older people", hand_set=["title"])

    source_metadata.look_up(paper.pk)

    paper = fresh(paper)
    assert paper.title == "Statins in older people"
    assert paper.journal == "Heart Outcomes"  # not typed: filled in
    [difference] = source_metadata.differences(paper)
    assert (difference.field, difference.looked_up, difference.service) == (
        "title",
        "Statins after sixty: a cohort of 4,000 people",
        "Crossref",
    )
    assert source_metadata.take_looked_up(paper, "title", editor) is not None
    paper = fresh(paper)
    assert paper.title == "Statins after sixty: a cohort of 4,000 people" and paper.hand_set == []
    assert source_metadata.differences(paper) == []


def test_a_design_set_by_hand_is_never_overridden(services):
    services.get(STUDIES + "NCT04000001").mock(return_value=answer("study_terminated.json"))
    trial = source(Source.Kind.NCT, "NCT04000001", design=study_design.NON_RANDOMISED_TRIAL, design_by_hand=True)

    source_metadata.look_up(trial.pk)

    trial = fresh(trial)
    assert trial.design == study_design.NON_RANDOMISED_TRIAL
    assert [d.field for d in source_metadata.differences(trial)] == ["design"]


def test_an_answer_silent_on_the_design_keeps_the_design_known_before(services):
    services.get(CROSSREF + "10.5555/lungmed.2019.014").mock(return_value=answer("crossref_trial.json"))
    paper = source(Source.Kind.DOI, "10.5555/lungmed.2019.014", design=study_design.RANDOMISED_TRIAL)

    assert source_metadata.look_up(paper.pk) == Outcome.LOOKED_UP

    paper = fresh(paper)
    assert paper.record.derived_design == study_design.UNKNOWN  # Crossref alone names no design
    assert paper.design == study_design.RANDOMISED_TRIAL
    assert source_metadata.differences(paper) == []


# A DOI in PubMed ---------------------------------------------------------------------------------------


def test_a_doi_filed_at_pubmed_gets_its_publication_types_and_mesh_keeping_crossrefs_citation(services):
    services.get(CROSSREF + "10.5555/lungmed.2019.014").mock(return_value=answer("crossref_trial.json"))
    services.routes["esearch"].mock(return_value=answer("esearch_one.json"))
    services.get(f"{EUTILS}/efetch.fcgi", params__contains={"id": "31000001"}).mock(
        return_value=answer("efetch_trial.xml")
    )
    paper = source(Source.Kind.DOI, "10.5555/lungmed.2019.014")

    assert source_metadata.look_up(paper.pk) == Outcome.LOOKED_UP

    paper = fresh(paper)
    record = paper.record
    assert (record.outcome, record.detail) == (Outcome.LOOKED_UP, "")
    assert record.publication_types == ["Journal Article", "Randomized Controlled Trial"]
    assert (record.humans, record.animals) == ("yes", "no")
    assert paper.design == study_design.RANDOMISED_TRIAL
    # Crossref's citation, not PubMed's (whose title ends in a full stop).
    assert paper.title == "Inhaled therapy for breathlessness in lung fibrosis: a randomised trial"
    assert record.crossref_type == "journal-article"
    search = services.routes["esearch"].calls.last.request.url.params
    assert search["term"] == "10.5555/lungmed.2019.014[doi]" and search["db"] == "pubmed"
    assert search["tool"] == "evidence-cms-tests" and "id" not in search
    assert ("MeSH: humans", "Yes") in source_metadata.source_facts(paper)


def test_a_doi_pubmed_does_not_know_keeps_its_species_unknown(services):
    services.get(CROSSREF + "10.5555/lungmed.2019.014").mock(return_value=answer("crossref_trial.json"))
    services.routes["esearch"].mock(return_value=answer("esearch_none.json"))
    paper = source(Source.Kind.DOI, "10.5555/lungmed.2019.014")

    assert source_metadata.look_up(paper.pk) == Outcome.LOOKED_UP

    paper = fresh(paper)
    record = paper.record
    assert (record.humans, record.animals) == ("unknown", "unknown")
    assert (
        record.publication_types == [] and record.detail == "PubMed has no record of this DOI: humans/animals unknown"
    )
    facts = source_metadata.source_facts(paper)
    assert ("Outcome", "Looked up: PubMed has no record of this DOI: humans/animals unknown.") in facts
    assert not [label for label, _ in facts if label.startswith("MeSH")]
    assert services.routes["esearch"].called
    assert not [call for call in services.calls if call.request.url.path.endswith("/efetch.fcgi")]


@pytest.mark.parametrize(
    "response, said",
    [(httpx.Response(503), "PubMed answered 503"), (httpx.ConnectTimeout("no answer"), "PubMed timed out")],
)
def test_a_doi_look_up_succeeds_on_crossref_alone_when_pubmed_fails_and_says_so(services, response, said):
    services.get(CROSSREF + "10.5555/lungmed.2019.014").mock(return_value=answer("crossref_trial.json"))
    if isinstance(response, Exception):
        services.routes["esearch"].mock(side_effect=response)
    else:
        services.routes["esearch"].mock(return_value=response)
    paper = source(Source.Kind.DOI, "10.5555/lungmed.2019.014")

    assert source_metadata.look_up(paper.pk) == Outcome.LOOKED_UP

    paper = fresh(paper)
    assert paper.title == "Inhaled therapy for breathlessness in lung fibrosis: a randomised trial"
    assert paper.record.outcome == Outcome.LOOKED_UP
    assert paper.record.detail == f"PubMed could not be reached ({said}): Crossref's answer alone"
    assert (paper.record.humans, paper.record.animals) == ("unknown", "unknown")
    assert ("Outcome", f"Looked up: PubMed could not be reached ({said}): Crossref's answer alone.") in (
        source_metadata.source_facts(paper)
    )


def test_pubmed_failing_on_a_later_look_up_keeps_what_it_said_before(services):
    services.get(CROSSREF + "10.5555/lungmed.2019.014").mock(return_value=answer("crossref_trial.json"))
    services.routes["esearch"].mock(return_value=answer("esearch_one.json"))
    services.get(f"{EUTILS}/efetch.fcgi", params__contains={"id": "31000001"}).mock(
        return_value=answer("efetch_trial.xml")
    )
    paper = source(Source.Kind.DOI, "10.5555/lungmed.2019.014")
    source_metadata.look_up(paper.pk)
    services.routes["esearch"].mock(return_value=httpx.Response(503))

    assert source_metadata.look_up(paper.pk) == Outcome.LOOKED_UP

    record = fresh(paper).record
    assert record.detail.startswith("PubMed could not be reached")
    assert (record.humans, record.animals) == ("yes", "no")
    assert record.publication_types == ["Journal Article", "Randomized Controlled Trial"]


def test_a_doi_pubmed_files_under_several_pmids_is_not_taken_from_any(services):
    services.get(CROSSREF + "10.5555/lungmed.2019.014").mock(return_value=answer("crossref_trial.json"))
    services.routes["esearch"].mock(
        return_value=httpx.Response(200, json={"esearchresult": {"count": "2", "idlist": ["31000001", "31000002"]}})
    )
    paper = source(Source.Kind.DOI, "10.5555/lungmed.2019.014")

    assert source_metadata.look_up(paper.pk) == Outcome.LOOKED_UP
    assert fresh(paper).record.publication_types == []


# Failures -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "response, detail, retried",
    [
        (httpx.Response(503), "Crossref answered 503", True),
        (httpx.ConnectTimeout("no answer"), "Crossref timed out", True),
        (httpx.ReadTimeout("no answer"), "Crossref timed out", True),
        (httpx.ConnectError("refused"), "could not reach Crossref: ConnectError", True),
        (httpx.Response(200, text='{"status": "ok", "message": '), "unreadable answer", False),
        (httpx.Response(200, text="<html>Service page</html>"), "unreadable answer", False),
        (httpx.Response(200, json={"status": "ok", "message": ["not", "a", "work"]}), "unreadable answer", False),
        (httpx.Response(200, content=b" " * (MAX_BYTES + 1)), "answer too large", False),
        (httpx.Response(200, content=iter([b" " * 1_000_000] * 3)), "answer too large", False),
    ],
)
def test_failures_are_stored_and_only_those_worth_it_retried(services, response, detail, retried):
    route = services.get(CROSSREF + "10.5555/heart.2021.3")
    if isinstance(response, Exception):
        route.mock(side_effect=response)
    else:
        route.mock(return_value=response)
    paper = source(Source.Kind.DOI, "10.5555/heart.2021.3")

    if retried:
        with pytest.raises(LookupFailed):
            source_metadata.look_up(paper.pk)
    else:
        assert source_metadata.look_up(paper.pk) == Outcome.FAILED
    record = fresh(paper).record
    assert (record.outcome, record.detail) == (Outcome.FAILED, detail)
    assert fresh(paper).title == ""


def test_an_oversized_answer_is_not_read_past_the_cap(services):
    sent = []

    def chunks():
        for _ in range(100):
            sent.append(1)
            yield b" " * 500_000

    services.get(CROSSREF + "10.5555/big").mock(return_value=httpx.Response(200, content=chunks()))
    with client() as http, pytest.raises(LookupFailed, match="answer too large"):
        get(http, "crossref", "/works/10.5555/big")
    assert len(sent) <= 6


def test_a_failing_look_up_is_retried_by_the_task_with_backoff(services, clock):
    now = clock(0)
    services.get(CROSSREF + "10.5555/heart.2021.3").mock(return_value=httpx.Response(502))
    paper = source(Source.Kind.DOI, "10.5555/heart.2021.3")

    with pytest.raises(LookupFailed):
        look_up_source.call(paper.pk)

    [retry] = DBTaskResult.objects.filter(task_path__endswith="look_up_source")
    assert retry.args_kwargs == {"args": [paper.pk], "kwargs": {"attempt": 2}}
    assert retry.run_after == now + datetime.timedelta(minutes=1)


def test_a_429_is_retried_no_sooner_than_its_retry_after_and_holds_every_process(services, clock):
    now = clock(0)
    services.get(CROSSREF + "10.5555/heart.2021.3").mock(
        return_value=httpx.Response(429, headers={"Retry-After": "600"})
    )
    paper = source(Source.Kind.DOI, "10.5555/heart.2021.3")

    with pytest.raises(LookupFailed) as failure:
        look_up_source.call(paper.pk)

    assert failure.value.retry_after == 600
    [retry] = DBTaskResult.objects.filter(task_path__endswith="look_up_source")
    assert retry.run_after == now + datetime.timedelta(seconds=600)
    assert fresh(paper).record.detail == "Crossref asked us to slow down (429)"
    # Another look-up at Crossref meanwhile does not even send its request.
    other = source(Source.Kind.DOI, "10.5555/other")
    calls = services.calls.call_count
    with pytest.raises(LookupFailed, match="busy"):
        source_metadata.look_up(other.pk)
    assert services.calls.call_count == calls


def test_a_source_created_while_look_ups_are_on_is_looked_up_after_its_commit(
    services, django_capture_on_commit_callbacks
):
    services.get(STUDIES + "NCT04000001").mock(return_value=answer("study_terminated.json"))
    with django_capture_on_commit_callbacks(execute=True):
        trial = Source.objects.create(kind=Source.Kind.NCT, identifier="NCT04000001")
    run_tasks()
    assert fresh(trial).record.trial_status == "TERMINATED"


def test_with_look_ups_off_nothing_is_fetched_and_the_outcome_says_why(settings, django_capture_on_commit_callbacks):
    settings.SOURCE_LOOKUPS = False
    with respx.mock(assert_all_called=False) as mock, django_capture_on_commit_callbacks(execute=True):
        paper = Source.objects.create(kind=Source.Kind.PMID, identifier="31000001")
        assert not DBTaskResult.objects.exists()
        assert source_metadata.outcome_of(paper) == (Outcome.OFF, source_metadata.OFF_DETAIL)
        assert source_metadata.look_up(paper.pk) == Outcome.OFF
        assert fresh(paper).record.outcome == Outcome.OFF
    assert not mock.calls


# Hosts, web sources and the rate limit --------------------------------------------------------------


def test_a_web_source_is_never_fetched(services, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = Source.objects.create(kind=Source.Kind.URL, identifier="https://eutils.ncbi.nlm.nih.gov/anything")
    run_tasks()
    assert source_metadata.look_up(page.pk) == Outcome.NEVER
    assert not source_metadata.request_lookup(page)
    with pytest.raises(LookupRefused):
        look_up(Source.Kind.URL, page.identifier)
    assert not services.calls
    assert not SourceRecord.objects.exists()
    assert source_metadata.outcome_of(page) == (Outcome.NEVER, "A web address is never fetched.")


def test_a_redirect_to_another_host_is_refused(services):
    services.get(CROSSREF + "10.5555/moved").mock(
        return_value=httpx.Response(301, headers={"Location": "https://example.com/work"})
    )
    catch_all = services.get("https://example.com/work").mock(return_value=httpx.Response(200, json={}))
    with client() as http, pytest.raises(LookupRefused, match="example.com"):
        crossref.look_up(http, "10.5555/moved")
    assert not catch_all.called


def test_a_base_address_on_another_host_is_refused_unless_it_is_the_service_s(services, settings):
    settings.LOOKUP_CROSSREF_URL = "http://127.0.0.1:8765"
    local = services.get("http://127.0.0.1:8765/works/10.5555/heart.2021.3").mock(
        return_value=answer("crossref_concern.json")
    )
    with client() as http:
        assert crossref.look_up(http, "10.5555/heart.2021.3")["crossref_type"] == "journal-article"
        # The hosts allowed are the three services' base addresses' only.
        with pytest.raises(LookupRefused):
            http.get("https://api.crossref.org/works/10.5555/heart.2021.3")
    assert local.called


class Clock:
    """A clock that only moves when someone sleeps (or the test moves it)."""

    def __init__(self, start):
        self.moment, self.slept = start, []

    def now(self):
        return self.moment

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.moment += seconds


def test_requests_to_one_service_are_spaced_by_its_rate(settings):
    settings.LOOKUP_RATES = {"pubmed": 3.0, "crossref": 5.0, "clinicaltrials": 0.8}
    clock = Clock(1000.0)
    sent = [limits.take_slot("pubmed", now=clock.now, sleep=clock.sleep) for _ in range(30)]

    assert all(b - a >= 1 / 3 for a, b in zip(sent, sent[1:], strict=False))
    for start in sent:  # in any second, at most three requests
        assert sum(start <= s < start + 1 for s in sent) <= 3
    # Other services keep their own pace.
    assert limits.take_slot("crossref", now=clock.now, sleep=clock.sleep) == clock.moment


def test_a_free_moment_is_not_waited_for_and_a_taken_one_is(settings):
    settings.LOOKUP_RATES = {"pubmed": 2.0, "crossref": 5.0, "clinicaltrials": 0.8}
    clock = Clock(50.0)
    assert limits.take_slot("pubmed", now=clock.now, sleep=clock.sleep) == 50.0
    assert clock.slept == []
    clock.moment = 50.1
    assert limits.take_slot("pubmed", now=clock.now, sleep=clock.sleep) == pytest.approx(50.525)
    assert clock.slept == [pytest.approx(0.425)]
    assert LookupSlot.objects.get(service="pubmed").next_at == pytest.approx(51.05)


def test_a_slot_too_far_off_is_not_waited_for(settings):
    clock = Clock(10.0)
    limits.hold("clinicaltrials", 120, now=clock.now)
    with pytest.raises(LookupFailed) as failure:
        limits.take_slot("clinicaltrials", now=clock.now, sleep=clock.sleep)
    assert failure.value.retry and failure.value.retry_after == pytest.approx(120)
    assert clock.slept == []


def test_an_ncbi_api_key_is_sent_when_set(services, settings):
    settings.NCBI_API_KEY = "k-123"
    pubmed(services, "31000003", "esummary_animal.json", "efetch_animal.xml")
    paper = source(Source.Kind.PMID, "31000003")
    source_metadata.look_up(paper.pk)
    assert all(call.request.url.params["api_key"] == "k-123" for call in services.calls)


def test_not_found_is_raised_for_an_empty_trial_answer(services):
    services.get(STUDIES + "NCT04000002").mock(return_value=httpx.Response(200, json={}))
    with pytest.raises(NotFound):
        look_up(Source.Kind.NCT, "NCT04000002")


def test_a_source_added_by_identifier_in_a_claim_is_looked_up(services, django_capture_on_commit_callbacks):
    services.get(STUDIES + "NCT04000001").mock(return_value=answer("study_terminated.json"))
    with django_capture_on_commit_callbacks(execute=True):
        trial = source_from_identifier("https://clinicaltrials.gov/study/NCT04000001")
        again = source_from_identifier("NCT04000001")  # the same source: nothing more to look up
    assert again == trial
    assert DBTaskResult.objects.count() == 1
    run_tasks()
    assert fresh(trial).design_words == "Randomised trial in 320 adults"
