from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.sitemaps import ArticleSitemap, TagSitemap
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
