from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from taggit.models import Tag

from .models import Article, ArticleRevision


class ArticleSitemap(Sitemap):
    """Published articles, each dated by the publication of its live revision (what readers see)."""

    changefreq = "monthly"

    def items(self):
        # Only what a sitemap entry needs: the address and the live revision's publication.
        revisions = ArticleRevision.objects.public().select_related("article").only("published_at", "article__slug")
        return revisions.order_by("-article__published_at", "article_id")

    def location(self, item):
        return item.article.get_absolute_url()

    def lastmod(self, item):
        return item.published_at

    def get_latest_lastmod(self):
        """The sitemap index's date for this section, in one query (Django's default reads every item)."""
        return ArticleRevision.objects.public().aggregate(latest=Max("published_at"))["latest"]


class TagSitemap(Sitemap):
    """Topic pages that list at least one published article."""

    changefreq = "weekly"

    def items(self):
        # A tag made outside the admin from punctuation or emoji alone has an empty slug, and no page.
        published = Tag.objects.filter(slug__in=Article.objects.published().values("tags__slug"))
        return published.exclude(slug="").order_by("name")

    def location(self, item):
        return reverse("articles:tag-detail", kwargs={"slug": item.slug})
