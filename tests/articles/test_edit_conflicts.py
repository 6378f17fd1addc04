"""Two people editing one article: the later save is refused, nothing is written, and nothing typed is lost."""

import copy
import html

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles.admin.article import ArticleAdmin
from articles.services import article_mark_reviewed
from tests.factories import ARTICLE_BODY, ClaimFactory, EditorFactory, article_form_data
from tests.helpers import fresh, opened_version, page_text, signed_in

pytestmark = pytest.mark.django_db

NEW_SENTENCE = "Breathing exercises may ease breathlessness, but the trials were small."
TYPED_BODY = ARTICLE_BODY.replace("\n- Pulmonary", f"\n{NEW_SENTENCE}\n\n- Pulmonary").replace("\n", "\r\n")
TYPED_STANDFIRST = "What the trials say — and do not say — about stem cells & lungs <today>."


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def editors(editor):
    return signed_in(editor), signed_in(EditorFactory(username="second-editor", first_name="Sam", last_name="Second"))


def open_twice(first, second, article):
    return opened_version(first.get(change_url(article))), opened_version(second.get(change_url(article)))


def test_the_second_of_two_editors_saving_an_article_is_refused_and_nothing_of_theirs_is_written(
    editors, editor, article
):
    first, second = editors
    first_version, second_version = open_twice(first, second, article)
    first_saves = first.post(
        change_url(article), article_form_data(article, title="Stem cells: what we know", base_version=first_version)
    )
    after_first = fresh(article)
    history_before = after_first.history.count()
    log_before = LogEntry.objects.count()

    refused = second.post(
        change_url(article),
        article_form_data(
            article,
            standfirst=TYPED_STANDFIRST,
            body=TYPED_BODY,
            tags="lung disease, breathing",
            base_version=second_version,
        ),
    )

    assert first_saves.status_code == 302
    assert refused.status_code == 200
    now = fresh(article)
    assert now.title == "Stem cells: what we know"
    assert (now.standfirst, now.body) == (after_first.standfirst, after_first.body)
    assert list(now.tags.names()) == []
    assert now.version == int(first_version) + 1
    assert now.history.count() == history_before
    assert LogEntry.objects.count() == log_before


def test_the_refusal_shows_both_versions_field_by_field_and_who_saved_the_stored_one(editors, editor, article):
    first, second = editors
    first_version, second_version = open_twice(first, second, article)
    first.post(
        change_url(article), article_form_data(article, title="Stem cells: what we know", base_version=first_version)
    )

    refused = second.post(
        change_url(article),
        article_form_data(article, standfirst=TYPED_STANDFIRST, body=TYPED_BODY, base_version=second_version),
    )

    page = page_text(refused)
    conflict = refused.context["edit_conflict"]
    assert "Not saved: this article changed after you opened it" in page
    assert f"version {int(first_version) + 1}" in page
    assert f"saved by {editor.get_full_name()} ({editor.get_username()})" in page
    labels = [difference.label for difference in conflict.differences]
    # The title differs (the first editor changed it), standfirst and body (the second did); tags and status do not.
    assert labels == ["Title", "Standfirst", "Body"]
    title = conflict.differences[0]
    assert (title.yours, title.saved) == (article.title, "Stem cells: what we know")
    body = conflict.differences[2]
    assert body.is_long
    changed = [(row.kind, row.text) for row in body.rows if row.kind in ("added", "removed") and row.text]
    assert changed == [("added", NEW_SENTENCE)]
    assert "+ only in yours" in page
    assert NEW_SENTENCE in page
    assert TYPED_STANDFIRST in page
    assert "Stem cells: what we know" in page


def test_the_refused_form_keeps_exactly_what_was_typed_and_now_carries_the_current_version(editors, article):
    first, second = editors
    first_version, second_version = open_twice(first, second, article)
    first.post(
        change_url(article), article_form_data(article, title="Stem cells: what we know", base_version=first_version)
    )

    refused = second.post(
        change_url(article),
        article_form_data(article, standfirst=TYPED_STANDFIRST, body=TYPED_BODY, base_version=second_version),
    )

    form = refused.context["adminform"].form
    assert form["body"].value() == TYPED_BODY
    assert form["standfirst"].value() == TYPED_STANDFIRST
    assert form["title"].value() == article.title  # theirs, not the title saved meanwhile
    assert opened_version(refused) == str(fresh(article).version)
    assert html.escape(TYPED_STANDFIRST) in refused.content.decode()


