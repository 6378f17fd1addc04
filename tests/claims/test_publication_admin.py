"""The admin pages that publish revisions: publish, sign-off, dismissing a suggestion, and the command."""

import datetime
import io
import zoneinfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRevision
from articles.services import article_update
from claims.admin.publication import SIGNED_OFF
from claims.models import SuggestionDismissal
from claims.publishing import article_publish, article_sign_off, draft_digest
from claims.services import claim_approve
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, ReviewerFactory, evidence
from tests.helpers import fresh, messages_of, page_text, signed_in

pytestmark = pytest.mark.django_db

CLAIMED = "Stem-cell transplants may be linked to fewer flares in a few people with severe lupus."
UNGRADED = "Hydroxychloroquine reduces flares of lupus nephritis and improves survival."
PLAIN = "Many people live with the disease for decades."
BODY = f"## Lupus and stem cells\n\n{CLAIMED} {PLAIN}\n"


@pytest.fixture
def lupus(db):
    return ConditionFactory(name="Systemic lupus erythematosus", slug="sle", synonyms="lupus\nSLE")


@pytest.fixture
def draft(editor, lupus):
    return ArticleFactory(author=editor, body=BODY, status=Article.Status.DRAFT, title="Lupus and stem cells")


@pytest.fixture
def claim(draft, lupus, reviewer):
    claim = ClaimFactory(article=draft, text=CLAIMED, condition=lupus, evidence_status=evidence("limited"))
    claim_approve(claim=claim, reviewer=reviewer)
    return fresh(claim)


def url(name, article):
    return reverse(f"admin:articles_articlerevision_{name}", args=[article.pk])


def sign_off(article, reviewer):
    return article_sign_off(article=article, reviewer=reviewer, seen_digest=draft_digest(fresh(article)))


# The publish page ---------------------------------------------------------------------------------


def test_the_publish_page_lists_each_blocker_with_its_link_and_offers_no_form(editor_client, draft, claim):
    response = editor_client.get(url("publish", draft))
    text = page_text(response)
    assert response.status_code == 200
    assert "Not published" in text and "No medical sign-off for this draft" in text
    assert f'href="{url("sign_off", draft)}"' in response.content.decode()
    assert 'name="change_note"' not in response.content.decode()
    assert "The draft (all of it is new to readers)" in text and CLAIMED in text


def test_a_reviewer_reads_the_publish_page_but_may_not_publish(reviewer_client, draft, claim, second_reviewer):
    sign_off(draft, second_reviewer)
    assert reviewer_client.get(url("publish", draft)).status_code == 200
    assert reviewer_client.post(url("publish", draft), {"change_note": ""}).status_code == 403
    assert not ArticleRevision.objects.filter(article=draft, is_live=True).exists()


def test_publishing_a_signed_off_draft_makes_it_live_and_the_article_page_says_so(
    editor_client, editor, draft, claim, reviewer
):
    sign_off(draft, reviewer)
    response = editor_client.post(url("publish", draft), {"change_note": "", "publish_at": ""})
    assert response.status_code == 302
    assert "Published revision 1: readers now see this draft." in messages_of(response)
    live = ArticleRevision.objects.get(article=draft, is_live=True)
    assert (live.number, live.published_by) == (1, editor)
    page = page_text(editor_client.get(reverse("admin:articles_article_change", args=[draft.pk])))
    assert "Published — readers see revision 1 (published" in page and "View live" in page and "Publish…" in page
    assert "the draft is the same." in page and "the draft differs" not in page


def test_a_second_revision_needs_a_change_note_and_a_refusal_keeps_what_was_typed(
    editor_client, draft, claim, reviewer
):
    sign_off(draft, reviewer)
    article_publish(article=draft, user=draft.author)
    draft = fresh(draft)
    draft.body = draft.body.replace("decades.", "decades, often well.")
    article_update(article=draft, user=draft.author)
    response = editor_client.post(url("publish", draft), {"change_note": ""})
    assert "Say what changed" in page_text(response)
    assert ArticleRevision.objects.filter(article=draft).count() == 1
    # The diff shows the changed sentence, its punctuation too.
    assert "− removed" in page_text(response)
    assert 'decades<ins class="article-diff__word">, often well</ins>.' in response.content.decode()
    response = editor_client.post(url("publish", draft), {"change_note": "A clearer sentence."})
    assert response.status_code == 302
    assert ArticleRevision.objects.get(article=draft, is_live=True).change_note == "A clearer sentence."


