"""An article's revisions in the admin, and pulling one live claim for review at once.

Pages of PublicationAdmin (publication.py), each about one article, one revision or one published claim:

- article/<id>/revisions/: every revision of the article, newest first: when it was taken, signed
  off, scheduled and published, which one is live, its change note; the claims readers see in the
  live one, each with the way to withdraw it urgently.
- revision/<id>/: a revision as readers saw it: its text with its published claims' badges and
  evidence notes, built on each request (claims.pages.badges), never stored.
- revision/<id>/compare/: what publishing the revision again would change against the live one.
- revision/<id>/republish/: what stops the revision being published again (republish_blockers), or
  a change note and the button (article_republish).
- published-claim/<id>/withdraw-urgently/: for reviewers: the claim as readers see it and a public
  notice; posting publishes a new revision showing it under review (claim_withdraw_urgently).
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.history import collapse_unchanged, count_changes, diff_text
from articles.models import Article, ArticleRevision

from .. import policy
from ..models import PublishedClaim
from ..pages.badges import annotate_article
from ..pages.stored import evidence_notes_html
from ..publishing import (
    PublicationRefused,
    article_republish,
    claim_withdraw_urgently,
    live_revision,
    republish_blockers,
)
from ..publishing.gate import shortened


class WithdrawForm(forms.Form):
    notice = forms.CharField(
        label="Notice for readers",
        required=False,  # claim_withdraw_urgently says what is missing, in its own words
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        help_text="Public: readers see it under the claim while it is under review. "
        "Say why, e.g. “The trial this grade rests on was retracted.”",
    )


class RepublishForm(forms.Form):
    change_note = forms.CharField(
        label="Change note",
        required=False,  # article_republish says what is missing, in its own words
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Public: readers see it under “Changes”. Say why an earlier revision is back.",
    )


def pk_of(object_id) -> int:
    """The number in an address, or 404: ids that are not plain digits name no row."""
    value = unquote(object_id)
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise Http404("No such row.")
    return int(value)


def may_see(user):
    """Editors and reviewers read the publishing pages; what each may do there is asked of claims.policy."""
    return policy.may_publish_articles(user) or policy.may_review_articles(user)


def texts_compared(before, after):
    """(label, rows, counts) for the title, standfirst and body of two revisions (or articles)."""
    sections = []
    for label, field in (("Title", "title"), ("Standfirst", "standfirst"), ("Body", "body")):
        rows = diff_text(getattr(before, field) if before else "", getattr(after, field))
        sections.append((label, collapse_unchanged(rows), count_changes(rows)))
    return sections


def published_claims(revision):
    return list(
        PublishedClaim.objects.filter(revision=revision)
        .select_related("condition", "evidence_status", "approved_by")
        .prefetch_related("sources")
        .order_by("start", "pk")
    )


def readers_view(revision):
    """The revision's body with its claims' badges, and its evidence notes, as readers saw them: never stored."""
    article = Article(pk=revision.article_id, title=revision.title, standfirst=revision.standfirst, body=revision.body)
    article.body_html, article.body_text = revision.body_html, revision.body_text
    body = annotate_article(article, published_claims(revision))
    notes = evidence_notes_html(body.claims)
    return body, notes


class RevisionPagesMixin:
    """The revisions list, a revision's page, comparison and republishing, and the urgent withdrawal."""

    def revision_urls(self, view, prefix):
        return [
            path("article/<path:object_id>/revisions/", view(self.revisions_view), name=f"{prefix}_revisions"),
            path("revision/<path:object_id>/compare/", view(self.compare_view), name=f"{prefix}_compare"),
            path("revision/<path:object_id>/republish/", view(self.republish_view), name=f"{prefix}_republish"),
            path("revision/<path:object_id>/", view(self.revision_view), name=f"{prefix}_view"),
            path(
                "published-claim/<path:object_id>/withdraw-urgently/",
                view(self.withdraw_view),
                name=f"{prefix}_withdraw",
            ),
        ]

    def _revision(self, request, object_id):
        """The revision asked for, to a user who may see revisions."""
        if not may_see(request.user):
            raise PermissionDenied
        revision = (
            ArticleRevision.objects.filter(pk=pk_of(object_id))
            .select_related("article", "signed_off_by", "published_by", "reviewed_in__signed_off_by")
            .first()
        )
        if revision is None:
            raise Http404("No such revision.")
        return revision

    def _page(self, request, article, title, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": Article._meta,
            "title": title,
            "article": article,
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
            "revisions_url": reverse("admin:articles_articlerevision_revisions", args=[article.pk]),
            "media": self.media,
            **context,
        }

    # The list of revisions ---------------------------------------------------------------------

    def revisions_view(self, request, object_id):
        if not may_see(request.user):
            raise PermissionDenied
        article = Article.objects.filter(pk=pk_of(object_id)).first()
        if article is None:
            raise Http404("No such article.")
        revisions = list(
            ArticleRevision.objects.filter(article=article)
            .select_related("signed_off_by", "published_by", "scheduled_by", "reviewed_in__signed_off_by")
            .defer("body", "body_html", "body_text")
            .order_by("-number")
        )
        live = next((revision for revision in revisions if revision.is_live), None)
        claims = published_claims(live) if live else []
        context = self._page(
            request,
            article,
            f"Revisions of “{article.title}”",
            revisions=revisions,
            live=live,
            live_claims=claims,
            can_publish=policy.may_publish_articles(request.user),
            can_withdraw=policy.refusal_to_withdraw_urgently(request.user) is None,
            can_republish=policy.refusal_to_republish(request.user) is None,
            history_url=reverse("admin:articles_article_history", args=[article.pk]),
        )
        return TemplateResponse(request, "admin/claims/publication/revisions.html", context)

    # One revision ------------------------------------------------------------------------------

    def revision_view(self, request, object_id):
        """The revision's text and claims as readers saw them, on the public site's layout."""
        revision = self._revision(request, object_id)
        body, notes = readers_view(revision)
        context = {
            "revision": revision,
            "article": revision.article,
            "body": body,
            "notes": notes,
            "review": revision.medical_review,
            "revisions_url": reverse("admin:articles_articlerevision_revisions", args=[revision.article_id]),
        }
        return TemplateResponse(request, "admin/claims/publication/revision_page.html", context)

    def compare_view(self, request, object_id):
        revision = self._revision(request, object_id)
        article = revision.article
        live = live_revision(article)
        title = (
            f"Revision {revision.number} against the live revision {live.number}"
            if live
            else f"Revision {revision.number} (no revision is live)"
        )
        context = self._page(
            request,
            article,
            title,
            revision=revision,
            live=live,
            sections=texts_compared(live, revision),
        )
        return TemplateResponse(request, "admin/claims/publication/compare.html", context)

    # Publishing an earlier revision again ------------------------------------------------------

    def republish_view(self, request, object_id):
        revision = self._revision(request, object_id)
        article = revision.article
        form, problem, refused = RepublishForm(), None, None
        if request.method == "POST":
            form = RepublishForm(request.POST)
            if article.is_archived:
                problem = "This article is archived: restore it before publishing a revision of it."
            elif form.is_valid():
                try:
                    copy = article_republish(
                        revision=revision, user=request.user, change_note=form.cleaned_data["change_note"]
                    )
                except PublicationRefused as refusal:
                    refused = refusal.blockers
                except PermissionDenied as refusal:
                    problem = str(refusal) or "You may not publish an earlier revision again."
                except ValidationError as refusal:
                    form.add_error("change_note", refusal.messages)
                else:
                    self.message_user(
                        request,
                        f"Published revision {copy.number}, a copy of revision {revision.number}: readers now see it.",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:articles_articlerevision_revisions", args=[article.pk]))
        claims = published_claims(revision)
        blockers = refused if refused is not None else republish_blockers(revision)
        context = self._page(
            request,
            article,
            f"Publish revision {revision.number} again",
            revision=revision,
            live=live_revision(article),
            form=form,
            problem=problem,
            blockers=[_linked(blocker, claims) for blocker in blockers],
            claims=claims,
            republish_refusal=policy.refusal_to_republish(request.user),
        )
        return TemplateResponse(request, "admin/claims/publication/republish.html", context)

    # Urgent withdrawal -------------------------------------------------------------------------

    def withdraw_view(self, request, object_id):
        if not may_see(request.user):
            raise PermissionDenied
        copy = (
            PublishedClaim.objects.filter(pk=pk_of(object_id))
            .select_related("revision__article", "condition", "evidence_status", "approved_by")
            .prefetch_related("sources")
            .first()
        )
        if copy is None:
            raise Http404("No such published claim.")
        article = copy.revision.article
        live = live_revision(article)
        if request.method == "GET" and live is not None and copy.revision_id != live.pk and copy.claim_id:
            # A link from an older revision: the claim's copy readers see now, if it has one.
            current = PublishedClaim.objects.filter(revision=live, claim_id=copy.claim_id).first()
            if current is not None:
                return HttpResponseRedirect(reverse("admin:articles_articlerevision_withdraw", args=[current.pk]))
        form = WithdrawForm()
        if request.method == "POST":
            form = WithdrawForm(request.POST)
            if form.is_valid():
                try:
                    revision = claim_withdraw_urgently(
                        reviewer=request.user, notice=form.cleaned_data["notice"], published_claim=copy
                    )
                except PermissionDenied as refusal:
                    form.add_error(None, str(refusal) or "You may not withdraw a published claim.")
                except ValidationError as refusal:
                    field = "notice" if "notice" in " ".join(refusal.messages) else None
                    form.add_error(field, refusal.messages)
                else:
                    self.message_user(
                        request,
                        f"Withdrawn for review: “{shortened(copy.quote)}”. Revision {revision.number} is live: "
                        "readers see this claim under review, with your notice.",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        context = self._page(
            request,
            article,
            "Withdraw a published claim for review",
            copy=copy,
            live=live,
            form=form,
            is_live_copy=live is not None and copy.revision_id == live.pk,
            refusal=policy.refusal_to_withdraw_urgently(request.user),
        )
        return TemplateResponse(request, "admin/claims/publication/withdraw.html", context)


def _linked(blocker, claims):
    """A republishing blocker with a link to the draft claim it names, when it names one."""
    for copy in claims:
        if copy.claim_id and f"“{shortened(copy.quote)}”" in blocker.text:
            return {"text": blocker.text, "url": reverse("admin:claims_claim_change", args=[copy.claim_id])}
    return {"text": blocker.text, "url": blocker.url}
