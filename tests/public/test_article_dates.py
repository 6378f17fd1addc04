"""The dates and the change list readers see come from the live revision and the revisions published before it.

Each history is published through the services (sign-off, publication gate) with the clock moved,
so that each step falls on a day of its own.
"""

import html
import json
import re
from types import SimpleNamespace

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.dateformat import format as format_date

from articles.models import Article
from articles.services import add_months, article_mark_reviewed, article_update
from claims.links import absolute
from claims.models import ArticlePage, Claim, Condition
from claims.pages import build
from claims.pages.record import CHANGES_SHOWN
from claims.publishing import article_publish, claim_withdraw_urgently
from claims.services import claim_approve, claim_save
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, ReviewerFactory, evidence, published
from tests.helpers import article_page, byline, fresh, person_url, sign_off_and_publish, signed_in

pytestmark = pytest.mark.django_db

CLAIMED = "Antifibrotic medicines slow the loss of lung function in idiopathic pulmonary fibrosis."
BODY = f"{CLAIMED}\n\nThis page was first written in spring."


@pytest.fixture
def first(editor, reviewer, second_reviewer, clock):
    """An article with one claim graded "strong", signed off by `second_reviewer` and first published 100 days ago."""
    when = clock(-100)
    article = ArticleFactory(author=editor, body=BODY, status=Article.Status.DRAFT, title="Lung scarring")
    claim = ClaimFactory(article=article, sentence=0, evidence_status=evidence("strong"))
    claim_approve(claim=claim, reviewer=reviewer)
    revision = sign_off_and_publish(article, second_reviewer)
    return SimpleNamespace(article=fresh(article), claim=fresh(claim), revision=revision, day=timezone.localdate(when))


def minor_revision(article, note):
    """An edit of a sentence no claim is on, published without a sign-off: it keeps the live revision's review."""
    draft = fresh(article)
    draft.body = draft.body.replace("spring", "autumn")
    article_update(article=draft, user=draft.author)
    return article_publish(article=fresh(article), user=draft.author, change_note=note)


def regraded(article, claim, slug, *, editor, reviewer, signer, note):
    """The claim's grade changed by `editor`, approved by `reviewer`, signed off by `signer` and published."""
    claim = fresh(claim)
    claim.evidence_status = evidence(slug)
    claim_save(claim=claim, user=editor, changed_fields={"evidence_status"}, sources=claim.sources.all())
    claim_approve(claim=fresh(claim), reviewer=reviewer, override_reason="Worded as the trials put it.")
    return sign_off_and_publish(article, signer, change_note=note)


def header(content):
    start = content.index('<header class="article__header">')
    return content[start : content.index("</header>", start)]


def changes(content):
    """The "Changes to this article" section of a page ('' when it has none)."""
    start = content.find('<section class="article-changes"')
    return content[start : content.index("</section>", start)] if start >= 0 else ""


def text(markup):
    """What a reader reads of some HTML: its words, character references decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def day(value):
    return format_date(value, "j F Y")


def moment_of(value):
    """The <time> element the page gives a moment: its ISO 8601 value in the site's time zone, then its day."""
    local = timezone.localtime(value)
    return f'<time datetime="{local.isoformat()}">{day(local)}</time>'


def time_of(value):
    """The <time> element the page gives a date, its machine-readable value first."""
    return f'<time datetime="{value:%Y-%m-%d}">{day(value)}</time>'


def json_ld(content):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1))


