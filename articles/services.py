"""Editorial decisions about whole articles."""

import calendar
import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import Article

MEDICAL_REVIEW_REASON = "Medically reviewed"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months on, or that month's last day when it is shorter (31 Jan + 1 → 28 Feb)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def refusal_to_mark_reviewed(article: Article, user) -> str | None:
    if not user.is_authenticated or not user.has_perm("articles.review_article"):
        return "Only medical reviewers can mark an article as medically reviewed."
    if user.pk == article.author_id:
        return f"You wrote “{article.title}”: another reviewer must review it."
    return None


@transaction.atomic
def article_mark_reviewed(*, article: Article, reviewer, on: datetime.date | None = None) -> Article:
    """Record a medical review of the whole article by `reviewer` (never its author).

    The next review falls the article's review interval later, in calendar months. The save
    writes a history row giving the reason and the reviewer, also when no request is around
    (management commands).
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    reason = refusal_to_mark_reviewed(article, reviewer)
    if reason:
        raise PermissionDenied(reason)
    on = on or timezone.localdate()
    article.medical_reviewer = reviewer
    article.last_reviewed = on
    article.next_review_due = add_months(on, article.review_interval_months)
    article.full_clean()
    article._change_reason = MEDICAL_REVIEW_REASON
    article._history_user = reviewer
    article.save(update_fields=["medical_reviewer", "last_reviewed", "next_review_due", "updated_at"])
    return article
