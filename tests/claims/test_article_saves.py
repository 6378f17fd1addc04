"""Saving an article's text goes through articles.services, which re-anchors its claims with the acting user.

The admin's save, the import, the revert and the demo loader all take that path; a save that bypasses it
(a shell, a script) is still re-anchored by the page receiver, with nobody named, and logged.
"""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from articles.imports import article_import
from articles.models import Article
from articles.services import article_create, article_revert, article_update
from claims.models import Claim, ClaimDecision
from claims.services import claim_approve
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory, article_form_data
from tests.helpers import fresh

pytestmark = pytest.mark.django_db

SENTENCE = "Stem-cell infusions may be safe in small early trials."
REWORDED = "Stem-cell infusions may be safe in a few small early trials."
BYPASS_WARNING = "saved without articles.services"


@pytest.fixture
def approved(article, reviewer):
    claim = ClaimFactory(article=article, text=SENTENCE)
    claim_approve(claim=claim, reviewer=reviewer)
    return fresh(claim)


def bypass_warnings(caplog):
    return [record for record in caplog.records if BYPASS_WARNING in record.getMessage()]


def test_an_update_names_its_editor_on_the_claims_whose_words_it_changed(approved, caplog):
    colleague = EditorFactory(username="colleague")
    article = approved.article
    article.body = article.body.replace(SENTENCE, REWORDED)
    with caplog.at_level(logging.WARNING, logger="claims.signals"):
        outcome = article_update(article=article, user=colleague)
    claim = fresh(approved)
    assert outcome == {"changed": 1, "withdrawn": [{"pk": approved.pk, "quote": REWORDED}]}
    assert (claim.quote, claim.review_state, claim.last_changed_by) == (
        REWORDED,
        Claim.ReviewState.PENDING,
        colleague,
    )
    withdrawal = claim.decisions.first()
    assert (withdrawal.decision, withdrawal.actor) == (ClaimDecision.Decision.WITHDRAWN, colleague)
    assert claim.history.first().history_user == colleague
    assert article.history.first().history_user == colleague
    assert bypass_warnings(caplog) == []


def test_an_update_that_leaves_a_claims_words_alone_keeps_its_approval(approved):
    article = approved.article
    article.body = "A new first sentence about something else.\n\n" + article.body
    outcome = article_update(article=article, user=EditorFactory())
    claim = fresh(approved)
    assert outcome == {"moved": 1, "withdrawn": []}
    assert (claim.quote, claim.review_state, claim.last_changed_by) == (
        SENTENCE,
        Claim.ReviewState.APPROVED,
        approved.last_changed_by,
    )


def test_a_revert_puts_back_the_text_only_and_names_who_reverted(approved, editor):
    article = approved.article
    article.status = Article.Status.PUBLISHED
    article_update(article=article, user=editor)
    first = article.history.first()
    article.title = "Retitled"
    article.body = article.body.replace(SENTENCE, REWORDED)
    article_update(article=article, user=editor)
    reverter = EditorFactory(username="reverter")
    outcome = article_revert(article=article, revision=first, user=reverter, reason="Reverted to the first text")
    reverted = fresh(article)
    assert (reverted.title, reverted.body, reverted.status) == (first.title, first.body, Article.Status.PUBLISHED)
    assert outcome == {"changed": 1, "withdrawn": []}  # the edit before had withdrawn it
    assert fresh(approved).quote == SENTENCE
    assert fresh(approved).last_changed_by == reverter
    assert (reverted.history.first().history_user, reverted.history.first().history_change_reason) == (
        reverter,
        "Reverted to the first text",
    )


def test_a_revert_to_text_no_longer_valid_changes_nothing(approved, editor):
    article = approved.article
    first = article.history.first()
    first.title = ""  # a revision whose title would not pass the model's checks today
    article.body = article.body.replace(SENTENCE, REWORDED)
    article_update(article=article, user=editor)
    with pytest.raises(ValidationError):
        article_revert(article=article, revision=first, user=editor, reason="Reverted")
    assert fresh(article).body == article.body
    assert fresh(approved).quote == REWORDED


def test_a_new_article_is_written_by_the_user_who_saves_it(editor):
    article = article_create(article=ArticleFactory.build(author=None, slug="fresh"), user=editor)
    assert fresh(article).author == editor
    assert article.history.first().history_user == editor


def test_a_save_around_the_services_still_re_anchors_names_nobody_and_is_logged(approved, caplog):
    article = approved.article
    article.body = article.body.replace(SENTENCE, REWORDED)
    with caplog.at_level(logging.WARNING, logger="claims.signals"):
        article.save()
    claim = fresh(approved)
    assert (claim.quote, claim.review_state) == (REWORDED, Claim.ReviewState.PENDING)
    assert claim.last_changed_by == approved.last_changed_by
    assert claim.decisions.first().actor is None
    assert len(bypass_warnings(caplog)) == 1


def test_a_save_of_other_fields_around_the_services_is_not_a_text_save(approved, caplog):
    article = approved.article
    article.archived_at = None
    with caplog.at_level(logging.WARNING, logger="claims.signals"):
        article.save(update_fields=["archived_at"])
    assert bypass_warnings(caplog) == []
    assert fresh(approved).review_state == Claim.ReviewState.APPROVED


def test_the_products_own_saves_all_go_through_the_services(approved, client, editor, caplog):
    """The admin's form, its revert, the import and the demo loader: no save of text around the services."""
    article = approved.article
    client.force_login(editor)
    with caplog.at_level(logging.WARNING, logger="claims.signals"):
        change = reverse("admin:articles_article_change", args=[article.pk])
        body = article.body.replace(SENTENCE, REWORDED)
        assert client.post(change, article_form_data(article, body=body)).status_code == 302
        assert fresh(approved).last_changed_by == editor
        first = article.history.last()
        revert = reverse("admin:articles_article_history_revert", args=[article.pk, first.history_id])
        assert client.post(revert).status_code == 302
        assert fresh(article).body == first.body
        article_import(text="Imported title\n\nA sentence imported from plain text.", author=editor)
        call_command("load_demo", verbosity=0)
    assert bypass_warnings(caplog) == []