def test_saving_the_refused_form_again_goes_through_with_what_was_merged(editors, article):
    first, second = editors
    first_version, second_version = open_twice(first, second, article)
    first.post(
        change_url(article), article_form_data(article, title="Stem cells: what we know", base_version=first_version)
    )
    refused = second.post(
        change_url(article),
        article_form_data(article, standfirst=TYPED_STANDFIRST, body=TYPED_BODY, base_version=second_version),
    )

    # The second editor merges by hand: keeps the first editor's title as well as their own text.
    merged = article_form_data(
        article,
        title="Stem cells: what we know",
        standfirst=TYPED_STANDFIRST,
        body=TYPED_BODY,
        base_version=opened_version(refused),
    )
    saved = second.post(change_url(article), merged)

    assert saved.status_code == 302
    now = fresh(article)
    assert (now.title, now.standfirst) == ("Stem cells: what we know", TYPED_STANDFIRST)
    assert NEW_SENTENCE in now.body_text
    assert now.history.first().history_user.username == "second-editor"


def test_a_form_without_a_version_is_refused_once_and_then_carries_one(editor_client, article):
    data = article_form_data(article, title="Stem cells, revised")
    del data["base_version"]

    refused = editor_client.post(change_url(article), data)
    saved = editor_client.post(change_url(article), {**data, "base_version": opened_version(refused)})

    assert refused.status_code == 200
    assert saved.status_code == 302
    assert fresh(article).title == "Stem cells, revised"


def test_an_editor_saving_twice_from_the_same_page_is_not_refused_after_the_first_save(editor_client, article):
    page = editor_client.get(change_url(article))
    editor_client.post(
        change_url(article), article_form_data(article, title="First", base_version=opened_version(page))
    )
    again = editor_client.get(change_url(article))

    response = editor_client.post(
        change_url(article), article_form_data(article, title="Second", base_version=opened_version(again))
    )

    assert response.status_code == 302
    assert fresh(article).title == "Second"


def test_a_medical_review_recorded_meanwhile_makes_an_open_article_form_conflict(editors, reviewer, article):
    first, _ = editors
    opened = opened_version(first.get(change_url(article)))
    article_mark_reviewed(article=fresh(article), reviewer=reviewer)

    refused = first.post(
        change_url(article), article_form_data(article, title="Stem cells, revised", base_version=opened)
    )

    assert refused.status_code == 200
    assert fresh(article).title == article.title
    page = page_text(refused)
    assert f"saved by {reviewer.get_full_name()} ({reviewer.get_username()})" in page
    assert "(Medically reviewed)" in page
    assert "It was marked as medically reviewed meanwhile" in page
    assert fresh(article).last_reviewed is not None  # the review is kept, not overwritten


def test_a_save_that_loses_the_race_after_the_form_check_writes_nothing_and_shows_the_conflict(
    editor_client, monkeypatch, article
):
    """Another save commits just after this request read the article: the write itself refuses.

    The request's read is made to return the article as it was before the other save (the form's check
    compares with that copy, not reading the row again); only the conditional UPDATE that takes the version
    can then notice.
    """
    before = fresh(article)
    meanwhile = fresh(article)
    meanwhile.title = "Saved by someone else meanwhile"
    meanwhile.save()
    revisions = meanwhile.history.count()
    stale_reads = {"get_object": 1}

    def stale_once(name, read):
        def first_stale(*args, **kwargs):
            if stale_reads[name]:
                stale_reads[name] -= 1
                return copy.copy(before)
            return read(*args, **kwargs)

        return first_stale

    monkeypatch.setattr(ArticleAdmin, "get_object", stale_once("get_object", ArticleAdmin.get_object))

    response = editor_client.post(change_url(article), article_form_data(before, standfirst=TYPED_STANDFIRST))

    assert not any(stale_reads.values()), "the request did not read the stale copy"
    assert response.status_code == 200
    assert response.context["edit_conflict"] is not None
    now = fresh(article)
    assert now.title == "Saved by someone else meanwhile"
    assert now.standfirst == before.standfirst  # the typed standfirst was not written
    assert now.version == before.version + 1
    assert now.history.count() == revisions
    assert response.context["adminform"].form["standfirst"].value() == TYPED_STANDFIRST


def test_an_edit_that_moves_claims_does_not_conflict_with_itself(editor_client, reviewer, article):
    """Re-anchoring raises the claims' versions, never the article's own beyond its save."""
    ClaimFactory(article=article, sentence=2)
    page = editor_client.get(change_url(article))
    body = article.body.replace("## Stem cells", "## Stem cells today\n\nA new first paragraph.\n\n## Stem cells")

    response = editor_client.post(
        change_url(article), article_form_data(article, body=body, base_version=opened_version(page))
    )

    assert response.status_code == 302
    assert fresh(article).version == article.version + 1
