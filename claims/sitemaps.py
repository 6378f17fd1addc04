from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Subquery
from django.utils.functional import cached_property

from articles.models import ArticleRevision

from .models import PublishedClaim
from .selectors import mapped_conditions


class ConditionSitemap(Sitemap):
    """Condition evidence maps that have something to show, dated by the latest revision that went live with one
    of their claims."""

    changefreq = "weekly"

    def items(self):
        return mapped_conditions()  # read from the kept counts (claims.map_counts)

    @cached_property
    def last_publications(self):
        """{condition id: when the latest live revision with one of its mapped claims was published}, in one query.

        For each condition, the live revisions are walked newest first (the index revision_live_newest) until one
        has a claim on its map: a few index probes for a condition many articles name, where grouping every mapped
        claim by condition read them all.
        """
        on_map = PublishedClaim.objects.filter(revision=OuterRef("pk"), condition=OuterRef(OuterRef("pk")), mapped=True)
        newest = (
            ArticleRevision.objects.filter(Exists(on_map), is_live=True)
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return dict(mapped_conditions().annotate(last=Subquery(newest)).values_list("pk", "last").order_by())

    def lastmod(self, item):
        return self.last_publications.get(item.pk)
