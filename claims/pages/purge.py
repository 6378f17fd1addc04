"""Which public addresses a change alters, sent to the cache in front of the site once the change commits.

`pages_changed` is called wherever pages are marked stale (claims.pages.stored `_schedule`), inside the
change's transaction; `paths_changed` by a change that alters a public page no article page shows
(an evidence status's entry in the legend, a condition's own page). Once the transaction commits,
one background task (claims.tasks `purge_public_pages`) works out the addresses and sends them through
the backend that settings.PURGE_BACKEND names (ops/purge.py), retried when the cache does not answer:
the editor's request never waits for the cache, nor fails with it. With PURGE_BACKEND=none nothing is
recorded or enqueued.

For an article that readers can see, or could before this change (it has a published revision):
its page and JSON export, and when the change gave it a new slug the old page and JSON addresses too
(`slug_changed`); the evidence maps of the conditions its live revision's claims name, and
of those its previous published revision named (a claim taken off a condition leaves its map); the
pages of its author and medical reviewers; the lists it is on (home, its topics, the conditions'
list); the feed and the sitemap. An article never published has no public address. A change too wide
to name (more than REBUILD_AT_ONCE articles) purges every public page. Every purge is sent again
SECOND_PURGE later, for a page that was being fetched as the change committed.
"""

import datetime

from django.db import connection, transaction
from django.urls import reverse

from articles.models import Article, ArticleRevision
from ops import purge as backends

from ..models import PublishedClaim

# A page the cache was fetching when the change committed (read from the database before it) can be stored after
# the purge: the same addresses are purged again this much later, longer than a page takes to build.
SECOND_PURGE = datetime.timedelta(seconds=10)

# What changes with any published article: the lists that name articles, the feed and the sitemap.
SITE_LISTS = ("articles:article-list", "claims:condition-list", "feed", "django.contrib.sitemaps.views.sitemap")


def _pending():
    if not hasattr(connection, "public_purge_pending"):
        connection.public_purge_pending = {"articles": set(), "paths": set(), "everything": False}
    return connection.public_purge_pending


def pages_changed(article_ids=(), *, everything=False) -> None:
    """Note that these articles' public pages (or, `everything`, all of them) change as this transaction commits."""
    if not backends.enabled():
        return
    pending = _pending()
    pending["articles"].update(pk for pk in article_ids if pk is not None)
    pending["everything"] = pending["everything"] or everything
    transaction.on_commit(_enqueue, robust=True)


def paths_changed(paths) -> None:
    """Note that these public paths change as this transaction commits."""
    if not backends.enabled():
        return
    _pending()["paths"].update(paths)
    transaction.on_commit(_enqueue, robust=True)


def slug_changed(article, old_slug) -> None:
    """Note that the article's page and JSON export leave the addresses of `old_slug` as this transaction commits.

    Called by every save of an article (claims.signals) with the slug it was read with: nothing when that is
    its slug still, unknown (a copy not read from the database), or when readers never saw the article.
    """
    if not backends.enabled() or not old_slug or old_slug == article.slug:
        return
    if not ArticleRevision.objects.filter(article_id=article.pk, published_at__isnull=False).exists():
        return
    paths_changed(
        [
            reverse("articles:article-detail", kwargs={"slug": old_slug}),
            reverse("claims:article-json", kwargs={"slug": old_slug}),
        ]
    )


def _enqueue():
    """Enqueue one purge for everything the committed transaction changed; the other calls find nothing."""
    pending = _pending()
    articles, paths, everything = sorted(pending["articles"]), sorted(pending["paths"]), pending["everything"]
    pending["articles"], pending["paths"], pending["everything"] = set(), set(), False
    if not (articles or paths or everything):
        return
    from ops.background import enqueue_quietly

    from ..tasks import purge_public_pages

    enqueue_quietly(purge_public_pages, article_ids=articles, paths=paths, everything=everything)


def article_addresses(article_ids) -> set[str]:
    """The public paths whose pages show these articles: empty for articles readers never saw."""
    published = ArticleRevision.objects.filter(article_id__in=article_ids, published_at__isnull=False)
    revisions = published.order_by("article_id", "-is_live", "-published_at").values_list("pk", "article_id")
    shown, seen = [], {}
    for revision_id, article_id in revisions:
        # The live revision (or the latest published one) and the one published before it.
        if seen.get(article_id, 0) < 2:
            shown.append(revision_id)
            seen[article_id] = seen.get(article_id, 0) + 1
    if not seen:
        return set()
    articles = Article.objects.filter(pk__in=seen).prefetch_related("tags")
    paths = {reverse(name) for name in SITE_LISTS}
    for article in articles:
        paths.add(article.get_absolute_url())
        paths.add(reverse("claims:article-json", kwargs={"slug": article.slug}))
        paths.update(reverse("articles:tag-detail", kwargs={"slug": tag.slug}) for tag in article.tags.all())
    conditions = set(PublishedClaim.objects.filter(revision__in=shown).values_list("condition__slug", flat=True))
    paths.update(reverse("claims:condition-detail", kwargs={"slug": slug}) for slug in conditions)
    people = ArticleRevision.objects.filter(pk__in=shown).values_list(
        "article__author__profile__slug",
        "article__medical_reviewer__profile__slug",
        "signed_off_by__profile__slug",
        "reviewed_in__signed_off_by__profile__slug",
    )
    slugs = {slug for row in people for slug in row if slug}
    paths.update(reverse("people:person-detail", kwargs={"slug": slug}) for slug in slugs)
    return paths


def send(*, article_ids=(), paths=(), everything=False) -> backends.Purge:
    """Work out the addresses and send them; what was sent (PurgeFailed raised when the cache did not take it)."""
    if everything:
        purge = backends.Purge(everything=True)
    else:
        purge = backends.Purge(paths=tuple(sorted(article_addresses(article_ids) | set(paths))))
    backends.send(purge)
    return purge
