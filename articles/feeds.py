import datetime
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .models import Article

# XML 1.0 cannot hold these control characters at all: Django refuses to write a feed with one.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(value):
    """Text as an XML feed can carry it: the control characters an editor may have pasted dropped."""
    return _NOT_IN_XML.sub("", value)


def last_changed(article):
    """The later of the last edit and the last medical review, as an aware datetime."""
    if article.last_reviewed is None:
        return article.updated_at
    reviewed = timezone.make_aware(datetime.datetime.combine(article.last_reviewed, datetime.time.min))
    return max(article.updated_at, reviewed)


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = settings.SITE_NAME
    subtitle = "Health articles graded sentence by sentence for the strength of their evidence."
    link = reverse_lazy("articles:article-list")
    feed_url = reverse_lazy("feed")

    def items(self):
        articles = Article.objects.published().select_related("author").defer("body", "body_html", "body_text")
        return articles.order_by("-published_at", "-pk")[:20]

    def item_title(self, item):
        return xml_text(item.title)

    def item_description(self, item):
        # Atom summaries are type="html": escape the plain-text standfirst so it reads as text.
        return escape(xml_text(item.standfirst))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return last_changed(item)

    def item_author_name(self, item):
        return xml_text(item.author.get_full_name() or item.author.get_username())
