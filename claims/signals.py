"""Every signal receiver of the product, in one place. Each keeps derived data true; none decides anything.

Stored article pages (claims.pages) and the cached fragments keyed by the content generation
(claims.pages.cache) are derived from articles, claims and their vocabulary. A receiver marks the pages
that a change affects stale inside the change's own transaction (raising their generation, and the
content generation), and the pages are rebuilt once it commits:

| receiver | on | marks stale |
| --- | --- | --- |
| article_saved | an article created, or saved around articles.services | its page |
| claim_changed | a claim saved or deleted | its article's page if it shows the draft (never published) * |
| claim_sources_changed | a claim's sources added or removed | the same (a source's claims: their pages) |
| evidence_status_changed | an evidence status edited | every page with a claim of that grade (draft, published) |
| condition_changed | a condition edited | every page with a claim about it (draft, live) |
| source_changed | a source edited | every page citing it (draft, live) |
| source_event_recorded | a retraction or other event recorded on a source | every page citing it (draft, live) |
| article_tagged / tag_renamed | topics added, removed or renamed | the pages of the articles concerned * |
| reviewer_changed | a user's name or details edited | every page naming them as reviewer (claims, sign-off) or author |
| profile_changed | a person's profile saved or deleted | every page naming them as author or medical reviewer |
| listed_row_deleted | an article, topic or condition deleted | the stored list pages (the content generation) |

The evidence maps' counts (claims.map_counts) follow the published claims: `article_saved` refreshes an article
archived or restored, `source_event_recorded` the live claims citing the source, `source_deleted` those that cited
it, and `revision_deleting` takes a deleted revision's claims out of the counts.

Every marking raises the content generation too, which the stored list pages (claims.pages.lists) are
built at: once the change commits, each list page is rendered again by its next reader.

* rebuilt by a background task (`claims.tasks.rebuild_article_pages`) once the change commits, not in its request.

Each of these also tells the cache in front of the site (claims.pages.purge) which public addresses to drop once
the change commits; an evidence status and a condition also name the legend and the condition's own page.

Readers see the live revision's copies of the claims (PublishedClaim), which use the same
conditions, sources and evidence statuses as the draft's claims: a row used by a live copy alone
(the draft has moved on) marks its page all the same (`pages.mark_stale_showing`). An evidence
status marks the pages of every published revision's copies, as the change list names the grades
of earlier revisions ("downgraded from Moderate to Limited"); a reviewer marks the pages whose live
revision's medical review they signed off, kept by a minor revision or its own.

A review decision changes its claim's row, a draft claim: its save marks only the page of an article never
published, which shows the draft to staff (`pages.mark_draft_stale`, one UPDATE); readers' page of a published
article shows the claims published with its live revision, which the decision leaves as they were. The decision
row itself shows nowhere on public pages, so it marks nothing. An edit of the article's text marks its page
through `claims.reanchoring` (a draft's page, or a new slug), rebuilt in the background.

Re-anchoring claims after an edit is not done here: `articles.services` (`article_create`,
`article_update`, `article_revert`) saves an article's text and then calls
`claims.reanchoring.reanchor_after_text_saved` with the acting user. A save of the text that bypassed
those services (a shell, a one-off script) is caught by `article_saved` as a safety net: the claims
are found again all the same, with no one named as their last changer, and a warning is logged, so
that no path can leave a badge on words that are no longer there.
"""

import logging

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from articles.models import Article, ArticleRevision
from people.models import Profile

from . import map_counts, pages, source_metadata
from .models import Claim, Condition, EvidenceStatus, PublishedClaim, Source, SourceEvent
from .pages import cache
from .reanchoring import article_reanchor_claims

logger = logging.getLogger(__name__)


