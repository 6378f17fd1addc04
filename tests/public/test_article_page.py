"""What readers see: claimed sentences, badges, evidence notes, review dates and article lists."""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.dateformat import format as format_date

from articles.models import Article
from articles.services import article_mark_reviewed
from articles.text import plain_text
from claims.models import Claim, Source
from claims.services import claim_approve
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, SourceFactory, evidence, published
from tests.helpers import article_page, byline, graded_claim, sign_off_and_publish

pytestmark = pytest.mark.django_db

MARKED_UP_BODY = """## Treating lung scarring

Antifibrotic medicines *slow* the loss of [lung function](https://example.org/fvc) in **idiopathic \
pulmonary fibrosis**. Stem-cell infusions may be safe in small early trials.

- Pulmonary rehabilitation probably improves breathlessness.
- Claims that stem cells reverse scarring are not supported.
"""

ONE_CLAIM = "Antifibrotic medicines slow the loss of lung function in idiopathic pulmonary fibrosis."

# Helpers ----------------------------------------------------------------------------------


def article_body(content):
    """The HTML inside the page's article body (the body's own markup has no <div>)."""
    start = content.index('<div class="article__body">') + len('<div class="article__body">')
    return content[start : content.index("</div>", start)]


def evidence_note(content, claim):
    """The reader's evidence note for `claim`: from its list item to the next note or the section's end."""
    start = content.index(f'<li id="evidence-{claim.pk}"')
    following = [content.find(marker, start + 1) for marker in ('<li id="evidence-', "</section>")]
    return content[start : min(i for i in following if i >= 0)]


def claim_span(content, claim):
    """The opening tag of the first piece of `claim`'s wrapper."""
    match = re.search(rf'<span class="claim[^"]*" id="claim-{claim.pk}"[^>]*>', content)
    assert match, f"no wrapper for claim {claim.pk}"
    return match.group(0)


def badges(content):
    return re.findall(r'<a class="badge [^"]*" href="#evidence-(\d+)">(.*?)</a>', content, flags=re.S)


def without_badges(body_html):
    return re.sub(r' ?<span class="badge-group">.*?</a></span>', "", body_html, flags=re.S)


def article_header(content):
    start = content.index('<header class="article__header">')
    return content[start : content.index("</header>", start)]


def human_date(value):
    return format_date(value, "j F Y")


# Claimed sentences and badges ----------------------------------------------------------------------


def test_an_approved_claim_is_wrapped_and_followed_by_its_evidence_badge(client, article, reviewer):
    condition = ConditionFactory(name="Idiopathic pulmonary fibrosis", slug="ipf")
    status = evidence("strong")
    claim = graded_claim(reviewer, article=article, sentence=1, condition=condition, evidence_status=status)

    content = article_page(client, article)

    body = article_body(content)
    opening = claim_span(body, claim)
    assert f'data-claim="{claim.pk}"' in opening
    assert 'data-evidence="strong"' in opening
    assert 'data-condition="ipf"' in opening
    wrapped = re.search(re.escape(opening) + r"(.*?)</span>(.*?</a>)", body, flags=re.S)
    assert wrapped.group(1) == claim.quote
    badge = wrapped.group(2)
    assert f'href="#evidence-{claim.pk}"' in badge
    assert status.badge_text in badge
    assert status.symbol in badge
    assert '<span class="visually-hidden">Evidence: </span>' in badge


