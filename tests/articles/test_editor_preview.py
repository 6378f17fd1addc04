"""The article editor's preview: a labelled region beside the text, in readers' styles, filled by the renderer."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from articles.rendering import render_markdown

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[2] / "static"


def change_page(client, article):
    return client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()


def declared(css, selector):
    """The custom properties (--name: value) declared in the first rule for `selector`."""
    block = re.search(re.escape(selector) + r"\s*\{(.*?)\}", css, re.DOTALL).group(1)
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", block))


def test_the_body_field_has_a_labelled_preview_region_in_readers_styles(editor_client, article):
    page = change_page(editor_client, article)

    wrapper = re.search(r'<div class="markdownx article-editor">(.*?)</section>\s*</div>', page, re.DOTALL)
    assert wrapper, "the body's editor and preview share one container"
    inside = wrapper.group(1)
    assert 'class="vLargeTextField markdownx-editor"' in inside and 'id="id_body"' in inside
    assert '<section class="article-preview" aria-labelledby="id_body_preview_heading">' in inside
    assert '<h2 class="article-preview__heading" id="id_body_preview_heading">Preview, as readers will see it</h2>' in (
        inside
    )
    preview = re.search(r'<div class="markdownx-preview[^"]*"[^>]*>', inside).group(0)
    assert 'id="article-preview"' in preview and 'tabindex="0"' in preview
    assert re.search(r'<p class="[^"]*article-preview__status"[^>]*aria-live="polite"', inside)
    # Readers' body rules and the preview's scoping, never markdownx's admin styling.
    assert 'href="/static/css/article-body.css"' in page
    assert 'href="/static/admin/article-preview.css"' in page
    assert "markdownx/admin/css" not in page
    assert 'href="/static/css/site.css"' not in page  # the public sheet's page-wide rules stay out of the admin


def test_readers_page_takes_its_body_rules_from_the_same_sheet():
    site = (STATIC / "css" / "site.css").read_text()
    body = (STATIC / "css" / "article-body.css").read_text()

    assert site.splitlines()[1] == '@import url("article-body.css");'
    assert ".article__body " not in site  # no second copy of the body's rules to drift apart
    # Every rule of the shared sheet is held to the body or the preview, so it cannot restyle the admin.
    selectors = [rule.split("{")[0].strip() for rule in re.sub(r"/\*.*?\*/", "", body, flags=re.DOTALL).split("}")]
    assert [s for s in selectors if s and not s.startswith(":is(.article__body, #article-preview)")] == []


def test_the_preview_has_readers_colours():
    site = declared((STATIC / "css" / "site.css").read_text(), ":root")
    preview = declared((STATIC / "admin" / "article-preview.css").read_text(), "#article-preview")

    assert preview == {name: value for name, value in site.items() if name in preview}
    assert {"--ink", "--rule", "--tint", "--link"} <= preview.keys()


def test_the_preview_endpoint_answers_with_the_sanitised_rendering(editor_client):
    typed = "## Breathing\n\nRehabilitation helps.<script>alert(1)</script> [x](javascript:alert(1))"

    response = editor_client.post(reverse("markdownx_markdownify"), {"content": typed})

    assert response.status_code == 200
    assert response.content.decode() == render_markdown(typed)
    assert "<script" not in response.content.decode() and "javascript:" not in response.content.decode()
    assert "<h2>Breathing</h2>" in response.content.decode()
