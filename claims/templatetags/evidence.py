"""Where articles meet their claims on the public site: badges, evidence notes and counts.

The HTML is built in claims.pages.badges and the counts read by claims.selectors; these tags only
hand them to the templates.
"""

from django import template

from .. import selectors
from ..pages import badges

register = template.Library()


@register.simple_tag
def evidence_counts(revisions):
    """{live revision id: [(evidence status or None for under review, count)]}, strongest first."""
    return selectors.evidence_counts(revisions)


@register.simple_tag
def status_chip(status):
    """The reader's chip for an evidence grade, or for "under review" when status is None."""
    return badges.status_chip_html(status)


@register.simple_tag
def claim_chip(claim):
    """A claim's chip in its evidence note: its grade, with any warning about its sources."""
    return badges.claim_chip_html(claim)


@register.simple_tag
def note_chip(claim):
    """A claim's chip in its note on the article page: a grade links to what it means."""
    return badges.note_chip_html(claim)


@register.filter
def lookup(mapping, key):
    return mapping.get(key, ()) if mapping else ()
