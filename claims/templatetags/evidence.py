"""Where articles meet their claims on the public site: badges, evidence notes and counts.

The HTML is built in claims.pages.badges; these tags only hand it to the templates.
"""

from collections import Counter, defaultdict

from django import template
from django.db.models import Count

from ..models import Claim, EvidenceStatus
from ..pages import badges

register = template.Library()


@register.simple_tag
def evidence_counts(articles):
    """{article id: [(evidence status or None for under review, count)]}, strongest first."""
    ids = [a.pk for a in articles]
    rows = (
        Claim.objects.filter(article_id__in=ids)
        .anchored()
        .values("article_id", "review_state", "evidence_status_id")
        .annotate(n=Count("pk"))
        .order_by()  # without the default ordering's joins to articles and conditions
    )
    statuses = {s.pk: s for s in EvidenceStatus.objects.all()}
    counts = defaultdict(Counter)
    for row in rows:
        approved = row["review_state"] == Claim.ReviewState.APPROVED
        counts[row["article_id"]][row["evidence_status_id"] if approved else None] += row["n"]
    ordered = {}
    for article_id, counter in counts.items():
        items = sorted(
            ((statuses.get(k), n) for k, n in counter.items()),
            key=lambda item: (item[0] is None, item[0].rank if item[0] else 0),
        )
        ordered[article_id] = items
    return ordered


@register.simple_tag
def status_chip(status):
    """The reader's chip for an evidence grade, or for "under review" when status is None."""
    return badges.status_chip_html(status)


@register.filter
def lookup(mapping, key):
    return mapping.get(key, ()) if mapping else ()
