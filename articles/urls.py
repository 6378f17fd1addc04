from django.urls import path, register_converter
from django.urls.converters import SlugConverter

from . import views


class TagSlugConverter(SlugConverter):
    # django-taggit makes slugs with allow_unicode, so a tag such as “纤维化” has a slug of its own letters.
    regex = r"[-\w]+"


register_converter(TagSlugConverter, "tag_slug")

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="article-list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("tags/<tag_slug:slug>/", views.TagDetailView.as_view(), name="tag-detail"),
]
