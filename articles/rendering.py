"""Markdown to sanitised HTML: the one path every body takes before anyone sees it."""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
}

URL_SCHEMES = {"http", "https", "mailto"}

MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]

_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)


def _filter_attribute(element, attribute, value):
    # Images may only come from http(s) addresses or the site itself; never data: or others.
    # Browsers read "//host" and "/\host" alike as another host, which is not the site itself.
    if element == "img" and attribute == "src":
        if value.startswith(("https://", "http://", "/")) and not value.startswith(("//", "/\\")):
            return value
        return None
    return value


def sanitise_html(html: str) -> str:
    """Clean untrusted HTML down to the article allow-list."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        attribute_filter=_filter_attribute,
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Render an article's Markdown to sanitised HTML (also used by the editor preview)."""
    # A fresh Markdown instance per call: instances keep state (footnotes, abbreviations).
    html = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html").convert(text or "")
    # The article title is the page's only <h1>; body headings start one level below it.
    html = _H1.sub(r"<\1h2", html)
    return sanitise_html(html)
