"""Editorial decisions about whole articles, and the one way an article's text is saved.

Every save of an article's title, standfirst or body goes through `article_create`,
`article_update` or `article_revert` here, with the acting user passed in. After the text is
saved, in the same transaction, each function registered with `register_after_text_saved` runs
with that user: the claims app registers re-anchoring its claims to the new text, so that a claim
whose words an edit changed goes back to review naming the editor. Articles know nothing of claims.
"""

import calendar
import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .models import Article
from .policy import refusal_to_mark_reviewed, refusal_to_purge

MEDICAL_REVIEW_REASON = "Medically reviewed"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months on, or that month's last day when it is shorter (31 Jan + 1 → 28 Feb)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


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


# Saving the text -------------------------------------------------------------------------------

TEXT_FIELDS = ["title", "standfirst", "body"]
_after_text_saved = []


def register_after_text_saved(hook):
    """`hook(*, article, user)` runs after every save of an article's text, inside its transaction.

    It returns a dict of counts (claims moved, changed, orphaned...), merged into what the save returns;
    the claims app adds under "withdrawn" the approvals the save withdrew, as a list of plain dicts
    ({"pk", "quote"}), which the article admin names to the editor, and under "assignments_released" the
    sentences, one per review assigned to the editor that their save released, which it shows them.
    """
    if hook not in _after_text_saved:
        _after_text_saved.append(hook)
    return hook


def _save_text(article: Article, user, *, update_fields=None, reason=None) -> dict:
    created = article._state.adding
    article._history_user = user
    if reason:
        article._change_reason = reason
    article._text_saved_by_service = True  # the page receiver leaves re-anchoring to the hooks below
    try:
        article.save(update_fields=update_fields)
    finally:
        del article._text_saved_by_service
    results = {}
    if not created:
        for hook in _after_text_saved:
            results.update(hook(article=article, user=user) or {})
    return results


# A save's writes succeed or fail together with the caller's (the admin's request), so no savepoint of their own.
@transaction.atomic(savepoint=False)
def article_create(*, article: Article, user) -> Article:
    """Save a new article written by `user` (its author unless one is set)."""
    if article.author_id is None and user is not None:
        article.author = user
    _save_text(article, user)
    return article


@transaction.atomic(savepoint=False)
def article_update(*, article: Article, user, update_fields=None, reason=None) -> dict:
    """Save an edited article as `user`; returns what happened to its claims (see register_after_text_saved)."""
    return _save_text(article, user, update_fields=update_fields, reason=reason)


@transaction.atomic
def article_revert(*, article: Article, revision, user, reason: str) -> dict:
    """Put a revision's title, standfirst and body back, and nothing else.

    Status, dates, reviewers and the public change note stay as they are. Raises ValidationError
    when the revision's text is no longer valid (too long, say).
    """
    article = _locked(article)
    for field in TEXT_FIELDS:
        setattr(article, field, getattr(revision, field))
    article.full_clean()
    return _save_text(article, user, update_fields=[*TEXT_FIELDS, "updated_at"], reason=reason)


# Archiving instead of deleting --------------------------------------------------------------------

ARCHIVED_REASON = "Archived"
RESTORED_REASON = "Restored from the archive"


def _locked(article):
    return Article.objects.select_for_update().get(pk=article.pk)


@transaction.atomic
def article_archive(*, article: Article, user) -> Article:
    """Hide an article from readers; its claims, decisions and history stay, and it can be restored."""
    article = _locked(article)
    if article.is_archived:
        return article
    article.archived_at, article.archived_by = timezone.now(), user
    article._change_reason, article._history_user = ARCHIVED_REASON, user
    # Not `updated_at`: archiving changes nothing readers would call an update.
    article.save(update_fields=["archived_at", "archived_by"])
    return article


@transaction.atomic
def article_restore(*, article: Article, user) -> Article:
    """Bring an archived article back with the status it had; a published one is public again."""
    article = _locked(article)
    if not article.is_archived:
        return article
    article.archived_at, article.archived_by = None, None
    article._change_reason, article._history_user = RESTORED_REASON, user
    article.save(update_fields=["archived_at", "archived_by"])
    return article


def _claims_model():
    """The claims app's Claim, reached through the article's reverse relation: articles do not import claims."""
    relation = getattr(Article, "claims", None)
    return relation.rel.related_model if relation is not None else None


def _revisions(article_pk):
    """The revision rows of the article and of every claim it ever had."""
    revisions = [Article.history.filter(id=article_pk)]
    claim_model = _claims_model()
    if claim_model is not None:
        revisions.append(claim_model.history.filter(article_id=article_pk))
    return revisions


def purge_inventory(article: Article) -> dict[str, int]:
    """How many rows of each kind a permanent deletion of the article destroys, by plain name."""
    inventory = {"article": 1}
    claim_model = _claims_model()
    if claim_model is not None:
        claims = claim_model.objects.filter(article=article)
        inventory["claims"] = claims.count()
        inventory["review decisions"] = claims.aggregate(n=Count("decisions"))["n"]
    article_revisions, *claim_revisions = _revisions(article.pk)
    inventory["article revisions"] = article_revisions.count()
    if claim_revisions:
        inventory["claim revisions"] = claim_revisions[0].count()
    return inventory


@transaction.atomic
def article_purge(*, article: Article, user) -> dict[str, int]:
    """Destroy an archived article for good: its claims, their decisions and every revision of either.

    Superusers only. Returns what was destroyed (see purge_inventory).
    """
    article = _locked(article)
    reason = refusal_to_purge(article, user)
    if reason:
        raise PermissionDenied(reason)
    destroyed = purge_inventory(article)
    pk = article.pk
    article.delete()
    # After the delete: deleting writes one last "deleted" revision of the article and each claim.
    for revisions in _revisions(pk):
        revisions.delete()
    return destroyed
