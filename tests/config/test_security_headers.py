"""Every page tells browsers to run only our own files and to keep the site out of other sites' frames."""

import re
from pathlib import Path

import pytest

from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def public_and_admin_pages(client, editor):
    claim = ClaimFactory(article__author=editor)
    article = claim.article
    pages = {
        "article list": client.get("/"),
        "article": client.get(article.get_absolute_url()),
        "missing page": client.get("/articles/no-such-article/"),
        "admin login": client.get("/admin/login/"),
    }
    client.force_login(editor)
    pages["admin article"] = client.get(f"/admin/articles/article/{article.pk}/change/")
    pages["admin claim"] = client.get(f"/admin/claims/claim/{claim.pk}/change/")
    return pages


def test_pages_allow_scripts_and_styles_from_the_site_only(client, editor):
    for name, response in public_and_admin_pages(client, editor).items():
        directives = policy(response)
        assert directives["default-src"] == ["'self'"], name
        assert directives["script-src"] == ["'self'"], name
        assert directives["style-src"] == ["'self'"], name
        # One style attribute of django-simple-history's, "border-top: 0", is allowed by its hash alone.
        assert directives["style-src-attr"] == [
            "'unsafe-hashes'",
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
        ]
        assert directives["img-src"] == ["'self'", "https:"], name
        assert directives["object-src"] == ["'none'"], name
        assert directives["base-uri"] == ["'self'"], name
        assert directives["frame-ancestors"] == ["'none'"], name
        assert directives["form-action"] == ["'self'"], name
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"], name
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"], name


def test_pages_send_the_other_protective_headers(client, editor):
    for name, response in public_and_admin_pages(client, editor).items():
        assert response.status_code in {200, 404}, name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        assert response.headers["Referrer-Policy"] == "same-origin", name
        assert response.headers["X-Frame-Options"] == "DENY", name
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", name


def test_violations_are_reported_where_the_operator_asks(client, settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "report-uri": "/csp-reports/"}
    }
    assert policy(client.get("/"))["report-uri"] == ["/csp-reports/"]


# A <script> with a src, or one holding JSON-LD data (which browsers never run), is fine; any other is inline code.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+=", re.IGNORECASE)
MARKUP_SOURCES = [
    *(ROOT / "templates").rglob("*.html"),
    *(
        path
        for app in ("articles", "claims", "config", "notifications", "ops")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    ),
]


def inline_code(text):
    return [
        match.group(0) for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER) for match in pattern.finditer(text)
    ]


def test_the_inline_code_finder_finds_each_kind():
    assert inline_code('<script>alert(1)</script><p style="color: red"><style>p {}</style><a onclick="x()">') == [
        "<script>",
        " style=",
        "<style",
        "<a onclick=",
    ]
    assert inline_code('<script src="/static/js/a.js" defer></script><script type="application/ld+json">') == []


def test_our_markup_has_no_inline_script_style_or_event_handler():
    assert len(MARKUP_SOURCES) > 40
    offenders = {
        str(path.relative_to(ROOT)): found for path in MARKUP_SOURCES if (found := inline_code(path.read_text()))
    }
    assert offenders == {}
