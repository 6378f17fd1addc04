"""The article admin: the editor's form (saved through articles.services), import, history and revert.

Saving calls `article_create` or `article_update` with the signed-in user, so that the claims the save
changed name them; reverting calls `article_revert`. Both change the draft only: readers see the live
revision (ArticleRevision) until a new one is published. The status is not edited here: publishing a
revision sets it (claims.publishing), and the list shows which revision readers see. Archive, purge and
the topics admin are mixed in from the other modules of this package.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from markdownx.models import MarkdownxField
from simple_history.admin import SimpleHistoryAdmin

from ..editor import ArticleBodyWidget
from ..filters import ArchivedFilter, MineFilter, PublishedFilter, ReviewDueFilter, ScheduledFilter
from ..forms import ArticleForm, ArticleImportForm
from ..history import collapse_unchanged, count_changes, diff_text
from ..importing import ImportRefused
from ..imports import DuplicateArticle, article_import
from ..models import Article, ArticleRevision, with_tag_names
from ..services import article_create, article_revert, article_update
from ..versioning import VersionedAdminMixin
from .archive import ArchiveAdminMixin
from .history import ReadOnlyHistoryMixin
from .ids import CheckedIdsMixin
from .lists import NarrowRowsMixin

# What other apps show on an article's page, read with the article (articles never import claims: the claims
# app registers its review assignment here). Name -> expression, as for QuerySet.annotate().
_page_annotations = {}


def register_page_annotations(**annotations):
    """Add `annotations` to the query that reads the article an admin page shows."""
    _page_annotations.update(annotations)


# List filters other apps add to the article list (the claims app's: the publication gate, assignments).
_list_filters = []


def register_list_filters(*filters):
    """Add `filters` (list filter classes) to the article list's sidebar, after its own."""
    _list_filters.extend(f for f in filters if f not in _list_filters)


