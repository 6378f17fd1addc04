"""Article history: revisions, the diff between them, reverting through review, the public change note."""

import pytest
from django.urls import reverse

from articles.history import ADDED, REMOVED, SKIPPED, UNCHANGED, collapse_unchanged, diff_text
from articles.models import Article, ArticleRevision
from articles.services import article_update
from claims.models import Claim
from claims.services import claim_approve
from tests.factories import ARTICLE_BODY, ArticleFactory, ClaimFactory, UserFactory
from tests.helpers import messages_of, unescaped_html

pytestmark = pytest.mark.django_db

OLD_SENTENCE = "Stem-cell infusions may be safe in small early trials."
NEW_SENTENCE = "Stem-cell infusions seemed safe in two small early trials."
KEPT_SENTENCE = "Antifibrotic medicines slow the loss of lung function in idiopathic pulmonary fibrosis."


def edit(article, user, **fields):
    """Save changes as the admin would, recording who made them."""
    for name, value in fields.items():
        setattr(article, name, value)
    article_update(article=article, user=user)
    return article.history.first()


def diff_url(article, revision):
    return reverse("admin:articles_article_history_diff", args=[article.pk, revision.history_id])


def revert_url(article, revision):
    return reverse("admin:articles_article_history_revert", args=[article.pk, revision.history_id])


@pytest.fixture
def reworded(article, editor):
    """The article after an editor reworded one sentence: (first revision, second revision)."""
    first = article.history.get()
    second = edit(article, editor, body=ARTICLE_BODY.replace(OLD_SENTENCE, NEW_SENTENCE))
    return first, second


# The diff helpers ----------------------------------------------------------------------------


def test_a_reworded_sentence_shows_which_words_and_marks_changed():
    old, new = "It can cause major organ failure, rarely.", "It can cause serious organ failure rarely."
    [removed, added] = diff_text(old, new)
    assert removed.segments == (
        (False, "It can cause "),
        (True, "major"),
        (False, " organ failure"),
        (True, ","),
        (False, " rarely."),
    )
    assert added.segments == ((False, "It can cause "), (True, "serious"), (False, " organ failure rarely."))
    # Sentences added or removed without a counterpart have no word marks: the whole row is the change.
    assert [row.segments for row in diff_text("One.", "One. Two.") if row.kind == ADDED] == [()]


def test_unchanged_blank_lines_are_left_out_and_a_removed_one_is_kept():
    rows = diff_text("First.\n\nSecond.", "First.\nSecond.")
    assert [(row.kind, row.text) for row in rows] == [(UNCHANGED, "First."), (REMOVED, ""), (UNCHANGED, "Second.")]
    assert [row.new_line for row in diff_text("A.\n\nB.", "A.\n\nB.")] == [1, 3]


def test_diff_marks_added_removed_and_unchanged_lines():
    rows = diff_text("## Title\n\nOld line.\nKept line.", "## Title\n\nKept line.\nNew line.")

    assert [(row.kind, row.text) for row in rows] == [
        (UNCHANGED, "## Title"),
        (REMOVED, "Old line."),
        (UNCHANGED, "Kept line."),
        (ADDED, "New line."),
    ]
    assert rows[1].marker == "− removed" and rows[3].marker == "+ added" and rows[0].marker == ""


def test_diff_of_a_rewritten_paragraph_shows_only_the_sentences_that_changed():
    rows = diff_text("One stays. Two goes. Three stays.", "One stays. Two is new. Three stays.")

    assert [(row.kind, row.text) for row in rows] == [
        (UNCHANGED, "One stays."),
        (REMOVED, "Two goes."),
        (ADDED, "Two is new."),
        (UNCHANGED, "Three stays."),
    ]
    assert {row.old_line or row.new_line for row in rows} == {1}


def test_diff_against_nothing_shows_every_line_as_added():
    assert [row.kind for row in diff_text("", "a\nb")] == [ADDED, ADDED]


def test_long_unchanged_runs_collapse_to_a_count_with_context_around_changes():
    old = "\n".join(f"line {n}" for n in range(20))
    rows = collapse_unchanged(diff_text(old, old.replace("line 10", "line ten")), context=2)

    assert [row.kind for row in rows] == [SKIPPED, UNCHANGED, UNCHANGED, REMOVED, ADDED, UNCHANGED, UNCHANGED, SKIPPED]
    assert rows[0].skipped == 8 and rows[-1].skipped == 7


# History rows --------------------------------------------------------------------------------


