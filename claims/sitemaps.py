from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.utils.functional import cached_property

from .selectors import mapped_claims, mapped_conditions


class ConditionSitemap(Sitemap):
    """Condition evidence maps that have something to show, dated by their latest approval."""

    changefreq = "weekly"

    def items(self):
        return mapped_conditions()

    @cached_property
    def last_approvals(self):
        """{condition id: when its latest mapped claim was approved}, for every condition in one query."""
        rows = mapped_claims().values_list("condition_id").annotate(last=Max("reviewed_at")).order_by()
        return dict(rows)

    def lastmod(self, item):
        return self.last_approvals.get(item.pk)