def encoded(value):
    """A date or time as the JSON-LD writes it."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def reader_page(article):
    return article_page(Client(), article)


# The dates in the header ------------------------------------------------------------------------


def test_after_the_first_publication_the_page_gives_its_sign_off_and_publication_and_no_update(first, second_reviewer):
    page = header(reader_page(first.article))

    assert f"Medically reviewed by {byline(second_reviewer)} on {time_of(first.day)}" in page
    assert f"Published {moment_of(first.revision.published_at)}" in page
    assert f"Next review due {time_of(add_months(first.day, 12))}" in page
    assert "Last updated" not in page


def test_a_minor_revision_keeps_the_review_date_and_says_when_the_article_was_last_updated(
    first, second_reviewer, clock
):
    updated = clock(-60)
    revision = minor_revision(first.article, "Corrected when the page was first written.")
    assert revision.is_minor and revision.signed_off_by is None

    page = header(reader_page(first.article))

    assert f"Medically reviewed by {byline(second_reviewer)} on {time_of(first.day)}" in page
    assert f"Published {moment_of(first.revision.published_at)}" in page
    assert f"Last updated {moment_of(updated)}" in page
    assert f"Next review due {time_of(add_months(first.day, 12))}" in page


def test_a_signed_off_revision_gives_the_new_reviewer_and_review_date(first, editor, reviewer, clock):
    signed = clock(-30)
    signer = ReviewerFactory(first_name="Dr Ana", last_name="Lopes")
    regraded(first.article, first.claim, "limited", editor=editor, reviewer=reviewer, signer=signer, note="Regraded.")
    signed_day = timezone.localdate(signed)

    page = header(reader_page(first.article))

    assert f"Medically reviewed by {byline(signer, 'Dr Ana Lopes')} on {time_of(signed_day)}" in page
    assert f"Next review due {time_of(add_months(signed_day, 12))}" in page
    assert f"Last updated {moment_of(signed)}" in page
    assert f">{day(first.day)}</time>" in page  # the first publication


def test_a_draft_edit_with_a_new_change_note_changes_nothing_readers_see(
    first, editor, clock, django_capture_on_commit_callbacks
):
    before = reader_page(first.article)
    generation = ArticlePage.objects.get(article=first.article).generation
    clock(-1)

    with django_capture_on_commit_callbacks(execute=True):
        draft = fresh(first.article)
        draft.body = draft.body.replace("spring", "autumn")
        draft.change_note = "Reworded the last sentence."
        article_update(article=draft, user=editor)

    # Readers' page shows the live revision, which the draft edit left alone: not even marked stale.
    assert ArticlePage.objects.get(article=first.article).generation == generation
    after = reader_page(first.article)
    assert after == before
    assert "Reworded the last sentence." not in after and "Last updated" not in after


# The change list --------------------------------------------------------------------------------


def test_the_change_list_gives_each_revision_newest_first_with_its_note_and_the_grades_that_went_down_and_up(
    first, editor, reviewer, second_reviewer, clock
):
    down = timezone.localdate(clock(-30))
    regraded(
        first.article,
        first.claim,
        "limited",
        editor=editor,
        reviewer=reviewer,
        signer=second_reviewer,
        note="Grades reviewed.",
    )
    up = timezone.localdate(clock(-10))
    regraded(
        first.article,
        first.claim,
        "moderate",
        editor=editor,
        reviewer=reviewer,
        signer=second_reviewer,
        note="A new trial added.",
    )

    section = changes(reader_page(first.article))

    assert '<h2 id="changes-title">Changes to this article</h2>' in section
    assert '<ol class="article-changes__list" reversed>' in section
    entries = re.findall(
        r'<li class="article-changes__entry">(.*?)</li>\s*(?=<li class="article-changes__entry">|</ol>)', section, re.S
    )
    assert [text(entry).split(" : ")[0] for entry in entries] == [day(up), day(down), day(first.day)]
    assert [time.count("<time ") for time in entries] == [1, 1, 1]
    newest, middle, oldest = (text(entry) for entry in entries)
    assert "A new trial added." in newest
    assert f"“{CLAIMED}”: This claim's evidence was upgraded from Limited to Moderate on {day(up)}." in newest
    assert "Grades reviewed." in middle
    assert f"This claim's evidence was downgraded from Strong to Limited on {day(down)}." in middle
    assert "upgraded" not in middle
    assert oldest == f"{day(first.day)} : First published."


def test_a_claim_pulled_urgently_is_listed_with_its_notice(first, reviewer, clock):
    pulled = timezone.localdate(clock(-5))
    claim_withdraw_urgently(reviewer=reviewer, notice="The main trial behind it was retracted.", claim=first.claim)

    newest = text(changes(reader_page(first.article)))

    assert newest.startswith(f"Changes to this article {day(pulled)} : A claim was withdrawn for review. “")
    assert (
        f"“{CLAIMED}”: This claim was withdrawn for review on {day(pulled)}: The main trial behind it was retracted."
        in newest
    )


def test_a_long_history_shows_its_latest_changes_and_folds_the_earlier_ones_away(editor, clock):
    article = ArticleFactory(author=editor, change_note="Revision 1.")
    for number in range(2, CHANGES_SHOWN + 3):
        clock(number)
        Article.objects.filter(pk=article.pk).update(change_note=f"Revision {number}.")
        published(article)

    section = changes(reader_page(article))

    shown, _, folded = section.partition("<details")
    assert f"Revision {CHANGES_SHOWN + 2}." in shown and "Revision 3." in shown
    assert "Revision 2." not in shown and "Revision 1." not in shown
    assert "<summary>Earlier changes (2)</summary>" in folded
    assert '<ol class="article-changes__list" reversed start="2">' in folded
    assert "Revision 2." in folded and "Revision 1." in folded


# The JSON-LD ------------------------------------------------------------------------------------


def test_the_json_ld_gives_the_live_revisions_review_and_dates(first, second_reviewer, clock):
    clock(-60)
    revision = minor_revision(first.article, "Corrected when the page was first written.")

    data = json_ld(reader_page(first.article))

    assert data["lastReviewed"] == first.day.isoformat()
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": second_reviewer.get_full_name(),
        "url": absolute(person_url(second_reviewer)),
    }
    assert data["datePublished"] == encoded(first.revision.published_at)
    assert data["dateModified"] == encoded(fresh(revision).published_at)
    assert data["dateModified"] != data["datePublished"]


def test_a_dangerous_reviewer_name_is_escaped_in_the_json_ld_and_the_header(editor, reviewer):
    signer = ReviewerFactory(first_name="</script><script>alert(1)</script>", last_name="&")
    article = ArticleFactory(author=editor, body=BODY, status=Article.Status.DRAFT)
    claim_approve(claim=ClaimFactory(article=article, sentence=0), reviewer=reviewer)
    sign_off_and_publish(article, signer)

    content = reader_page(article)

    assert "<script>alert(1)" not in content
    assert json_ld(content)["reviewedBy"]["name"] == signer.get_full_name()


def regraded_a_month_ago(first, editor, reviewer, second_reviewer, clock):
    """The first article's claim regraded to Limited and published a month ago, its page built."""
    clock(-30)
    regraded(
        first.article,
        first.claim,
        "limited",
        editor=editor,
        reviewer=reviewer,
        signer=second_reviewer,
        note="Regraded.",
    )
    build(first.article.pk)


