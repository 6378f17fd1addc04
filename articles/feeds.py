import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .models import ArticleRevision
from .views import stored_page

# XML 1.0 cannot hold these control characters at all: Django refuses to write a feed with one.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(value):
    """Text as an XML feed can carry it: the control characters an editor may have pasted dropped."""
    return _NOT_IN_XML.sub("", value)


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = settings.SITE_NAME
    subtitle = "Health articles graded sentence by sentence for the strength of their evidence."
    link = reverse_lazy("articles:article-list")
    feed_url = reverse_lazy("feed")

    def __call__(self, request, *args, **kwargs):
        """The feed, stored whole (claims.pages.lists) and built again after any change readers can see."""
        render = super().__call__
        return stored_page(request, lambda: render(request, *args, **kwargs), Atom1Feed.content_type)

    def items(self):
        """The live revisions of the 20 articles published first most recently: what readers are shown of each."""
        texts = ("body", "body_html", "body_text")
        revisions = ArticleRevision.objects.public().select_related("article__author")
        revisions = revisions.defer(*texts, *(f"article__{name}" for name in texts))
        return revisions.order_by("-article__published_at", "-article__pk")[:20]

    def item_link(self, item):
        return item.article.get_absolute_url()

    def item_title(self, item):
        return xml_text(item.title)

    def item_description(self, item):
        # Atom summaries are type="html": escape the plain-text standfirst so it reads as text.
        return escape(xml_text(item.standfirst))

    def item_pubdate(self, item):
        """When the article was first published."""
        return item.article.published_at

    def item_updateddate(self, item):
        """When what readers see last changed: the live revision's publication (its medical review comes first)."""
        return item.published_at

    def item_author_name(self, item):
        author = item.article.author
        return xml_text(author.get_full_name() or author.get_username())
