"""Admin list filters: review dates (articles and claims), publication and the article archive."""

import datetime

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import ArticleRevision


class ReviewDueFilter(admin.SimpleListFilter):
    """Rows by their `next_review_due`: overdue, due within 30 days, due later, or without a date."""

    title = "review due"
    parameter_name = "review_due"
    days_ahead = 30
    near_days = 14  # the admin home's "Reviews due" card

    def standing_review_date(self) -> Q:
        """Rows whose review date counts; subclasses narrow it (a claim's date lapses with its approval)."""
        return Q(next_review_due__isnull=False)

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue"),
            ("soon", f"Due in the next {self.days_ahead} days"),
            ("near", f"Overdue or due in the next {self.near_days} days"),
            ("later", "Not due yet"),
            ("none", "No date"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        horizon = today + datetime.timedelta(days=self.days_ahead)
        dated = self.standing_review_date()
        match self.value():
            case "overdue":
                return queryset.filter(dated, next_review_due__lt=today)
            case "soon":
                return queryset.filter(dated, next_review_due__gte=today, next_review_due__lte=horizon)
            case "near":
                return queryset.filter(dated, next_review_due__lte=today + datetime.timedelta(days=self.near_days))
            case "later":
                return queryset.filter(dated, next_review_due__gt=horizon)
            case "none":
                return queryset.exclude(dated)
        return queryset


class ArchivedFilter(admin.SimpleListFilter):
    """Current articles unless archived ones are asked for: archived articles are out of the way, not gone."""

    title = "archive"
    parameter_name = "archived"
    CURRENT = "no"

    def lookups(self, request, model_admin):
        return [(self.CURRENT, "Current articles"), ("yes", "Archived articles"), ("all", "Current and archived")]

    def value(self):
        return super().value() or self.CURRENT

    def queryset(self, request, queryset):
        match self.value():
            case "yes":
                return queryset.filter(archived_at__isnull=False)
            case "all":
                return queryset
        return queryset.filter(archived_at__isnull=True)

    def choices(self, changelist):
        # The first choice Django offers is "All" without the parameter, which here means current only.
        _all, *choices = super().choices(changelist)
        yield from choices


class PublishedFilter(admin.SimpleListFilter):
    """Articles by whether readers have a revision of them: the status the article list goes by."""

    title = "publication"
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("yes", "Published (a revision is live)"), ("no", "Never published")]

    def queryset(self, request, queryset):
        live = Exists(ArticleRevision.objects.filter(article=OuterRef("pk"), is_live=True))
        match self.value():
            case "yes":
                return queryset.filter(live)
            case "no":
                return queryset.never_published()
        return queryset


class MineFilter(admin.SimpleListFilter):
    """Articles of the person looking: those they wrote, or those whose medical reviewer they are."""

    title = "yours"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("written", "Written by me"), ("reviewed", "Medically reviewed by me")]

    def queryset(self, request, queryset):
        match self.value():
            case "written":
                return queryset.written_by(request.user)
            case "reviewed":
                return queryset.reviewed_by(request.user)
        return queryset


class ScheduledFilter(admin.SimpleListFilter):
    """Articles with a revision scheduled to go live."""

    title = "scheduled"
    parameter_name = "scheduled"

    def lookups(self, request, model_admin):
        return [("yes", "A revision is scheduled")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_scheduled_revision()
        return queryset
