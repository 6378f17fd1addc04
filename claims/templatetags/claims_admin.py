"""The article editor's view of its sentences and the claims on each."""

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
    add_url = reverse("admin:claims_claim_add")
    rows = []
    for sentence in article.sentences():
        rows.append(
            {
                "sentence": sentence,
                "claims": [c for c in claims if not c.is_orphaned and sentence.start <= c.start < sentence.end],
                "add_url": f"{add_url}?{urlencode({'article': article.pk, 'sentence': sentence_value(sentence)})}",
            }
        )
    return {
        "article": article,
        "rows": rows,
        "orphans": [c for c in claims if c.is_orphaned],
        "claim_count": len(claims),
    }