def test_every_save_of_an_article_adds_a_history_row(article, editor):
    edit(article, editor, title="A new title")
    edit(article, editor, body=ARTICLE_BODY + "\nOne more paragraph.\n")

    titles = list(article.history.values_list("title", flat=True))
    assert len(titles) == 3 and titles[0] == "A new title"
    assert article.history.first().history_user == editor


def test_the_history_page_links_each_revision_to_its_diff(editor_client, article, reworded):
    first, second = reworded
    page = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))

    assert page.status_code == 200
    assert diff_url(article, second) in page.text and "Compare with previous" in page.text
    assert diff_url(article, first) in page.text and "Show the first version" in page.text


def test_the_history_page_says_a_revert_changes_the_draft_and_links_to_the_revisions(editor_client, article):
    page = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))

    assert "Reverting changes the draft only" in page.text
    assert reverse("admin:articles_articlerevision_revisions", args=[article.pk]) in page.text


def test_the_revert_button_says_readers_keep_the_live_revision(editor_client, article, reworded):
    first, _ = reworded
    live = ArticleRevision.objects.get(article=article, is_live=True)

    page = unescaped_html(editor_client.get(diff_url(article, first)))

    said = f"This changes the draft; readers keep seeing revision {live.number} until a new revision is published."
    assert said in page


def test_the_revert_button_of_an_article_never_published_says_readers_see_nothing(editor_client, editor):
    draft = ArticleFactory(author=editor, status=Article.Status.DRAFT)
    first = draft.history.get()
    edit(draft, editor, body=ARTICLE_BODY.replace(OLD_SENTENCE, NEW_SENTENCE))

    page = unescaped_html(editor_client.get(diff_url(draft, first)))

    assert "This changes the draft; readers have never seen this article" in page


def test_the_built_in_revert_form_cannot_save(editor_client, article, reworded):
    first, _ = reworded
    url = reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])

    assert editor_client.get(url).status_code == 200
    assert editor_client.post(url, {"title": "x"}).status_code == 405
    article.refresh_from_db()
    assert NEW_SENTENCE in article.body


# The diff page -------------------------------------------------------------------------------


def test_the_diff_shows_the_removed_and_the_added_sentence(editor_client, article, reworded):
    _, second = reworded
    response = editor_client.get(diff_url(article, second))
    text = unescaped_html(response)

    assert response.status_code == 200
    # The reworded sentence, old and new, with the words that changed marked.
    assert 'Stem-cell infusions <del class="article-diff__word">may be</del> safe in small early trials.' in text
    assert (
        'Stem-cell infusions <ins class="article-diff__word">seemed</ins> safe in'
        '<ins class="article-diff__word"> two</ins> small early trials.'
    ) in text
    assert "− removed" in text and "+ added" in text
    assert "Revert the body" not in text and "already has this revision's" in text  # it is the current text


def test_the_first_revision_is_compared_with_nothing(editor_client, article, reworded):
    first, _ = reworded
    text = unescaped_html(editor_client.get(diff_url(article, first)))

    assert "This is the first version" in text and f"<ins>{KEPT_SENTENCE}" in text
    assert "Revert the body to this revision" in text


def test_the_diff_against_the_current_text_shows_what_a_revert_would_do(editor_client, article, reworded):
    first, _ = reworded
    text = unescaped_html(editor_client.get(diff_url(article, first) + "?against=current"))

    assert 'Stem-cell infusions <del class="article-diff__word">seemed</del> safe in' in text
    assert 'Stem-cell infusions <ins class="article-diff__word">may be</ins> safe in small early trials.' in text


def test_the_diff_escapes_html_in_article_text(editor_client, article, editor):
    revision = edit(article, editor, body=ARTICLE_BODY + '\n<script>alert("body")</script>\n', title="<b>Bold</b>")
    content = editor_client.get(diff_url(article, revision)).content.decode()

    assert "<script>alert" not in content and "&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;" in content
    assert "<b>Bold</b>" not in content and "&lt;b&gt;Bold&lt;/b&gt;" in content


def test_the_diff_of_another_articles_revision_is_not_found(editor_client, article, reworded):
    _, second = reworded
    other = ArticleFactory()

    assert editor_client.get(diff_url(other, second)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, article, reworded):
    response = client.get(diff_url(article, reworded[1]))

    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_non_staff_users_are_sent_to_sign_in(client, article, reworded):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(diff_url(article, reworded[1]))

    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_staff_without_article_permissions_are_refused(client, article, reworded):
    client.force_login(UserFactory())  # staff, in no group

    assert client.get(diff_url(article, reworded[1])).status_code == 403
    assert client.post(revert_url(article, reworded[0])).status_code == 403