@receiver(post_save, sender=Article, dispatch_uid="claims_page_on_article_save")
def article_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if not created and (update_fields is None or "slug" in update_fields):
        # Read before the save: a new slug leaves the old addresses for a shared cache to drop as well.
        pages.purge.slug_changed(instance, instance.loaded("slug"))
    by_service = getattr(instance, "_text_saved_by_service", False)
    if by_service and not created:
        # The re-anchoring that articles.services runs next marks the page, after it has locked the
        # claims: claims before page, the order a decision takes them in, so the two never deadlock.
        return
    if not created and (update_fields is None or "archived_at" in update_fields):
        map_counts.refresh([instance.pk])  # archived or restored: its claims leave or join the evidence maps
    text_saved = update_fields is None or "body" in update_fields
    if not created and text_saved and not by_service:
        logger.warning(
            "Article %s was saved without articles.services: its claims were re-anchored with no editor named.",
            instance.pk,
        )
        article_reanchor_claims(article=instance, actor=None)
    pages.mark_stale([instance.pk])


# What a stored article page shows changes with any of these: its page is rebuilt.


@receiver(post_save, sender=Claim, dispatch_uid="claims_page_on_claim_save")
@receiver(post_delete, sender=Claim, dispatch_uid="claims_page_on_claim_delete")
def claim_changed(sender, instance, raw=False, **kwargs):
    # A draft claim shows only on the page of a draft never published: readers see the published copies. A
    # decision reads whether the article has a live revision with the claim it locks (`article_is_live`).
    if not raw and not getattr(instance, "article_is_live", False):
        pages.mark_draft_stale([instance.article_id])


@receiver(m2m_changed, sender=Claim.sources.through, dispatch_uid="claims_page_on_sources")
def claim_sources_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # sources given claims: instance is a Source
        pages.mark_stale_where(Claim.objects.filter(pk__in=pk_set) if pk_set else instance.claims.all())
    else:
        pages.mark_draft_stale([instance.article_id])


def _live_copies(**lookup):
    """The published claims of live revisions matching `lookup`: what readers see now."""
    return PublishedClaim.objects.filter(revision__is_live=True, **lookup)


@receiver(post_save, sender=EvidenceStatus, dispatch_uid="claims_page_on_evidence_status")
def evidence_status_changed(sender, instance, created, raw=False, **kwargs):
    if not raw:
        # The legend lists every rated grade, a new one too.
        pages.purge.paths_changed([reverse("claims:evidence-legend")])
    if not (raw or created):
        # The change list names the grades of earlier published revisions too.
        copies = PublishedClaim.objects.filter(evidence_status=instance, revision__published_at__isnull=False)
        pages.mark_stale_showing(Claim.objects.filter(evidence_status=instance), copies)


@receiver(post_save, sender=Condition, dispatch_uid="claims_page_on_condition")
def condition_changed(sender, instance, created, raw=False, **kwargs):
    if not (raw or created):
        pages.purge.paths_changed([instance.get_absolute_url()])
        pages.mark_stale_showing(Claim.objects.filter(condition=instance), _live_copies(condition=instance))


