from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from taggit.models import Tag

from .feeds import last_changed
from .models import Article


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        # Only what a sitemap entry needs: the address and the dates of last_changed().
        return Article.objects.published().only("slug", "updated_at", "last_reviewed").order_by("-published_at", "pk")

    def lastmod(self, item):
        return last_changed(item)


class TagSitemap(Sitemap):
    """Topic pages that list at least one published article."""

    changefreq = "weekly"

    def items(self):
        # A tag made outside the admin from punctuation or emoji alone has an empty slug, and no page.
        published = Tag.objects.filter(slug__in=Article.objects.published().values("tags__slug"))
        return published.exclude(slug="").order_by("name")

    def location(self, item):
        return reverse("articles:tag-detail", kwargs={"slug": item.slug})
