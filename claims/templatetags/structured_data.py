"""schema.org JSON-LD for article pages, escaped so that no data can close the script element."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..pages import page_for

register = template.Library()

# The escapes of django.utils.html.json_script, for a script type it does not offer.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def article_structured_data(article, absolute_uri):
    stored = page_for(article)
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "url": absolute_uri(article.get_absolute_url()),
        "datePublished": article.published_at,
        "dateModified": article.updated_at,
    }
    if article.is_medically_reviewed:
        reviewer = article.medical_reviewer
        data["lastReviewed"] = article.last_reviewed
        data["reviewedBy"] = {"@type": "Person", "name": reviewer.get_full_name() or reviewer.get_username()}
    data["about"] = stored.structured_data.get("about", []) if stored else []
    data["citation"] = stored.structured_data.get("citation", []) if stored else []
    return data


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """A <script type="application/ld+json"> describing the article as a MedicalWebPage."""
    request = context.get("request")
    absolute_uri = request.build_absolute_uri if request is not None else (lambda path: path)
    return json_ld_script(article_structured_data(article, absolute_uri))


@register.simple_tag
def article_body(article):
    """The article's stored page: its annotated body, evidence notes and number of claims."""
    return page_for(article)
