"""Read a page as a browser would (html5lib follows the WHATWG parsing rules) and list what could run.

A page is inert when nothing in it came from content and can execute: no event-handler attribute,
no script but the site's own, no link, image or form pointing at a scheme other than http, https
or mailto, and no element that loads or restyles other documents (iframe, object, style, base…).
"""

import json
import re
from dataclasses import dataclass, field

import html5lib

SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {
    "action",
    "background",
    "cite",
    "codebase",
    "data",
    "dynsrc",
    "formaction",
    "href",
    "icon",
    "longdesc",
    "lowsrc",
    "manifest",
    "ping",
    "poster",
    "profile",
    "src",
    "srcset",
    "usemap",
}
# Elements no page of this site has, so any one of them came from content.
FORBIDDEN_ELEMENTS = {
    "applet",
    "base",
    "embed",
    "frame",
    "frameset",
    "iframe",
    "math",
    "noembed",
    "object",
    "plaintext",
    "portal",
    "style",
    "svg",
    "template",
    "xmp",
}
DANGEROUS_STYLE = re.compile(r"expression|javascript|url\s*\(|@import|behavior", re.IGNORECASE)
JSON_SCRIPT_TYPES = {"application/ld+json", "application/json"}
# Browsers strip leading and trailing C0 controls and spaces and drop tabs and newlines anywhere
# before they look for a scheme; that is how "java\tscript:" runs.
_URL_STRIP = "".join(chr(n) for n in range(0x21))
_URL_DROP = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


def local_name(name):
    """`svg` for `{http://www.w3.org/2000/svg}svg`: foreign elements and attributes keep a namespace."""
    return name.rsplit("}", 1)[-1].lower()


def url_scheme(value):
    """The scheme a browser would read from an attribute value, or None for a relative address."""
    value = _URL_DROP.sub("", value.strip(_URL_STRIP))
    match = _SCHEME.match(value)
    return match.group(1).lower() if match else None


def parse(html):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def text_of(element):
    return "".join(element.itertext())


@dataclass(frozen=True)
class Policy:
    """What a kind of page may hold of its own: its scripts, forms and <link> elements."""

    name: str
    script_sources: tuple = ()
    form_actions: tuple = ()
    link_prefixes: tuple = ()
    own_elements: frozenset = frozenset()  # otherwise forbidden elements the site's own templates use
    required: tuple = field(default=())  # (tag, id or class) that must survive the content above it


def _script_is_the_sites(element, policy):
    src = element.get("src")
    if src is not None:
        return text_of(element).strip() == "" and src.startswith(policy.script_sources)
    if element.get("type") in JSON_SCRIPT_TYPES:
        try:
            json.loads(text_of(element))
        except ValueError:
            return False
        return True
    return False


def _urls(attribute, value):
    if attribute == "srcset":
        return [candidate.strip().split(" ")[0] for candidate in value.split(",") if candidate.strip()]
    return [value]


def dangers(html, policy):
    """Everything in the page that could run or load something the site did not put there."""
    found = []
    root = parse(html)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = local_name(element.tag)
        where = f"<{tag}>"
        for raw_name, value in element.attrib.items():
            attribute = local_name(raw_name)
            if attribute.startswith("on"):
                found.append(f"{where} has event handler {attribute}={value!r}")
            if attribute in URL_ATTRIBUTES:
                for url in _urls(attribute, value):
                    scheme = url_scheme(url)
                    if scheme is not None and scheme not in SAFE_SCHEMES:
                        found.append(f"{where} {attribute}={value!r} uses the scheme {scheme}:")
            if attribute == "style" and DANGEROUS_STYLE.search(value):
                found.append(f"{where} style={value!r}")
            if attribute == "srcdoc":
                found.append(f"{where} has srcdoc")
        if tag in FORBIDDEN_ELEMENTS and tag not in policy.own_elements:
            found.append(f"{where} element")
        elif tag == "script" and not _script_is_the_sites(element, policy):
            found.append(f"{where} not the site's own: {dict(element.attrib)} {text_of(element)[:80]!r}")
        elif tag == "meta" and element.get("http-equiv") is not None:
            found.append(f"{where} http-equiv={element.get('http-equiv')!r}")
        elif tag == "form" and not _form_is_the_sites(element, policy):
            found.append(f"{where} action={element.get('action')!r}")
        elif tag == "link" and not (element.get("href") or "").startswith(policy.link_prefixes):
            found.append(f"{where} href={element.get('href')!r}")
    for tag, marker in policy.required:
        if not any(
            local_name(e.tag) == tag and (e.get("id") == marker or marker in (e.get("class") or "").split())
            for e in root.iter()
            if isinstance(e.tag, str)
        ):
            found.append(f"the page lost its <{tag}> {marker}: content swallowed the markup after it")
    return found


def _form_is_the_sites(element, policy):
    action = element.get("action", "")  # no action: the form posts to its own page
    return any(
        action == allowed if not allowed.endswith("*") else action.startswith(allowed[:-1])
        for allowed in policy.form_actions
    )


def assert_inert(html, policy, context=""):
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    found = dangers(html, policy)
    assert not found, f"{policy.name} page {context}: " + "; ".join(found)
