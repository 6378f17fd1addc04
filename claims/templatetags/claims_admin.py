"""The article editor's view of its sentences and the claims on each."""

from bisect import bisect_left

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from ..forms import sentence_value
from ..models import Claim

register = template.Library()


@register.inclusion_tag("admin/claims/_article_sentences.html")
def article_sentences_panel(article):
    claims = list(
        Claim.objects.filter(article=article).select_related("condition", "evidence_status").order_by("start")
    )
    anchored = [c for c in claims if not c.is_orphaned]
    starts = [c.start for c in anchored]
    add_url = reverse("admin:claims_claim_add")
    rows = []
    for sentence in article.sentences():
        # The claims starting inside the sentence, found by halving rather than by reading every claim.
        first, after = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
        rows.append(
            {
                "sentence": sentence,
                "claims": anchored[first:after],
                "add_url": f"{add_url}?{urlencode({'article': article.pk, 'sentence': sentence_value(sentence)})}",
            }
        )
    list_url = reverse("admin:claims_claim_changelist")
    return {
        "article": article,
        "rows": rows,
        "orphans": [c for c in claims if c.is_orphaned],
        "claim_count": len(claims),
        "claim_list_url": f"{list_url}?{urlencode({'article__id__exact': article.pk})}",
    }
