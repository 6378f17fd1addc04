"""schema.org JSON-LD for article pages, as text that is safe inside the page's script element.

The template tags in claims/templatetags/structured_data.py call these functions.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..citations import citation_jsonld, references
from .record import record_for

# The escapes of django.utils.html.json_script, for a script type it does not offer.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_safe_json(data) -> str:
    """JSON with <, > and & escaped, so that no value can close the script element or open a comment.

    Without the spaces after commas and colons: nobody reads it but a search engine, and a long page's
    citations hold thousands of them.
    """
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).translate(
        JSON_SCRIPT_ESCAPES
    )


def json_ld_script(text):
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def merged(first: str, second: str) -> str:
    """Two JSON objects' texts (with no key in common) as the text of one object holding both."""
    if second.strip() in ("", "{}"):
        return first
    if first.strip() == "{}":
        return second
    return first.rstrip()[:-1] + "," + second.lstrip()[1:]


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
    conditions = {claim.condition.pk: claim.condition for claim in claims if claim.public_grade}
    return script_safe_json(
        {
            "about": [medical_condition(c) for c in sorted(conditions.values(), key=lambda c: c.name)],
            # The same list, in the same order, as the page's References section.
            "citation": [citation_jsonld(source) for source in references(claims)],
        }
    )


def person_jsonld(person, absolute_uri) -> dict:
    """A person as schema.org's Person: name and page, with jobTitle and hasCredential where set."""
    data = {"@type": "Person", "name": person.name, "url": absolute_uri(person.url)}
    if person.job_title:
        data["jobTitle"] = person.job_title
    if person.credentials:
        data["hasCredential"] = {"@type": "EducationalOccupationalCredential", "name": person.credentials}
    return data


def article_structured_data(article, absolute_uri, stored) -> str:
    """The JSON-LD text of an article page: a MedicalWebPage with its dates, people, conditions and citations.

    The dates and the reviewer are those of the live revision (`claims.pages.record`): its medical
    review's sign-off (`lastReviewed`, `reviewedBy`), its publication (`dateModified`) and the
    article's first publication (`datePublished`); an article never published has none of them.
    `author` and `reviewedBy` are Persons, as their profiles (people.bylines) describe them.
    `stored` is the article's stored page (claims.pages.stored.page_for), or None.
    """
    record = record_for(article)
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "url": absolute_uri(article.get_absolute_url()),
    }
    if record.author is not None:
        data["author"] = person_jsonld(record.author, absolute_uri)
    if record.first_published is not None:
        data["datePublished"] = record.first_published
    if record.date_modified is not None:
        data["dateModified"] = record.date_modified
    if record.is_medically_reviewed:
        data["lastReviewed"] = record.reviewed_on
        data["reviewedBy"] = person_jsonld(record.reviewer, absolute_uri)
    # The conditions and citations come from the stored page, as text already escaped for a script.
    return merged(script_safe_json(data), stored.json_ld if stored else '{"about":[],"citation":[]}')
