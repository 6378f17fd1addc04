"""What an editor's save and a reviewer's decision cost the database, and that they still do all they did.

Each request runs as in production: in its own transaction (the test's data is committed first, so the
request's atomic blocks are the outermost ones and its on-commit work runs as it commits), and its
queries are counted whole, on-commit work included. The budget is the same for an article of 10
claims and of 300: nothing is read or written once per claim.
"""

from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

import articles.models
from articles.models import Article
from claims import pages
from claims.assignments import assign
from claims.models import ArticlePage, Assignment, Claim, ClaimDecision
from claims.pages import badges
from claims.text.anchoring import anchor_at
from notifications.models import Notification
from tests.factories import ArticleFactory, ConditionFactory, SourceFactory, article_form_data, evidence, published
from tests.reviewing import decide_url, seen_now

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SAVE_BUDGET = 15
DECISION_BUDGET = 15


FIRST = "Antifibrotic medicines probably slow the loss of lung function in pulmonary fibrosis."
REWORDED = "Antifibrotic medicines probably slow the loss of lung function in idiopathic pulmonary fibrosis."
WORDS = ["cough", "wheeze", "fatigue", "breathlessness", "chest pain", "fever", "insomnia", "nausea"]


def sentence(number):
    """The article's sentences: no two alike, so that a reworded one is found again with no guess."""
    if number == 0:
        return FIRST
    return f"Treatment {number} probably eases {WORDS[number % 8]} in adults over {number + 17} years of age."


def article_with_claims(author, reviewer, count, *, live=True):
    """An article of `count` paragraphs, each a sentence with one approved claim, published unless `live=False`."""
    body = "\n\n".join(sentence(n) for n in range(count))
    article = ArticleFactory(author=author, body=body, status=Article.Status.DRAFT)
    grade, now = evidence("moderate"), timezone.now()
    conditions = [ConditionFactory() for _ in range(5)]
    claims = []
    for number, found in enumerate(article.sentences()):
        claim = Claim(
            article=article,
            condition=conditions[number % 5],
            evidence_status=grade,
            created_by=author,
            last_changed_by=author,
            explanation="Several trials.",
            review_state=Claim.ReviewState.APPROVED,
            reviewed_by=reviewer,
            reviewed_at=now,
        )
        claim.set_anchor(anchor_at(article.body_text, found.start, found.end))
        claim.rate_wording()
        claims.append(claim)
    claims = Claim.objects.bulk_create(claims)
    source = SourceFactory()
    Claim.sources.through.objects.bulk_create(Claim.sources.through(claim_id=c.pk, source_id=source.pk) for c in claims)
    if live:
        published(article)
    pages.build(article.pk)
    return Article.objects.get(pk=article.pk)


