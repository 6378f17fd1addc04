"""The sitemap: one file of every public address, or past SITEMAP_LIMIT addresses an index of numbered files.

A search engine reads at most 50,000 addresses from one sitemap file. While the whole site fits in
one (settings.SITEMAP_LIMIT, 50,000 unless set lower), /sitemap.xml lists every address, as a
small site always had it. Once it holds more, /sitemap.xml is a sitemap index naming one file per
section and page, /sitemap-articles.xml?p=2 and so on, each of at most SITEMAP_LIMIT addresses.
The section files answer at any size. Counting each section is a query the sitemap made anyway
(Django's sitemap pages its items), so the choice costs none.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import index, sitemap
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from articles.sitemaps import ArticleSitemap, TagSitemap
from articles.views import stored_page
from claims.sitemaps import ConditionSitemap
from people.sitemaps import PersonSitemap


class StaticViewSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["articles:article-list", "claims:condition-list", "claims:evidence-legend"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "articles": ArticleSitemap,
    "conditions": ConditionSitemap,
    "tags": TagSitemap,
    "people": PersonSitemap,
    "pages": StaticViewSitemap,
}


def sections():
    """{section: its sitemap}, each paged at SITEMAP_LIMIT addresses and counted once per request."""
    limit = settings.SITEMAP_LIMIT

    def counted_once(section):
        # Django's Sitemap makes a new paginator, and counts again, each time it is asked for one.
        paged = type(section.__name__, (section,), {"limit": limit, "paginator": cached_property(_paginator)})
        return paged()

    return {name: counted_once(section) for name, section in SITEMAPS.items()}


def _paginator(site):
    return Paginator(site._items(), site.limit)


@require_safe
def sitemap_or_index(request):
    """/sitemap.xml: every address while they fit in one file, else the index of the numbered files.

    Stored whole (claims.pages.lists) and built again after any change readers can see.
    """
    return stored_page(request, lambda: _sitemap_or_index(request), "application/xml")


def _sitemap_or_index(request):
    found = sections()
    if sum(site.paginator.count for site in found.values()) <= settings.SITEMAP_LIMIT:
        return sitemap(request, sitemaps=found)
    # A section with nothing to list (no conditions mapped yet) gets no empty file in the index.
    listed = {name: site for name, site in found.items() if site.paginator.count}
    return index(request, sitemaps=listed, sitemap_url_name="sitemap-section")


@require_safe
def sitemap_section(request, section):
    """One section's addresses, a page (?p=) of at most SITEMAP_LIMIT; an unknown section or page is a 404.

    A section's first page is stored like /sitemap.xml; a later page (?p=) is rendered each time.
    """
    return stored_page(request, lambda: sitemap(request, sitemaps=sections(), section=section), "application/xml")
