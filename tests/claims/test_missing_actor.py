"""Pages that name who decided or saved something work when nobody did: a withdrawal made by an article
saved outside a web request (a command, the shell, a background task) has no actor, and a revision by an
account deleted since has no user. They read “the system”, as a decision's own wording does.
"""

import pytest
from django.urls import reverse

from articles.services import article_update
from claims.models import Claim, ClaimDecision
from claims.services import claim_approve
from tests.factories import ClaimFactory, EditorFactory, UserFactory

pytestmark = pytest.mark.django_db

REWORDED = "Stem-cell infusions may be safe in a few small early trials."


@pytest.fixture
def withdrawn(article, reviewer):
    """An approved claim whose words an article save outside any request changed: its approval is withdrawn
    by nobody, and the article's revision has no user."""
    claim = ClaimFactory(article=article, sentence=2, review_state=Claim.ReviewState.PENDING)
    claim_approve(claim=claim, reviewer=reviewer)
    article.body = article.body.replace("Stem-cell infusions may be safe in small early trials.", REWORDED)
    article_update(article=article, user=None)
    claim.refresh_from_db()
    withdrawal = claim.decisions.first()
    assert (claim.review_state, withdrawal.decision, withdrawal.actor) == (
        Claim.ReviewState.PENDING,
        ClaimDecision.Decision.WITHDRAWN,
        None,
    )
    assert article.history.first().history_user is None
    return claim


@pytest.fixture(params=["editor", "reviewer2", "root"])
def anyone(request, client, editor, second_reviewer, superuser):
    client.force_login({"editor": editor, "reviewer2": second_reviewer, "root": superuser}[request.param])
    return client


def cell_text(page):
    return " ".join(page.content.decode().split())


def test_the_claim_page_shows_a_decision_without_actor_as_made_by_the_system(anyone, withdrawn):
    page = anyone.get(reverse("admin:claims_claim_change", args=[withdrawn.pk]))
    assert page.status_code == 200
    assert "<td>Approval withdrawn</td> <td>the system</td>" in cell_text(page)


def test_the_claim_history_names_the_system_for_a_revision_saved_without_a_user(anyone, withdrawn):
    page = anyone.get(reverse("admin:claims_claim_history", args=[withdrawn.pk]))
    assert page.status_code == 200
    assert "<td>the system</td>" in cell_text(page)
    assert "<td>None</td>" not in cell_text(page)


def test_the_article_history_and_its_comparison_name_the_system(anyone, withdrawn):
    article = withdrawn.article
    page = anyone.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert page.status_code == 200
    assert "<td>the system</td>" in cell_text(page)
    revision = article.history.first()
    diff = anyone.get(reverse("admin:articles_article_history_diff", args=[article.pk, revision.history_id]))
    assert diff.status_code == 200
    assert "by the system (changed)" in cell_text(diff)


def test_a_revision_by_an_account_deleted_since_reads_the_system(client, superuser, article):
    departed = EditorFactory(username="departed")
    article.title = "Stem cells and the lung, revised"
    article_update(article=article, user=departed)
    departed.delete()
    client.force_login(superuser)
    page = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert page.status_code == 200
    assert "departed" not in page.content.decode()
    revision = article.history.first()
    diff = client.get(reverse("admin:articles_article_history_diff", args=[article.pk, revision.history_id]))
    assert "by the system (changed)" in cell_text(diff)


def test_the_review_queue_gives_the_previous_decision_as_made_by_the_system(client, second_reviewer, withdrawn):
    client.force_login(second_reviewer)
    page = client.get(reverse("admin:claims_reviewqueueclaim_changelist"))
    assert page.status_code == 200
    assert "Approval withdrawn by the system" in page.content.decode()


@pytest.mark.parametrize(
    "page",
    ["admin:claims_integrity_report", "admin:articles_article_change", "admin:claims_claim_changelist"],
)
def test_other_pages_about_the_claim_work(anyone, withdrawn, page):
    args = [withdrawn.article_id] if page == "admin:articles_article_change" else []
    assert anyone.get(reverse(page, args=args)).status_code == 200


def test_the_public_page_shows_the_claim_under_review(client, withdrawn):
    page = client.get(withdrawn.article.get_absolute_url())
    assert page.status_code == 200
    assert "Under review" in page.content.decode()


def test_a_decision_without_actor_reads_the_system_in_its_own_words():
    user = UserFactory()
    claim = ClaimFactory(created_by=user, last_changed_by=user)
    decision = ClaimDecision.objects.create(claim=claim, decision=ClaimDecision.Decision.WITHDRAWN, comment="x")
    assert str(decision).startswith("Approval withdrawn by the system on ")
