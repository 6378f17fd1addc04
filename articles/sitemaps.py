from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from .feeds import last_changed
from .models import Article


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().order_by("-published_at", "pk")

    def lastmod(self, item):
        return last_changed(item)


class StaticViewSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        names = ["articles:article-list"]
        try:
            # Condition pages are another app's work: list them once their URL exists.
            reverse("claims:condition-list")
        except NoReverseMatch:
            pass
        else:
            names.append("claims:condition-list")
        return names

    def location(self, item):
        return reverse(item)


SITEMAPS = {"articles": ArticleSitemap, "pages": StaticViewSitemap}
