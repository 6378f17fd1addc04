from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery

from .models import Condition
from .views import mapped_claims


class ConditionSitemap(Sitemap):
    """Condition evidence maps that have something to show, dated by their latest approval."""

    changefreq = "weekly"

    def items(self):
        return (
            Condition.objects.filter(pk__in=mapped_claims().values("condition_id"))
            .annotate(
                last_approved=Subquery(
                    mapped_claims().filter(condition=OuterRef("pk")).order_by("-reviewed_at").values("reviewed_at")[:1]
                )
            )
            .order_by("name")
        )

    def lastmod(self, item):
        return item.last_approved