def test_a_refused_publication_shows_the_blockers_again_and_keeps_the_change_note(
    editor_client, draft, claim, reviewer
):
    sign_off(draft, reviewer)
    article_publish(article=draft, user=draft.author)
    draft = fresh(draft)
    draft.body = draft.body.replace(PLAIN, UNGRADED)
    article_update(article=draft, user=draft.author)
    response = editor_client.post(url("publish", draft), {"change_note": "Added a treatment."})
    text = page_text(response)
    assert response.status_code == 200
    assert "Not published: 2 things to deal with first." in text
    assert "reads as a health claim" in text and "No medical sign-off" in text
    assert "Added a treatment." in response.content.decode()


def test_scheduling_shows_the_time_and_the_schedule_can_be_cancelled(editor_client, draft, claim, reviewer):
    sign_off(draft, reviewer)
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    when = (timezone.now() + datetime.timedelta(days=2)).astimezone(zone).replace(second=0, microsecond=0)
    response = editor_client.post(url("publish", draft), {"change_note": "", "publish_at": f"{when:%Y-%m-%dT%H:%M}"})
    assert response.status_code == 302
    revision = ArticleRevision.objects.get(article=draft)
    assert revision.scheduled_for == when and not revision.is_live
    text = page_text(editor_client.get(url("publish", draft)))
    assert f"Revision 1 goes live on {when:%-d %B %Y} at {when:%H:%M}" in text and settings.TIME_ZONE in text
    assert "Cancel schedule" in text
    response = editor_client.post(url("cancel_schedule", draft), {"revision": revision.pk})
    assert "The schedule of revision 1 is cancelled" in " ".join(messages_of(response))
    assert fresh(revision).scheduled_for is None
    assert editor_client.get(url("cancel_schedule", draft)).status_code == 405


def test_a_time_in_the_past_is_refused(editor_client, draft, claim, reviewer):
    sign_off(draft, reviewer)
    response = editor_client.post(url("publish", draft), {"change_note": "", "publish_at": "2001-01-01T09:00"})
    assert "That time has passed" in page_text(response)
    assert not ArticleRevision.objects.filter(article=draft, published_at__isnull=False).exists()


def next_skipped_half_hour(zone):
    """The first hh:30 within a year that `zone`'s clocks skip when they go forward."""
    start = timezone.now().astimezone(zone).replace(minute=30, second=0, microsecond=0, tzinfo=None)
    for hours in range(1, 24 * 366):
        wall = start + datetime.timedelta(hours=hours)
        if wall.replace(tzinfo=zone).astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != wall:
            return wall
    raise AssertionError(f"{zone} never skips an hour")


def test_a_time_far_ahead_or_skipped_by_the_clocks_is_refused_in_plain_words(
    settings, editor_client, draft, claim, reviewer
):
    settings.TIME_ZONE = "Europe/London"
    sign_off(draft, reviewer)
    far = editor_client.post(url("publish", draft), {"change_note": "", "publish_at": "9999-12-31T23:59"})
    assert "at most a year ahead" in page_text(far)
    skipped = next_skipped_half_hour(zoneinfo.ZoneInfo("Europe/London"))
    response = editor_client.post(url("publish", draft), {"change_note": "", "publish_at": f"{skipped:%Y-%m-%dT%H:%M}"})
    assert "does not exist or happens twice when the clocks change in Europe/London" in page_text(response)
    assert not ArticleRevision.objects.filter(article=draft, scheduled_for__isnull=False).exists()


def test_scheduling_again_replaces_the_schedule_and_says_so(editor_client, draft, claim, reviewer):
    sign_off(draft, reviewer)
    first = timezone.now() + datetime.timedelta(days=2)
    article_publish(article=draft, user=draft.author, at=first)
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    later = (first + datetime.timedelta(days=3)).astimezone(zone).replace(second=0, microsecond=0)
    response = editor_client.post(url("publish", draft), {"change_note": "", "publish_at": f"{later:%Y-%m-%dT%H:%M}"})
    said = " ".join(messages_of(response))
    assert "This replaces the schedule of revision 1 for" in said
    assert list(ArticleRevision.objects.scheduled().filter(article=draft).values_list("scheduled_for", flat=True)) == [
        later
    ]


