from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from .forms import ArticleImportForm
from .importing import ImportRefused
from .imports import DuplicateArticle, article_import
from .models import Article
from .services import article_mark_reviewed


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "author", "medical_reviewer", "last_reviewed", "next_review_due", "updated_at"]
    list_filter = ["status", "next_review_due", "tags"]
    list_select_related = ["author", "medical_reviewer"]
    search_fields = ["title", "standfirst", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "updated_at"
    readonly_fields = [
        "author",
        "medical_reviewer",
        "last_reviewed",
        "next_review_due",
        "published_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body", "tags", "status"]}),
        (
            "Medical review",
            {
                "fields": ["medical_reviewer", "last_reviewed", "next_review_due"],
                "description": "Set by a reviewer with the “Mark as medically reviewed” action, never by the author.",
            },
        ),
        ("History", {"fields": ["author", "published_at", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    actions = ["mark_medically_reviewed"]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}

    class Media:
        css = {"all": ["admin/editorial.css"]}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark as medically reviewed (today)", permissions=["review"])
    def mark_medically_reviewed(self, request, queryset):
        done = 0
        for article in queryset:
            try:
                article_mark_reviewed(article=article, reviewer=request.user)
                done += 1
            except PermissionDenied as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
        if done:
            self.message_user(
                request, f"Marked {done} article(s) as medically reviewed by you today.", messages.SUCCESS
            )

    def has_review_permission(self, request):
        return request.user.has_perm("articles.review_article")

    # Importing plain text --------------------------------------------------------------------

    def get_urls(self):
        urls = [path("import/", self.admin_site.admin_view(self.import_view), name="articles_article_import")]
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
