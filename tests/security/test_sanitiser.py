"""The one sanitiser: every attack string comes out inert and inside the article allow-list."""

import pytest
from django.urls import reverse

from articles.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown, sanitise_html
from tests.factories import ArticleFactory
from tests.security.conftest import FRAGMENT
from tests.security.dom import assert_inert, local_name, parse, text_of, url_scheme
from tests.security.vectors import XSS_VECTORS

DOCUMENT_TAGS = {"html", "head", "body"}  # html5lib wraps every fragment in these


def elements(html):
    return [e for e in parse(html).iter() if isinstance(e.tag, str) and local_name(e.tag) not in DOCUMENT_TAGS]


def assert_within_allow_list(html, context):
    for element in elements(html):
        tag = local_name(element.tag)
        assert tag in ALLOWED_TAGS, f"{context}: <{tag}> is not on the allow-list"
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        extra = {local_name(name) for name in element.attrib} - allowed
        assert not extra, f"{context}: <{tag}> carries {extra}"


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_every_vector_renders_to_inert_html_inside_the_allow_list(vector):
    for html in (render_markdown(vector), sanitise_html(vector), render_markdown(f"Before {vector} after.")):
        assert_inert(html, FRAGMENT, repr(vector))
        assert_within_allow_list(html, repr(vector))


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_rendering_never_evaluates_django_template_syntax(vector):
    # Bodies are data: a "{{" or "{%" comes out as the same characters, never rendered.
    braces = [part for part in ("{{", "}}", "{%", "%}") if part in vector]
    text = text_of(parse(render_markdown(f"`{vector}`")))
    for part in braces:
        assert part in text


def test_link_schemes_are_http_https_and_mailto_only():
    html = render_markdown(
        "[a](https://example.org/a) [b](http://example.org/b) [c](mailto:ed@example.org) [d](/conditions/) "
        "[e](#notes) [f](ftp://example.org/f) [g](tel:+441234) [h](file:///etc/passwd) [i](javascript:x) "
        "[j](data:text/plain,x) [k](vbscript:x) [l](blob:https://example.org/x)"
    )
    links = {text_of(a): a.get("href") for a in elements(html) if a.tag == "a"}
    assert links["a"] == "https://example.org/a"
    assert links["b"] == "http://example.org/b"
    assert links["c"] == "mailto:ed@example.org"
    assert links["d"] == "/conditions/"
    assert links["e"] == "#notes"
    for name in "fghijkl":
        assert links[name] is None, f"{name}: {links[name]}"


def test_every_link_carries_nofollow_noopener():
    html = render_markdown(
        '[a](https://example.org) <a href="http://example.org" rel="opener">b</a> <mailto:ed@example.org> '
        '<a href="https://example.org" target="_blank">c</a> <https://example.org/auto>'
    )
    links = [a for a in elements(html) if a.tag == "a"]
    assert len(links) == 5
    for link in links:
        assert set(link.get("rel", "").split()) == {"nofollow", "noopener"}
        assert link.get("target") is None


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        ("https://example.org/a.png", True),
        ("http://example.org/a.png", True),
        ("/media/uploads/a.png", True),
        ("//evil.example/a.png", False),
        ("/\\evil.example/a.png", False),
        ("data:image/png;base64,iVBORw0KGgo=", False),
        ("javascript:alert(1)", False),
        ("ftp://example.org/a.png", False),
        ("a.png", False),
        (" https://example.org/a.png", False),
    ],
)
def test_images_come_only_from_http_https_or_the_site(source, kept):
    html = sanitise_html(f'<img src="{source}" alt="x">')
    (image,) = [e for e in elements(html) if e.tag == "img"]
    assert (image.get("src") == source) is kept
    if not kept:
        assert image.get("src") is None


def test_the_article_allow_list_survives_rendering():
    html = render_markdown(
        "# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\n\n"
        "A *word*, a **word**, ~~struck~~ `code` and [a link](https://example.org).\n\n"
        "- one\n- two\n\n3. three\n4. four\n\n> quoted\n\n```\npre\n```\n\n"
        '| a | b |\n|---|---|\n| 1 | 2 |\n\n![alt](https://example.org/x.png "t") ![alt](http://example.org/y.png)'
    )
    tags = {e.tag for e in elements(html)}
    expected = {"h2", "h3", "h4", "h5", "h6", "p", "em", "strong", "code", "a", "ul", "ol", "li"}
    expected |= {"blockquote", "pre", "table", "thead", "tbody", "tr", "th", "td", "img"}
    assert expected <= tags
    assert "h1" not in tags  # the page title is the only <h1>
    sources = [e.get("src") for e in elements(html) if e.tag == "img"]
    assert sources == ["https://example.org/x.png", "http://example.org/y.png"]
    assert [e.get("start") for e in elements(html) if e.tag == "ol"] == ["3"]


def test_the_url_scheme_reader_sees_what_a_browser_sees():
    # The checker itself must be able to fail: these are the spellings browsers run.
    assert url_scheme("java\tscript:alert(1)") == "javascript"
    assert url_scheme("\x01 JAVASCRIPT:alert(1)") == "javascript"
    assert url_scheme("java\nscript:x") == "javascript"
    assert url_scheme("/javascript:x") is None
    assert url_scheme("#x") is None
    assert "event handler onerror" in str(_dangers('<img src=x onerror="x">'))
    assert "scheme javascript" in str(_dangers('<a href="&#106;avascript:x">x</a>'))
    assert "<iframe> element" in str(_dangers("<iframe></iframe>"))
    assert "not the site's own" in str(_dangers("<script>x</script>"))


def _dangers(html):
    from tests.security.dom import dangers

    return dangers(html, FRAGMENT)


@pytest.mark.django_db
def test_the_stored_body_html_is_the_sanitised_rendering(editor):
    for vector in XSS_VECTORS[:20]:
        article = ArticleFactory(author=editor, body=vector)
        assert article.body_html == render_markdown(vector)
        assert_inert(article.body_html, FRAGMENT, repr(vector))


@pytest.mark.django_db
def test_the_markdown_preview_is_inert_for_every_vector(editor_client):
    url = reverse("markdownx_markdownify")
    for vector in XSS_VECTORS:
        response = editor_client.post(url, {"content": vector})
        assert response.status_code == 200
        assert response.content.decode() == render_markdown(vector)
        assert_inert(response.content, FRAGMENT, f"preview of {vector!r}")


@pytest.mark.django_db
def test_the_markdown_preview_without_content_is_a_bad_request(editor_client):
    response = editor_client.post(reverse("markdownx_markdownify"), {"text": "no content field"})
    assert response.status_code == 400
    assert b"content" in response.content
