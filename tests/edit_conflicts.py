"""What the edit-conflict tests of articles and claims share: clients, the form's version, the page's words."""

import html
import re

from django.test import Client


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def opened_version(response):
    """The version a change page's form carries, read from its hidden field as a browser would."""
    match = re.search(r'name="base_version" value="(\d+)"', response.content.decode())
    assert match, "the form carries no version"
    return match.group(1)


def page_text(response):
    """The page's words without markup, as a reader of the page gets them."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
