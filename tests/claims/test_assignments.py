"""Assignments: a claim, or an article draft's medical review, given to one reviewer by a date.

The database's constraints, each refusal of the service (claims.assignments), what ends an assignment
(a decision, a sign-off: done; the assignee becoming the last changer: released), and the pages that
show and make them.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_update
from claims import assignments
from claims.models import Assignment
from claims.publishing import article_sign_off, draft_digest
from claims.services import claim_approve, claim_decide
from people.profiles import profile_for
from tests.factories import ArticleFactory, ClaimFactory, UserFactory, article_form_data, claim_form_data
from tests.helpers import fresh, messages_of, page_text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
WEEK = datetime.timedelta(days=7)


@pytest.fixture
def claim(article):
    return ClaimFactory(article=article, sentence=1)


def rows(**fields):
    defaults = {"due_on": TODAY() + WEEK}
    return Assignment(**{**defaults, **fields})


def refused(exception, match, **kwargs):
    with pytest.raises(exception, match=match):
        assignments.assign(**kwargs)
    assert not Assignment.objects.exists()


# The database -------------------------------------------------------------------------------------


@pytest.mark.parametrize("targets", ["both", "neither"])
def test_an_assignment_names_exactly_one_target(claim, article, reviewer, editor, targets):
    fields = {"claim": claim, "article": article} if targets == "both" else {}
    with pytest.raises(IntegrityError, match="assignment_one_target"), transaction.atomic():
        rows(reviewer=reviewer, assigned_by=editor, **fields).save()


def test_a_claim_has_one_open_assignment_at_most(claim, reviewer, second_reviewer, editor):
    rows(claim=claim, reviewer=reviewer, assigned_by=editor).save()
    with (
        pytest.raises(IntegrityError, match="assignment_one_open_per_claim|claims_assignment.claim_id"),
        transaction.atomic(),
    ):
        rows(claim=claim, reviewer=second_reviewer, assigned_by=editor).save()
    # Once the first is done, another may be opened; ended ones are kept.
    Assignment.objects.update(done_at=timezone.now())
    rows(claim=claim, reviewer=second_reviewer, assigned_by=editor).save()
    assert Assignment.objects.filter(claim=claim).count() == 2


def test_an_article_has_one_open_assignment_at_most(article, reviewer, second_reviewer, editor):
    rows(article=article, reviewer=reviewer, assigned_by=editor).save()
    with (
        pytest.raises(IntegrityError, match="assignment_one_open_per_article|claims_assignment.article_id"),
        transaction.atomic(),
    ):
        rows(article=article, reviewer=second_reviewer, assigned_by=editor).save()


def test_an_assignment_ends_once(claim, reviewer, editor):
    now = timezone.now()
    with pytest.raises(IntegrityError, match="assignment_ends_once"), transaction.atomic():
        rows(claim=claim, reviewer=reviewer, assigned_by=editor, done_at=now, released_at=now).save()


# The service's refusals ---------------------------------------------------------------------------


def test_a_reviewer_is_assigned_a_claim_with_a_due_date(claim, reviewer, editor):
    made = assignments.assign(target=claim, reviewer=reviewer, due_on=TODAY() + WEEK, by=editor)
    assert (made.claim, made.article, made.reviewer, made.assigned_by) == (claim, None, reviewer, editor)
    assert made.is_open and made.due_on == TODAY() + WEEK


def test_the_claims_creator_is_never_assigned_it(article, reviewer, editor):
    own = ClaimFactory(article=article, created_by=reviewer, last_changed_by=editor)
    refused(ValidationError, "wrote this claim", target=own, reviewer=reviewer, due_on=TODAY(), by=editor)


def test_the_claims_last_changer_is_never_assigned_it(article, reviewer, editor):
    changed = ClaimFactory(article=article, last_changed_by=reviewer)
    refused(ValidationError, "made the last change", target=changed, reviewer=reviewer, due_on=TODAY(), by=editor)


def test_someone_who_does_not_review_is_never_assigned(claim, editor):
    other_editor = UserFactory(username="other-editor", group="Editors")
    refused(
        ValidationError, "is not a medical reviewer", target=claim, reviewer=other_editor, due_on=TODAY(), by=editor
    )
    refused(
        ValidationError,
        "is not a medical reviewer",
        target=claim.article,
        reviewer=other_editor,
        due_on=TODAY(),
        by=editor,
    )


def test_the_articles_author_is_never_assigned_its_review(reviewer, editor):
    written = ArticleFactory(author=reviewer)
    refused(ValidationError, "wrote “", target=written, reviewer=reviewer, due_on=TODAY(), by=editor)


def test_the_drafts_last_editor_is_never_assigned_its_review(article, reviewer, editor):
    article.body = article.body.replace("small early trials", "small early studies")
    article_update(article=article, user=reviewer)
    refused(
        ValidationError, "last edited this draft", target=fresh(article), reviewer=reviewer, due_on=TODAY(), by=editor
    )


def test_a_due_date_in_the_past_is_refused(claim, reviewer, editor):
    yesterday = TODAY() - datetime.timedelta(days=1)
    refused(ValidationError, "is in the past", target=claim, reviewer=reviewer, due_on=yesterday, by=editor)


def test_only_editors_and_reviewers_assign(claim, reviewer):
    outsider = UserFactory(username="outsider")
    refused(
        PermissionDenied,
        "Only editors and medical reviewers",
        target=claim,
        reviewer=reviewer,
        due_on=TODAY(),
        by=outsider,
    )


def test_taking_a_claim_assigns_it_to_oneself_due_in_the_set_number_of_days(settings, claim, reviewer):
    settings.ASSIGNMENT_DAYS = 3
    made = assignments.take(target=claim, reviewer=reviewer)
    assert (made.reviewer, made.assigned_by, made.due_on) == (reviewer, reviewer, TODAY() + datetime.timedelta(days=3))


def test_a_claim_assigned_to_someone_else_is_not_taken_but_an_editor_reassigns_it(
    claim, reviewer, second_reviewer, editor
):
    first = assignments.take(target=claim, reviewer=reviewer)
    with pytest.raises(ValidationError, match="Already assigned to"):
        assignments.take(target=claim, reviewer=second_reviewer)
    again = assignments.assign(target=claim, reviewer=second_reviewer, due_on=TODAY(), by=editor, replace=True)
    first.refresh_from_db()
    assert first.released_at is not None and "Reassigned to" in first.release_reason
    assert again.is_open and again.reviewer == second_reviewer


# What ends an assignment --------------------------------------------------------------------------


@pytest.mark.parametrize("decision", ["approved", "changes_requested", "rejected"])
def test_the_assignees_decision_marks_it_done(claim, reviewer, decision):
    made = assignments.take(target=claim, reviewer=reviewer)
    claim_decide(claim=claim, reviewer=reviewer, decision=decision, comment="Checked.")
    made.refresh_from_db()
    assert made.done_at is not None and made.released_at is None


def test_the_sign_off_marks_the_articles_assignment_done(editor, reviewer):
    draft = ArticleFactory(
        author=editor,
        status=Article.Status.DRAFT,
        body="## Lungs\n\nPulmonary rehabilitation probably improves breathlessness.\n",
    )
    claim_approve(claim=ClaimFactory(article=draft, sentence=1), reviewer=reviewer)
    made = assignments.assign(target=draft, reviewer=reviewer, due_on=TODAY(), by=editor)
    article_sign_off(article=draft, reviewer=reviewer, seen_digest=draft_digest(fresh(draft)))
    made.refresh_from_db()
    assert made.done_at is not None


def test_an_assignee_who_edits_the_claim_is_released_with_a_message(client, claim, reviewer):
    made = assignments.take(target=claim, reviewer=reviewer)
    client.force_login(reviewer)
    response = client.post(claim.get_admin_url(), claim_form_data(claim, explanation="Two trials."), follow=True)
    made.refresh_from_db()
    assert fresh(claim).last_changed_by == reviewer
    assert made.released_at is not None and made.done_at is None
    assert any("your assignment was released" in message for message in messages_of(response))


def test_an_assignee_who_edits_the_draft_is_released_from_its_review(article, reviewer, editor):
    made = assignments.assign(target=article, reviewer=reviewer, due_on=TODAY(), by=editor)
    article.body = article.body.replace("small early trials", "small early studies")
    article_update(article=article, user=reviewer)
    made.refresh_from_db()
    assert made.released_at is not None


@pytest.fixture
def editing_reviewer(reviewer):
    """A reviewer who also edits: the one who can edit a draft they were assigned to review."""
    reviewer.groups.add(Group.objects.get(name="Editors"))
    return reviewer


def test_an_assignee_who_edits_the_draft_in_the_admin_is_told_their_review_was_released(
    client, article, editing_reviewer, editor
):
    made = assignments.assign(target=article, reviewer=editing_reviewer, due_on=TODAY(), by=editor)
    client.force_login(editing_reviewer)
    body = article.body.replace("small early trials", "small early studies")
    change = reverse("admin:articles_article_change", args=[article.pk])

    response = client.post(change, article_form_data(article, body=body), follow=True)

    assert response.status_code == 200 and fresh(article).body.strip() == body.strip()
    made.refresh_from_db()
    assert made.released_at is not None
    assert assignments.DRAFT_RELEASED in messages_of(response)


def test_an_assignee_who_rewords_their_claim_in_the_admin_is_told_its_review_was_released(
    client, claim, editing_reviewer
):
    made = assignments.take(target=claim, reviewer=editing_reviewer)
    article = fresh(claim.article)
    client.force_login(editing_reviewer)
    body = article.body.replace("slow the loss of lung function", "slow the decline of lung function")
    change = reverse("admin:articles_article_change", args=[article.pk])

    response = client.post(change, article_form_data(article, body=body), follow=True)

    made.refresh_from_db()
    assert made.released_at is not None
    [said] = [message for message in messages_of(response) if "review assigned to you was released" in message]
    assert said.startswith("You reworded the claim “") and "another reviewer must review it" in said


def test_an_editors_save_of_a_draft_assigned_to_someone_else_says_nothing_of_it(client, article, reviewer, editor):
    made = assignments.assign(target=article, reviewer=reviewer, due_on=TODAY(), by=editor)
    client.force_login(editor)
    body = article.body.replace("small early trials", "small early studies")
    change = reverse("admin:articles_article_change", args=[article.pk])

    response = client.post(change, article_form_data(article, body=body), follow=True)

    made.refresh_from_db()
    assert made.is_open
    assert not [message for message in messages_of(response) if "released" in message]


def test_someone_elses_edit_leaves_the_assignment_open(client, claim, reviewer, editor):
    made = assignments.take(target=claim, reviewer=reviewer)
    client.force_login(editor)
    client.post(claim.get_admin_url(), claim_form_data(claim, explanation="Two trials."))
    made.refresh_from_db()
    assert made.is_open


# The words ----------------------------------------------------------------------------------------


def test_an_overdue_assignment_says_so_in_words(claim, reviewer):
    made = assignments.take(target=claim, reviewer=reviewer)
    Assignment.objects.filter(pk=made.pk).update(due_on=TODAY() - datetime.timedelta(days=3))
    made.refresh_from_db()
    assert assignments.overdue_words(made) == "⚠ overdue by 3 days"
    assert assignments.words(made).endswith("(⚠ overdue by 3 days)")
    assert assignments.words(made).startswith(f"Assigned to {reviewer.get_full_name()}, due ")


# The pages ----------------------------------------------------------------------------------------


def test_the_claim_page_shows_the_assignment_and_offers_to_take_it(client, claim, reviewer, second_reviewer):
    client.force_login(reviewer)
    page = client.get(claim.get_admin_url()).text
    assert "Unassigned." in page and 'name="take"' in page
    assignments.take(target=claim, reviewer=second_reviewer)
    page = client.get(claim.get_admin_url()).text
    assert f"Assigned to <strong>{second_reviewer.get_full_name()}</strong>, due " in page
    assert 'name="take"' not in page


def test_taking_from_the_claim_page_assigns_the_reviewer(client, claim, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("admin:claims_claim_assign", args=[claim.pk]), {"take": "page"}, follow=True)
    assert Assignment.objects.open().get(claim=claim).reviewer == reviewer
    assert any(message.startswith("You took this review: due ") for message in messages_of(response))


def test_the_assign_page_lists_only_reviewers_who_could_decide(client, article, editor, reviewer, second_reviewer):
    changed = ClaimFactory(article=article, last_changed_by=second_reviewer)
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_assign", args=[changed.pk])).text
    assert f">{reviewer.get_full_name()}</option>" in page
    assert f">{second_reviewer.get_full_name()}</option>" not in page  # its last changer
    assert f">{editor.get_full_name()}</option>" not in page  # no reviewer, and its creator


def test_an_editor_assigns_from_the_claim_and_is_told_why_when_refused(client, claim, editor, reviewer):
    client.force_login(editor)
    url = reverse("admin:claims_claim_assign", args=[claim.pk])
    past = (TODAY() - datetime.timedelta(days=2)).isoformat()
    response = client.post(url, {"reviewer": reviewer.pk, "due_on": past}, follow=True)
    assert any("is in the past" in message for message in messages_of(response))
    response = client.post(url, {"reviewer": editor.pk, "due_on": TODAY().isoformat()}, follow=True)
    assert any("is not a medical reviewer" in message for message in messages_of(response))
    response = client.post(url, {"reviewer": "nobody", "due_on": "someday"}, follow=True)
    assert response.status_code == 200 and not Assignment.objects.exists()
    client.post(url, {"reviewer": reviewer.pk, "due_on": (TODAY() + WEEK).isoformat()})
    assert Assignment.objects.open().get(claim=claim).due_on == TODAY() + WEEK


def test_the_article_page_shows_who_is_assigned_its_review(client, article, editor, reviewer):
    assignments.assign(target=article, reviewer=reviewer, due_on=TODAY(), by=editor)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert f"Assigned to <strong>{reviewer.get_full_name()}</strong>, due " in page and "due today" in page


def test_an_editor_assigns_the_articles_review_from_its_page(client, article, editor, reviewer):
    client.force_login(editor)
    url = reverse("admin:articles_articlerevision_assign", args=[article.pk])
    page = client.get(url).text
    assert f">{reviewer.get_full_name()}</option>" in page and f">{editor.get_full_name()}</option>" not in page
    client.post(url, {"reviewer": reviewer.pk, "due_on": (TODAY() + WEEK).isoformat()})
    assert Assignment.objects.open().get(article=article).reviewer == reviewer


def test_people_who_neither_edit_nor_review_cannot_assign(client, claim, reviewer):
    client.force_login(UserFactory(username="outsider"))
    url = reverse("admin:claims_claim_assign", args=[claim.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reviewer": reviewer.pk, "due_on": TODAY().isoformat()}).status_code == 403
    assert not Assignment.objects.exists()


def test_an_assignee_who_rewords_the_claims_sentence_in_the_article_is_released(client, claim, reviewer):
    made = assignments.take(target=claim, reviewer=reviewer)
    article = fresh(claim.article)
    article.body = article.body.replace("slow the loss of lung function", "slow the decline of lung function")
    article_update(article=article, user=reviewer)
    made.refresh_from_db()
    assert fresh(claim).last_changed_by == reviewer and made.released_at is not None


# Credentials on file, when the site requires them --------------------------------------------------


def with_credentials(user, credentials):
    profile = profile_for(user)
    profile.credentials = credentials
    profile.save()


def test_by_default_a_reviewer_without_credentials_is_assigned_and_takes_reviews(claim, article, reviewer, editor):
    assert assignments.assign(target=article, reviewer=reviewer, due_on=TODAY(), by=editor).is_open
    assert assignments.take(target=claim, reviewer=reviewer).is_open


@pytest.mark.parametrize("credentials", [None, "", "   "])
def test_when_required_a_reviewer_without_credentials_is_never_assigned(
    settings, claim, article, reviewer, editor, credentials
):
    settings.REVIEWER_CREDENTIALS_REQUIRED = True
    if credentials is not None:
        with_credentials(reviewer, credentials)
    name = reviewer.get_full_name()
    for target in (claim, article):
        refused(
            ValidationError,
            f"{name} has no credentials on file.*People › Profiles",
            target=target,
            reviewer=reviewer,
            due_on=TODAY(),
            by=editor,
        )
    with pytest.raises(ValidationError, match="You have no credentials on file.*People › Profiles, then take it"):
        assignments.take(target=claim, reviewer=reviewer)
    assert not Assignment.objects.exists()


def test_when_required_a_reviewer_with_credentials_is_assigned(settings, claim, reviewer, editor):
    settings.REVIEWER_CREDENTIALS_REQUIRED = True
    with_credentials(reviewer, "MD, FRCP")
    assert assignments.assign(target=claim, reviewer=reviewer, due_on=TODAY(), by=editor).reviewer == reviewer


def test_a_refusal_that_is_not_about_credentials_comes_first(settings, article, reviewer):
    settings.REVIEWER_CREDENTIALS_REQUIRED = True
    mine = ArticleFactory(author=reviewer)
    with pytest.raises(ValidationError, match="wrote “") as refusal:
        assignments.take(target=mine, reviewer=reviewer)
    assert "credentials" not in str(refusal.value)


@pytest.mark.parametrize("required", [False, True])
def test_the_assign_page_lists_reviewers_without_credentials_only_when_none_are_required(
    settings, client, claim, editor, reviewer, second_reviewer, required
):
    settings.REVIEWER_CREDENTIALS_REQUIRED = required
    with_credentials(second_reviewer, "MD")
    with_credentials(reviewer, "  ")
    client.force_login(editor)

    page = client.get(reverse("admin:claims_claim_assign", args=[claim.pk]))

    assert f'<option value="{second_reviewer.pk}">' in page.text
    assert (f'<option value="{reviewer.pk}">' in page.text) is not required
    assert ("nor anyone without credentials on file (People › Profiles)" in page_text(page)) is required


@pytest.mark.parametrize("required", [False, True])
def test_assigning_from_the_page_says_why_a_reviewer_without_credentials_is_refused(
    settings, client, claim, editor, reviewer, required
):
    settings.REVIEWER_CREDENTIALS_REQUIRED = required
    client.force_login(editor)
    url = reverse("admin:claims_claim_assign", args=[claim.pk])

    response = client.post(url, {"reviewer": reviewer.pk, "due_on": TODAY().isoformat()}, follow=True)

    said = " ".join(messages_of(response))
    assert response.status_code == 200
    if required:
        assert f"Not assigned: {reviewer.get_full_name()} has no credentials on file" in said
        assert "People › Profiles" in said and not Assignment.objects.exists()
    else:
        assert said.startswith(f"Assigned to {reviewer.get_full_name()}, due ")


@pytest.mark.parametrize("required", [False, True])
def test_take_this_is_offered_only_with_credentials_on_file_when_required(settings, client, claim, reviewer, required):
    settings.REVIEWER_CREDENTIALS_REQUIRED = required
    client.force_login(reviewer)

    page = client.get(claim.get_admin_url())
    taken = client.post(reverse("admin:claims_claim_assign", args=[claim.pk]), {"take": "queue"}, follow=True)

    assert ('name="take"' in page.text) is not required
    assert ("Not offered “Take this”: You have no credentials on file" in page_text(page)) is required
    assert Assignment.objects.open().filter(claim=claim, reviewer=reviewer).exists() is not required
    if required:
        assert any(m.startswith("Not assigned: You have no credentials on file") for m in messages_of(taken))