def test_the_evidence_note_of_an_approved_claim_explains_the_grade_and_its_sources(client, article, reviewer):
    condition = ConditionFactory(name="Idiopathic pulmonary fibrosis", slug="ipf")
    status = evidence("strong")
    sources = [
        SourceFactory(kind=Source.Kind.PMID, identifier="29298160", title="", year=None),
        SourceFactory(kind=Source.Kind.DOI, identifier="10.1056/nejmoa1703327", title="", year=None),
        SourceFactory(kind=Source.Kind.NCT, identifier="NCT00114530", title="", year=None),
    ]
    claim = graded_claim(
        reviewer,
        article=article,
        sentence=1,
        condition=condition,
        evidence_status=status,
        explanation="Two large randomised trials found a slower decline.",
        sources=sources,
    )

    content = article_page(client, article)
    note = evidence_note(content, claim)

    assert "Idiopathic pulmonary fibrosis" in note
    # The grade's meaning and the citations are said once on the page, and the note links to them.
    # The note's chip, the grade in words and symbol, is the link to what the grade means.
    chip = f'<a class="chip chip--{status.tone}" href="#grade-{status.slug}">'
    assert f'{chip}<span aria-hidden="true">{status.symbol}</span> {status.badge_text}</a>' in note
    meanings = content[content.index('id="grades-title"') : content.index("</dl>")]
    assert f'id="grade-{status.slug}"' in meanings and status.description in meanings
    assert content.count(status.description) == 1
    assert "Two large randomised trials found a slower decline." in note
    assert [f"#reference-{n}" for n in (1, 2, 3)] == re.findall(r'href="(#reference-\d+)"', note)
    references = content[content.index('<section class="references"') :]
    cited = re.findall(r'<li id="reference-\d+" class="citation"><a href="([^"]+)"', references)
    assert sorted(cited) == [
        "https://clinicaltrials.gov/study/NCT00114530",
        "https://doi.org/10.1056/nejmoa1703327",
        "https://pubmed.ncbi.nlm.nih.gov/29298160/",
    ]
    assert f"Reviewed by {reviewer.get_full_name()}" in note
    reviewed_on = timezone.localtime(claim.reviewed_at)
    assert f"on {human_date(reviewed_on)}." in note


def test_a_pending_claim_is_shown_as_under_review_without_its_grade(client, article):
    status = evidence("moderate")
    claim = ClaimFactory(article=article, sentence=4, evidence_status=status)

    content = article_page(client, article)

    assert 'data-evidence="under-review"' in claim_span(content, claim)
    assert [pk for pk, _ in badges(content)] == [str(claim.pk)]
    assert "Under review" in badges(content)[0][1]
    assert "Under review" in evidence_note(content, claim)
    assert status.badge_text not in content
    assert status.symbol not in content
    assert f'data-evidence="{status.slug}"' not in content


def test_two_claims_on_one_sentence_give_two_wrappers_and_two_badges(client, article, reviewer):
    first = graded_claim(reviewer, article=article, sentence=1, evidence_status=evidence("strong"))
    second = graded_claim(reviewer, article=article, sentence=1, evidence_status=evidence("limited"))

    body = article_body(article_page(client, article))

    assert f'data-claim="{first.pk}"' in claim_span(body, first)
    assert f'data-claim="{second.pk}"' in claim_span(body, second)
    found = dict(badges(body))
    assert set(found) == {str(first.pk), str(second.pk)}
    assert "Strong evidence" in found[str(first.pk)]
    assert "Limited evidence" in found[str(second.pk)]


def test_an_orphaned_claim_is_not_shown(client, article, reviewer):
    orphan = graded_claim(reviewer, article=article, sentence=1, evidence_status=evidence("strong"))
    Claim.objects.filter(pk=orphan.pk).update(is_orphaned=True)
    published(article)

    content = article_page(client, article)

    assert f'data-claim="{orphan.pk}"' not in content
    assert f'id="evidence-{orphan.pk}"' not in content
    assert f"#evidence-{orphan.pk}" not in content
    assert "Strong evidence" not in content


def test_wrapping_claims_leaves_the_visible_words_of_the_body_unchanged(client, editor, reviewer):
    article = ArticleFactory(author=editor, body=MARKED_UP_BODY)
    whole = graded_claim(reviewer, article=article, sentence=1, evidence_status=evidence("strong"))
    same_sentence = ClaimFactory(article=article, sentence=1)
    in_link = graded_claim(reviewer, article=article, text="lung function", evidence_status=evidence("moderate"))
    in_list = ClaimFactory(article=article, sentence=3)

    body = article_body(article_page(client, article))

    for claim in (whole, same_sentence, in_link, in_list):
        assert f'data-claim="{claim.pk}"' in body
    assert len(badges(body)) == 4
    assert plain_text(without_badges(body)) == article.body_text
    assert plain_text(without_badges(body)) == plain_text(article.body_html)


