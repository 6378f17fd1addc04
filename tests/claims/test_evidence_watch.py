"""The evidence watch: sources looked up again, their events recorded once, alerts raised once per claim
and event and emailed once, and a reviewer's resolution of each (recorded answers, respx)."""

import datetime
import itertools
import re

import httpx
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from claims import evidence_watch
from claims.models import EvidenceAlert, PublishedClaim, Source, SourceEvent, SourceRecord
from claims.text import study_design as design
from tests.factories import SourceFactory, evidence
from tests.helpers import approved_claim, fresh, page_text, run_tasks
from tests.helpers import recorded_answer as answer

pytestmark = pytest.mark.django_db

CROSSREF = "https://api.crossref.org/works/"
STUDIES = "https://clinicaltrials.gov/api/v2/studies/"
RETRACTED_DOI = "10.5555/cnr.2016.77"
Resolution = EvidenceAlert.Resolution
REVIEWS = itertools.count()


def retracted_paper():
    return SourceFactory(kind=Source.Kind.DOI, identifier=RETRACTED_DOI, design=design.RANDOMISED_TRIAL)


def relying_on(reviewer, *sources):
    """An approved, live claim citing `sources` and a systematic review (so its grade is met)."""
    review = SourceFactory(kind=Source.Kind.URL, identifier=f"https://example.org/review-{next(REVIEWS)}")
    review.design = design.SYSTEMATIC_REVIEW
    review.save(update_fields=["design"])
    cited = [*sources, review]
    return approved_claim(reviewer, evidence_status=evidence("strong"), sources=cited)


@pytest.fixture
def retraction(services):
    services.get(CROSSREF + RETRACTED_DOI).mock(return_value=answer("crossref_retracted.json"))
    return services


def test_the_watch_records_a_retraction_once_and_alerts_each_citing_claim_once(retraction, reviewer):
    paper = retracted_paper()
    first, second = relying_on(reviewer, paper), relying_on(reviewer, paper)

    evidence_watch.watch(batch=10)
    evidence_watch.watch(batch=10)

    event = SourceEvent.objects.get(source=paper)
    assert (event.kind, event.date) == (SourceEvent.Kind.RETRACTION, datetime.date(2018, 1, 9))
    assert event.detail == "Notice doi:10.5555/cnr.2018.01"
    alerts = EvidenceAlert.objects.filter(event=event)
    assert sorted(alerts.values_list("claim_id", flat=True)) == sorted([first.pk, second.pk])
    assert all(alert.is_open for alert in alerts)


def test_a_terminated_trial_alerts_and_its_results_are_recorded_without_an_alert(services, reviewer):
    services.get(STUDIES + "NCT04000001").mock(return_value=answer("study_terminated.json"))
    trial = SourceFactory(kind=Source.Kind.NCT, identifier="NCT04000001")
    claim = relying_on(reviewer, trial)

    evidence_watch.watch()

    kinds = dict(SourceEvent.objects.filter(source=trial).values_list("kind", "date"))
    assert kinds == {
        SourceEvent.Kind.TRIAL_STOPPED: datetime.date(2023, 4, 18),
        SourceEvent.Kind.RESULTS_POSTED: datetime.date(2023, 4, 18),
    }
    assert [a.event.kind for a in EvidenceAlert.objects.filter(claim=claim)] == [SourceEvent.Kind.TRIAL_STOPPED]


