"""schema.org JSON-LD text that is safe inside the page's script element."""

import json

from django.core.serializers.json import DjangoJSONEncoder

# The escapes of django.utils.html.json_script, for a script type it does not offer.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_safe_json(data) -> str:
    """JSON with <, > and & escaped, so that no value can close the script element or open a comment."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)


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
