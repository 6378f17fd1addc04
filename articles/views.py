"""Readers' article pages: the list, a topic's list and an article's page.

An article's page is served from its stored page (claims.pages), read by the function the claims app
registers with `register_stored_page_reader`: one query, rebuilt on the spot when found stale, in the
compressed form the reader's browser accepts (stored ready-made beside the page). The
list and a topic's list are served whole from the stored list pages (claims.pages.lists), through the
function registered with `register_list_page_store`: one query, rendered again after any change.
"""

import re

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.html import format_html
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from .encodings import give_digest, preferred_encoding
from .models import Article, ArticleRevision


def article_cards():
    """Published articles as lists show them: the live revision of each, newest first by first publication.

    A card reads the revision's title and standfirst and the date of its medical review (its own
    sign-off or the one a minor revision keeps, `reviewed_in`), never the draft and never the text
    itself: one query for a page of cards, whatever its length.
    """
    return (
        ArticleRevision.objects.public()
        .select_related("article", "reviewed_in")
        .only(
            "title",
            "standfirst",
            "signed_off_by",
            "signed_off_at",
            "reviewed_in__signed_off_at",
            "article__slug",
            "article__published_at",
            "article__created_at",
        )
        .order_by("-article__published_at", "-article__created_at", "-article_id")
    )


_list_page_store = None


def register_list_page_store(store):
    """Set the function that answers readers' list pages from stored pages: store(request, render) -> response.

    The claims app provides it (articles does not import claims): it knows when a stored page is current.
    `render()` gives the view's own answer, which the store renders, keeps and returns when it has none.
    """
    global _list_page_store
    _list_page_store = store
    return store


def stored_page(request, render, content_type, by_host=True):
    """`render()`'s answer, served from the list page store when one is registered: the sitemap, the feed, the JSON.

    Their bytes name absolute addresses, so they are kept per scheme and host (`by_host`), with their content type.
    """
    if _list_page_store is None:
        return render()
    return _list_page_store(request, render, content_type=content_type, by_host=by_host)


class StoredListMixin:
    """A public list whose pages are served whole from the list page store, when one is registered."""

    def get(self, request, *args, **kwargs):
        render = super().get
        if _list_page_store is None:
            return render(request, *args, **kwargs)
        return _list_page_store(request, lambda: render(request, *args, **kwargs))


class ArticleListView(StoredListMixin, ListView):
    """The newest published articles, as their live revisions read."""

    template_name = "articles/article_list.html"
    context_object_name = "revisions"
    paginate_by = 20

    def get_queryset(self):
        return article_cards()


_stored_page_reader = None
_stored_encodings = ()


def register_stored_page_reader(reader, encodings=()):
    """Set the function that answers readers from stored pages: reader(slug, encoding) -> (bytes, digest) or None.

    The bytes are the page in `encoding`; the digest names them (16 hex digits, made when the page was
    built) and becomes the response's `body_digest`, from which the HTTP caching middleware makes the
    entity tag without hashing the body again.

    `encodings` are the content codings the reader keeps each page in besides plain HTML ("br", "gzip"), in
    the order to prefer them; `encoding` is one of them, or None for the page uncompressed. The claims app
    provides it (articles does not import claims): it knows when a stored page is current.
    """
    global _stored_page_reader, _stored_encodings
    _stored_page_reader, _stored_encodings = reader, tuple(encodings)
    return reader


STAFF_SWITCH = re.compile(rb"<!--staff-switch:(\d+):(\d+)-->")


def with_staff_switch(html: bytes, slug: str) -> bytes:
    """The live page with, for staff only, a line saying it is the live revision and linking to the draft.

    The stored page carries a comment where the line goes (the article's id and the live revision's
    number); readers get the page unchanged.
    """
    found = STAFF_SWITCH.search(html)
    if found is None:
        return html
    article_id, number = int(found[1]), int(found[2])
    line = format_html(
        '<p class="notice notice--live" role="status"><strong>You are viewing the live page</strong>, revision {}, '
        'as readers see it. <a href="{}?draft=1">View the draft</a> · <a href="{}">Edit the draft</a></p>',
        number,
        reverse("articles:article-detail", kwargs={"slug": slug}),
        reverse("admin:articles_article_change", args=[article_id]),
    )
    return html[: found.start()] + str(line).encode() + html[found.end() :]


class ArticleDetailView(DetailView):
    """An article's page. Everyone, staff included, gets the stored page of its live revision.

    Staff also reach articles readers cannot see (never published, archived), rendered with a preview
    notice, and the draft of any article with `?draft=1`: rendered from the draft rows on each request,
    never stored and never cached.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        self.draft_preview = bool(request.user.is_staff and request.GET.get("draft") == "1")
        if _stored_page_reader is not None and not self.draft_preview:
            response = self.stored_page(request, kwargs["slug"])
            if response is not None:
                return response
        response = super().get(request, *args, **kwargs)
        if request.user.is_staff:
            add_never_cache_headers(response)
        return response

    def stored_page(self, request, slug):
        """The stored page's response, or None when the article has none for readers.

        Readers get it compressed when their browser accepts it. Staff never do: their page carries the
        staff line, and a page naming its reader must not be compressed beside anything a visitor can
        put in it (BREACH).
        """
        staff = request.user.is_staff
        accept = "" if staff else request.headers.get("Accept-Encoding", "")
        encoding = preferred_encoding(accept, _stored_encodings)
        stored = _stored_page_reader(slug, encoding)
        if stored is None:
            return None
        html, digest = stored
        if staff:
            response = HttpResponse(with_staff_switch(html, slug))
            add_never_cache_headers(response)
        else:
            response = HttpResponse(html)
            if encoding:
                response["Content-Encoding"] = encoding
            # The digest of exactly these bytes in this coding; anything that changes them afterwards changes
            # the coding or must drop it (give_digest records the coding it was made for).
            give_digest(response, digest)
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        # Read by claims.pages.page_for: the draft's page, built for this request only.
        article.draft_preview = self.draft_preview
        return article

    def get_queryset(self):
        # The stored page (claims.pages) comes in the same query; the source texts are not shown.
        # Tags are read by the template in one plain query, cheaper than taggit's prefetch for one article.
        return (
            Article.objects.visible_to(self.request.user)
            .select_related("author", "medical_reviewer", "evidence_page")
            .defer("body", "body_html", "body_text")
        )


class TagDetailView(StoredListMixin, ListView):
    """Published articles on one topic, as their live revisions read."""

    template_name = "articles/tag_detail.html"
    context_object_name = "revisions"
    paginate_by = 20

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return article_cards().filter(article__tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