def test_a_stopped_trial_is_dated_by_its_records_last_update_in_words_everywhere(
    services, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    services.get(STUDIES + "NCT04000001").mock(return_value=answer("study_terminated.json"))
    trial = SourceFactory(kind=Source.Kind.NCT, identifier="NCT04000001")
    claim = relying_on(reviewer, trial)
    reviewer.email = "reviewer@example.org"
    reviewer.save()

    with django_capture_on_commit_callbacks(execute=True):
        evidence_watch.watch()
    run_tasks()

    event = SourceEvent.objects.get(source=trial, kind=SourceEvent.Kind.TRIAL_STOPPED)
    assert event.headline() == "Trial stopped (status last updated on 18 April 2023)"
    assert "stopped on" not in str(event) and "status last updated on 18 April 2023" in str(event)
    [message] = [m for m in mail.outbox if "Trial stopped" in m.body]
    assert "Trial stopped (status last updated on 18 April 2023)" in message.body
    alert = EvidenceAlert.objects.get(claim=claim, event=event)
    evidence_watch.resolve(alert, user=second_reviewer, how=Resolution.WITHDRAWN)
    assert fresh(alert).reason == (
        "A trial this claim relies on stopped early (status last updated on 18 April 2023). A reviewer is checking it."
    )


def test_a_retraction_recorded_rebuilds_the_live_page_with_the_grade_withheld(
    retraction, reviewer, django_capture_on_commit_callbacks
):
    from claims.models import ArticlePage
    from claims.pages import stored

    paper = retracted_paper()
    claim = approved_claim(
        reviewer, evidence_status=evidence("moderate"), sources=[paper], override_reason="Worded as the trial put it."
    )
    stored.build(claim.article_id)
    before = ArticlePage.objects.get(article_id=claim.article_id)
    assert "Moderate evidence" in before.body_html

    with django_capture_on_commit_callbacks(execute=True):
        evidence_watch.watch()

    # Rebuilt as the look-up's transaction commits, before any reader asks for it.
    page = ArticlePage.objects.get(article_id=claim.article_id)
    assert page.built_generation == page.generation > before.generation
    assert "Moderate evidence" not in page.body_html
    held = '<span aria-hidden="true">⚠</span><span class="visually-hidden">Evidence: </span>Under review'
    assert held in page.body_html
    assert "Under review" in page.body_html
    assert "The study this grade rested on was retracted on" in page.notes_html


def test_the_watch_checks_the_oldest_first_a_batch_at_a_time_and_only_cited_sources(retraction, reviewer):
    services = retraction
    services.get(STUDIES + "NCT04000001").mock(return_value=answer("study_terminated.json"))
    paper, trial = retracted_paper(), SourceFactory(kind=Source.Kind.NCT, identifier="NCT04000001")
    SourceFactory(kind=Source.Kind.DOI, identifier="10.5555/nobody.cites")  # never asked for
    relying_on(reviewer, paper, trial)
    long_ago = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    # (Created with look-ups on, each has a record saying its first look-up is queued.)
    SourceRecord.objects.update_or_create(source=trial, defaults={"outcome": "looked_up", "looked_up_at": long_ago})
    checked = long_ago.replace(year=2021)
    SourceRecord.objects.update_or_create(source=paper, defaults={"outcome": "looked_up", "looked_up_at": checked})

    evidence_watch.watch(batch=1)

    assert [call.request.url.path for call in services.calls] == ["/api/v2/studies/NCT04000001"]

    services.reset()
    evidence_watch.watch(batch=1)
    # A DOI is asked of Crossref, then of PubMed for its PMID.
    assert [call.request.url.path for call in services.calls] == [
        "/works/" + RETRACTED_DOI,
        "/entrez/eutils/esearch.fcgi",
    ]


def test_the_reviewer_is_emailed_once_through_the_task_queue(retraction, reviewer, django_capture_on_commit_callbacks):
    paper = retracted_paper()
    claim = relying_on(reviewer, paper)

    with django_capture_on_commit_callbacks(execute=True):
        evidence_watch.watch()
    run_tasks()
    alert = EvidenceAlert.objects.get(claim=claim)
    assert evidence_watch.email_alert(alert.pk) == "nobody new to tell"
    run_tasks()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reviewer.email]
    assert "Retraction on 9 January 2018" in message.body and claim.quote in message.body
    assert f"/admin/claims/evidencealert/{alert.pk}/resolve/" in message.body


