"""schema.org JSON-LD for article pages, the stored page's body and the article's dates; built in claims.pages."""

from django import template

from ..pages import page_for
from ..pages.jsonld import article_structured_data, json_ld_script
from ..pages.record import record_for

register = template.Library()


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """A <script type="application/ld+json"> describing the article as a MedicalWebPage.

    Its address names the host the reader asked for; a stored page is built with a marker in the
    host's place (letters, digits and hyphens: JSON leaves it as it is), filled in per request.
    """
    request, marker = context.get("request"), context.get("json_ld_host_marker")
    if marker:
        absolute_uri = lambda path: marker + path  # noqa: E731
    else:
        absolute_uri = request.build_absolute_uri if request is not None else (lambda path: path)
    return json_ld_script(article_structured_data(article, absolute_uri, page_for(article)))


@register.simple_tag
def article_body(article):
    """The article's stored page: its annotated body, evidence notes and number of claims."""
    return page_for(article)


@register.simple_tag
def article_record(article):
    """The dates and changes readers are told of the article, from its live revision (claims.pages.record)."""
    return record_for(article)
