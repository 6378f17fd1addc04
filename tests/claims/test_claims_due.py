"""`manage.py claims_due`: reviews due by reviewer, and the reminder emails (sent by the command itself with
--inline, or by the background task it enqueues); the claims list's review-due filter."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.models import Claim
from claims.services import claim_approve
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, ReviewerFactory
from tests.helpers import REFUSES_BEN, run_tasks

pytestmark = pytest.mark.django_db

CLAIM_CHANGELIST_URL = "/admin/claims/claim/"


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def approved_claim(reviewer, due_in_days, **factory_kwargs):
    claim = claim_approve(claim=ClaimFactory(**factory_kwargs), reviewer=reviewer)
    Claim.objects.filter(pk=claim.pk).update(next_review_due=days_from_today(due_in_days))
    claim.refresh_from_db()
    return claim


def reviewed_article(reviewer, due_in_days, **factory_kwargs):
    due = days_from_today(due_in_days)
    if reviewer is not None:
        factory_kwargs.update(medical_reviewer=reviewer, last_reviewed=due - datetime.timedelta(days=365))
    return ArticleFactory(next_review_due=due, **factory_kwargs)


def claims_due(*args):
    out = StringIO()
    call_command("claims_due", *args, stdout=out)
    return out.getvalue()


def sections(output):
    """The output's blocks separated by blank lines, keyed by their first line."""
    blocks = [block.splitlines() for block in output.strip().split("\n\n")]
    return {block[0]: block[1:] for block in blocks}


@pytest.fixture
def ana(db):
    return ReviewerFactory(username="ana", first_name="Dr Ana", last_name="Abara", email="ana@example.org")


@pytest.fixture
def ben(db):
    return ReviewerFactory(username="ben", first_name="Dr Ben", last_name="Bell", email="ben@example.org")


@pytest.fixture
def due_work(ana, ben):
    """Ana: an overdue claim and an article due in 5 days. Ben: a claim due in 10 days. One article unassigned."""
    return {
        "ana_claim": approved_claim(ana, -12, condition=ConditionFactory(name="Pulmonary fibrosis")),
        "ana_article": reviewed_article(ana, 5, title="Breathlessness and exercise"),
        "ben_claim": approved_claim(ben, 10, sentence=2, condition=ConditionFactory(name="Systemic sclerosis")),
        "orphan_article": reviewed_article(None, 3, title="Oxygen at home"),
        # Not due: a review a year away, and a claim whose approval no longer stands.
        "later": approved_claim(ana, 200),
        "pending": ClaimFactory(next_review_due=days_from_today(-40)),
    }


# Listing ---------------------------------------------------------------------------------------------


def test_lists_what_is_due_by_reviewer_with_the_unassigned_last(due_work):
    output = claims_due()

    groups = sections(output)
    headings = list(groups)
    assert headings[0].startswith(f"Reviews overdue or due by {days_from_today(30):%d %b %Y}")
    assert headings[1:4] == ["Dr Ana Abara <ana@example.org>", "Dr Ben Bell <ben@example.org>", "No reviewer"]
    ana_claim, ana_article = groups["Dr Ana Abara <ana@example.org>"]
    assert "Pulmonary fibrosis" in ana_claim
    assert "Breathlessness and exercise" in ana_article
    (ben_claim,) = groups["Dr Ben Bell <ben@example.org>"]
    assert "Systemic sclerosis" in ben_claim
    (unassigned,) = groups["No reviewer"]
    assert "Oxygen at home" in unassigned
    assert output.strip().endswith("2 claims and 2 articles due, 1 overdue.")


def test_each_line_shows_the_date_article_quote_condition_and_admin_path(due_work):
    claim, article = due_work["ana_claim"], due_work["ana_article"]

    groups = sections(claims_due())

    claim_line, article_line = groups["Dr Ana Abara <ana@example.org>"]
    assert claim_line.startswith(f"  {claim.next_review_due:%d %b %Y}  OVERDUE by 12 days")
    assert f"“{claim.quote[:50]}" in claim_line
    assert claim.quote not in claim_line, "a long quote is shortened"
    assert "…” (Pulmonary fibrosis)" in claim_line
    assert f"in “{claim.article.title}”" in claim_line
    assert claim_line.endswith(f"/admin/claims/claim/{claim.pk}/change/")
    assert article_line.startswith(f"  {article.next_review_due:%d %b %Y}  due in 5 days")
    assert "OVERDUE" not in article_line
    assert article_line.endswith(f"/admin/articles/article/{article.pk}/change/")


