"""REVIEWER_CREDENTIALS_REQUIRED: with it on, a reviewer signs off only with credentials on file."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles.models import Article, ArticleRevision
from claims.policy import CREDENTIALS_NEEDED
from claims.publishing import article_sign_off, draft_digest, sign_off_blockers
from claims.services import claim_approve
from people.profiles import profile_for
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, evidence
from tests.helpers import fresh, page_text

pytestmark = pytest.mark.django_db

CLAIMED = "Stem-cell transplants may be linked to fewer flares in a few people with severe lupus."
BODY = f"## Lupus and stem cells\n\n{CLAIMED} Many people live with the disease for decades.\n"


@pytest.fixture
def draft(editor, reviewer):
    """A draft whose one claim is approved: nothing but the sign-off stands before publication."""
    article = ArticleFactory(author=editor, body=BODY, status=Article.Status.DRAFT, title="Lupus and stem cells")
    lupus = ConditionFactory(name="Systemic lupus erythematosus", slug="sle", synonyms="lupus")
    claim = ClaimFactory(article=article, text=CLAIMED, condition=lupus, evidence_status=evidence("limited"))
    claim_approve(claim=claim, reviewer=reviewer)
    return fresh(article)


def sign_off(article, reviewer):
    return article_sign_off(article=article, reviewer=reviewer, seen_digest=draft_digest(fresh(article)))


def with_credentials(user, credentials):
    profile = profile_for(user)
    profile.credentials = credentials
    profile.save()


def sign_off_url(article):
    return reverse("admin:articles_articlerevision_sign_off", args=[article.pk])


def test_by_default_a_reviewer_without_credentials_signs_off(draft, second_reviewer):
    assert sign_off(draft, second_reviewer).signed_off_by == second_reviewer


def test_when_required_a_reviewer_without_credentials_is_refused_and_nothing_is_signed(
    settings, draft, second_reviewer
):
    settings.REVIEWER_CREDENTIALS_REQUIRED = True

    with pytest.raises(PermissionDenied, match="You have no credentials on file"):
        sign_off(draft, second_reviewer)

    assert not ArticleRevision.objects.filter(article=draft).exists()


@pytest.mark.parametrize("credentials", ["", "   "])
def test_blank_credentials_are_none(settings, draft, second_reviewer, credentials):
    settings.REVIEWER_CREDENTIALS_REQUIRED = True
    with_credentials(second_reviewer, credentials)

    assert CREDENTIALS_NEEDED in sign_off_blockers(draft, second_reviewer)


def test_when_required_a_reviewer_with_credentials_signs_off(settings, draft, second_reviewer):
    settings.REVIEWER_CREDENTIALS_REQUIRED = True
    with_credentials(second_reviewer, "MD, FRCP")

    assert sign_off(draft, second_reviewer).signed_off_by == second_reviewer


def test_the_sign_off_page_says_why_and_how_to_put_it_right(settings, client, draft, second_reviewer):
    settings.REVIEWER_CREDENTIALS_REQUIRED = True
    client.force_login(second_reviewer)

    shown = page_text(client.get(sign_off_url(draft)))
    posted = client.post(sign_off_url(draft), {"seen_digest": draft_digest(draft)})

    assert "You cannot sign off this draft yet: You have no credentials on file" in shown
    assert "add them (for example “MD, FRCP”) to your profile under People › Profiles" in shown
    assert posted.status_code == 200
    assert "Not signed off. You have no credentials on file" in page_text(posted)
    assert not ArticleRevision.objects.filter(article=draft).exists()


def test_the_authors_refusal_comes_first_and_alone(settings, draft, editor):
    """The author may never sign off: being told to add credentials would mislead them."""
    settings.REVIEWER_CREDENTIALS_REQUIRED = True
    editor.groups.add(Group.objects.get(name="Reviewers"))

    reasons = sign_off_blockers(draft, fresh(editor))

    assert CREDENTIALS_NEEDED not in reasons
    assert any("another reviewer must review it" in reason for reason in reasons)
