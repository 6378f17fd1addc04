"""Comments in the admin: the forms posted from a claim's page and an article's page, and their context.

CommentThreadAdmin has no list or change page, only the addresses its forms post to: start a thread
on a claim or on a sentence of the draft, reply, resolve, reopen. Each answers with a redirect to the
page the form was on, saying what was done or why not; refused text is kept in the session and put
back into the form it was typed in. The writes and who may make them are claims.comments and
claims.policy; the templates escape every comment (no comment is marked safe).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse

from articles.admin.pages_only import PagesOnlyAdminMixin
from articles.models import Article

from .. import policy
from ..comments import (
    claim_discussion,
    comment_add,
    thread_reopen,
    thread_resolve,
    thread_start_on_claim,
    thread_start_on_sentence,
)
from ..models import COMMENT_MAX_CHARS, Claim, CommentThread
from .revisions import pk_of

DRAFTS_KEY = "comment_drafts"


def keep_draft(request, key, body, **extra):
    drafts = request.session.get(DRAFTS_KEY) or {}
    drafts[key] = {"body": body, **extra}
    request.session[DRAFTS_KEY] = drafts


def pop_drafts(request, keys):
    """The refused texts of the forms named by `keys` ("claim-1", "thread-2"…), each taken once."""
    session = getattr(request, "session", None)
    if session is None:
        return {}
    drafts = session.get(DRAFTS_KEY) or {}
    taken = {key: drafts[key] for key in keys if key in drafts}
    if taken:
        session[DRAFTS_KEY] = {key: value for key, value in drafts.items() if key not in taken}
    return taken


def thread_views_for(request, views, extra_keys=()):
    """Each thread's view told whether this user may resolve or reopen it, with any refused reply put back;
    returns the views and the drafts taken (those of `extra_keys` too)."""
    keys = [f"thread-{view.thread.pk}" for view in views]
    drafts = pop_drafts(request, [*keys, *extra_keys])
    for view in views:
        view.can_resolve = policy.refusal_to_resolve(view.thread, request.user) is None
        view.draft = (drafts.get(f"thread-{view.thread.pk}") or {}).get("body", "")
    return views, drafts


def comments_context(request, claim, back="claim"):
    """What a claim's page shows of its discussion, for those who may read it."""
    if not policy.may_comment(request.user):
        return {}
    key = f"claim-{claim.pk}"
    views, drafts = thread_views_for(request, claim_discussion(claim), [key])
    return {
        "discussion": views,
        "comment_back": back,
        "comment_max": COMMENT_MAX_CHARS,
        "new_thread_draft": (drafts.get(key) or {}).get("body", ""),
    }


