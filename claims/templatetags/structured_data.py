"""schema.org JSON-LD for article pages, escaped so that no data can close the script element."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..jsonld import merged, script_safe_json
from ..pages import page_for

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


def article_json_ld_html(article, request):
    """A <script type="application/ld+json"> describing the article as a MedicalWebPage."""
    absolute_uri = request.build_absolute_uri if request is not None else (lambda path: path)
    return json_ld_script(article_structured_data(article, absolute_uri))


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """The article's JSON-LD; when a stored page is built, the random marker its JSON-LD is spliced in at."""
    slot = context.get("json_ld_slot")
    if slot:
        return mark_safe(slot)  # an HTML comment made of a fixed text and random hex digits (claims.pages)
    return article_json_ld_html(article, context.get("request"))


@register.simple_tag
def article_body(article):
    """The article's stored page: its annotated body, evidence notes and number of claims."""
    return page_for(article)
