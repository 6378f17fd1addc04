"""Merging topics in the admin: a stale or empty selection is sent back with a message, and nothing is lost."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from tests.factories import ArticleFactory
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db

TAG_LIST = reverse("admin:taggit_tag_changelist")
MERGE_PAGE = reverse("admin:taggit_tag_merge_tags")


def choose(client, *tags):
    """Select tags on the list and pick "Merge selected tags", as an editor does."""
    response = client.post(TAG_LIST, {"action": "render_tag_form", "_selected_action": [tag.pk for tag in tags]})
    assert response.status_code == 302
    assert response["Location"] == MERGE_PAGE


@pytest.fixture
def tagged(editor):
    lungs = ArticleFactory(author=editor, title="Lungs", slug="lungs")
    lungs.tags.add("stem cells", "lung disease")
    cells = ArticleFactory(author=editor, title="Cells", slug="cells")
    cells.tags.add("stem-cell therapy")
    return lungs, cells


def test_merging_moves_every_article_to_the_tag_merged_into(editor_client, tagged):
    lungs, cells = tagged
    choose(editor_client, Tag.objects.get(name="stem cells"), Tag.objects.get(name="stem-cell therapy"))

    response = editor_client.post(MERGE_PAGE, {"new_tag_name": "stem cells"})

    assert response.status_code == 302
    assert set(lungs.tags.names()) == {"stem cells", "lung disease"}
    assert set(cells.tags.names()) == {"stem cells"}


def test_merging_a_tag_into_itself_alone_changes_nothing_and_says_so(editor_client, tagged):
    lungs, _ = tagged
    choose(editor_client, Tag.objects.get(name="stem cells"))

    response = editor_client.post(MERGE_PAGE, {"new_tag_name": "stem cells"})

    assert response.status_code == 302
    assert response["Location"] == TAG_LIST
    assert messages_of(response) == ["The selected tags are all “stem cells”: nothing to merge."]
    assert set(lungs.tags.names()) == {"stem cells", "lung disease"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_merge_page_without_a_selection_sends_back_to_the_list(editor_client, tagged, method):
    response = getattr(editor_client, method)(MERGE_PAGE, {"new_tag_name": "anything"})

    assert response.status_code == 302
    assert response["Location"] == TAG_LIST
    assert messages_of(response) == ["Select the tags to merge in the list of tags first."]
    assert not Tag.objects.filter(name="anything").exists()


def test_a_selection_whose_tags_were_deleted_meanwhile_is_sent_back_not_a_server_error(editor_client, tagged):
    doomed = Tag.objects.get(name="stem-cell therapy")
    choose(editor_client, doomed)
    doomed.delete()

    response = editor_client.post(MERGE_PAGE, {"new_tag_name": "stem cells"})

    assert response.status_code == 302
    assert messages_of(response) == ["Select the tags to merge in the list of tags first."]
