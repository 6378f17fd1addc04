"""Notifications: who is told of what, how each person's choice per kind is kept (at once, daily digest,
off), the e-mails through the task queue, and the admin's bell, list and settings page."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from claims import assignments, comments, evidence_watch, notices
from claims.models import Claim, ClaimDecision, SourceEvent
from claims.publishing import article_publish, article_sign_off, draft_digest, publish_scheduled
from claims.reminders import due_reviews
from claims.services import claim_approve, claim_decide, claim_submit
from notifications import services
from notifications.models import Delivery, Kind, Notification, NotificationPreference
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory, ReviewerFactory, UserFactory
from tests.helpers import fresh, page_text, run_tasks

pytestmark = pytest.mark.django_db
Decision = ClaimDecision.Decision


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run `call` as a request would (its on-commit enqueues fired), then the queued tasks as the worker does."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = call(*args, **kwargs)
        run_tasks()
        return result

    return run


def told(user, kind=None):
    mine = Notification.objects.filter(recipient=user)
    return list(mine.filter(kind=kind) if kind else mine)


def choose(user, kind, delivery):
    services.set_preferences(user, {kind: delivery})


def mails_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


# Who is told ---------------------------------------------------------------------------------------


def test_a_submitted_claim_tells_every_reviewer_in_their_digest_and_never_its_editor(
    editor, reviewer, second_reviewer, deliver
):
    claim = ClaimFactory(article=ArticleFactory(author=editor), review_state=Claim.ReviewState.DRAFT)

    deliver(claim_submit, claim=claim, user=editor)

    assert told(editor) == []
    for person in (reviewer, second_reviewer):
        [notification] = told(person, Kind.CLAIM_SUBMITTED)
        assert notification.delivery == Delivery.DIGEST and notification.actor == editor
        assert notification.url == f"/admin/claims/reviewqueueclaim/{claim.pk}/change/"
    assert mail.outbox == [], "the default for a broadcast is the daily digest"


def test_a_reviewer_who_last_changed_the_claim_is_not_asked_to_review_it(editor, reviewer, second_reviewer, deliver):
    claim = ClaimFactory(review_state=Claim.ReviewState.DRAFT, last_changed_by=reviewer)

    deliver(claim_submit, claim=claim, user=editor)

    assert told(reviewer) == []
    assert len(told(second_reviewer)) == 1


def test_an_assigned_reviewer_alone_is_told(editor, reviewer, second_reviewer, deliver):
    claim = ClaimFactory(review_state=Claim.ReviewState.DRAFT)
    assignments.assign(target=claim, reviewer=second_reviewer, due_on=assignments.default_due(), by=editor)

    deliver(claim_submit, claim=claim, user=editor)

    assert told(reviewer) == [] and len(told(second_reviewer, Kind.CLAIM_SUBMITTED)) == 1


@pytest.mark.parametrize(
    ("decision", "kind", "last_changer_told"),
    [
        (Decision.CHANGES_REQUESTED, Kind.CHANGES_REQUESTED, True),
        (Decision.REJECTED, Kind.REJECTED, True),
        (Decision.APPROVED, Kind.APPROVED, False),
    ],
)
def test_a_decision_tells_the_claims_editors_at_once_by_one_email(
    editor, reviewer, deliver, settings, decision, kind, last_changer_told
):
    settings.SITE_URL = "https://health.example.org/"
    changer = EditorFactory()
    claim = ClaimFactory(article=ArticleFactory(author=editor), last_changed_by=changer)

    comment = "" if decision == Decision.APPROVED else "The trial measured something else."
    deliver(claim_decide, claim=claim, reviewer=reviewer, decision=decision, comment=comment)
    run_tasks()  # a second run sends nothing more

    [notification] = told(editor, kind)
    assert notification.actor == reviewer and notification.emailed_at is not None
    [message] = mails_to(editor)
    assert f"https://health.example.org/admin/claims/claim/{claim.pk}/change/" in message.body
    assert comment in message.body
    assert len(told(changer, kind)) == int(last_changer_told)
    assert len(mails_to(changer)) == int(last_changer_told)
    assert told(reviewer) == [] and mails_to(reviewer) == [], "nobody is told of their own decision"


def test_a_sign_off_tells_the_articles_author(editor, reviewer, deliver):
    article = ArticleFactory(author=editor, body="## Lungs\n\nA plain sentence with no claim at all.\n")
    article = fresh(article)

    revision = deliver(article_sign_off, article=article, reviewer=reviewer, seen_digest=draft_digest(article))

    [notification] = told(editor, Kind.SIGNED_OFF)
    assert str(revision.number) in notification.text
    assert notification.url == f"/admin/articles/articlerevision/article/{article.pk}/publish/"
    assert len(mails_to(editor)) == 1 and told(reviewer) == []


def test_an_assignment_tells_its_reviewer_at_once_with_the_due_date_and_a_link(editor, reviewer, deliver):
    claim = ClaimFactory(article=ArticleFactory(author=editor))
    due = timezone.localdate() + datetime.timedelta(days=9)

    deliver(assignments.assign, target=claim, reviewer=reviewer, due_on=due, by=editor)

    [notification] = told(reviewer, Kind.ASSIGNED)
    assert notification.delivery == Delivery.IMMEDIATELY and notification.actor == editor
    assert notification.url == f"/admin/claims/claim/{claim.pk}/change/"
    assert f"due {due.day} {due:%b %Y}" in notification.text
    assert f"“{claim.article.title}”" in notification.text
    [message] = mails_to(reviewer)
    assert f"/admin/claims/claim/{claim.pk}/change/" in message.body
    assert told(editor) == [], "nobody is told of their own action"


def test_an_articles_assignment_links_to_the_articles_page(editor, reviewer, deliver):
    article = ArticleFactory(author=editor)

    deliver(assignments.assign, target=article, reviewer=reviewer, due_on=assignments.default_due(), by=editor)

    [notification] = told(reviewer, Kind.ASSIGNED)
    assert notification.url == f"/admin/articles/article/{article.pk}/change/"
    assert "sign-off" in notification.text


def test_a_reviewer_who_takes_a_review_is_not_told_of_it(editor, reviewer, deliver):
    claim = ClaimFactory(article=ArticleFactory(author=editor))

    deliver(assignments.take, target=claim, reviewer=reviewer)

    assert told(reviewer) == [] and mail.outbox == []


def test_a_new_due_date_is_told_again_but_the_same_one_is_not(editor, reviewer, deliver):
    claim = ClaimFactory(article=ArticleFactory(author=editor))
    due = assignments.default_due()
    for when in (due, due, due + datetime.timedelta(days=3)):
        deliver(assignments.assign, target=claim, reviewer=reviewer, due_on=when, by=editor)

    assert len(told(reviewer, Kind.ASSIGNED)) == 2


def test_a_reassignment_tells_the_reviewer_it_was_taken_from_and_the_new_one(
    editor, reviewer, second_reviewer, deliver
):
    claim = ClaimFactory(article=ArticleFactory(author=editor))
    due = assignments.default_due()
    deliver(assignments.assign, target=claim, reviewer=reviewer, due_on=due, by=editor)

    deliver(assignments.assign, target=claim, reviewer=second_reviewer, due_on=due, by=editor, replace=True)

    [released] = told(reviewer, Kind.ASSIGNMENT_RELEASED)
    assert second_reviewer.get_username() in released.text or second_reviewer.get_full_name() in released.text
    assert released.actor == editor and released.url == claim.get_admin_url()
    assert len(told(second_reviewer, Kind.ASSIGNED)) == 1
    assert told(editor) == []


def test_a_reviewer_who_takes_over_a_review_tells_the_one_it_was_taken_from(reviewer, second_reviewer, deliver):
    claim = ClaimFactory()
    deliver(assignments.take, target=claim, reviewer=reviewer)

    deliver(
        assignments.assign,
        target=claim,
        reviewer=second_reviewer,
        due_on=assignments.default_due(),
        by=second_reviewer,
        replace=True,
    )

    assert len(told(reviewer, Kind.ASSIGNMENT_RELEASED)) == 1
    assert told(second_reviewer) == []


def test_a_comment_tells_the_claims_editors_and_the_thread_but_not_its_author(editor, reviewer, second_reviewer):
    claim = ClaimFactory(article=ArticleFactory(author=editor))

    made = notices.comment_posted(
        claim=claim,
        comment_id=7,
        author=reviewer,
        url="/admin/claims/claim/1/change/#comment-7",
        participants=[reviewer, second_reviewer],
    )

    assert {notification.recipient for notification in made} == {editor, second_reviewer}
    assert told(reviewer) == []
    assert told(editor)[0].url.endswith("#comment-7")


def test_a_thread_on_a_claim_tells_its_editors_then_each_reply_tells_the_others_in_it(
    editor, reviewer, second_reviewer, deliver
):
    claim = ClaimFactory(article=ArticleFactory(author=editor))

    thread = deliver(comments.thread_start_on_claim, claim=claim, user=reviewer, body="Which trial is this?")
    [started] = told(editor, Kind.COMMENT)
    assert started.url == f"/admin/claims/claim/{claim.pk}/change/#thread-{thread.pk}"
    assert told(reviewer) == [] and told(second_reviewer) == []
    assert len(mails_to(editor)) == 1

    deliver(comments.comment_add, thread=thread, user=editor, body="The 2019 one.")
    assert len(told(reviewer, Kind.COMMENT)) == 1, "the thread's starter hears of the reply"
    assert len(told(editor, Kind.COMMENT)) == 1, "not of their own reply"

    deliver(comments.comment_add, thread=thread, user=second_reviewer, body="Agreed.")
    assert len(told(editor, Kind.COMMENT)) == 2 and len(told(reviewer, Kind.COMMENT)) == 2


def test_a_thread_on_a_sentence_tells_only_those_in_it(editor, reviewer, second_reviewer):
    article = ArticleFactory(author=editor)
    sentence = article.sentences()[1]
    thread = comments.thread_start_on_sentence(
        article=article, start=sentence.start, end=sentence.end, user=reviewer, body="Is this a claim?"
    )
    assert told(editor) == [], "nobody else is in the thread yet"

    comments.comment_add(thread=thread, user=second_reviewer, body="I think so.")

    [notification] = told(reviewer, Kind.COMMENT)
    assert notification.url == f"/admin/articles/article/{article.pk}/change/#thread-{thread.pk}"
    assert "a sentence of" in notification.text
    assert told(editor) == [] and told(second_reviewer) == []


def test_an_evidence_alert_tells_the_reviewer_who_approved_the_claim(editor, reviewer, deliver, settings):
    settings.SITE_URL = "https://health.example.org"
    claim = claim_approve(claim=ClaimFactory(article=ArticleFactory(author=editor)), reviewer=reviewer)
    event = SourceEvent.objects.create(
        source=claim.sources.get(), kind=SourceEvent.Kind.RETRACTION, date=datetime.date(2024, 3, 1)
    )

    [alert] = deliver(evidence_watch.raise_alerts, event)

    [notification] = told(reviewer, Kind.EVIDENCE_ALERT)
    assert notification.text == "Evidence alert: retraction of a source you relied on"
    [message] = mails_to(reviewer)
    assert "Retraction on 1 March 2024" in message.body and claim.quote in message.body
    assert f"https://health.example.org/admin/claims/evidencealert/{alert.pk}/resolve/" in message.body
    assert told(editor, Kind.EVIDENCE_ALERT) == []


def test_reviews_due_within_14_days_or_overdue_are_told_once_while_due_and_once_overdue(editor, reviewer):
    today = timezone.localdate()
    soon = claim_approve(claim=ClaimFactory(article=ArticleFactory(author=editor)), reviewer=reviewer)
    later = claim_approve(claim=ClaimFactory(article=ArticleFactory(author=editor)), reviewer=reviewer)
    Claim.objects.filter(pk=soon.pk).update(next_review_due=today + datetime.timedelta(days=10))
    Claim.objects.filter(pk=later.pk).update(next_review_due=today + datetime.timedelta(days=20))

    assert notices.reviews_due(due_reviews(today, 30)) == 1
    assert notices.reviews_due(due_reviews(today, 30)) == 0, "told once while due"
    [notification] = told(reviewer, Kind.REVIEW_DUE)
    assert notification.url == f"/admin/claims/claim/{soon.pk}/change/" and "Review due" in notification.text

    eleven_days_on = today + datetime.timedelta(days=11)
    assert notices.reviews_due(due_reviews(eleven_days_on, 30)) == 2, "now overdue, and the other due soon"
    assert any("overdue since" in n.text for n in told(reviewer, Kind.REVIEW_DUE))


def test_an_assignment_due_within_14_days_or_overdue_is_told_to_its_reviewer(editor, reviewer, second_reviewer):
    today = timezone.localdate()
    claim = ClaimFactory(article=ArticleFactory(author=editor))
    article = ArticleFactory(author=editor)
    assignments.assign(target=claim, reviewer=reviewer, due_on=today + datetime.timedelta(days=3), by=editor)
    assignments.assign(target=article, reviewer=second_reviewer, due_on=today + datetime.timedelta(days=20), by=editor)

    assert notices.reviews_due(due_reviews(today, 30)) == 1
    [notification] = told(reviewer, Kind.REVIEW_DUE)
    assert notification.url == f"/admin/claims/claim/{claim.pk}/change/"
    assert told(second_reviewer, Kind.REVIEW_DUE) == [], "not yet within 14 days"

    notices.reviews_due(due_reviews(today + datetime.timedelta(days=21), 30))
    [overdue] = told(second_reviewer, Kind.REVIEW_DUE)
    assert "overdue since" in overdue.text
    assert overdue.url == f"/admin/articles/articlerevision/article/{article.pk}/sign-off/"


def test_a_scheduled_publication_refused_by_its_gate_tells_who_scheduled_it(editor, reviewer, second_reviewer):
    body = "## Lungs\n\nAntifibrotic medicines slow the loss of lung function in IPF.\n"
    article = ArticleFactory(author=editor, status=Article.Status.DRAFT, body=body)
    claim = claim_approve(claim=ClaimFactory(article=article, sentence=1), reviewer=reviewer)
    article = fresh(article)
    article_sign_off(article=article, reviewer=second_reviewer, seen_digest=draft_digest(article))
    scheduler = EditorFactory()
    revision = article_publish(article=fresh(article), user=scheduler, at=timezone.now() + datetime.timedelta(hours=1))
    Claim.objects.filter(pk=claim.pk).update(review_state=Claim.ReviewState.PENDING)

    [(handled, blockers)] = publish_scheduled(now=timezone.now() + datetime.timedelta(hours=2))

    assert handled == revision and blockers
    for person in (scheduler, editor):
        [notification] = told(person, Kind.SCHEDULE_FAILED)
        assert notification.body == fresh(revision).schedule_problem
    assert told(reviewer, Kind.SCHEDULE_FAILED) == []


# Nobody is told what they may not see --------------------------------------------------------------


def test_nobody_without_permission_to_see_it_is_told(editor, reviewer):
    claim = ClaimFactory(article=ArticleFactory(author=editor))
    no_permission = UserFactory()  # staff, in no group
    not_staff = EditorFactory(is_staff=False)
    inactive = EditorFactory(is_active=False)

    made = notices.comment_posted(
        claim=claim, comment_id=1, author=reviewer, url="/x/", participants=[no_permission, not_staff, inactive]
    )

    assert [notification.recipient for notification in made] == [editor]


def test_nobody_who_left_the_staff_meanwhile_is_emailed(editor, reviewer):
    choose(editor, Kind.CHANGES_REQUESTED, Delivery.DIGEST)
    claim_decide(
        claim=ClaimFactory(article=ArticleFactory(author=editor)),
        reviewer=reviewer,
        decision=Decision.REJECTED,
        comment="No.",
    )
    claim_decide(
        claim=ClaimFactory(article=ArticleFactory(author=editor)),
        reviewer=reviewer,
        decision=Decision.CHANGES_REQUESTED,
        comment="Soften.",
    )
    type(editor).objects.filter(pk=editor.pk).update(is_staff=False)

    assert services.send_notification_email(told(editor, Kind.REJECTED)[0].pk) == "no longer staff"
    assert services.send_digests(timezone.localdate())["sent"] == 0
    assert mail.outbox == []


def test_an_alert_is_not_told_to_a_reviewer_who_no_longer_reviews(editor, reviewer):
    claim = claim_approve(claim=ClaimFactory(article=ArticleFactory(author=editor)), reviewer=reviewer)
    reviewer.groups.set([Group.objects.get(name="Editors")])
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)  # permissions read again
    event = SourceEvent.objects.create(
        source=claim.sources.get(), kind=SourceEvent.Kind.RETRACTION, date=datetime.date(2024, 3, 1)
    )

    evidence_watch.raise_alerts(event)

    assert told(reviewer) == []


# Each person's choice per kind ---------------------------------------------------------------------


def test_off_means_no_email_and_nothing_in_the_list(editor, reviewer, deliver):
    choose(editor, Kind.REJECTED, Delivery.OFF)
    claim = ClaimFactory(article=ArticleFactory(author=editor))

    deliver(claim_decide, claim=claim, reviewer=reviewer, decision=Decision.REJECTED, comment="No.")
    deliver(services.send_digests, timezone.localdate())

    assert told(editor) == [] and mail.outbox == []


def test_the_digest_gathers_a_day_into_one_email_per_person_once(editor, reviewer, deliver, settings):
    settings.SITE_URL = "https://health.example.org"
    choose(editor, Kind.REJECTED, Delivery.DIGEST)
    choose(editor, Kind.CHANGES_REQUESTED, Delivery.DIGEST)
    first, second = (ClaimFactory(article=ArticleFactory(author=editor)) for _ in range(2))
    deliver(claim_decide, claim=first, reviewer=reviewer, decision=Decision.REJECTED, comment="No.")
    deliver(claim_decide, claim=second, reviewer=reviewer, decision=Decision.CHANGES_REQUESTED, comment="Soften.")
    assert mail.outbox == [], "nothing at once"

    today = timezone.localdate()
    assert services.send_digests(today) == {"sent": 1, "failed": []}
    assert services.send_digests(today)["sent"] == 0, "once a day"

    [message] = mail.outbox
    assert message.to == [editor.email] and "2 notifications" in message.subject
    for claim in (first, second):
        assert f"https://health.example.org/admin/claims/claim/{claim.pk}/change/" in message.body
    assert all(notification.emailed_at for notification in told(editor))


def test_the_digest_leaves_out_what_was_read_in_the_admin(editor, reviewer, deliver):
    choose(editor, Kind.REJECTED, Delivery.DIGEST)
    claim = ClaimFactory(article=ArticleFactory(author=editor))
    deliver(claim_decide, claim=claim, reviewer=reviewer, decision=Decision.REJECTED, comment="No.")
    services.mark_read(editor)

    assert services.send_digests(timezone.localdate())["sent"] == 0
    assert mail.outbox == []


def test_the_digest_is_a_periodic_task(editor, reviewer, deliver):
    claim = ClaimFactory(review_state=Claim.ReviewState.DRAFT)
    deliver(claim_submit, claim=claim, user=editor)

    call_command("enqueue_periodic", "notification-digest")
    assert DBTaskResult.objects.filter(task_path="notifications.tasks.send_notification_digests").exists()
    run_tasks()

    assert [message.to for message in mail.outbox] == [[reviewer.email]]


def test_telling_of_the_same_event_twice_records_and_sends_it_once(editor, reviewer, deliver):
    claim = ClaimFactory(article=ArticleFactory(author=editor))
    claim = deliver(claim_decide, claim=claim, reviewer=reviewer, decision=Decision.REJECTED, comment="No.")
    decision = claim.decisions.get(decision=Decision.REJECTED)

    assert deliver(notices.claim_decided, claim, decision) == []
    assert len(told(editor)) == 1 and len(mail.outbox) == 1
    assert services.send_notification_email(told(editor)[0].pk) == "already sent"


def test_a_failed_email_is_sent_by_the_retry(editor, reviewer, monkeypatch):
    claim = ClaimFactory(article=ArticleFactory(author=editor))
    claim_decide(claim=claim, reviewer=reviewer, decision=Decision.REJECTED, comment="No.")
    [notification] = told(editor)

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMessage.send", refuse)
        with pytest.raises(OSError):
            services.send_notification_email(notification.pk)
    assert fresh(notification).emailed_at is None

    assert services.send_notification_email(notification.pk) == "sent"
    assert len(mail.outbox) == 1


# The admin: the bell, the list, the settings -------------------------------------------------------


def make_unread(user, count):
    for number in range(count):
        services.notify(Kind.COMMENT, [user], text=f"Comment {number}", url=f"/admin/?n={number}", key=str(number))


def test_the_bell_says_the_unread_count_in_words(reviewer_client, reviewer):
    make_unread(reviewer, 3)

    page = reviewer_client.get("/admin/").content.decode()

    assert '<span class="visually-hidden-text">3 unread notifications</span>' in page
    assert 'href="/admin/notifications/notification/"' in page


def test_the_list_links_each_notification_and_marks_one_or_all_read(reviewer_client, reviewer, editor):
    make_unread(reviewer, 3)
    make_unread(editor, 1)
    [first, *_] = told(reviewer)

    listed = reviewer_client.get("/admin/notifications/notification/")
    assert listed.status_code == 200
    text = page_text(listed)
    assert "3 unread of 3" in text and "Comment 0" in text
    assert 'href="/admin/?n=0"' in listed.content.decode()

    reviewer_client.post("/admin/notifications/notification/read/", {"notification": first.pk})
    assert services.unread_count(reviewer) == 2
    reviewer_client.post("/admin/notifications/notification/read/", {"notification": told(editor)[0].pk})
    assert services.unread_count(editor) == 1, "only one's own are marked read"

    response = reviewer_client.post("/admin/notifications/notification/read/", {"notification": "abc"})
    assert response.status_code == 302
    assert reviewer_client.post("/admin/notifications/notification/read/").status_code == 302
    assert services.unread_count(reviewer) == 0
    assert reviewer_client.get("/admin/notifications/notification/read/").status_code == 405
    assert "0 unread notifications" in reviewer_client.get("/admin/").content.decode()


def test_marking_read_takes_the_csrf_token(reviewer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    make_unread(reviewer, 1)

    assert client.post("/admin/notifications/notification/read/").status_code == 403
    assert services.unread_count(reviewer) == 1


def test_the_settings_page_offers_each_kind_three_choices_and_saves_them(editor_client, editor):
    page = editor_client.get("/admin/notifications/notification/preferences/")
    html = page.content.decode()
    assert page.status_code == 200
    for kind in Kind:
        assert len(re.findall(f'name="{kind.value}" value="', html)) == 3
    assert f'name="{Kind.CLAIM_SUBMITTED.value}" value="digest" checked' in html

    choices = {kind.value: Delivery.IMMEDIATELY for kind in Kind} | {Kind.APPROVED.value: Delivery.OFF}
    response = editor_client.post("/admin/notifications/notification/preferences/", choices)
    assert response.status_code == 302
    assert services.preference(editor, Kind.APPROVED) == Delivery.OFF
    assert services.preference(editor, Kind.CLAIM_SUBMITTED) == Delivery.IMMEDIATELY


def test_the_settings_page_refuses_an_unknown_choice_with_a_message(editor_client, editor):
    choices = {kind.value: Delivery.DIGEST for kind in Kind} | {Kind.APPROVED.value: "hourly"}

    response = editor_client.post("/admin/notifications/notification/preferences/", choices)

    assert response.status_code == 200
    assert "Choose one of the three for each kind." in page_text(response)
    assert not NotificationPreference.objects.filter(user=editor).exists()


def test_the_pages_need_a_staff_sign_in(client):
    response = client.get("/admin/notifications/notification/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    non_staff = ReviewerFactory(is_staff=False)
    client.force_login(non_staff)
    assert client.get("/admin/notifications/notification/preferences/").status_code == 302


# Every kind with every choice ----------------------------------------------------------------------


def _submitted(editor, reviewer):
    claim = ClaimFactory(article=ArticleFactory(author=editor), review_state=Claim.ReviewState.DRAFT)
    claim_submit(claim=claim, user=editor)
    return reviewer


def _decided(decision):
    def trigger(editor, reviewer):
        claim = ClaimFactory(article=ArticleFactory(author=editor))
        claim_decide(claim=claim, reviewer=reviewer, decision=decision, comment="Because.")
        return editor

    return trigger


def _signed_off(editor, reviewer):
    article = fresh(ArticleFactory(author=editor, body="## Lungs\n\nA plain sentence with no claim at all.\n"))
    article_sign_off(article=article, reviewer=reviewer, seen_digest=draft_digest(article))
    return editor


def _commented(editor, reviewer):
    claim = ClaimFactory(article=ArticleFactory(author=editor))
    notices.comment_posted(claim=claim, comment_id=3, author=reviewer, url="/admin/")
    return editor


def _alerted(editor, reviewer):
    claim = claim_approve(claim=ClaimFactory(article=ArticleFactory(author=editor)), reviewer=reviewer)
    event = SourceEvent.objects.create(
        source=claim.sources.get(), kind=SourceEvent.Kind.RETRACTION, date=datetime.date(2024, 3, 1)
    )
    evidence_watch.raise_alerts(event)
    return reviewer


def _due(editor, reviewer):
    claim = claim_approve(claim=ClaimFactory(article=ArticleFactory(author=editor)), reviewer=reviewer)
    today = timezone.localdate()
    Claim.objects.filter(pk=claim.pk).update(next_review_due=today + datetime.timedelta(days=5))
    notices.reviews_due(due_reviews(today, 30))
    return reviewer


def _schedule_failed(editor, reviewer):
    # Written by someone else, so that the editor who schedules it hears of the failure alone.
    body = "## Lungs\n\nA plain sentence with no claim at all.\n"
    article = fresh(ArticleFactory(author=EditorFactory(), body=body))
    article_sign_off(article=article, reviewer=reviewer, seen_digest=draft_digest(article))
    revision = article_publish(article=fresh(article), user=editor, at=timezone.now() + datetime.timedelta(hours=1))
    notices.schedule_failed(revision, "The draft changed after this revision was scheduled.")
    return editor


def _assigned(editor, reviewer):
    claim = ClaimFactory(article=ArticleFactory(author=editor))
    assignments.assign(target=claim, reviewer=reviewer, due_on=assignments.default_due(), by=editor)
    return reviewer


def _released(editor, reviewer):
    choose(reviewer, Kind.ASSIGNED, Delivery.OFF)  # only the release is counted
    claim = ClaimFactory(article=ArticleFactory(author=editor))
    assignments.assign(target=claim, reviewer=reviewer, due_on=assignments.default_due(), by=editor)
    successor = ReviewerFactory()
    assignments.assign(target=claim, reviewer=successor, due_on=assignments.default_due(), by=editor, replace=True)
    return reviewer


TRIGGERS = {
    Kind.CLAIM_SUBMITTED: _submitted,
    Kind.CHANGES_REQUESTED: _decided(Decision.CHANGES_REQUESTED),
    Kind.REJECTED: _decided(Decision.REJECTED),
    Kind.APPROVED: _decided(Decision.APPROVED),
    Kind.SIGNED_OFF: _signed_off,
    Kind.COMMENT: _commented,
    Kind.EVIDENCE_ALERT: _alerted,
    Kind.REVIEW_DUE: _due,
    Kind.SCHEDULE_FAILED: _schedule_failed,
    Kind.ASSIGNED: _assigned,
    Kind.ASSIGNMENT_RELEASED: _released,
}


def test_every_kind_has_an_event_here():
    assert set(TRIGGERS) == set(Kind)


@pytest.mark.parametrize("delivery", list(Delivery))
@pytest.mark.parametrize("kind", list(Kind))
def test_each_kind_follows_each_choice(editor, reviewer, deliver, kind, delivery):
    for person in (editor, reviewer):
        choose(person, kind, delivery)

    recipient = deliver(TRIGGERS[kind], editor, reviewer)

    mine = told(recipient, kind)
    at_once = mails_to(recipient)
    assert len(mine) == (0 if delivery == Delivery.OFF else 1)
    assert len(at_once) == (1 if delivery == Delivery.IMMEDIATELY else 0)
    digest = services.send_digests(timezone.localdate())
    assert digest["sent"] == (1 if delivery == Delivery.DIGEST else 0)
    assert len(mails_to(recipient)) == (0 if delivery == Delivery.OFF else 1), "one e-mail in all, or none"


def test_turning_reviews_due_off_stops_the_reminder_list_too(editor, reviewer, second_reviewer):
    from claims.reminders import send_reminders

    today = timezone.localdate()
    for person in (reviewer, second_reviewer):
        claim = claim_approve(claim=ClaimFactory(article=ArticleFactory(author=editor)), reviewer=person)
        Claim.objects.filter(pk=claim.pk).update(next_review_due=today + datetime.timedelta(days=5))
    choose(reviewer, Kind.REVIEW_DUE, Delivery.OFF)

    sending = send_reminders(due_reviews(today, 30))

    assert [message.to for message in mail.outbox] == [[second_reviewer.email]]
    assert any("turned notifications of reviews due off" in note for note in sending.notes)


def test_a_headline_over_several_lines_becomes_one_subject_line(editor, deliver):
    deliver(services.notify, Kind.COMMENT, [editor], text="A quote\nover two lines", url="/admin/", key="lines")

    [message] = mail.outbox
    assert message.subject.endswith("A quote over two lines")
