"""Every published article gets a live revision showing readers exactly what they saw before.

Its text is the article's; its claims are copied as they stand: approved ones with their grade,
the others (pending, changes requested) as "Under review", as the page showed them. Claims that had
lost their sentence were not on the page and are not copied. The revision's medical review is the
article's last one, when it had one.
"""

import datetime
import hashlib

from django.db import migrations
from django.utils import timezone


def _digest(article, claims):
    parts = [article.title, article.standfirst, article.body, *(f"{c.pk}:{c.version}" for c in claims)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleRevision = apps.get_model("articles", "ArticleRevision")
    Claim = apps.get_model("claims", "Claim")
    PublishedClaim = apps.get_model("claims", "PublishedClaim")
    for article in Article.objects.filter(status="published").iterator():
        if ArticleRevision.objects.filter(article=article).exists():
            continue
        claims = list(Claim.objects.filter(article=article).order_by("start", "pk"))
        reviewed = article.medical_reviewer_id is not None and article.last_reviewed is not None
        signed_at = (
            timezone.make_aware(datetime.datetime.combine(article.last_reviewed, datetime.time(12)))
            if reviewed
            else None
        )
        revision = ArticleRevision.objects.create(
            article=article,
            number=1,
            title=article.title,
            standfirst=article.standfirst,
            body=article.body,
            body_html=article.body_html,
            body_text=article.body_text,
            draft_digest=_digest(article, claims),
            signed_off_by_id=article.medical_reviewer_id if reviewed else None,
            signed_off_at=signed_at,
            change_note=article.change_note,
            created_at=article.published_at or article.updated_at,
            published_at=article.published_at or article.updated_at,
            is_live=True,
        )
        for claim in claims:
            if claim.is_orphaned:
                continue
            approved = claim.review_state == "approved" and claim.reviewed_by_id and claim.reviewed_at
            published = PublishedClaim.objects.create(
                revision=revision,
                claim=claim,
                quote=claim.quote,
                start=claim.start,
                condition_id=claim.condition_id,
                evidence_status_id=claim.evidence_status_id,
                explanation=claim.explanation,
                approved_by_id=claim.reviewed_by_id if approved else None,
                approved_at=claim.reviewed_at if approved else None,
                under_review_since=None if approved else claim.updated_at,
            )
            published.sources.set(claim.sources.all())


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_article_revisions"),
        ("claims", "0015_published_claims"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
