"""The article's sentence panel: headings are offered Add claim only when the editor opens the question."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.helpers import sentence_value

pytestmark = pytest.mark.django_db

CLAIM_ADD_URL = reverse("admin:claims_claim_add")
DETAILS = re.compile(r"<details\b[^>]*>.*?</details>", re.DOTALL)


def rows_by_kind(content):
    rows = re.findall(r'<tr class="sentence sentence--(\w+)" id="sentence-(\d+)">(.*?)</tr>', content, re.DOTALL)
    return [(kind, int(number), row) for kind, number, row in rows]


def add_links(fragment):
    return [href for href in re.findall(r'href="([^"]+)"', fragment) if urlsplit(href).path == CLAIM_ADD_URL]


def test_a_heading_is_not_offered_add_claim_until_the_editor_asks(editor_client, article):
    content = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    rows = rows_by_kind(content)
    sentences = article.sentences()
    headings = [(number, row) for kind, number, row in rows if kind == "heading"]
    assert [number for number, _ in headings] == [s.index + 1 for s in sentences if s.kind == "heading"] == [1]

    number, row = headings[0]
    # Nothing outside the closed question offers it...
    assert add_links(DETAILS.sub("", row)) == []
    asked = DETAILS.findall(row)
    assert len(asked) == 1
    assert "<details" in asked[0] and " open" not in asked[0].split(">", 1)[0]
    assert "Claim this heading?" in asked[0]
    # ...and opening it offers the heading's own Add claim.
    (link,) = add_links(asked[0])
    assert parse_qs(urlsplit(link.replace("&amp;", "&")).query)["sentence"] == [sentence_value(sentences[0])]
    assert "Add claim anyway" in asked[0]


def test_every_other_sentence_keeps_its_add_claim_in_view(editor_client, article):
    content = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    others = [row for kind, _, row in rows_by_kind(content) if kind != "heading"]

    assert len(others) == len(article.sentences()) - 1
    for row in others:
        assert "<details" not in row
        assert len(add_links(row)) == 1


def test_a_reviewer_who_may_not_add_claims_gets_no_question_either(reviewer_client, article):
    response = reviewer_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert response.status_code == 200
    assert 'id="sentence-1"' in response.content.decode()
    assert "Claim this heading?" not in response.content.decode()