def test_the_alerts_link_is_a_full_address_from_site_url(
    retraction, reviewer, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://health.example.org"
    claim = relying_on(reviewer, retracted_paper())
    with django_capture_on_commit_callbacks(execute=True):
        evidence_watch.watch()
    run_tasks()
    alert = EvidenceAlert.objects.get(claim=claim)

    [message] = mail.outbox
    links = re.findall(r"\S*/admin/\S+", message.body)
    assert links == [
        f"https://health.example.org/admin/claims/evidencealert/{alert.pk}/resolve/",
        "https://health.example.org/admin/notifications/notification/preferences/",
    ]


def test_an_alert_queued_before_notifications_is_told_through_them_once(retraction, reviewer):
    claim = relying_on(reviewer, retracted_paper())
    evidence_watch.watch()  # in the test's transaction: nothing is sent on commit
    alert = EvidenceAlert.objects.get(claim=claim)
    alert.claim.reviewed_by.notifications.all().delete()

    assert evidence_watch.email_alert(alert.pk) == "notified"
    assert evidence_watch.email_alert(alert.pk) == "nobody new to tell"
    assert reviewer.notifications.get().url == f"/admin/claims/evidencealert/{alert.pk}/resolve/"


def test_evidence_watch_is_a_periodic_task(capsys):
    call_command("enqueue_periodic", "evidence-watch")
    assert "Enqueued evidence-watch" in capsys.readouterr().out


# Resolution ----------------------------------------------------------------------------------------


@pytest.fixture
def alert(reviewer):
    paper = retracted_paper()
    claim = relying_on(reviewer, paper)
    event = SourceEvent.objects.create(source=paper, kind=SourceEvent.Kind.RETRACTION, date=datetime.date(2018, 1, 9))
    (raised,) = evidence_watch.raise_alerts(event)
    assert raised.claim == claim
    return raised


def test_keeping_the_claim_needs_a_reason_and_records_who_and_when(alert, second_reviewer):
    with pytest.raises(ValidationError):
        evidence_watch.resolve(alert, user=second_reviewer, how=Resolution.KEPT, reason="  ")
    assert fresh(alert).is_open

    evidence_watch.resolve(alert, user=second_reviewer, how=Resolution.KEPT, reason="Three other trials agree.")

    alert = fresh(alert)
    assert (alert.resolution, alert.reason, alert.resolved_by) == (
        Resolution.KEPT,
        "Three other trials agree.",
        second_reviewer,
    )
    assert alert.resolved_at is not None
    with pytest.raises(ValidationError):
        evidence_watch.resolve(alert, user=second_reviewer, how=Resolution.REGRADE)


def test_changing_the_grade_is_recorded(alert, second_reviewer):
    evidence_watch.resolve(alert, user=second_reviewer, how=Resolution.REGRADE)
    assert fresh(alert).resolution == Resolution.REGRADE


def test_an_editor_cannot_resolve_an_alert(alert, editor):
    with pytest.raises(Exception, match="Only reviewers"):
        evidence_watch.resolve(alert, user=editor, how=Resolution.REGRADE)
    assert fresh(alert).is_open


def test_urgent_withdrawal_pulls_the_live_claim_with_the_default_notice(alert, second_reviewer):
    evidence_watch.resolve(alert, user=second_reviewer, how=Resolution.WITHDRAWN)

    live = PublishedClaim.objects.get(claim=alert.claim, revision__is_live=True)
    notice = "A study this claim relies on was retracted on 9 January 2018. A reviewer is checking it."
    assert live.under_review_since is not None and live.under_review_notice == notice
    assert fresh(alert).resolution == Resolution.WITHDRAWN and fresh(alert).reason == notice


# The reviewers' queue ------------------------------------------------------------------------------

QUEUE = "/admin/claims/evidencealert/"


def test_the_queue_lists_open_alerts_with_their_claim_article_and_whether_live(alert, reviewer_client):
    page = reviewer_client.get(QUEUE)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Retraction" in text and alert.claim.article.title in text and alert.claim.quote[:40] in text
    assert f"{alert.pk}/resolve/" in text
    assert "● Live" in page_text(page)  # the claim is live


def live_cell(client):
    """The words of the queue's "Live" cell for its only row."""
    content = client.get(QUEUE).content.decode()
    (cell,) = re.findall(r'<td class="field-live">(.*?)</td>', content, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


def test_the_live_column_says_in_a_symbol_and_words_whether_readers_see_the_claim(alert, reviewer_client, reviewer):
    assert live_cell(reviewer_client) == "● Live"

    evidence_watch.resolve(alert, user=reviewer, how=Resolution.WITHDRAWN)
    resolved = reviewer_client.get(QUEUE + "?state=resolved").content.decode()
    (cell,) = re.findall(r'<td class="field-live">(.*?)</td>', resolved, flags=re.S)
    assert " ".join(re.sub(r"<[^>]+>", " ", cell).split()) == "◐ Withdrawn: readers see it under review"

    draft_only = relying_on(reviewer, SourceFactory(kind=Source.Kind.PMID, identifier="31000020"))
    PublishedClaim.objects.filter(claim=draft_only).delete()
    event = SourceEvent.objects.create(
        source=draft_only.sources.get(kind="pmid"), kind=SourceEvent.Kind.RETRACTION, date=datetime.date(2020, 1, 1)
    )
    evidence_watch.raise_alerts(event)
    assert live_cell(reviewer_client) == "○ Not live"


def test_the_queue_fits_1280_pixels_with_readable_local_dates(alert, reviewer_client, reviewer):
    EvidenceAlert.objects.filter(pk=alert.pk).update(
        raised_at=datetime.datetime(2026, 12, 7, 9, 15, tzinfo=datetime.UTC)
    )
    with timezone.override("UTC"):
        page = reviewer_client.get(QUEUE)
    content = page.content.decode()
    (head,) = re.findall(r"<thead>(.*?)</thead>", content, flags=re.S)
    assert len(re.findall(r"<th ", head)) == 6  # the source and the article folded into their columns
    text = page_text(page)
    assert "7 Dec 2026, 09:15" in text and "Retraction on 9 Jan 2018" in text
    assert "2018-01-09" not in text and "2026-12-07" not in text
    assert f"in {alert.claim.article.title}" in text
    assert "admin/editorial.css" in content  # where the long cells are told to wrap


def test_editors_do_not_get_the_queue(alert, editor_client):
    assert editor_client.get(QUEUE).status_code == 403
    assert editor_client.get(f"{QUEUE}{alert.pk}/resolve/").status_code == 403


def test_keeping_from_the_page_without_a_reason_is_refused_and_with_one_is_resolved(alert, client, second_reviewer):
    client.force_login(second_reviewer)
    url = f"{QUEUE}{alert.pk}/resolve/"

    refused = client.post(url, {"how": "kept", "reason": ""})
    assert refused.status_code == 200 and "Say why the claim stands" in refused.content.decode()
    assert fresh(alert).is_open

    done = client.post(url, {"how": "kept", "reason": "Two other trials agree."})
    assert done.status_code == 302 and fresh(alert).resolution == Resolution.KEPT
    assert "Kept, with a reason by" in client.get(QUEUE + "?state=resolved").content.decode()
    assert alert.claim.quote[:40] not in client.get(QUEUE).content.decode()


def test_changing_the_grade_from_the_page_opens_the_claim(alert, client, second_reviewer):
    client.force_login(second_reviewer)
    done = client.post(f"{QUEUE}{alert.pk}/resolve/", {"how": "regrade", "reason": ""})
    assert done["Location"] == f"/admin/claims/claim/{alert.claim_id}/change/"


def test_a_source_only_readers_still_see_is_watched_and_its_claim_alerted(retraction, reviewer):
    paper = retracted_paper()
    claim = relying_on(reviewer, paper)
    claim.sources.remove(paper)  # the draft moved on; the live copy still cites the paper
    assert PublishedClaim.objects.filter(claim=claim, revision__is_live=True, sources=paper).exists()

    evidence_watch.watch()

    assert EvidenceAlert.objects.filter(claim=claim, event__source=paper).count() == 1


def test_a_re_check_that_changes_the_title_or_year_is_recorded_on_the_source_without_an_alert(
    services, reviewer, reviewer_client
):
    services.get(STUDIES + "NCT04000001").mock(return_value=answer("study_terminated.json"))
    trial = SourceFactory(kind=Source.Kind.NCT, identifier="NCT04000001", title="", year=None)
    claim = relying_on(reviewer, trial)
    evidence_watch.watch()
    first_title = fresh(trial).title
    assert first_title and not SourceEvent.objects.filter(source=trial, kind=SourceEvent.Kind.CITATION_CHANGED)

    renamed = answer("study_terminated.json").json()
    renamed["protocolSection"]["identificationModule"]["officialTitle"] = "A renamed trial"
    renamed["protocolSection"]["identificationModule"]["briefTitle"] = "A renamed trial"
    services.get(STUDIES + "NCT04000001").mock(return_value=httpx.Response(200, json=renamed))
    alerts_before = EvidenceAlert.objects.filter(claim=claim).count()
    evidence_watch.watch()

    assert fresh(trial).title == "A renamed trial"
    event = SourceEvent.objects.get(source=trial, kind=SourceEvent.Kind.CITATION_CHANGED)
    assert event.detail == f"title was “{first_title}”"
    assert EvidenceAlert.objects.filter(claim=claim).count() == alerts_before
    page = page_text(reviewer_client.get(f"/admin/claims/source/{trial.pk}/change/"))
    assert f"Citation details changed on {event.date.day}" in page and f"title was “{first_title}”" in page


def test_the_queue_tells_two_claims_on_one_sentence_apart_by_condition_and_grade(alert, reviewer_client):
    claim = alert.claim
    (cell,) = re.findall(
        r'<td class="field-claim_link">(.*?)</td>', reviewer_client.get(QUEUE).content.decode(), flags=re.S
    )
    words = " ".join(re.sub(r"<[^>]+>", " ", cell).split())
    assert f"{claim.condition.name}, graded {claim.evidence_status.symbol} {claim.evidence_status.name}" in words


def test_the_resolve_page_shows_the_grade_and_offers_withdrawal_only_for_a_live_claim(alert, reviewer_client):
    url = f"{QUEUE}{alert.pk}/resolve/"
    live = page_text(reviewer_client.get(url))
    assert f"Grade {alert.claim.evidence_status.symbol} {alert.claim.evidence_status.name}" in live
    assert "Readers ● Live" in live and "Withdraw the live claim from readers now" in live

    PublishedClaim.objects.filter(claim=alert.claim).delete()
    not_live = page_text(reviewer_client.get(url))
    assert "Readers ○ Not live" in not_live
    assert "Withdraw the live claim from readers now" not in not_live
    assert "Withdrawing it from readers is not offered: it is not live, readers do not see it." in not_live
    refused = reviewer_client.post(url, {"how": "withdrawn", "reason": ""})
    assert refused.status_code == 200 and fresh(alert).is_open