class CommentsMixin:
    """The claim's discussion on its page (the claim admin's and the review queue's)."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            back = "queue" if self.opts.model_name == "reviewqueueclaim" else "claim"
            context.update(comments_context(request, obj, back))
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(CommentThread)
class CommentThreadAdmin(PagesOnlyAdminMixin, admin.ModelAdmin):
    """Only the addresses the comment forms post to: no list, add or change page, and no actions."""

    actions = None

    def has_delete_permission(self, request, obj=None):
        # No page deletes a thread (get_urls): it goes with the claim or article it is on, for whoever may
        # delete that. Answering no here would make the admin refuse to delete any claim with comments.
        return True

    def get_urls(self):
        view = self.admin_site.admin_view
        prefix = "claims_commentthread"
        return [
            path("claim/<path:object_id>/start/", view(self.start_on_claim_view), name=f"{prefix}_start_on_claim"),
            path(
                "article/<path:object_id>/start/",
                view(self.start_on_sentence_view),
                name=f"{prefix}_start_on_sentence",
            ),
            path("<path:object_id>/reply/", view(self.reply_view), name=f"{prefix}_reply"),
            path("<path:object_id>/resolve/", view(self.resolve_view), name=f"{prefix}_resolve"),
            path("<path:object_id>/reopen/", view(self.reopen_view), name=f"{prefix}_reopen"),
        ]

    # Where each form goes back to ----------------------------------------------------------------

    def _back(self, request, *, claim_id=None, article_id=None):
        back = request.POST.get("back", "")
        if claim_id is not None and back != "article":
            name = "admin:claims_reviewqueueclaim_change" if back == "queue" else "admin:claims_claim_change"
            return HttpResponseRedirect(reverse(name, args=[claim_id]) + "#comments")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article_id]) + "#comments")

    def _posted(self, request):
        """Refuse what is not a POST (405) or comes from someone who may not comment (403)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        refusal = policy.refusal_to_comment(request.user)
        if refusal:
            raise PermissionDenied(refusal)
        return None

    def _thread(self, object_id):
        thread = CommentThread.objects.select_related("claim").filter(pk=pk_of(object_id)).first()
        if thread is None:
            raise Http404("No such thread.")
        return thread

    def _refused(self, request, what, refusal):
        reason = " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
        self.message_user(request, f"{what}: {reason}", messages.ERROR)

    # The forms ------------------------------------------------------------------------------------

    def start_on_claim_view(self, request, object_id):
        refused = self._posted(request)
        if refused:
            return refused
        claim = Claim.objects.filter(pk=pk_of(object_id)).first()
        if claim is None:
            raise Http404("No such claim.")
        body = request.POST.get("body", "")
        try:
            thread_start_on_claim(claim=claim, user=request.user, body=body)
        except (PermissionDenied, ValidationError) as refusal:
            self._refused(request, "Your comment was not posted", refusal)
            keep_draft(request, f"claim-{claim.pk}", body)
        else:
            self.message_user(request, "Your comment started a new thread.", messages.SUCCESS)
        return self._back(request, claim_id=claim.pk, article_id=claim.article_id)

    def start_on_sentence_view(self, request, object_id):
        refused = self._posted(request)
        if refused:
            return refused
        article = Article.objects.filter(pk=pk_of(object_id)).first()
        if article is None:
            raise Http404("No such article.")
        body, sentence = request.POST.get("body", ""), request.POST.get("sentence", "")
        try:
            start, end = _span(sentence)
            thread_start_on_sentence(article=article, start=start, end=end, user=request.user, body=body)
        except (PermissionDenied, ValidationError) as refusal:
            self._refused(request, "Your comment was not posted", refusal)
            keep_draft(request, f"article-{article.pk}", body, sentence=sentence[:40])
        else:
            self.message_user(request, "Your comment started a new thread on the sentence.", messages.SUCCESS)
        return self._back(request, article_id=article.pk)

    def reply_view(self, request, object_id):
        refused = self._posted(request)
        if refused:
            return refused
        thread = self._thread(object_id)
        body = request.POST.get("body", "")
        try:
            comment_add(thread=thread, user=request.user, body=body)
        except (PermissionDenied, ValidationError) as refusal:
            self._refused(request, "Your reply was not posted", refusal)
            keep_draft(request, f"thread-{thread.pk}", body)
        else:
            self.message_user(request, "Your reply was posted.", messages.SUCCESS)
        return self._back(request, claim_id=thread.claim_id, article_id=thread.article_id)

    def resolve_view(self, request, object_id):
        return self._settle(request, object_id, thread_resolve, "Not resolved", "The thread is resolved.")

    def reopen_view(self, request, object_id):
        return self._settle(request, object_id, thread_reopen, "Not reopened", "The thread is open again.")

    def _settle(self, request, object_id, service, not_done, done):
        refused = self._posted(request)
        if refused:
            return refused
        thread = self._thread(object_id)
        try:
            service(thread=thread, user=request.user)
        except (PermissionDenied, ValidationError) as refusal:
            self._refused(request, not_done, refusal)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return self._back(request, claim_id=thread.claim_id, article_id=thread.article_id)


def _span(value):
    """(start, end) from a sentence choice "start:end", or a ValidationError naming the problem."""
    start, _, end = (value or "").partition(":")
    if not (start.isascii() and start.isdigit() and end.isascii() and end.isdigit()) or len(value) > 40:
        raise ValidationError("Pick the sentence your comment is about.")
    return int(start), int(end)
