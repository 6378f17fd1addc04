"""Deciding on claims through the admin as a reviewer does: from the page that shows the claim.

Every decision carries the claim as its page showed it (a signed `seen` value); these helpers read
that value from the page, so a test decides on exactly what a reviewer would have seen.
"""

import html
import re

from django.urls import reverse

from claims.admin.review import seen_token
from claims.models import Claim

SEEN_INPUT = re.compile(r'<input type="hidden" name="(seen(?:-\d+)?)" value="([^"]*)"')


def seen_inputs(page) -> dict:
    """The `seen` values a page carries, by input name."""
    return {name: html.unescape(value) for name, value in SEEN_INPUT.findall(page.content.decode())}


def seen_now(claim) -> str:
    """The value a claim's page would carry if drawn now (for requests made without opening it)."""
    return seen_token(Claim.objects.select_related("condition", "evidence_status").get(pk=claim.pk))


def seen_on_claim_page(client, claim) -> str | None:
    """Open the claim's page as the reviewer and read what its decision box carries (None: no box)."""
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    return seen_inputs(page).get("seen")


def decide_url(claim):
    return reverse("admin:claims_claim_decide", args=[claim.pk])


def decide(client, claim, decision, *, seen=None, follow=True, **fields):
    """Post a decision from the claim's page (opened first, unless `seen` is given)."""
    if seen is None:
        seen = seen_on_claim_page(client, claim) or seen_now(claim)
    return client.post(decide_url(claim), {"decision": decision, "seen": seen, **fields}, follow=follow)


def bulk_confirmation(client, url, action, claims, **extra):
    """Choose a bulk decision on a list page: the page that lists the claims to confirm."""
    return client.post(url, {"action": action, "_selected_action": [str(c.pk) for c in claims], **extra})


def bulk_decide(client, url, action, claims, comment="", *, follow=True, **extra):
    """Choose a bulk decision, then confirm it on the page that lists the claims as they are."""
    page = bulk_confirmation(client, url, action, claims, **extra)
    if page.status_code != 200 or 'name="confirm"' not in page.content.decode():
        return page  # refused before any confirmation page (no permission, nothing selected)
    data = {
        "action": action,
        "_selected_action": [str(c.pk) for c in claims],
        "confirm": "yes",
        "comment": comment,
        **seen_inputs(page),
        **extra,
    }
    return client.post(url, data, follow=follow)
