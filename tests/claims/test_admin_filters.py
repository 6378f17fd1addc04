"""Filtering claim lists by article, condition and author: a box for words rather than a link per row."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimDecision
from claims.services import claim_decide, claim_submit
from tests.claims.test_review_queue import submitted
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, EditorFactory

pytestmark = pytest.mark.django_db

CLAIMS = reverse("admin:claims_claim_changelist")
QUEUE = reverse("admin:claims_reviewqueueclaim_changelist")
ORPHANS = reverse("admin:claims_orphanedclaim_changelist")


def listed(response):
    """The claims a list page shows, by primary key."""
    assert response.status_code == 200
    return {claim.pk for claim in response.context["cl"].result_list}


def sidebar(response):
    html = response.content.decode()
    return html[html.index('id="changelist-filter"') :]


@pytest.fixture
def lung_and_skin(editor):
    lung = ArticleFactory(author=editor, title="Stem cells and lung scarring")
    skin = ArticleFactory(author=editor, title="Creams for eczema")
    return ClaimFactory(article=lung, sentence=1), ClaimFactory(article=skin, sentence=1)


def test_the_article_filter_keeps_claims_of_articles_whose_title_has_every_word(reviewer_client, lung_and_skin):
    lung, skin = lung_and_skin
    assert listed(reviewer_client.get(CLAIMS, {"article_words": "LUNG stem"})) == {lung.pk}
    assert listed(reviewer_client.get(CLAIMS, {"article_words": "lung eczema"})) == set()
    assert listed(reviewer_client.get(CLAIMS, {"article_words": "  "})) == {lung.pk, skin.pk}


def test_the_sidebar_names_no_article_until_one_is_chosen(reviewer_client, lung_and_skin):
    lung, skin = lung_and_skin
    response = reviewer_client.get(CLAIMS)
    assert "Creams for eczema" not in sidebar(response) and "lung scarring" not in sidebar(response)

    chosen = reviewer_client.get(CLAIMS, {"article__id__exact": lung.article_id})
    assert listed(chosen) == {lung.pk}
    assert '<li class="selected"><a href="?article__id__exact=' in sidebar(chosen)
    assert "Stem cells and lung scarring" in sidebar(chosen) and "Creams for eczema" not in sidebar(chosen)


def test_a_chosen_article_without_claims_in_the_list_is_still_named(reviewer_client, lung_and_skin):
    lung, _ = lung_and_skin
    empty = ArticleFactory(title="An article nobody claimed from")
    response = reviewer_client.get(CLAIMS, {"article__id__exact": empty.pk})
    assert listed(response) == set()
    assert "An article nobody claimed from" in sidebar(response)

    gone = reviewer_client.get(CLAIMS, {"article__id__exact": 999_999})
    assert "Number 999999 (no longer there)" in sidebar(gone)


def test_an_article_number_that_is_not_a_number_is_refused_as_a_bad_filter(reviewer_client, lung_and_skin):
    for value in ("lung", "²", "-1", str(2**63), "9" * 25):  # the last two overflow a 64-bit id
        response = reviewer_client.get(CLAIMS, {"article__id__exact": value})
        assert response.status_code == 302 and response.url.endswith("?e=1"), value


def test_the_words_box_keeps_the_other_filters_and_the_search_but_not_the_page(reviewer_client, lung_and_skin):
    response = reviewer_client.get(
        CLAIMS, {"review_state__exact": "pending", "q": "stem", "o": "2", "p": "1", "article_words": "lung"}
    )
    form = re.search(r'<li class="words-filter">.*?</form>', sidebar(response), re.S).group(0)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    assert hidden == {"review_state__exact": "pending", "q": "stem", "o": "2"}
    assert 'name="article_words" value="lung"' in form


def test_the_article_page_links_to_its_claims_in_the_claim_list(editor_client, lung_and_skin):
    lung, _ = lung_and_skin
    page = editor_client.get(reverse("admin:articles_article_change", args=[lung.article_id])).content.decode()
    (link,) = re.findall(r'<a href="([^"]+)">List these claims</a>', page)
    assert urlsplit(link).path == CLAIMS
    assert parse_qs(urlsplit(link.replace("&amp;", "&")).query) == {"article__id__exact": [str(lung.article_id)]}
    assert listed(editor_client.get(link)) == {lung.pk}


def test_the_orphaned_claims_list_filters_by_article_words_too(editor_client, lung_and_skin):
    lung, skin = lung_and_skin
    type(lung).objects.filter(pk__in=[lung.pk, skin.pk]).update(is_orphaned=True)
    assert listed(editor_client.get(ORPHANS, {"article_words": "eczema"})) == {skin.pk}


def test_the_queue_filters_by_words_of_the_condition_its_other_names_and_the_author(reviewer_client, article):
    now = timezone.now()
    by_sam = EditorFactory(first_name="Sam", last_name="Okafor")
    ipf = ConditionFactory(slug="ipf", name="Idiopathic pulmonary fibrosis", synonyms="IPF\nLung scarring")
    lupus = ConditionFactory(slug="lupus", name="Lupus", synonyms="SLE")
    scarring = submitted(ClaimFactory(article=article, sentence=1, condition=ipf, review_state="draft"), now)
    by_sam_on_lupus = submitted(
        ClaimFactory(article=article, sentence=3, condition=lupus, created_by=by_sam, review_state="draft"), now
    )
    assert listed(reviewer_client.get(QUEUE, {"condition_words": "scarring"})) == {scarring.pk}
    assert listed(reviewer_client.get(QUEUE, {"condition_words": "sle"})) == {by_sam_on_lupus.pk}
    assert listed(reviewer_client.get(QUEUE, {"created_by_words": "okafor"})) == {by_sam_on_lupus.pk}
    assert listed(reviewer_client.get(QUEUE, {"created_by_words": "sam okafor"})) == {by_sam_on_lupus.pk}
    assert listed(reviewer_client.get(QUEUE, {"created_by_words": by_sam.username})) == {by_sam_on_lupus.pk}
    chosen = reviewer_client.get(QUEUE, {"condition__id__exact": lupus.pk})
    assert listed(chosen) == {by_sam_on_lupus.pk} and "Lupus" in sidebar(chosen)


def test_the_queue_orders_a_claim_by_its_latest_submission(reviewer_client, second_reviewer, article):
    now = timezone.now()
    resubmitted = submitted(
        ClaimFactory(article=article, sentence=1, review_state="draft"), now - datetime.timedelta(3)
    )
    waiting = submitted(ClaimFactory(article=article, sentence=3, review_state="draft"), now - datetime.timedelta(2))
    claim_decide(claim=resubmitted, reviewer=second_reviewer, decision="changes_requested", comment="Which trial?")
    claim_submit(claim=resubmitted, user=resubmitted.created_by)
    latest = ClaimDecision.objects.filter(claim=resubmitted, decision="submitted").order_by("-pk").first()
    ClaimDecision.objects.filter(pk=latest.pk).update(created_at=now - datetime.timedelta(1))
    Claim.objects.filter(pk=resubmitted.pk).update(queued_at=now - datetime.timedelta(1))

    rows = list(reviewer_client.get(QUEUE).context["cl"].result_list)
    assert [claim.pk for claim in rows] == [waiting.pk, resubmitted.pk]
    assert rows[1].queued_at == now - datetime.timedelta(1)