def test_a_failed_schedule_is_shown_on_the_article_page(editor_client, draft, claim, reviewer):
    sign_off(draft, reviewer)
    when = timezone.now() + datetime.timedelta(hours=1)
    article_publish(article=draft, user=draft.author, at=when)
    draft = fresh(draft)
    draft.title = "Lupus and stem cells, retitled"
    article_update(article=draft, user=draft.author)
    call_command(
        "publish_scheduled",
        now=(when + datetime.timedelta(minutes=5)).isoformat(),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    page = page_text(editor_client.get(reverse("admin:articles_article_change", args=[draft.pk])))
    assert "Scheduled publication failed: revision 1 did not go live." in page
    assert "No medical sign-off" in page


# The sign-off page --------------------------------------------------------------------------------


def test_the_sign_off_page_shows_the_claims_and_signs_off_the_draft_as_seen(reviewer_client, draft, claim):
    response = reviewer_client.get(url("sign_off", draft))
    text = page_text(response)
    assert response.status_code == 200
    assert CLAIMED in text and "Systemic lupus erythematosus" in text and "●●○○ Limited" in text
    assert 'name="seen_digest"' in response.content.decode()
    response = reviewer_client.post(url("sign_off", draft), {"seen_digest": draft_digest(draft)})
    assert response.status_code == 302
    assert SIGNED_OFF.format(1) in messages_of(response)
    assert ArticleRevision.objects.get(article=draft).signed_off_by is not None


def test_a_draft_changed_since_the_page_was_drawn_is_not_signed_off(reviewer_client, draft, claim):
    seen = draft_digest(draft)
    draft.title = "Lupus and stem cells, retitled"
    article_update(article=draft, user=draft.author)
    response = reviewer_client.post(url("sign_off", draft), {"seen_digest": seen})
    assert response.status_code == 200
    assert "The draft changed after you opened it" in page_text(response)
    assert f'name="seen_digest" value="{draft_digest(fresh(draft))}"' in response.content.decode()
    assert not ArticleRevision.objects.filter(article=draft).exists()


def test_the_author_is_told_why_they_cannot_sign_off(client, draft, claim):
    author_reviewer = ReviewerFactory(username="author-reviewer")
    Article.objects.filter(pk=draft.pk).update(author=author_reviewer)
    client.force_login(author_reviewer)
    response = client.get(url("sign_off", draft))
    assert "You wrote" in page_text(response) and "Sign off this draft" not in page_text(response)
    response = client.post(url("sign_off", draft), {"seen_digest": draft_digest(draft)})
    assert "Not signed off." in page_text(response) and "You wrote" in page_text(response)
    assert not ArticleRevision.objects.filter(article=draft).exists()


def test_an_open_claim_is_a_reason_not_to_sign_off(reviewer_client, draft, lupus):
    ClaimFactory(article=draft, text=CLAIMED, condition=lupus, evidence_status=evidence("limited"))
    text = page_text(reviewer_client.get(url("sign_off", draft)))
    assert "pending review, not approved" in text and "Sign off this draft" not in text


def test_editors_read_the_sign_off_page_told_who_signs_off_but_may_not_sign_off(editor_client, draft, claim):
    response = editor_client.get(url("sign_off", draft))
    assert response.status_code == 200
    assert "You cannot sign off this draft yet" in page_text(response)
    assert 'name="seen_digest"' not in response.content.decode()
    assert editor_client.post(url("sign_off", draft), {"seen_digest": draft_digest(draft)}).status_code == 403
    assert not ArticleRevision.objects.filter(article=draft).exists()


# Dismissing a suggestion --------------------------------------------------------------------------


@pytest.fixture
def suggested(draft, claim):
    draft.body = BODY.replace(PLAIN, UNGRADED)
    article_update(article=draft, user=draft.author)
    return fresh(draft)


def dismissal(article, number, reason):
    return {"sentence_number": str(number), f"sentence-{number}": UNGRADED, f"reason-{number}": reason}


def sentence_number(article):
    return next(s.index + 1 for s in article.sentences() if s.text == UNGRADED)


def test_a_reviewer_dismisses_a_suggested_sentence_from_the_integrity_panel(reviewer_client, reviewer, suggested):
    change_url = reverse("admin:articles_article_change", args=[suggested.pk])
    page = reviewer_client.get(change_url).content.decode()
    number = sentence_number(suggested)
    assert f'name="reason-{number}"' in page and "No health claim here" in page
    response = reviewer_client.post(
        url("dismiss_suggestion", suggested), dismissal(suggested, number, "Reports a trial, not advice.")
    )
    assert response.status_code == 302
    assert SuggestionDismissal.objects.get(article=suggested).dismissed_by == reviewer
    text = page_text(reviewer_client.get(change_url))
    assert "Sentences a reviewer said make no health claim" in text and "Reports a trial, not advice." in text


def test_a_dismissal_needs_a_reason_and_a_reviewer(editor, reviewer_client, suggested):
    number = sentence_number(suggested)
    response = reviewer_client.post(url("dismiss_suggestion", suggested), dismissal(suggested, number, " "))
    assert any("Say in a few words" in message for message in messages_of(response))
    refused = signed_in(editor).post(url("dismiss_suggestion", suggested), dismissal(suggested, number, "No."))
    assert refused.status_code == 403
    assert reviewer_client.get(url("dismiss_suggestion", suggested)).status_code == 405
    assert not SuggestionDismissal.objects.exists()


def test_pressing_enter_in_a_reason_dismisses_that_sentence(reviewer_client, suggested):
    number = sentence_number(suggested)
    data = {"sentence_number": "1", "sentence-1": "Other.", "reason-1": "", **dismissal(suggested, number, "Trial.")}
    data["sentence_number"] = "1"
    reviewer_client.post(url("dismiss_suggestion", suggested), data)
    assert SuggestionDismissal.objects.get().sentence == UNGRADED


# The command --------------------------------------------------------------------------------------


def test_the_command_publishes_what_is_due_and_says_what_failed_and_why(draft, claim, reviewer, editor, lupus):
    sign_off(draft, reviewer)
    when = timezone.now() + datetime.timedelta(hours=2)
    article_publish(article=draft, user=editor, at=when)
    other = ArticleFactory(author=editor, body=BODY, status=Article.Status.DRAFT, title="Another on lupus")
    other_claim = ClaimFactory(article=other, text=CLAIMED, condition=lupus, evidence_status=evidence("limited"))
    claim_approve(claim=other_claim, reviewer=reviewer)
    sign_off(other, reviewer)
    article_publish(article=other, user=editor, at=when)
    other = fresh(other)
    other.title = "Another on lupus, retitled"
    article_update(article=other, user=editor)

    out, err = io.StringIO(), io.StringIO()
    call_command("publish_scheduled", now=(when - datetime.timedelta(minutes=1)).isoformat(), stdout=out, stderr=err)
    assert out.getvalue() == "No scheduled revision is due.\n"

    out, err = io.StringIO(), io.StringIO()
    call_command("publish_scheduled", now=(when + datetime.timedelta(minutes=1)).isoformat(), stdout=out, stderr=err)
    assert "Published: “Lupus and stem cells”, revision 1" in out.getvalue()
    assert "1 published, 1 not published." in out.getvalue()
    assert "Not published: “Another on lupus, retitled”, revision 1:" in err.getvalue()
    assert "No medical sign-off" in err.getvalue()
    assert ArticleRevision.objects.get(article=draft).is_live


def test_an_archived_article_is_not_published_from_the_publish_page(editor_client, draft, claim, reviewer):
    sign_off(draft, reviewer)
    Article.objects.filter(pk=draft.pk).update(archived_at=timezone.now())
    response = editor_client.post(url("publish", draft), {"change_note": "", "publish_at": ""})
    assert "This article is archived: restore it before publishing." in page_text(response)
    assert not ArticleRevision.objects.filter(article=draft, is_live=True).exists()
