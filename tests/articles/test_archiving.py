"""Deleting an article in the admin archives it: hidden from every public page, everything kept, restorable.

Only a superuser deletes for good, from an archived article, after a page saying what goes.
"""

import html

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from taggit.models import TaggedItem

from articles.models import Article
from articles.services import article_archive, article_purge
from claims.models import Claim, ClaimDecision
from tests.factories import ArticleFactory, ConditionFactory
from tests.helpers import approved_claim, messages_of, page_text, signed_in

pytestmark = pytest.mark.django_db

TITLE = "Zephyrine infusions and lung scarring"
CHANGELIST = reverse("admin:articles_article_changelist")


def admin_url(name, article):
    return reverse(f"admin:articles_article_{name}", args=[article.pk])


@pytest.fixture
def published(editor, reviewer):
    """A published article with a tag and an approved claim on a condition of its own, on every public page."""
    article = ArticleFactory(author=editor, title=TITLE, slug="zephyrine-infusions")
    article.tags.add("lung disease")
    approved_claim(reviewer, article=article, sentence=1, condition=ConditionFactory(name="Zephyr fibrosis"))
    return Article.objects.get(pk=article.pk)


PUBLIC_PAGES = {
    "home": (lambda a: reverse("articles:article-list"), TITLE),
    "tag page": (lambda a: reverse("articles:tag-detail", kwargs={"slug": "lung-disease"}), TITLE),
    "search": (lambda a: reverse("search") + "?q=zephyrine", TITLE),
    "feed": (lambda a: reverse("feed"), TITLE),
    "sitemap": (lambda a: reverse("django.contrib.sitemaps.views.sitemap"), "/articles/zephyrine-infusions/"),
    "condition list": (lambda a: reverse("claims:condition-list"), "Zephyr fibrosis"),
    "condition map": (
        lambda a: reverse("claims:condition-detail", kwargs={"slug": a.claims.get().condition.slug}),
        "Antifibrotic medicines slow the loss",
    ),
}


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_an_archived_article_is_on_no_public_page(client, editor, published, page):
    url, marker = PUBLIC_PAGES[page]
    before = client.get(url(published)).content.decode()

    article_archive(article=published, user=editor)
    after = client.get(url(published)).content.decode()

    assert marker in html.unescape(before)
    assert marker not in html.unescape(after)


@pytest.mark.parametrize("name", ["articles:article-detail", "claims:article-json"])
def test_an_archived_articles_page_and_json_export_are_not_found(client, editor, published, name):
    url = reverse(name, kwargs={"slug": published.slug})
    assert client.get(url).status_code == 200

    article_archive(article=published, user=editor)

    assert client.get(url).status_code == 404


def test_restoring_a_published_article_puts_it_back_on_the_public_pages(client, editor, published):
    article_archive(article=published, user=editor)
    editor_client = signed_in(editor)

    response = editor_client.post(admin_url("restore", published), follow=True)

    assert Article.objects.get(pk=published.pk).archived_at is None
    assert any("it is published, and readers see it again" in m for m in messages_of(response))
    assert client.get(published.get_absolute_url()).status_code == 200
    assert TITLE in client.get(reverse("articles:article-list")).content.decode()


# The admin's delete archives ------------------------------------------------------------------------


def test_the_admin_delete_page_offers_to_archive_and_says_nothing_is_deleted(editor, published):
    response = signed_in(editor).get(admin_url("delete", published))

    text = page_text(response)
    assert response.status_code == 200
    assert f"Archive “{TITLE}”?" in text
    assert (
        "Nothing is deleted. Kept: the article, 1 claim, 1 review decision, 1 article revision and 2 claim revisions."
        in text
    )
    assert 'value="Yes, archive it"' in response.content.decode()
    assert "Are you sure you want to delete" not in text


def test_confirming_archives_the_article_and_keeps_its_claims_decisions_and_history(editor, published):
    claims, decisions = Claim.objects.count(), ClaimDecision.objects.count()
    revisions = published.history.count()

    response = signed_in(editor).post(admin_url("delete", published), {"post": "yes"}, follow=True)

    article = Article.objects.get(pk=published.pk)
    assert article.archived_at is not None
    assert article.archived_by == editor
    assert article.status == Article.Status.PUBLISHED  # kept for the restore
    assert (Claim.objects.count(), ClaimDecision.objects.count()) == (claims, decisions)
    assert article.history.count() == revisions + 1
    assert article.history.first().history_change_reason == "Archived"
    assert any(m.startswith(f"Archived “{TITLE}”. Readers no longer see it") for m in messages_of(response))


def test_the_change_form_offers_archive_not_delete(editor, published):
    content = signed_in(editor).get(admin_url("change", published)).content.decode()

    assert 'class="archivelink">Archive</a>' in content
    assert "deletelink" not in content


def test_the_change_form_of_an_archived_article_says_so_and_offers_restore_but_not_archive(editor, published):
    article_archive(article=published, user=editor)

    response = signed_in(editor).get(admin_url("change", published))

    text = page_text(response)
    assert "Archived on" in text
    assert f"by {editor.get_full_name()}" in text
    assert "Restore this article" in text
    assert "Delete permanently" not in text  # editors never purge
    assert "archivelink" not in response.content.decode()


