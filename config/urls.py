"""The site's URLs: the admin, the Markdown editor's endpoints, the public pages, feeds and sitemaps."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_safe

from articles.editor import markdownx_urlpatterns
from articles.feeds import LatestArticlesFeed
from articles.views import healthz
from claims.search_views import search
from config.sitemaps import sitemap_or_index, sitemap_section

admin.site.site_header = f"{settings.SITE_NAME}: editorial"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Articles, claims and evidence"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("markdownx/", include(markdownx_urlpatterns)),
    path("healthz", healthz, name="healthz"),
    path("", include("claims.urls")),
    path("", include("people.urls")),
    path("search/", search, name="search"),
    # Read-only pages answer other methods with 405, like every other public page.
    path("feed/", require_safe(LatestArticlesFeed()), name="feed"),
    # One file while every address fits in it, else an index of numbered files (config/sitemaps.py).
    path("sitemap.xml", sitemap_or_index, name="django.contrib.sitemaps.views.sitemap"),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap-section"),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
