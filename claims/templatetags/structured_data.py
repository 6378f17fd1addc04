"""schema.org JSON-LD for article pages, escaped so that no data can close the script element."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .evidence import annotate_article, public_claims

register = template.Library()

# The escapes of django.utils.html.json_script, for a script type it does not offer.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def _medical_condition(condition):
    codes = [
        {"@type": "MedicalCode", "codeValue": value, "codingSystem": system}
        for value, system in ((condition.icd10_code, "ICD-10"), (condition.mesh_id, "MeSH"))
        if value
    ]
    data = {"@type": "MedicalCondition", "name": condition.name}
    if codes:
        data["code"] = codes
    return data


def article_structured_data(article, absolute_uri):
    conditions, sources = {}, {}
    for claim in public_claims(article):
        if not claim.is_approved:
            continue
        conditions.setdefault(claim.condition.pk, claim.condition)
        for source in claim.sources.all():
            sources.setdefault(source.pk, source)
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
    data["about"] = [_medical_condition(c) for c in sorted(conditions.values(), key=lambda c: c.name)]
    data["citation"] = [
        {"@type": "CreativeWork", "url": source.url, "name": source.title or source.citation_label}
        for source in sources.values()
    ]
    return data


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """A <script type="application/ld+json"> describing the article as a MedicalWebPage."""
    request = context.get("request")
    absolute_uri = request.build_absolute_uri if request is not None else (lambda path: path)
    return json_ld_script(article_structured_data(article, absolute_uri))


@register.simple_tag
def article_body(article):
    """The annotated body (as evidence's annotated_body) from the claims the JSON-LD already loaded."""
    return annotate_article(article, public_claims(article))
