"""Publishing revisions from the admin: the publish page, the sign-off page, dismissing a suggestion.

Registered on articles.ArticleRevision (articles never import claims, so these pages live here), with
only these addresses, each about one article:

- article/<id>/publish/: which revision is live, what the draft changes against it, what blocks it;
  when nothing does, a change note and an optional time to publish it (claims.publishing.article_publish).
- article/<id>/cancel-schedule/: takes the schedule off a revision that has not gone live yet.
- article/<id>/sign-off/: for reviewers: the draft's changes and claims, and the medical sign-off
  of this exact draft (article_sign_off, with the digest of the draft as the page showed it).
- article/<id>/dismiss-suggestion/: a reviewer's word, with a reason, that a suggested sentence makes
  no health claim (suggestion_dismiss); posted from the article's integrity panel.

and, from revisions.py, the article's list of revisions, a revision as readers saw it, its comparison
with the live one, publishing it again, and a reviewer's urgent withdrawal of a live claim.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.admin.pages_only import PagesOnlyAdminMixin
from articles.models import Article, ArticleRevision

from .. import policy
from ..publishing import (
    Blocker,
    PublicationRefused,
    article_publish,
    article_sign_off,
    draft_claims,
    draft_digest,
    live_revision,
    open_suggestions,
    publication_blockers,
    schedule_cancel,
    sign_off_blockers,
    suggestion_dismiss,
)
from ..reports import article_findings
from .assigning import assign_from_request
from .revisions import RevisionPagesMixin, may_see, pk_of, texts_compared

SIGNED_OFF = "Signed off revision {}; an editor can publish it."


# How far ahead a revision may be scheduled: further is a typing mistake more often than a plan.
SCHEDULE_AHEAD = datetime.timedelta(days=366)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time in TIME_ZONE, refusing in plain words one the clocks skip or repeat."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if getattr(error, "code", None) != "ambiguous_timezone":
                raise
            raise ValidationError(
                f"That time does not exist or happens twice when the clocks change in {settings.TIME_ZONE}: "
                "pick a time an hour earlier or later.",
                code="ambiguous_timezone",
            ) from error


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label="Change note",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Public: readers see it under “Changes”. Say what changed for them.",
    )
    publish_at = LocalDateTimeField(
        label="Publish at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=f"Leave empty to publish now. Time zone: {settings.TIME_ZONE}.",
    )

    def __init__(self, *args, needs_note=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_note = needs_note
        if needs_note:
            self.fields["change_note"].required = True
            self.fields["change_note"].error_messages["required"] = (
                "Say what changed: a revision after the first carries a public change note."
            )

    def clean_publish_at(self):
        at = self.cleaned_data["publish_at"]
        if at is not None and at <= timezone.now():
            raise ValidationError("That time has passed: leave it empty to publish now, or pick a later time.")
        if at is not None and at > timezone.now() + SCHEDULE_AHEAD:
            raise ValidationError("Schedule a revision at most a year ahead: check the year you typed.")
        return at


def may_publish(user):
    return policy.may_publish_articles(user)


def draft_changes(article, live):
    """(label, rows, counts) for the title, standfirst and body: the draft against the live revision."""
    return texts_compared(live, article)


def scheduled_revision(article):
    return ArticleRevision.objects.scheduled().filter(article=article).order_by("-number").first()


def failed_schedule(article):
    """The latest revision whose scheduled publication did not go ahead, unless a later one went live."""
    failed = (
        ArticleRevision.objects.filter(article=article, published_at__isnull=True, scheduled_for__isnull=True)
        .exclude(schedule_problem="")
        .order_by("-number")
        .first()
    )
    live = live_revision(article)
    if failed is None or (live is not None and live.number > failed.number):
        return None
    return failed


def _chosen_row(data):
    """The row whose button was pressed; pressing Enter in a reason box presses the form's first button,
    so a row given the only reason typed is the one meant."""
    number = data.get("sentence_number", "")
    if data.get(f"reason-{number}", "").strip():
        return number
    typed = [key.removeprefix("reason-") for key, value in data.items() if key.startswith("reason-") and value.strip()]
    return typed[0] if len(typed) == 1 else number


def _linked(blocker, article):
    """A blocker with the words of its link; the missing sign-off links to the sign-off page itself."""
    url, link = blocker.url, "Deal with it"
    if url.endswith("#sign-off"):
        url, link = reverse("admin:articles_articlerevision_sign_off", args=[article.pk]), "Sign-off page"
    elif url.endswith("#integrity"):
        link = "Integrity check"
    elif "/claims/claim/" in url:
        link = "Open the claim"
    return {"text": blocker.text, "url": url, "link": link}


def _when(moment):
    return date_format(timezone.localtime(moment), "j F Y H:i")


@admin.register(ArticleRevision)
class PublicationAdmin(PagesOnlyAdminMixin, RevisionPagesMixin, admin.ModelAdmin):
    """Only the pages above: revisions are not listed, added, changed or deleted in the admin."""

    class Media:
        css = {"all": ["admin/editorial.css", "admin/publishing.css"]}

    def get_urls(self):
        view = self.admin_site.admin_view
        prefix = "articles_articlerevision"
        return [
            path("article/<path:object_id>/publish/", view(self.publish_view), name=f"{prefix}_publish"),
            path(
                "article/<path:object_id>/cancel-schedule/",
                view(self.cancel_schedule_view),
                name=f"{prefix}_cancel_schedule",
            ),
            path("article/<path:object_id>/sign-off/", view(self.sign_off_view), name=f"{prefix}_sign_off"),
            path("article/<path:object_id>/assign/", view(self.assign_view), name=f"{prefix}_assign"),
            path(
                "article/<path:object_id>/dismiss-suggestion/",
                view(self.dismiss_view),
                name=f"{prefix}_dismiss_suggestion",
            ),
            *self.revision_urls(view, prefix),
        ]

    # Shared -----------------------------------------------------------------------------------

    def _article(self, object_id):
        article = Article.objects.filter(pk=pk_of(object_id)).select_related("author").first()
        if article is None:
            raise Http404("No such article.")
        return article

    def _context(self, request, article, title):
        live = live_revision(article)
        return {
            **self.admin_site.each_context(request),
            "opts": Article._meta,
            "title": title,
            "article": article,
            "live": live,
            "live_url": article.get_absolute_url(),
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
            "sections": draft_changes(article, live),
            "draft_differs": live is None or live.draft_digest != draft_digest(article),
            "media": self.media,
        }

    # Publishing -------------------------------------------------------------------------------

    def publish_view(self, request, object_id):
        if not may_see(request.user):
            raise PermissionDenied
        article = self._article(object_id)
        live = live_revision(article)
        form = PublishForm(needs_note=live is not None)
        refused = None
        if request.method == "POST":
            if not may_publish(request.user):
                raise PermissionDenied
            form = PublishForm(request.POST, needs_note=live is not None)
            if article.is_archived:
                refused = [Blocker("This article is archived: restore it before publishing.", "")]
            elif form.is_valid():
                at = form.cleaned_data["publish_at"]
                replaced = scheduled_revision(article)
                try:
                    revision = article_publish(
                        article=article, user=request.user, change_note=form.cleaned_data["change_note"], at=at
                    )
                except PublicationRefused as refusal:
                    refused = refusal.blockers
                else:
                    return self._published(request, article, revision, replaced=replaced)
        blockers = [
            _linked(blocker, article) for blocker in (refused if refused is not None else publication_blockers(article))
        ]
        context = {
            **self._context(request, article, f"Publish “{article.title}”"),
            "form": form,
            "blockers": blockers,
            "refused": refused is not None,
            "can_publish": may_publish(request.user),
            "scheduled": scheduled_revision(article),
            "failed": failed_schedule(article),
            "time_zone": settings.TIME_ZONE,
            "sign_off_url": reverse("admin:articles_articlerevision_sign_off", args=[article.pk]),
        }
        return TemplateResponse(request, "admin/claims/publication/publish.html", context)

    def _published(self, request, article, revision, replaced=None):
        instead = ""
        if replaced is not None and (replaced.pk, replaced.scheduled_for) != (revision.pk, revision.scheduled_for):
            instead = (
                f" This replaces the schedule of revision {replaced.number} "
                f"for {_when(replaced.scheduled_for)}: one schedule an article."
            )
        if revision.is_live:
            self.message_user(
                request, f"Published revision {revision.number}: readers now see this draft.{instead}", messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        self.message_user(
            request,
            f"Revision {revision.number} is scheduled for {_when(revision.scheduled_for)} ({settings.TIME_ZONE})."
            + instead,
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_articlerevision_publish", args=[article.pk]))

    def cancel_schedule_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not may_publish(request.user):
            raise PermissionDenied
        article = self._article(object_id)
        back = "revisions" if request.POST.get("back") == "revisions" else "publish"
        url = reverse(f"admin:articles_articlerevision_{back}", args=[article.pk])
        revision = scheduled_revision(article)
        if revision is None or str(revision.pk) != request.POST.get("revision"):
            self.message_user(request, "Nothing to cancel: that revision is not scheduled.", messages.WARNING)
            return HttpResponseRedirect(url)
        try:
            schedule_cancel(revision=revision, user=request.user)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.WARNING)
        else:
            self.message_user(
                request,
                f"The schedule of revision {revision.number} is cancelled: it will not go live by itself.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(url)

    # Signing off ------------------------------------------------------------------------------

    def sign_off_view(self, request, object_id):
        # Editors may read the page (the publish page links to it): it tells them who may sign off and what
        # stands in the way. Only reviewers sign off.
        if not may_see(request.user):
            raise PermissionDenied
        article = self._article(object_id)
        problem = None
        if request.method == "POST":
            if not policy.may_review_articles(request.user):
                raise PermissionDenied
            try:
                revision = article_sign_off(
                    article=article, reviewer=request.user, seen_digest=request.POST.get("seen_digest", "")
                )
            except PermissionDenied as refusal:
                problem = str(refusal) or "You may not sign off this draft."
            except ValidationError as refusal:
                problem = " ".join(refusal.messages)
            else:
                self.message_user(request, SIGNED_OFF.format(revision.number), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:articles_articlerevision_publish", args=[article.pk]))
            article.refresh_from_db()
        claims = draft_claims(article)
        context = {
            **self._context(request, article, f"Sign off “{article.title}”"),
            "claims": claims,
            "suggestions": open_suggestions(article, findings=article_findings(article)),
            "reasons": sign_off_blockers(article, request.user, claims),
            "problem": problem,
            "seen_digest": draft_digest(article, claims),
        }
        return TemplateResponse(request, "admin/claims/publication/sign_off.html", context)

    # Assigning the sign-off -------------------------------------------------------------------

    def assign_view(self, request, object_id):
        """An editor assigns the draft's medical review to a reviewer, or a reviewer takes it."""
        article = self._article(object_id)
        back = reverse("admin:articles_article_change", args=[article.pk])
        title = f"Assign the medical review of “{article.title}”"
        return assign_from_request(self, request, article, back, title=title)

    # Suggestions ------------------------------------------------------------------------------

    def dismiss_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not policy.may_review_articles(request.user):
            raise PermissionDenied
        article = self._article(object_id)
        url = reverse("admin:articles_article_change", args=[article.pk]) + "#integrity"
        number = _chosen_row(request.POST)
        sentence = request.POST.get(f"sentence-{number}", "")
        reason = request.POST.get(f"reason-{number}", "")
        if not sentence or sentence not in {s.text for s in article.sentences()}:
            self.message_user(
                request, "That sentence is no longer in the article: nothing was dismissed.", messages.ERROR
            )
            return HttpResponseRedirect(url)
        try:
            suggestion_dismiss(article=article, sentence=sentence, reviewer=request.user, reason=reason)
        except PermissionDenied as refusal:
            self.message_user(request, f"Not dismissed: {refusal}", messages.ERROR)
        except ValidationError as refusal:
            self.message_user(request, "Not dismissed: " + " ".join(refusal.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                f"Sentence {number} is recorded as making no health claim: “{sentence[:80]}”.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(url)