# Badge groups: one after the last claim of a sentence ---------------------------------------------

BADGE_BODY = "Rest and oxygen **may ease** breathlessness, and exercise probably helps stamina. Other words."


def test_claims_on_parts_of_one_sentence_share_one_badge_group_after_the_last(client, editor):
    article = ArticleFactory(author=editor, body=BADGE_BODY)
    first = ClaimFactory(article=article, text="Rest and oxygen may ease breathlessness", condition=ConditionFactory())
    second = ClaimFactory(article=article, text="exercise probably helps stamina", condition=ConditionFactory())
    html = client.get(article.get_absolute_url()).text
    assert html.count('class="badge-group"') == 1
    group_at = html.index('class="badge-group"')
    assert html.index(f'id="claim-{second.pk}"') < group_at
    assert f'href="#evidence-{first.pk}"' in html[group_at:] and f'href="#evidence-{second.pk}"' in html[group_at:]
    # Each badge in a shared group names its condition.
    assert first.condition.name in html[group_at : group_at + 2000]


def test_overlapping_claims_are_nested_and_get_one_group(client, editor):
    article = ArticleFactory(author=editor, body=BADGE_BODY)
    outer = ClaimFactory(article=article, text="Rest and oxygen may ease breathlessness, and exercise")
    inner = ClaimFactory(article=article, text="oxygen may ease")
    html = client.get(article.get_absolute_url()).text
    assert html.count('class="badge-group"') == 1
    body = html[html.index('class="article__body"') : html.index("evidence-notes")]
    assert body.count("<span") == body.count("</span>")
    assert f'id="claim-{outer.pk}"' in body and f'id="claim-{inner.pk}"' in body


def test_claims_in_different_sentences_get_their_own_groups(client, editor):
    article = ArticleFactory(author=editor, body=BADGE_BODY)
    ClaimFactory(article=article, text="exercise probably helps stamina")
    ClaimFactory(article=article, text="Other words.")
    html = client.get(article.get_absolute_url()).text
    assert html.count('class="badge-group"') == 2


# Review dates in the header ------------------------------------------------------------------------


def test_header_shows_who_signed_off_the_live_revision_and_when_the_next_review_is_due(
    client, editor, reviewer, second_reviewer
):
    article = ArticleFactory(author=editor, status=Article.Status.DRAFT, body=ONE_CLAIM)
    claim_approve(claim=ClaimFactory(article=article, sentence=0), reviewer=reviewer)
    sign_off_and_publish(article, second_reviewer)
    article.refresh_from_db()

    header = article_header(article_page(client, article))

    reviewed_on = f'datetime="{article.last_reviewed:%Y-%m-%d}">{human_date(article.last_reviewed)}'
    assert f"Medically reviewed by {byline(second_reviewer)} on <time {reviewed_on}" in header
    assert "Next review due" in header
    assert human_date(article.next_review_due) in header
    assert "not been medically reviewed" not in header


def test_marking_the_article_row_reviewed_names_no_reviewer_until_a_revision_is_signed_off(client, article, reviewer):
    article_mark_reviewed(article=article, reviewer=reviewer)

    header = article_header(article_page(client, article))

    assert "This article has not been medically reviewed yet." in header
    assert reviewer.get_full_name() not in header


def test_header_says_when_an_article_has_not_been_medically_reviewed(client, article):
    content = article_page(client, article)

    header = article_header(content)
    assert "This article has not been medically reviewed yet." in header
    assert "Medically reviewed by" not in header
    assert "Next review due" not in header