def test_leaves_out_claims_that_are_not_approved_and_reviews_beyond_the_window(due_work):
    output = claims_due()

    assert f"/admin/claims/claim/{due_work['later'].pk}/change/" not in output
    assert f"/admin/claims/claim/{due_work['pending'].pk}/change/" not in output


def test_days_sets_how_far_ahead_to_look(due_work):
    ben_claim = f"/admin/claims/claim/{due_work['ben_claim'].pk}/change/"

    week = claims_due("--days", "7")
    assert ben_claim not in week
    assert "Dr Ben Bell" not in week
    assert week.strip().endswith("1 claim and 2 articles due, 1 overdue.")

    assert ben_claim in claims_due("--days", "10")
    assert f"/admin/claims/claim/{due_work['later'].pk}/change/" in claims_due("--days", "365")


def test_overdue_reviews_are_listed_even_with_no_days_ahead(due_work):
    output = claims_due("--days", "0")

    assert "OVERDUE by 12 days" in output
    assert output.strip().endswith("1 claim and 0 articles due, 1 overdue.")


def test_says_plainly_when_nothing_is_due(reviewer):
    approved_claim(reviewer, 31)

    output = claims_due()

    assert output == f"Nothing is due for review by {days_from_today(30):%d %b %Y} and nothing is overdue.\n"


def test_refuses_a_negative_number_of_days():
    with pytest.raises(CommandError, match="cannot be negative"):
        claims_due("--days", "-1")


# Emails ----------------------------------------------------------------------------------------------


def test_email_sends_each_reviewer_their_own_list(due_work, mailoutbox, settings):
    settings.SITE_NAME = "Evidence Graded Health"

    output = claims_due("--email", "--inline")

    assert sorted(message.to[0] for message in mailoutbox) == ["ana@example.org", "ben@example.org"]
    assert all(len(message.to) == 1 for message in mailoutbox)
    to_ana, to_ben = sorted(mailoutbox, key=lambda message: message.to[0])
    assert to_ana.subject == "Evidence Graded Health: 2 reviews due (1 overdue)"
    assert to_ben.subject == "Evidence Graded Health: 1 review due"
    assert to_ana.body.startswith("Dear Dr Ana Abara,\n\nThese reviews of yours on Evidence Graded Health are overdue")
    assert "This review of yours on Evidence Graded Health is overdue or due by" in to_ben.body
    assert f"/admin/claims/claim/{due_work['ana_claim'].pk}/change/" in to_ana.body
    assert f"/admin/articles/article/{due_work['ana_article'].pk}/change/" in to_ana.body
    assert "OVERDUE by 12 days" in to_ana.body
    assert "Systemic sclerosis" not in to_ana.body
    assert f"/admin/claims/claim/{due_work['ben_claim'].pk}/change/" in to_ben.body
    assert "Pulmonary fibrosis" not in to_ben.body
    assert "Oxygen at home" not in to_ana.body + to_ben.body
    assert "&ldquo;" not in to_ana.body and "&#x27;" not in to_ana.body, "plain text is not HTML-escaped"
    assert "Not emailed: 1 item with no reviewer." in output
    assert output.strip().endswith("Sent 2 emails.")


def test_the_reminders_links_are_full_addresses_from_site_url(due_work, mailoutbox, settings):
    settings.SITE_URL = "https://health.example.org/"

    claims_due("--email", "--inline")

    to_ana = next(message for message in mailoutbox if message.to == ["ana@example.org"])
    links = re.findall(r"\S*/admin/\S+", to_ana.body)
    assert links, "the reminder lists its items' addresses"
    assert all(link.startswith("https://health.example.org/admin/") for link in links), links
    assert f"https://health.example.org/admin/claims/claim/{due_work['ana_claim'].pk}/change/" in links


