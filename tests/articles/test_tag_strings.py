"""Topics are typed and shown as editors write them: separated by commas, never quoted."""

import html

import pytest
from django.urls import reverse
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags

from articles.tagging import string_from_tags, tags_from_string
from tests.factories import article_form_data
from tests.helpers import fresh

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("lung disease, asthma", ["asthma", "lung disease"]),
        ("  lung   disease ,asthma,, ", ["asthma", "lung disease"]),
        ("lung disease", ["lung disease"]),
        # Written the old way, with taggit's quotes: the same two tags.
        ('"lung disease", asthma', ["asthma", "lung disease"]),
        ('"lung disease" asthma', ["asthma", "lung disease"]),
        ("asthma, Asthma", ["Asthma", "asthma"]),  # case is settled by taggit's case-insensitive lookup
        ("", []),
        (" , ", []),
    ],
)
def test_typed_tags_are_split_at_commas_only(typed, names):
    assert tags_from_string(typed) == names


def test_taggit_reads_and_writes_tags_through_the_projects_functions():
    assert parse_tags("lung disease, asthma") == ["asthma", "lung disease"]

    class Named:
        def __init__(self, name):
            self.name = name

    assert edit_string_for_tags([Named("lung disease"), Named("asthma")]) == "asthma, lung disease"
    assert string_from_tags([Named("lung disease")]) == "lung disease"


def test_the_article_form_shows_tags_unquoted_and_a_save_keeps_them(editor_client, article):
    article.tags.add("lung disease", "asthma")

    page = html.unescape(editor_client.get(change_url(article)).content.decode())
    assert 'value="asthma, lung disease"' in page
    assert '"lung disease"' not in page.replace('value="asthma, lung disease"', "")

    # Saving the form as it came back changes no tag: "lung disease" stays one tag.
    response = editor_client.post(change_url(article), article_form_data(article, tags="asthma, lung disease"))
    assert response.status_code == 302
    assert sorted(fresh(article).tags.names()) == ["asthma", "lung disease"]


def test_tags_typed_the_old_way_with_quotes_are_saved_as_the_same_tags(editor_client, article):
    response = editor_client.post(change_url(article), article_form_data(article, tags='"lung disease", asthma'))

    assert response.status_code == 302
    assert sorted(fresh(article).tags.names()) == ["asthma", "lung disease"]


def test_the_tags_admin_refuses_a_comma_in_a_tags_name(editor_client):
    response = editor_client.post(reverse("admin:taggit_tag_add"), {"name": "lung disease, asthma", "slug": "x"})

    assert response.status_code == 200
    assert "A tag cannot contain a comma" in html.unescape(response.content.decode())
    assert not Tag.objects.exists()