@receiver(post_save, sender=Source, dispatch_uid="claims_page_on_source")
def source_changed(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        source_metadata.source_created(instance)
    if not (raw or created):
        pages.mark_stale_showing(Claim.objects.filter(sources=instance), _live_copies(sources=instance))


@receiver(post_save, sender=SourceEvent, dispatch_uid="claims_page_on_source_event")
@receiver(post_delete, sender=SourceEvent, dispatch_uid="claims_page_on_source_event_delete")
def source_event_recorded(sender, instance, raw=False, **kwargs):
    """Readers' citations mark a retracted source ("Retracted on …") as soon as it is known."""
    if not raw:
        source = instance.source_id
        pages.mark_stale_showing(Claim.objects.filter(sources=source), _live_copies(sources=source))
        # A retraction withholds the grade of a claim citing it alone: it leaves the evidence maps.
        _refresh_citing(source)


def _refresh_citing(source_id):
    citing = _live_copies(sources=source_id)
    articles = citing.values_list("revision__article_id", flat=True).distinct().order_by()
    map_counts.refresh(articles, only=Q(pk__in=citing.values("pk")))


@receiver(pre_delete, sender=Source, dispatch_uid="claims_map_counts_source_delete")
def source_deleting(sender, instance, **kwargs):
    """A claim whose other sources were all retracted has its grade withheld once this one goes."""
    instance._citing_articles = list(
        _live_copies(sources=instance).values_list("revision__article_id", flat=True).distinct().order_by()
    )


@receiver(post_delete, sender=Source, dispatch_uid="claims_map_counts_source_deleted")
def source_deleted(sender, instance, **kwargs):
    map_counts.refresh(getattr(instance, "_citing_articles", []))


@receiver(pre_delete, sender=ArticleRevision, dispatch_uid="claims_map_counts_revision_delete")
def revision_deleting(sender, instance, **kwargs):
    """A revision deleted (with its article) takes its mapped claims out of the evidence maps' counts."""
    map_counts.forget_revision(instance.pk)


@receiver(post_save, sender=TaggedItem, dispatch_uid="claims_page_on_tagging")
@receiver(post_delete, sender=TaggedItem, dispatch_uid="claims_page_on_untagging")
def article_tagged(sender, instance, raw=False, **kwargs):
    if not raw and instance.content_type_id == ContentType.objects.get_for_model(Article).pk:
        pages.mark_stale_later([instance.object_id])


@receiver(post_save, sender=Tag, dispatch_uid="claims_page_on_tag")
def tag_renamed(sender, instance, created, raw=False, **kwargs):
    if not (raw or created):
        pages.mark_stale_articles(Article.objects.filter(tags=instance).values_list("pk", flat=True))


# Signing in saves only these: the reviewer's name, which pages show, is untouched.
NOT_SHOWN_USER_FIELDS = {"last_login", "password"}


@receiver(post_save, sender=get_user_model(), dispatch_uid="claims_page_on_reviewer")
def reviewer_changed(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or created or (update_fields and set(update_fields) <= NOT_SHOWN_USER_FIELDS):
        return
    pages.mark_stale_showing(Claim.objects.filter(reviewed_by=instance), _live_copies(approved_by=instance))
    # The medical review readers see is the live revision's sign-off, or the one a minor revision keeps.
    live = ArticleRevision.objects.filter(is_live=True)
    signed = live.filter(Q(signed_off_by=instance) | Q(reviewed_in__signed_off_by=instance)).values("article_id")
    # A profile with no display name shows the account's name: as author too.
    reviewed = Article.objects.filter(Q(medical_reviewer=instance) | Q(pk__in=signed) | Q(author=instance)).order_by(
        "pk"
    )
    pages.mark_stale_articles(reviewed.values_list("pk", flat=True))


def _named_as_reviewer(user_id):
    """The articles whose medical review readers see (the live revision's sign-off, or the one it keeps) is theirs."""
    live = ArticleRevision.objects.filter(is_live=True)
    return live.filter(Q(signed_off_by_id=user_id) | Q(reviewed_in__signed_off_by_id=user_id)).values("article_id")


@receiver(post_save, sender=Profile, dispatch_uid="claims_page_on_profile")
@receiver(post_delete, sender=Profile, dispatch_uid="claims_page_on_profile_delete")
def profile_changed(sender, instance, raw=False, created=False, **kwargs):
    """The byline ("Written by", "Medically reviewed by NAME, CREDENTIALS") and the JSON-LD's people change.

    A profile made as a page is built (people.profiles.profile_for) changes nothing that page shows.
    """
    if raw or created:
        return
    user_id = instance.user_id
    named = Article.objects.filter(Q(author_id=user_id) | Q(pk__in=_named_as_reviewer(user_id))).order_by("pk")
    pages.mark_stale_articles(named.values_list("pk", flat=True))


# What no article page shows, but a list page does: an article, topic or condition gone.


@receiver(post_delete, sender=Article, dispatch_uid="claims_lists_on_article_delete")
@receiver(post_delete, sender=Tag, dispatch_uid="claims_lists_on_tag_delete")
@receiver(post_delete, sender=Condition, dispatch_uid="claims_lists_on_condition_delete")
def listed_row_deleted(sender, instance, **kwargs):
    """The stored list pages (claims.pages.lists) are built again: the row may be listed, or have a page."""
    cache.content_changing()