def test_the_bulk_actions_archive_and_restore_and_never_delete(editor, published):
    other = ArticleFactory(author=editor)
    client = signed_in(editor)
    listing = client.get(CHANGELIST).content.decode()

    client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [published.pk], "post": "yes"})
    client.post(CHANGELIST, {"action": "archive_selected", "_selected_action": [published.pk, other.pk]})
    archived = set(Article.objects.archived().values_list("pk", flat=True))
    # Actions apply to the listed articles: archived ones are restored from the archived list.
    client.post(CHANGELIST + "?archived=yes", {"action": "restore_selected", "_selected_action": [other.pk]})

    assert 'value="archive_selected"' in listing
    assert 'value="delete_selected"' not in listing
    assert 'value="purge_selected"' not in listing
    assert archived == {published.pk, other.pk}
    assert set(Article.objects.archived().values_list("pk", flat=True)) == {published.pk}
    assert Article.objects.count() == 2


def test_the_article_list_shows_current_articles_unless_archived_ones_are_asked_for(editor, published):
    current = ArticleFactory(author=editor, title="Still current")
    article_archive(article=published, user=editor)
    client = signed_in(editor)

    default = page_text(client.get(CHANGELIST))
    archived = page_text(client.get(CHANGELIST + "?archived=yes"))
    everything = page_text(client.get(CHANGELIST + "?archived=all"))

    assert current.title in default and TITLE not in default
    assert TITLE in archived and current.title not in archived
    assert TITLE in everything and current.title in everything
    assert "Archived articles" in default  # the filter is offered


def test_reviewers_can_neither_archive_nor_restore(reviewer, editor, published):
    client = signed_in(reviewer)

    assert client.get(admin_url("delete", published)).status_code == 403
    assert client.post(admin_url("delete", published), {"post": "yes"}).status_code == 403
    article_archive(article=published, user=editor)
    assert client.post(admin_url("restore", published)).status_code == 403
    assert Article.objects.get(pk=published.pk).archived_at is not None


def test_restore_needs_a_post(editor, published):
    article_archive(article=published, user=editor)

    assert signed_in(editor).get(admin_url("restore", published)).status_code == 405


def test_new_claims_cannot_be_started_on_an_archived_article(editor, published):
    article_archive(article=published, user=editor)

    content = signed_in(editor).get(reverse("admin:claims_claim_add")).content.decode()

    assert TITLE not in content


# Deleting for good --------------------------------------------------------------------------------


def test_editors_cannot_delete_permanently(editor, published):
    article_archive(article=published, user=editor)
    client = signed_in(editor)

    assert client.get(admin_url("purge", published)).status_code == 403
    assert client.post(admin_url("purge", published), {"confirm": "yes"}).status_code == 403
    with pytest.raises(PermissionDenied):
        article_purge(article=published, user=editor)
    assert Article.objects.filter(pk=published.pk).exists()


def test_a_superuser_must_archive_an_article_before_deleting_it_permanently(superuser, published):
    response = signed_in(superuser).post(admin_url("purge", published), {"confirm": "yes"}, follow=True)

    assert Article.objects.filter(pk=published.pk).exists()
    assert any("is not archived: archive it first" in m for m in messages_of(response))


def test_the_permanent_deletion_page_says_what_will_be_destroyed_and_deletes_nothing_yet(superuser, published):
    article_archive(article=published, user=superuser)
    client = signed_in(superuser)

    page = page_text(client.get(admin_url("change", published)))
    confirmation = page_text(client.get(admin_url("purge", published)))

    assert "Delete permanently…" in page
    assert "This cannot be undone." in confirmation
    assert (
        f"“{TITLE}”: destroys the article, 1 claim, 1 review decision, 2 article revisions and 2 claim revisions."
        in confirmation
    )
    assert Article.objects.filter(pk=published.pk).exists()


def test_confirmed_permanent_deletion_destroys_the_article_its_claims_decisions_tags_and_history(superuser, published):
    claim = published.claims.get()
    article_archive(article=published, user=superuser)

    response = signed_in(superuser).post(admin_url("purge", published), {"confirm": "yes"}, follow=True)

    assert not Article.objects.filter(pk=published.pk).exists()
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert not ClaimDecision.objects.filter(claim_id=claim.pk).exists()
    assert not Article.history.filter(id=published.pk).exists()
    assert not Claim.history.filter(article_id=published.pk).exists()
    assert not TaggedItem.objects.filter(object_id=published.pk).exists()
    trace = LogEntry.objects.get(action_flag=DELETION, object_id=str(published.pk))
    assert (trace.object_repr, trace.user) == (TITLE, superuser)
    assert any(m.startswith(f"Permanently deleted “{TITLE}” (the article, 1 claim") for m in messages_of(response))


def test_the_bulk_permanent_deletion_asks_first_and_keeps_articles_that_are_not_archived(superuser, published):
    current = ArticleFactory(title="Not archived")
    article_archive(article=published, user=superuser)
    client = signed_in(superuser)
    selection = {"action": "purge_selected", "_selected_action": [published.pk, current.pk]}

    asked = client.post(CHANGELIST + "?archived=all", selection)
    assert Article.objects.count() == 2
    text = page_text(asked)
    assert "Delete permanently?" in text
    assert "“Not archived” is kept: “Not archived” is not archived" in text

    client.post(CHANGELIST + "?archived=all", {**selection, "confirm": "yes"})

    assert list(Article.objects.values_list("title", flat=True)) == ["Not archived"]
