from django.contrib.sitemaps import Sitemap

from .models import Profile
from .views import with_public_work


class PersonSitemap(Sitemap):
    """The pages of people who wrote or medically reviewed a published article."""

    changefreq = "monthly"

    def items(self):
        return with_public_work(Profile.objects.only("slug", "updated_at")).order_by("slug")

    def lastmod(self, item):
        return item.updated_at