# Which articles the public sees ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.IN_REVIEW])
def test_unpublished_articles_are_hidden_from_anonymous_readers(client, editor, status):
    hidden = ArticleFactory(author=editor, status=status, title="Not for readers yet")
    ArticleFactory(author=editor, title="Already out")

    detail = client.get(hidden.get_absolute_url())
    home = client.get("/")

    assert detail.status_code == 404
    assert home.status_code == 200
    assert "Already out" in home.content.decode()
    assert "Not for readers yet" not in home.content.decode()
    assert hidden.get_absolute_url() not in home.content.decode()


def test_home_page_lists_published_articles_newest_first_with_standfirst_and_evidence_counts(client, editor, reviewer):
    now = timezone.now()
    older = ArticleFactory(
        author=editor,
        title="Older article on lung scarring",
        standfirst="An older look at scarring.",
        published_at=now - datetime.timedelta(days=5),
    )
    newer = ArticleFactory(
        author=editor,
        title="Newer article on stem cells",
        standfirst="A fresh look at stem cells.",
        published_at=now - datetime.timedelta(days=1),
    )
    graded_claim(reviewer, article=newer, sentence=1, evidence_status=evidence("strong"))
    graded_claim(reviewer, article=newer, sentence=4, evidence_status=evidence("strong"))
    graded_claim(reviewer, article=newer, sentence=2, evidence_status=evidence("limited"))
    ClaimFactory(article=newer, sentence=3)

    response = client.get("/")

    content = response.content.decode()
    assert content.index(newer.get_absolute_url()) < content.index(older.get_absolute_url())
    cards = content.split('<li class="article-card">')[1:]
    newer_card = next(card for card in cards if "Newer article on stem cells" in card)
    older_card = next(card for card in cards if "Older article on lung scarring" in card)
    assert "A fresh look at stem cells." in newer_card
    assert "An older look at scarring." in older_card
    counts = dict(
        re.findall(r'</span> ([^<]+)</span>\s*<span class="evidence-summary__count">(\d+) claims?</span>', newer_card)
    )
    assert counts == {"Strong evidence": "2", "Limited evidence": "1", "Under review": "1"}
    assert "evidence-summary__count" not in older_card


# Untrusted markup ----------------------------------------------------------------------------------


def assert_only_the_sites_own_scripts(content):
    """The page's only scripts are its structured data and the badge script, never one from the article."""
    scripts = re.findall(r"<script[^>]*>", content, re.IGNORECASE)
    assert len(scripts) == 2
    assert scripts[0].lower() == '<script type="application/ld+json">'
    assert re.fullmatch(r'<script src="/static/js/evidence-badges[.\w]*\.js" defer>', scripts[1].lower())


def test_dangerous_markup_in_a_body_is_neutralised_on_the_public_page(client, editor):
    article = ArticleFactory(
        author=editor,
        body=(
            "Safe words first.\n\n"
            "<script>alert(1)</script>\n\n"
            "A [link](javascript:alert(1)) here.\n\n"
            "<img src=x onerror=alert(1)>\n\n"
            '<a href="data:text/html,<script>alert(1)</script>">data link</a>\n\n'
            '<a href="JaVaScRiPt:alert(1)">mixed case</a>\n'
        ),
    )

    content = article_page(client, article).lower()

    assert "safe words first." in content
    assert_only_the_sites_own_scripts(content)
    assert "javascript:" not in content
    assert "onerror" not in content
    assert "data:text/html" not in content


def test_markup_in_claim_text_shown_to_readers_is_escaped(client, article, reviewer):
    condition = ConditionFactory(name="<b>Lupus</b>", slug="lupus")
    claim = graded_claim(
        reviewer,
        article=article,
        sentence=1,
        condition=condition,
        evidence_status=evidence("strong"),
        explanation="<script>x</script>",
    )

    content = article_page(client, article)

    note = evidence_note(content, claim)
    assert "&lt;b&gt;Lupus&lt;/b&gt;" in note
    assert "&lt;script&gt;x&lt;/script&gt;" in note
    assert "<b>Lupus</b>" not in content
    assert "<script>x</script>" not in content
    assert_only_the_sites_own_scripts(content)
