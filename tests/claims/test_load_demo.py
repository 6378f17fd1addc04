import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from articles.models import Article
from claims.models import Claim, EvidenceStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def test_demo_has_three_long_published_articles_with_many_graded_claims(demo):
    long_articles = [a for a in Article.objects.all() if len(re.findall(r"\w+", a.body_text)) >= 400]
    assert len(long_articles) >= 3
    for article in long_articles:
        assert article.claims.count() >= 10
        states = set(article.claims.values_list("review_state", flat=True))
        assert {Claim.ReviewState.APPROVED, Claim.ReviewState.PENDING} <= states
    assert set(Claim.objects.values_list("review_state", flat=True)) == set(Claim.ReviewState.values)


def test_demo_uses_every_evidence_status_and_has_a_draft(demo):
    used = set(Claim.objects.values_list("evidence_status__slug", flat=True))
    assert used == set(EvidenceStatus.objects.values_list("slug", flat=True))
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()


def test_demo_claims_sit_exactly_on_their_sentences(demo):
    for claim in Claim.objects.select_related("article"):
        assert claim.article.body_text[claim.start : claim.end] == claim.quote
        assert claim.article.body_text.count(claim.quote) == 1
        assert not claim.is_orphaned


def test_demo_approvals_respect_separation_of_duties(demo):
    for claim in Claim.objects.approved():
        assert claim.reviewed_by_id not in {claim.created_by_id, claim.last_changed_by_id}
        assert claim.evidence_status.is_rated


def test_demo_accounts_sign_in_with_the_readme_passwords(demo):
    for username, password in [
        ("editor", "editor-demo-2026"),
        ("reviewer", "reviewer-demo-2026"),
        ("admin", "admin-demo-2026"),
    ]:
        user = authenticate(username=username, password=password)
        assert user is not None and user.is_staff
    assert authenticate(username="reviewer", password="reviewer-demo-2026").has_perm("claims.review_claim")
    assert not authenticate(username="editor", password="editor-demo-2026").has_perm("claims.review_claim")


def test_loading_the_demo_twice_changes_nothing(demo):
    before = (Article.objects.count(), Claim.objects.count(), Claim.objects.approved().count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Article.objects.count(), Claim.objects.count(), Claim.objects.approved().count()) == before