def test_reviewers_see_the_diff_but_cannot_revert(reviewer_client, article, reworded):
    first, _ = reworded
    response = reviewer_client.get(diff_url(article, first))

    assert response.status_code == 200 and "Revert the body" not in response.text
    assert reviewer_client.post(revert_url(article, first)).status_code == 403
    article.refresh_from_db()
    assert NEW_SENTENCE in article.body


# Reverting -----------------------------------------------------------------------------------


def test_revert_restores_the_text_keeps_the_status_and_sends_a_changed_claim_back_to_review(
    editor_client, article, reworded, reviewer
):
    first, _ = reworded
    changed = claim_approve(claim=ClaimFactory(article=article, text=NEW_SENTENCE), reviewer=reviewer)
    kept = claim_approve(claim=ClaimFactory(article=article, text=KEPT_SENTENCE), reviewer=reviewer)
    rows_before = article.history.count()

    response = editor_client.post(revert_url(article, first))

    assert response.status_code == 302 and response.url == reverse("admin:articles_article_change", args=[article.pk])
    article.refresh_from_db()
    assert article.body == ARTICLE_BODY and article.status == Article.Status.PUBLISHED
    assert article.history.count() == rows_before + 1
    latest = article.history.first()
    assert latest.history_change_reason.startswith("Reverted to revision of ")
    assert latest.history_change_reason.endswith(" by the system")  # the factory saved the first one
    assert latest.history_user.username == "editor"
    changed.refresh_from_db()
    kept.refresh_from_db()
    assert changed.review_state == Claim.ReviewState.PENDING and changed.quote == OLD_SENTENCE
    assert kept.review_state == Claim.ReviewState.APPROVED
    assert Claim.objects.filter(article=article).count() == 2
    notes = messages_of(response)
    assert any("1 claim went back to review" in note for note in notes)
    live = ArticleRevision.objects.get(article=article, is_live=True)
    assert any(f"Readers keep seeing revision {live.number} until a new revision is published." in n for n in notes)
    assert live.body != article.body  # the draft only: what readers see is not reverted


def test_the_revert_reason_names_who_made_the_revision(editor_client, article, reworded, editor):
    _, second = reworded
    edit(article, editor, body=ARTICLE_BODY)

    editor_client.post(revert_url(article, second))

    assert article.history.first().history_change_reason.endswith(" by editor")


def test_revert_with_nothing_to_change_saves_nothing(editor_client, article, reworded):
    _, second = reworded
    rows_before = article.history.count()

    response = editor_client.post(revert_url(article, second), follow=True)

    assert article.history.count() == rows_before
    assert "already has the text of this revision" in response.text


def test_revert_by_get_is_refused(editor_client, article, reworded):
    first, _ = reworded

    assert editor_client.get(revert_url(article, first)).status_code == 405
    article.refresh_from_db()
    assert NEW_SENTENCE in article.body


# The public change note ----------------------------------------------------------------------


def test_change_noted_at_is_set_when_a_note_is_written_kept_when_unchanged_and_cleared_with_it(editor):
    article = ArticleFactory(author=editor, change_note="")
    assert article.change_noted_at is None

    article.change_note = "Added the 2024 trial results."
    article.save()
    first_noted = article.change_noted_at
    assert first_noted is not None

    article.title = "Another title"
    article.save()
    assert Article.objects.get(pk=article.pk).change_noted_at == first_noted

    article.change_note = "Corrected the dose."
    article.save()
    assert article.change_noted_at > first_noted

    article.change_note = ""
    article.save()
    assert Article.objects.get(pk=article.pk).change_noted_at is None


def test_a_new_article_with_a_note_is_dated():
    assert ArticleFactory(change_note="First published with a note.").change_noted_at is not None


def test_saving_only_the_note_saves_its_date_too(article):
    article.change_note = "Reworded the summary."
    article.save(update_fields=["change_note"])

    assert Article.objects.get(pk=article.pk).change_noted_at is not None


def test_readers_see_the_published_revisions_change_note_escaped_in_the_change_list(client):
    article = ArticleFactory(change_note="Dose <b>corrected</b> & clarified.")
    content = client.get(article.get_absolute_url()).content.decode()

    changes = content[content.index('<section class="article-changes"') :]
    assert "Dose &lt;b&gt;corrected&lt;/b&gt; &amp; clarified." in changes and "<b>corrected" not in content


def test_the_drafts_change_note_is_not_shown_to_readers(client):
    article = ArticleFactory(change_note="")
    article.change_note = "Not published yet."
    article.save()

    content = client.get(article.get_absolute_url()).content.decode()
    assert "Not published yet." not in content
    assert "Updated" not in content
