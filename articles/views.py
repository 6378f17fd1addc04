"""Readers' article pages: the list, a topic's list and an article's page.

An article's page is served from its stored page (claims.pages), read by the function the claims app
registers with `register_stored_page_reader`: one query, rebuilt on the spot when found stale.
"""

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from .models import Article


def article_cards():
    """Published articles as lists show them: title, standfirst and review date, never the text itself."""
    return Article.objects.published().defer("body", "body_html", "body_text").order_by("-published_at", "-created_at")


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return article_cards()


_stored_page_reader = None


def register_stored_page_reader(reader):
    """Set the function that answers readers from stored pages: reader(request, slug) -> HTML bytes or None.

    The claims app provides it (articles does not import claims): it knows when a stored page is current.
    """
    global _stored_page_reader
    _stored_page_reader = reader
    return reader


class ArticleDetailView(DetailView):
    """An article's page. Readers get its stored page when it is current; staff always get it rendered,
    with the preview notices of articles the public cannot see."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        if _stored_page_reader is not None and not request.user.is_staff:
            html = _stored_page_reader(request, kwargs["slug"])
            if html is not None:
                return HttpResponse(html)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # The stored page (claims.pages) comes in the same query; the source texts are not shown.
        # Tags are read by the template in one plain query, cheaper than taggit's prefetch for one article.
        return (
            Article.objects.visible_to(self.request.user)
            .select_related("author", "medical_reviewer", "evidence_page")
            .defer("body", "body_html", "body_text")
        )


class TagDetailView(ListView):
    """Published articles on one topic."""

    template_name = "articles/tag_detail.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return article_cards().filter(tags=self.tag)

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