def test_email_skips_reviewers_without_an_address_and_says_so(ana, mailoutbox):
    silent = ReviewerFactory(username="cy", first_name="Dr Cy", last_name="Cole", email="")
    approved_claim(ana, 1)
    approved_claim(silent, -3)

    output = claims_due("--email", "--inline")

    assert [message.to for message in mailoutbox] == [["ana@example.org"]]
    assert "Not emailed: Dr Cy Cole has no email address." in output
    assert "Sent 1 email." in output


def test_a_refused_address_is_reported_after_the_others_are_sent(due_work, settings):
    settings.EMAIL_BACKEND = REFUSES_BEN
    out = StringIO()

    with pytest.raises(CommandError, match="Could not email Dr Ben Bell <ben@example.org>"):
        call_command("claims_due", "--email", "--inline", stdout=out)

    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
    assert "Sent 1 email." in out.getvalue()


def test_without_email_nothing_is_sent(due_work, mailoutbox):
    claims_due()

    assert mailoutbox == []


def test_inline_goes_with_email():
    with pytest.raises(CommandError, match="--inline goes with --email"):
        claims_due("--inline")


# Emails through the task queue ------------------------------------------------------------------------


def test_email_enqueues_a_task_and_the_worker_sends_each_reviewer_their_list(due_work, mailoutbox):
    output = claims_due("--email")

    assert "Emails queued (task " in output and "a background worker sends them" in output
    assert mailoutbox == [], "nothing is sent before a worker runs"

    run_tasks()

    to_ana, to_ben = sorted(mailoutbox, key=lambda message: message.to[0])
    assert to_ana.to == ["ana@example.org"] and to_ana.subject.endswith("2 reviews due (1 overdue)")
    assert f"/admin/claims/claim/{due_work['ana_claim'].pk}/change/" in to_ana.body
    assert to_ben.to == ["ben@example.org"] and "Pulmonary fibrosis" not in to_ben.body


def test_the_reminder_task_run_twice_in_a_day_emails_each_reviewer_once(due_work, mailoutbox):
    claims_due("--email")
    run_tasks()
    claims_due("--email")
    run_tasks()

    assert sorted(message.to[0] for message in mailoutbox) == ["ana@example.org", "ben@example.org"]
    output = claims_due("--email", "--inline")
    assert "Not emailed: Dr Ana Abara was emailed today already." in output
    assert output.strip().endswith("Sent 0 emails.")


def test_a_refused_address_is_retried_later_without_emailing_the_others_again(due_work, settings, clock):
    settings.EMAIL_BACKEND = REFUSES_BEN
    clock(0)
    claims_due("--email")

    run_tasks()
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    clock(0, seconds=29)
    run_tasks()
    assert len(mail.outbox) == 1, "the retry waits for its time"
    clock(0, seconds=30)
    run_tasks()
    assert [message.to for message in mail.outbox] == [["ana@example.org"], ["ben@example.org"]]


# The "review due" filter on the claims list -----------------------------------------------------------


@pytest.fixture
def claims_by_due_date(reviewer):
    return {
        "overdue": approved_claim(reviewer, -1),
        "soon": approved_claim(reviewer, 30),
        "later": approved_claim(reviewer, 31),
        "withdrawn": ClaimFactory(next_review_due=days_from_today(-100)),
        "never": ClaimFactory(),
    }


@pytest.mark.parametrize(
    ("review_due", "expected"),
    [("overdue", {"overdue"}), ("soon", {"soon"}), ("later", {"later"}), ("none", {"withdrawn", "never"})],
)
def test_review_due_filter_lists_the_right_claims(reviewer_client, claims_by_due_date, review_due, expected):
    response = reviewer_client.get(CLAIM_CHANGELIST_URL, {"review_due": review_due})

    assert response.status_code == 200
    listed = {claim.pk for claim in response.context["cl"].result_list}
    assert listed == {claims_by_due_date[name].pk for name in expected}