def edited(article):
    """The form as an editor sends it: the first claim reworded, a new section half-way (the claims after it move)."""
    middle = sentence(Claim.objects.filter(article=article).count() // 2)
    body = article.body.replace(FIRST, REWORDED).replace(
        middle, "## A new section\n\nA brand new paragraph.\n\n" + middle
    )
    return article_form_data(article, body=body)


def open_page(client, article):
    """Open the article's page as the editor does before saving."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert client.get(url).status_code == 200
    return url


def save(client, article):
    """Open the article's page, then save the edit; the response and the save's queries."""
    url, data = open_page(client, article), edited(article)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    return response, queries


@pytest.mark.parametrize("count", [10, 300])
def test_saving_an_edit_costs_the_same_few_queries_whatever_the_number_of_claims(client, editor, reviewer, count):
    article = article_with_claims(editor, reviewer, count)
    page_before = ArticlePage.objects.get(article=article)
    DBTaskResult.objects.all().delete()
    client.force_login(editor)

    response, queries = save(client, article)

    assert response.status_code == 302
    assert len(queries) <= SAVE_BUDGET, "\n".join(q["sql"][:150] for q in queries.captured_queries)
    # Everything the save did before: the history row, every claim found again, the reworded one sent back
    # to review with its approval withdrawn in the editor's name, and the editor told so.
    saved = Article.objects.get(pk=article.pk)
    new_paragraph = saved.body_text.index("A brand new paragraph.")
    assert saved.history.first().history_user == editor
    claims = list(Claim.objects.filter(article=article).order_by("pk"))
    assert not any(claim.is_orphaned for claim in claims)
    assert all(claim.start > new_paragraph for claim in claims[len(claims) // 2 :])
    first = claims[0]
    assert (first.quote, first.review_state, first.last_changed_by) == (REWORDED, Claim.ReviewState.PENDING, editor)
    withdrawal = first.decisions.get()
    assert (withdrawal.decision, withdrawal.actor) == (ClaimDecision.Decision.WITHDRAWN, editor)
    assert first.history.first().history_user == editor
    assert all(claim.review_state == Claim.ReviewState.APPROVED for claim in claims[1:])
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("withdrew the approval of 1 claim" in message for message in told)
    # Readers' page shows the live revision, which the draft's edit leaves as it was: not marked, not rebuilt.
    page = ArticlePage.objects.get(article=article)
    assert (page.generation, page.built_at) == (page_before.generation, page_before.built_at)
    assert not DBTaskResult.objects.exists()


def test_saving_a_draft_never_published_leaves_its_page_to_a_worker(client, editor, reviewer):
    article = article_with_claims(editor, reviewer, 300, live=False)
    before = ArticlePage.objects.get(article=article).generation
    DBTaskResult.objects.all().delete()
    client.force_login(editor)

    response, queries = save(client, article)

    assert response.status_code == 302
    assert len(queries) <= SAVE_BUDGET, "\n".join(q["sql"][:150] for q in queries.captured_queries)
    page = ArticlePage.objects.get(article=article)
    assert page.generation == before + 1 and not page.is_fresh, "the long page is not built in the request"
    [queued] = DBTaskResult.objects.all()
    assert (queued.task_path, queued.args_kwargs["args"]) == ("claims.tasks.rebuild_article_pages", [[article.pk]])
    # Staff's next reading of the draft's page rebuilds it if no worker got there first.
    assert "A brand new paragraph." in pages.page_for(Article.objects.get(pk=article.pk)).body_html


@pytest.mark.parametrize("live", [True, False], ids=["published", "never published"])
def test_a_save_renders_and_reads_the_body_once(client, editor, reviewer, live):
    article = article_with_claims(editor, reviewer, 10, live=live)
    client.force_login(editor)
    render = mock.Mock(wraps=articles.models.render_markdown)
    read_by_article = mock.Mock(wraps=articles.models.read_html)
    read_by_page = mock.Mock(wraps=badges.read_html)

    url, data = open_page(client, article), edited(article)
    with (
        mock.patch.object(articles.models, "render_markdown", render),
        mock.patch.object(articles.models, "read_html", read_by_article),
        mock.patch.object(badges, "read_html", read_by_page),
    ):
        response = client.post(url, data)

    assert response.status_code == 302
    assert render.call_count == 1
    # Once for the plain text claims are anchored in, and the re-anchoring of the claims reads that same reading.
    assert read_by_article.call_count + read_by_page.call_count == 1
    assert Claim.objects.get(article=article, quote=REWORDED).review_state == Claim.ReviewState.PENDING


@pytest.mark.parametrize(
    "decision, comment",
    [("approved", ""), ("changes_requested", "Soften the wording."), ("rejected", "No source says this.")],
)
def test_a_decision_costs_few_queries_and_does_all_it_did(client, editor, reviewer, decision, comment):
    article = article_with_claims(editor, reviewer, 10)
    claim = Claim.objects.filter(article=article).order_by("pk").first()
    Claim.objects.filter(pk=claim.pk).update(review_state=Claim.ReviewState.PENDING, reviewed_by=None, reviewed_at=None)
    assign(target=claim, reviewer=reviewer, due_on=timezone.localdate(), by=editor)
    DBTaskResult.objects.all().delete()
    Notification.objects.all().delete()
    client.force_login(reviewer)
    seen = seen_now(claim)
    client.get(reverse("admin:claims_claim_change", args=[claim.pk]))  # the reviewer opens the claim

    with CaptureQueriesContext(connection) as queries:
        response = client.post(decide_url(claim), {"decision": decision, "seen": seen, "comment": comment})

    assert response.status_code == 302
    assert len(queries) <= DECISION_BUDGET, "\n".join(q["sql"][:150] for q in queries.captured_queries)
    claim.refresh_from_db()
    assert (claim.review_state, claim.reviewed_by) == (decision, reviewer)
    recorded = claim.decisions.get()
    assert (recorded.decision, recorded.actor, recorded.comment) == (decision, reviewer, comment)
    assert recorded.snapshot["quote"] == claim.quote and recorded.snapshot["sources"]
    assert claim.history.first().history_user == reviewer
    assert Assignment.objects.get(claim=claim).done_at is not None
    [told] = Notification.objects.all()
    assert told.recipient == editor and told.key == f"{decision}:decision:{recorded.pk}"
    # The author wants it at once: its e-mail is queued; readers' page of the published article is left alone.
    assert [task.task_path for task in DBTaskResult.objects.all()] == ["notifications.tasks.email_notification"]
    assert [str(m) for m in get_messages(response.wsgi_request)][0].startswith(
        {"approved": "Approved", "changes_requested": "Changes requested for", "rejected": "Rejected"}[decision]
    )
