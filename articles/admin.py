from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from .models import Article
from .services import article_mark_reviewed


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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
