from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.utils.functional import cached_property

from .models import Condition
from .selectors import mapped_claims


class ConditionSitemap(Sitemap):
    """Condition evidence maps that have something to show, dated by the latest revision that went live with one
    of their claims."""

    changefreq = "weekly"

    def items(self):
        # The conditions the grouped query below found: the same as mapped_conditions(), whose probe per condition
        # reads far more claims than one grouping does once there are a million.
        return Condition.objects.filter(pk__in=list(self.last_publications)).order_by("name")

    @cached_property
    def last_publications(self):
        """{condition id: when the latest live revision with one of its mapped claims was published}, in one query."""
        rows = mapped_claims().values_list("condition_id").annotate(last=Max("revision__published_at")).order_by()
        return dict(rows)

    def lastmod(self, item):
        return self.last_publications.get(item.pk)
