"""schema.org JSON-LD for article pages, escaped so that no data can close the script element."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..pages import page_for
from ..pages.jsonld import merged, script_safe_json

register = template.Library()


def json_ld_script(text):
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def article_structured_data(article, absolute_uri) -> str:
    """The JSON-LD text of an article page: a MedicalWebPage with its reviewer, conditions and citations."""
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
    # The conditions and citations come from the stored page, as text already escaped for a script.
    return merged(script_safe_json(data), stored.json_ld if stored else '{"about": [], "citation": []}')


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
    return json_ld_script(article_structured_data(article, absolute_uri))


@register.simple_tag
def article_body(article):
    """The article's stored page: its annotated body, evidence notes and number of claims."""
    return page_for(article)