@admin.register(Article)
class ArticleAdmin(
    CheckedIdsMixin, NarrowRowsMixin, ArchiveAdminMixin, VersionedAdminMixin, ReadOnlyHistoryMixin, SimpleHistoryAdmin
):
    form = ArticleForm
    list_display = [
        "title",
        "readers_see",
        "author",
        "medical_reviewer",
        "last_reviewed",
        "next_review_due",
        "updated_at",
    ]
    list_filter = [ArchivedFilter, PublishedFilter, ReviewDueFilter, MineFilter, ScheduledFilter, "tags"]
    list_select_related = ["author", "medical_reviewer"]
    list_deferred_fields = ["body", "body_html", "body_text"]
    search_fields = ["title", "standfirst", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "updated_at"
    readonly_fields = [
        "status",
        "author",
        "medical_reviewer",
        "last_reviewed",
        "next_review_due",
        "published_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body", "tags", "status", "change_note"]}),
        (
            "Medical review",
            {
                "fields": ["medical_reviewer", "last_reviewed", "next_review_due"],
                "description": "Set when a revision signed off by a medical reviewer goes live (its sign-off page): "
                "a reviewer who neither wrote the article nor last edited the draft.",
            },
        ),
        ("History", {"fields": ["author", "published_at", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    actions = ["archive_selected", "restore_selected", "purge_selected"]
    formfield_overrides = {MarkdownxField: {"widget": ArticleBodyWidget}}
    object_history_template = "admin/articles/article/object_history.html"
    object_history_list_template = "admin/articles/article/object_history_list.html"

    class Media:
        css = {"all": ["admin/editorial.css", "admin/safekeeping.css"]}
        js = ["admin/editor-uploads.js"]

    def save_model(self, request, obj, form, change):
        if change:
            self.expect_version(obj, form)
            outcome = article_update(article=obj, user=request.user)
            withdrawn = outcome.get("withdrawn", [])
            self.message_user(
                request, withdrawals_message(obj, withdrawn), messages.WARNING if withdrawn else messages.INFO
            )
            self.tell_released(request, outcome)
        else:
            obj.author = request.user
            article_create(article=obj, user=request.user)

    def get_list_filter(self, request):
        return [*self.list_filter, *_list_filters]

    def get_queryset(self, request):
        live = ArticleRevision.objects.filter(article=OuterRef("pk"), is_live=True).values("number")[:1]
        # The article's page asks who wrote it (who may sign off its draft or dismiss a suggested claim):
        # read with the article rather than in a query of its own.
        # list_select_related is ignored once the queryset selects anything related: both people, here.
        people = super().get_queryset(request).select_related("author", "medical_reviewer")
        return with_tag_names(people.annotate(live_number=Subquery(live)))

    def get_object(self, request, object_id, from_field=None):
        if from_field is not None or not _page_annotations:
            return super().get_object(request, object_id, from_field)
        # The topics' names too, for the form: read here rather than in a query of their own.
        articles = with_tag_names(self.get_queryset(request).annotate(**_page_annotations))
        try:
            return articles.get(pk=self.opts.pk.to_python(object_id))
        except (Article.DoesNotExist, ValidationError, ValueError):
            return None

    @admin.display(description="Readers see", ordering="live_number")
    def readers_see(self, obj):
        """Which revision readers see: the article's status follows publication, never the form."""
        number = getattr(obj, "live_number", None)
        if obj.is_archived:
            return "Nothing (archived)"
        return f"Revision {number}" if number else "Not published"

    # Importing plain text --------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        urls = [
            path("import/", view(self.import_view), name="articles_article_import"),
            path(
                "<path:object_id>/history/<int:history_id>/diff/",
                view(self.history_diff_view),
                name="articles_article_history_diff",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/revert/",
                view(self.history_revert_view),
                name="articles_article_history_revert",
            ),
        ]
        return urls + super().get_urls()

    def import_view(self, request):
        """Create a draft from an uploaded or pasted plain-text article."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = article_import(
                    text=form.cleaned_data["source"], author=request.user, slug=form.cleaned_data["slug"] or None
                )
            except DuplicateArticle as refusal:
                # Offer the free slug, with the text in the box: importing again accepts it.
                form = ArticleImportForm({"text": form.cleaned_data["source"], "slug": refusal.offered_slug})
                form.add_error(None, f"{refusal} Import again to use it, or choose another slug.")
            except ImportRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                return self._imported(request, result)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import a plain-text article",
            "form": form,
        }
        return TemplateResponse(request, "admin/articles/article/import.html", context)

    def _imported(self, request, result):
        article = result.article
        self.log_addition(request, article, "Imported from plain text.")
        stats = result.stats
        self.message_user(
            request,
            f"Imported “{article.title}” as a draft: {stats.words} words, {stats.headings} headings, "
            f"{stats.sentences} sentences. Check the headings and lists before sending it for review.",
            messages.SUCCESS,
        )
        for warning in result.warnings:
            self.message_user(request, warning, messages.WARNING)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    # History: compare revisions, revert through review ----------------------------------------

    # simple-history's own revert would restore every field, status included (ReadOnlyHistoryMixin
    # refuses it); articles are reverted from the diff page, which restores only the text.

    def _revision(self, request, object_id, history_id):
        """The article (as it is now) and one of its revisions, or 404; refused without history access."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_history_or_change_history_permission(request, article):
            raise PermissionDenied
        revision = article.history.filter(history_id=history_id).select_related("history_user").first()
        if revision is None:
            raise Http404("No such revision of this article.")
        return article, revision

    @staticmethod
    def _previous(article, revision):
        when, pk = revision.history_date, revision.history_id
        earlier = Q(history_date__lt=when) | Q(history_date=when, history_id__lt=pk)
        return article.history.filter(earlier).order_by("-history_date", "-history_id").first()

    def history_diff_view(self, request, object_id, history_id):
        """What one revision changed in the title, standfirst and body, and a button to go back to it."""
        article, revision = self._revision(request, object_id, history_id)
        against_current = request.GET.get("against") == "current"
        if against_current:
            # What a revert would do: from the text as it is now to the revision's.
            old, new, previous = article, revision, None
        else:
            previous = self._previous(article, revision)
            old, new = previous, revision
        sections = [
            (label, collapse_unchanged(rows), count_changes(rows))
            for label, rows in (
                (label, diff_text(getattr(old, field, "") if old else "", getattr(new, field)))
                for label, field in (("Title", "title"), ("Standfirst", "standfirst"), ("Body", "body"))
            )
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": (
                f"What reverting to the revision of {_when(revision)} would change"
                if against_current
                else f"Changes in the revision of {_when(revision)}"
            ),
            "article": article,
            "revision": revision,
            "previous": previous,
            "against_current": against_current,
            "sections": sections,
            "same_as_current": _text_of(revision) == _text_of(article),
            "can_revert": self.has_change_permission(request, article),
            "live_number": _live_number(article),
        }
        return TemplateResponse(request, "admin/articles/article/history_diff.html", context)

    def history_revert_view(self, request, object_id, history_id):
        """Put a revision's title, standfirst and body back; claims re-anchor and changed ones go to review."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article, revision = self._revision(request, object_id, history_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        if _text_of(revision) == _text_of(article):
            self.message_user(request, "The article already has the text of this revision.", messages.INFO)
            return HttpResponseRedirect(change_url)
        reason = f"Reverted to revision of {_when(revision)} by {_who(revision)}"
        try:
            sent_to_review = self._revert(request, article, revision, reason)
        except ValidationError as refusal:
            self.message_user(request, "Not reverted: " + " ".join(refusal.messages), messages.ERROR)
            return HttpResponseRedirect(change_url)
        self.log_change(request, article, reason + ".")
        live = _live_number(article)
        unchanged = f" Readers keep seeing revision {live} until a new revision is published." if live else ""
        self.message_user(request, f"{reason}: the draft has its text.{unchanged}", messages.SUCCESS)
        if sent_to_review:
            self.message_user(
                request,
                f"{sent_to_review} claim{'s' if sent_to_review != 1 else ''} went back to review: "
                "their sentence changed or is no longer in the article.",
                messages.WARNING,
            )
        else:
            self.message_user(request, "No claim had to go back to review.", messages.INFO)
        return HttpResponseRedirect(change_url)

    @transaction.atomic
    def _revert(self, request, article, revision, reason):
        """Save the revision's text (article_revert); return how many claims it sent to review."""
        before = _claims_in_review(article)
        outcome = article_revert(article=article, revision=revision, user=request.user, reason=reason)
        self.tell_released(request, outcome)
        return len(_claims_in_review(article) - before)

    def tell_released(self, request, outcome):
        """Each review assigned to the editor that their save released (see register_after_text_saved)."""
        for sentence in outcome.get("assignments_released", []):
            self.message_user(request, sentence, messages.WARNING)


_UNREAD = object()


def _live_number(article):
    """The number of the revision readers see, or None: read with the article by the admin (`live_number`)."""
    number = getattr(article, "live_number", _UNREAD)
    if number is not _UNREAD:
        return number
    return ArticleRevision.objects.filter(article=article, is_live=True).values_list("number", flat=True).first()


def withdrawals_message(article, withdrawn) -> str:
    """What the editor is told after saving the text: the approvals the save withdrew, by their words.

    `withdrawn` is what the save returned under "withdrawn" (plain dicts with each claim's "quote").
    """
    live = _live_number(article)
    unchanged = f" Readers still see revision {live} until a new one is published." if live else ""
    if not withdrawn:
        return "No approval was withdrawn." + unchanged
    quotes = ", ".join(f"“{_shortened(item['quote'])}”" for item in withdrawn)
    claims = "1 claim" if len(withdrawn) == 1 else f"{len(withdrawn)} claims"
    return f"Your save withdrew the approval of {claims}: {quotes}." + unchanged


def _shortened(text, limit=80):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text_of(version):
    return version.title, version.standfirst, version.body


def _when(revision):
    return format_date(timezone.localtime(revision.history_date), "j F Y H:i")


def _who(revision):
    user = revision.history_user
    return user.get_username() if user else "the system"


def _claims_in_review(article):
    """Primary keys of the article's claims that await review or have lost their sentence.

    Read through the reverse relation so that articles need not import claims.
    """
    claims = getattr(article, "claims", None)
    if claims is None:
        return set()
    pending = claims.model.ReviewState.PENDING
    return set(claims.filter(Q(review_state=pending) | Q(is_orphaned=True)).values_list("pk", flat=True))
