"""The article admin's "delete" archives; only superusers delete for good, after seeing what goes."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .. import policy
from ..models import Article
from ..policy import refusal_to_purge
from ..services import article_archive, article_purge, article_restore, purge_inventory


def articles_count(n):
    return f"{n} article{pluralize(n)}"


def inventory_text(inventory):
    """“the article, 3 claims, 5 review decisions and 12 article revisions”, leaving out what is none."""
    parts = ["the article"]
    for name, n in inventory.items():
        if name != "article" and n:
            parts.append(f"{n} {name}" if n != 1 else f"1 {name.removesuffix('s')}")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


class ArchiveAdminMixin:
    """Archive instead of delete, list and restore archived articles, and purge them (superusers)."""

    archive_confirmation_template = "admin/articles/article/archive_confirmation.html"
    purge_confirmation_template = "admin/articles/article/purge_confirmation.html"

    # Permissions --------------------------------------------------------------------------------

    def has_archive_permission(self, request):
        return policy.may_archive(request.user)

    def has_delete_permission(self, request, obj=None):
        # The admin's delete links and views archive: reversible, so the archive permission governs them.
        return self.has_archive_permission(request)

    def has_purge_permission(self, request):
        return policy.may_purge(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # replaced by archive_selected and purge_selected
        return actions

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if request.GET.get("archived") in ("yes", "all"):
            return [*columns, "archived_at"]
        return columns

    def get_urls(self):
        view = self.admin_site.admin_view
        urls = [
            path("<path:object_id>/restore/", view(self.restore_view), name="articles_article_restore"),
            path("<path:object_id>/purge/", view(self.purge_view), name="articles_article_purge"),
        ]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_archive": self.has_archive_permission(request),
            "can_purge": self.has_purge_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _article_or_redirect(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return None, self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return article, None

    def _change_url(self, article):
        return reverse("admin:articles_article_change", args=[article.pk])

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, **extra}

    # Archiving ----------------------------------------------------------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        """What the admin calls delete: ask, then archive. Nothing is destroyed."""
        article, redirect = self._article_or_redirect(request, object_id)
        if redirect:
            return redirect
        if not self.has_archive_permission(request):
            raise PermissionDenied
        if article.is_archived:
            self.message_user(request, f"“{article}” is archived already.", messages.INFO)
            return HttpResponseRedirect(self._change_url(article))
        if request.method == "POST":
            self._archive(request, [article])
            return HttpResponseRedirect(reverse("admin:articles_article_changelist"))
        context = self._context(
            request,
            title=f"Archive “{article}”?",
            article=article,
            is_public=Article.objects.published().filter(pk=article.pk).exists(),
            kept=inventory_text(purge_inventory(article)),
        )
        return TemplateResponse(request, self.archive_confirmation_template, context)

    def delete_model(self, request, obj):
        article_archive(article=obj, user=request.user)  # never a real deletion from the admin's own paths

    def delete_queryset(self, request, queryset):
        for article in queryset:
            article_archive(article=article, user=request.user)

    def _archive(self, request, articles):
        done = []
        for article in articles:
            if article.is_archived:
                continue
            article_archive(article=article, user=request.user)
            self.log_change(request, article, "Archived.")
            done.append(article)
        if done:
            names = f"“{done[0]}”" if len(done) == 1 else articles_count(len(done))
            self.message_user(
                request,
                f"Archived {names}. Readers no longer see {'it' if len(done) == 1 else 'them'}; claims, review "
                "decisions and history are kept. To bring an article back, list the archived articles "
                "(filter “By archive”) and restore it.",
                messages.SUCCESS,
            )
        else:
            self.message_user(request, "Nothing to archive: the selected articles are archived already.", messages.INFO)

    @admin.action(
        description="Archive selected articles (readers lose them, nothing is deleted)", permissions=["delete"]
    )
    def archive_selected(self, request, queryset):
        self._archive(request, queryset)

    # Restoring ----------------------------------------------------------------------------------

    def restore_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article, redirect = self._article_or_redirect(request, object_id)
        if redirect:
            return redirect
        if not self.has_archive_permission(request):
            raise PermissionDenied
        self._restore(request, [article])
        return HttpResponseRedirect(self._change_url(article))

    def _restore(self, request, articles):
        restored = 0
        for article in articles:
            if not article.is_archived:
                continue
            article = article_restore(article=article, user=request.user)
            self.log_change(request, article, "Restored from the archive.")
            restored += 1
            if Article.objects.published().filter(pk=article.pk).exists():
                outcome = "it is published, and readers see it again"
            else:
                outcome = f"its status is “{article.get_status_display()}”, so readers do not see it yet"
            self.message_user(request, f"Restored “{article}”: {outcome}.", messages.SUCCESS)
        if not restored:
            self.message_user(request, "Nothing to restore: the selected articles are not archived.", messages.INFO)

    @admin.action(description="Restore selected archived articles", permissions=["archive"])
    def restore_selected(self, request, queryset):
        self._restore(request, queryset)

    # Deleting for good (superusers) -------------------------------------------------------------

    def purge_view(self, request, object_id):
        """Permanent deletion of one archived article, after a page listing everything it destroys."""
        if not self.has_purge_permission(request):
            raise PermissionDenied
        article, redirect = self._article_or_redirect(request, object_id)
        if redirect:
            return redirect
        refusal = refusal_to_purge(article, request.user)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return HttpResponseRedirect(self._change_url(article))
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            self._purge(request, [article])
            return HttpResponseRedirect(reverse("admin:articles_article_changelist") + "?archived=yes")
        return self._purge_confirmation(request, [article], action=None)

    @admin.action(description="Delete selected archived articles permanently (superusers)", permissions=["purge"])
    def purge_selected(self, request, queryset):
        if request.POST.get("confirm") == "yes":
            self._purge(request, queryset)
            return None
        return self._purge_confirmation(request, queryset, action="purge_selected")

    def _purge_confirmation(self, request, articles, action):
        rows = []
        for article in articles:
            refusal = refusal_to_purge(article, request.user)
            rows.append((article, None if refusal else inventory_text(purge_inventory(article)), refusal))
        purgeable = [article for article, inventory, _ in rows if inventory]
        context = self._context(
            request,
            title="Delete permanently?" if purgeable else "Nothing can be deleted permanently",
            rows=rows,
            purgeable=purgeable,
            action=action,
            action_checkbox_name=helpers.ACTION_CHECKBOX_NAME,
        )
        return TemplateResponse(request, self.purge_confirmation_template, context)

    def _purge(self, request, articles):
        purged = []
        for article in articles:
            refusal = refusal_to_purge(article, request.user)
            if refusal:
                self.message_user(request, f"Not deleted: {refusal}", messages.ERROR)
                continue
            with transaction.atomic():
                # The admin log keeps one line saying who deleted which title: the only trace left.
                self.log_deletions(request, [article])
                destroyed = article_purge(article=article, user=request.user)
            purged.append(f"“{article}” ({inventory_text(destroyed)})")
        if purged:
            self.message_user(request, "Permanently deleted " + "; ".join(purged) + ".", messages.SUCCESS)
