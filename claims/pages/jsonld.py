"""schema.org JSON-LD for article pages, as text that is safe inside the page's script element.

The template tags in claims/templatetags/structured_data.py call these functions.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# The escapes of django.utils.html.json_script, for a script type it does not offer.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_safe_json(data) -> str:
    """JSON with <, > and & escaped, so that no value can close the script element or open a comment."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)


def json_ld_script(text):
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def merged(first: str, second: str) -> str:
    """Two JSON objects' texts (with no key in common) as the text of one object holding both."""
    if second.strip() in ("", "{}"):
        return first
    if first.strip() == "{}":
        return second
    return first.rstrip()[:-1] + ", " + second.lstrip()[1:]


def medical_condition(condition) -> dict:
    """A condition as schema.org's MedicalCondition, with its ICD-10 and MeSH codes when known."""
    codes = [
        {"@type": "MedicalCode", "codeValue": value, "codingSystem": system}
        for value, system in ((condition.icd10_code, "ICD-10"), (condition.mesh_id, "MeSH"))
        if value
    ]
    data = {"@type": "MedicalCondition", "name": condition.name}
    if codes:
        data["code"] = codes
    return data


def conditions_and_citations(claims) -> str:
    """The "about" and "citation" of a page's graded claims, as the text kept in its stored page."""
    conditions, sources = {}, {}
    for claim in claims:
        if not claim.public_grade:
            continue
        conditions.setdefault(claim.condition.pk, claim.condition)
        for source in claim.sources.all():
            sources.setdefault(source.pk, source)
    return script_safe_json(
        {
            "about": [medical_condition(c) for c in sorted(conditions.values(), key=lambda c: c.name)],
            "citation": [
                {"@type": "CreativeWork", "url": source.url, "name": source.title or source.citation_label}
                for source in sources.values()
            ],
        }
    )


def article_structured_data(article, absolute_uri, stored) -> str:
    """The JSON-LD text of an article page: a MedicalWebPage with its reviewer, conditions and citations.

    `stored` is the article's stored page (claims.pages.stored.page_for), or None.
    """
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