# One query for readers --------------------------------------------------------------------------


def test_a_page_with_a_history_is_read_in_one_query(first, editor, reviewer, second_reviewer, clock):
    regraded_a_month_ago(first, editor, reviewer, second_reviewer, clock)

    with CaptureQueriesContext(connection) as queries:
        content = reader_page(first.article)

    assert len(queries) == 1
    assert "downgraded from Strong to Limited" in changes(content)


# Staff's renderings -----------------------------------------------------------------------------


def test_a_never_published_article_previewed_by_staff_has_no_dates_nor_changes(editor):
    article = ArticleFactory(author=editor, body=BODY, status=Article.Status.DRAFT)

    content = article_page(signed_in(editor), article)

    assert "Preview: this article is draft" in content
    assert "This article has not been medically reviewed yet." in header(content)
    assert "Published" not in header(content) and changes(content) == ""
    data = json_ld(content)
    assert not {"datePublished", "dateModified", "lastReviewed", "reviewedBy"} & set(data)


def test_the_draft_preview_gives_the_live_revisions_dates_and_changes(first, editor, second_reviewer):
    draft = fresh(first.article)
    draft.change_note = "Reworded the last sentence."
    article_update(article=draft, user=editor)

    response = signed_in(editor).get(first.article.get_absolute_url() + "?draft=1")

    content = response.content.decode()
    assert "You are viewing the draft." in content
    assert f"Medically reviewed by {byline(second_reviewer)} on {time_of(first.day)}" in content
    assert "First published." in changes(content) and "Reworded the last sentence." not in content


# Stale-marking through the live revision's copies -----------------------------------------------


def test_renaming_a_condition_only_the_live_revision_uses_rebuilds_the_page(
    first, editor, django_capture_on_commit_callbacks
):
    old = Condition.objects.get(pk=first.claim.condition_id)
    reader_page(first.article)  # the page as readers have it, built by their first reading
    with django_capture_on_commit_callbacks(execute=True):
        # The draft's claim moves to another condition; readers still see the old one.
        claim = fresh(first.claim)
        claim.condition = ConditionFactory(name="Asthma")
        claim_save(claim=claim, user=editor, changed_fields={"condition"}, sources=claim.sources.all())
    assert not Claim.objects.filter(condition=old).exists()
    assert old.name in ArticlePage.objects.get(article=first.article).notes_html
    generation = ArticlePage.objects.get(article=first.article).generation

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        old.name = "Idiopathic pulmonary fibrosis (renamed)"
        old.save()

    assert callbacks, "the rename scheduled no rebuild"
    page = ArticlePage.objects.get(article=first.article)
    assert page.generation > generation and page.built_generation == page.generation
    assert "Idiopathic pulmonary fibrosis (renamed)" in page.notes_html


def test_renaming_a_grade_only_an_earlier_revision_used_rebuilds_the_change_list(
    first, editor, reviewer, second_reviewer, clock, django_capture_on_commit_callbacks
):
    regraded_a_month_ago(first, editor, reviewer, second_reviewer, clock)
    strong = evidence("strong")

    with django_capture_on_commit_callbacks(execute=True):
        strong.name = "High"
        strong.save()

    page = ArticlePage.objects.get(article=first.article)
    assert page.built_generation == page.generation
    assert "downgraded from High to Limited" in page.page


def test_renaming_the_reviewer_who_signed_off_the_live_revision_rebuilds_the_page(
    first, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    # The article row names another reviewer now; readers still see the live revision's sign-off.
    with django_capture_on_commit_callbacks(execute=True):
        article_mark_reviewed(article=first.article, reviewer=reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        second_reviewer.first_name, second_reviewer.last_name = "Dr Sam", "Okafor"
        second_reviewer.save()

    page = ArticlePage.objects.get(article=first.article)
    assert page.built_generation == page.generation
    assert f"Medically reviewed by {byline(second_reviewer, 'Dr Sam Okafor')}" in page.page
