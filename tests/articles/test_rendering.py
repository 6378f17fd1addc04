import pytest

from articles.rendering import render_markdown, sanitise_html

XSS_BODIES = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "<img src=x onerror=alert(1)>",
    "![pic](data:image/svg+xml;base64,PHN2Zz4=)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<svg onload=alert(1)><circle/></svg>",
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">x</p>',
    "<iframe src=https://example.org></iframe>",
]


@pytest.mark.parametrize("body", XSS_BODIES)
def test_rendering_neutralises_script_vectors(body):
    html = render_markdown(body).lower()
    for danger in ("<script", "javascript:", "onerror", "onload", "onclick", "data:", "<svg", "<iframe", "style="):
        assert danger not in html


def test_rendering_keeps_the_article_allow_list():
    html = render_markdown(
        "## Heading\n\nSome **bold**, *emphasis*, `code` and [a link](https://example.org).\n\n"
        "> A quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n![alt text](https://example.org/x.png)"
    )
    for kept in (
        "<h2>",
        "<strong>",
        "<em>",
        "<code>",
        "<blockquote>",
        "<table>",
        "<td>",
        'src="https://example.org/x.png"',
    ):
        assert kept in html
    assert 'rel="nofollow noopener"' in html


def test_body_headings_start_below_the_page_title():
    assert render_markdown("# Top\n\ntext").startswith("<h2>Top</h2>")


def test_sanitise_drops_unknown_tags_but_keeps_their_text():
    assert sanitise_html("<marquee>hello</marquee>") == "hello"
