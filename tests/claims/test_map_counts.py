"""The evidence maps' kept counts (claims.map_counts) follow every write that changes what a map shows, and the
pages built from them show what counting the published claims shows."""

import datetime
import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from articles.models import Article, ArticleRevision
from articles.services import article_archive, article_restore
from claims import map_counts
from claims.models import ConditionEvidenceCount, PublishedClaim, SourceEvent
from claims.publishing import article_publish, article_sign_off, claim_withdraw_urgently, draft_digest
from claims.selectors import mapped_claims
from claims.services import claim_approve, claim_save
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, evidence
from tests.helpers import fresh, graded_claim

pytestmark = pytest.mark.django_db

CLAIMED = "Stem-cell transplants may be linked to fewer flares in a few people with severe lupus."
SECOND = "Hydroxychloroquine reduces flares of lupus nephritis and improves survival."
PLAIN = "Many people live with the disease for decades."
BODY = f"## Lupus and stem cells\n\n{CLAIMED} {PLAIN} {SECOND}\n"


@pytest.fixture
def lupus(db):
    return ConditionFactory(name="Systemic lupus erythematosus", slug="sle", synonyms="lupus\nSLE")


@pytest.fixture
def draft(editor, lupus):
    return ArticleFactory(author=editor, body=BODY, status=Article.Status.DRAFT, title="Lupus and stem cells")


@pytest.fixture
def claims(draft, lupus, reviewer):
    """Two approved claims about lupus: one of limited evidence, one strong, each citing a source of its own."""
    made = [
        ClaimFactory(article=draft, text=CLAIMED, condition=lupus, evidence_status=evidence("limited")),
        ClaimFactory(article=draft, text=SECOND, condition=lupus, evidence_status=evidence("strong")),
    ]
    for claim in made:
        claim_approve(claim=claim, reviewer=reviewer)
    return made


def publish(article, reviewer):
    article = fresh(article)
    article_sign_off(article=article, reviewer=reviewer, seen_digest=draft_digest(article))
    return article_publish(article=fresh(article), user=article.author, change_note="Checked again.")


def page_text_of(html):
    return html.replace("&#x27;", "'").replace("&#39;", "'")


def counted_by_reading():
    """The counts as the pages made them before they were kept: every mapped claim grouped."""
    rows = mapped_claims().values_list("condition_id", "evidence_status_id").annotate(n=Count("pk")).order_by()
    return {(condition, grade): n for condition, grade, n in rows}


def assert_counts(expected):
    """The kept counts are `expected` ({(condition, grade slug): n}), and what counting the claims gives."""
    wanted = {(condition.pk, evidence(slug).pk): n for (condition, slug), n in expected.items()}
    assert map_counts.counted() == counted_by_reading() == wanted
    assert map_counts.flag_counts() == wanted  # the flags the map reads agree


def test_publishing_counts_the_claims_its_revision_puts_on_the_map(draft, claims, lupus, reviewer):
    assert_counts({})

    publish(draft, reviewer)

    assert_counts({(lupus, "limited"): 1, (lupus, "strong"): 1})


def test_a_later_revision_that_drops_a_claim_takes_it_off_the_map(draft, claims, lupus, reviewer):
    publish(draft, reviewer)
    claims[1].delete()
    draft = fresh(draft)
    draft.body = BODY.replace(f" {SECOND}", "")
    draft.save()

    publish(draft, reviewer)

    assert_counts({(lupus, "limited"): 1})
    assert not ConditionEvidenceCount.objects.filter(claims__lt=0).exists()


def test_a_downgrade_moves_the_claim_to_its_new_grade(draft, claims, lupus, reviewer):
    publish(draft, reviewer)
    strong = fresh(claims[1])
    strong.evidence_status = evidence("moderate")
    claim_save(claim=strong, user=draft.author, changed_fields={"evidence_status"}, sources=strong.sources.all())
    claim_approve(claim=fresh(strong), reviewer=reviewer, override_reason="The wording is the trial's own.")

    publish(draft, reviewer)

    assert_counts({(lupus, "limited"): 1, (lupus, "moderate"): 1})
    assert ConditionEvidenceCount.objects.get(condition=lupus, evidence_status=evidence("strong")).claims == 0


def test_a_retraction_of_a_claims_only_source_takes_it_off_the_map_and_its_removal_brings_it_back(
    draft, claims, lupus, reviewer
):
    publish(draft, reviewer)
    [source] = fresh(claims[0]).sources.all()

    event = SourceEvent.objects.create(source=source, kind=SourceEvent.Kind.RETRACTION, date=datetime.date(2026, 1, 2))

    assert_counts({(lupus, "strong"): 1})
    event.delete()
    assert_counts({(lupus, "limited"): 1, (lupus, "strong"): 1})


def test_a_claim_withdrawn_urgently_leaves_the_map(draft, claims, lupus, reviewer):
    publish(draft, reviewer)

    claim_withdraw_urgently(reviewer=reviewer, notice="Its trial was stopped.", claim=claims[1])

    assert_counts({(lupus, "limited"): 1})


def test_archiving_takes_an_articles_claims_off_the_map_and_restoring_brings_them_back(
    draft, claims, lupus, reviewer, editor
):
    publish(draft, reviewer)

    article_archive(article=fresh(draft), user=editor)
    assert_counts({})
    article_restore(article=fresh(draft), user=editor)
    assert_counts({(lupus, "limited"): 1, (lupus, "strong"): 1})


def test_deleting_an_article_takes_its_claims_out_of_the_counts(draft, claims, lupus, reviewer):
    publish(draft, reviewer)
    other = ArticleFactory()
    graded_claim(reviewer, article=other, condition=lupus)
    assert_counts({(lupus, "limited"): 1, (lupus, "strong"): 2})

    fresh(draft).delete()

    assert_counts({(lupus, "strong"): 1})
    assert not ArticleRevision.objects.filter(article_id=draft.pk).exists()


def test_the_pages_show_the_kept_counts(client, draft, claims, lupus, reviewer):
    publish(draft, reviewer)
    other = ArticleFactory()
    for sentence in (1, 2):
        graded_claim(reviewer, article=other, sentence=sentence, condition=lupus, evidence_status=evidence("strong"))

    listed = client.get("/conditions/").text
    mapped = client.get(lupus.get_absolute_url()).text

    # Strongest first: 3 strong (this article's and the other's two), then 1 limited.
    shown = re.findall(r'class="evidence-summary__count"[^>]*>(\d+) claims?<', listed)
    assert shown == ["3", "1"]
    on_map = re.findall(r'class="evidence-summary__count"[^>]*>(\d+) claims?<', mapped)
    assert on_map == ["3", "1"]
    assert page_text_of(mapped).count(CLAIMED) == 1 and page_text_of(mapped).count(SECOND) == 1


def test_check_map_counts_reports_drift_and_repairs_it(draft, claims, lupus, reviewer, capsys):
    publish(draft, reviewer)
    PublishedClaim.objects.filter(claim=claims[0]).update(mapped=False)
    ConditionEvidenceCount.objects.filter(evidence_status=evidence("strong")).update(claims=7)

    with pytest.raises(CommandError, match="drift"):
        call_command("check_map_counts")
    said = capsys.readouterr().out
    assert "Published claims a map shows that are not flagged: 1" in said
    assert "Systemic lupus erythematosus, Strong: kept 7, counted 1" in said

    call_command("check_map_counts", "--fix")
    assert_counts({(lupus, "limited"): 1, (lupus, "strong"): 1})
    call_command("check_map_counts")  # no drift left: no error
    assert "No drift" in capsys.readouterr().out
