"""schema.org JSON-LD for article pages, the stored page's body and the article's dates; built in claims.pages."""

from django import template

from ..links import absolute
from ..pages import page_for
from ..pages.jsonld import article_structured_data, json_ld_script
from ..pages.record import record_for

register = template.Library()


@register.simple_tag
def article_json_ld(article):
    """A <script type="application/ld+json"> describing the article as a MedicalWebPage.

    Its addresses are full addresses on settings.SITE_URL, the site's public address, whatever host a
    request named: the stored page is the same for every reader.
    """
    return json_ld_script(article_structured_data(article, absolute, page_for(article)))


@register.simple_tag
def article_body(article):
    """The article's stored page: its annotated body, evidence notes and number of claims."""
    return page_for(article)


@register.simple_tag
def article_record(article):
    """The dates and changes readers are told of the article, from its live revision (claims.pages.record)."""
    return record_for(article)
