from django.contrib.sitemaps import Sitemap

from .feeds import last_changed
from .models import Article


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().order_by("-published_at", "pk")

    def lastmod(self, item):
        return last_changed(item)
