"""Editorial decisions about whole articles."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import Article

ARTICLE_REVIEW_INTERVAL = datetime.timedelta(days=365)


def refusal_to_mark_reviewed(article: Article, user) -> str | None:
    if not user.is_authenticated or not user.has_perm("articles.review_article"):
        return "Only medical reviewers can mark an article as medically reviewed."
    if user.pk == article.author_id:
        return f"You wrote “{article.title}”: another reviewer must review it."
    return None


@transaction.atomic
def article_mark_reviewed(*, article: Article, reviewer, on: datetime.date | None = None) -> Article:
    """Record a medical review of the whole article by `reviewer` (never its author)."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    reason = refusal_to_mark_reviewed(article, reviewer)
    if reason:
        raise PermissionDenied(reason)
    on = on or timezone.localdate()
    article.medical_reviewer = reviewer
    article.last_reviewed = on
    article.next_review_due = on + ARTICLE_REVIEW_INTERVAL
    article.full_clean()
    article.save(update_fields=["medical_reviewer", "last_reviewed", "next_review_due", "updated_at"])
    return article
