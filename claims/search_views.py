import logging

from django.core.paginator import Paginator
from django.db import DatabaseError
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .search import (
    article_snippet,
    claims_in_snippet,
    clean_query,
    published_claims_of,
    search_articles,
    search_conditions,
)

logger = logging.getLogger(__name__)

RESULTS_PER_PAGE = 10


@require_safe
def search(request):
    """Articles and conditions matching ?q=; a hint instead of results when q is empty."""
    query = clean_query(request.GET.get("q", ""))
    context = {"query": query, "page_obj": None, "conditions": [], "failed": False}
    if query:
        try:
            page = Paginator(search_articles(query), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
            # Each result is the live revision of an article: its title, standfirst and text as readers see them.
            revisions = list(page.object_list)
            claims = published_claims_of(revisions)
            results = []
            for revision in revisions:
                snippet = article_snippet(revision, query)
                results.append((revision, snippet, claims_in_snippet(snippet, claims.get(revision.pk, ()))))
            conditions = list(search_conditions(query))
        except DatabaseError:
            # websearch_to_tsquery accepts any text, so this is a last resort, not a code path we expect.
            logger.exception("Search failed for %r", query)
            context["failed"] = True
        else:
            context.update(page_obj=page, results=results, conditions=conditions)
    return render(request, "claims/search.html", context)
