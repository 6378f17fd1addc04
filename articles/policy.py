"""Who may do what to an article. claims.policy answers the same for claims, and repeats these answers
so that one module can be asked about either; this one exists because articles never import claims.

Each `refusal_to_*` function returns the sentence the person is shown, or None when they may; each
`may_*` function answers yes or no. Services, admin permission methods and views ask here rather than
restating a rule.
"""

WRITE_PERMISSIONS = ("articles.add_article", "articles.change_article")


def may_write_articles(user) -> bool:
    """Staff who write articles: the Markdown preview and image upload serve them only."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and any(user.has_perm(permission) for permission in WRITE_PERMISSIONS)
    )


def may_review_articles(user) -> bool:
    return bool(user.is_authenticated and user.has_perm("articles.review_article"))


def may_archive(user) -> bool:
    return bool(user.is_authenticated and user.has_perm("articles.archive_article"))


def may_purge(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def refusal_to_mark_reviewed(article, user) -> str | None:
    """Why `user` may not record a medical review of `article`: nobody reviews what they wrote."""
    if not may_review_articles(user):
        return "Only medical reviewers can mark an article as medically reviewed."
    if user.pk == article.author_id:
        return f"You wrote “{article.title}”: another reviewer must review it."
    return None


def refusal_to_purge(article, user) -> str | None:
    """Why `user` may not delete `article` for good: superusers only, and only once it is archived."""
    if not may_purge(user):
        return "Only a superuser can delete an article permanently."
    if not article.is_archived:
        return f"“{article.title}” is not archived: archive it first, then delete it permanently."
    return None
