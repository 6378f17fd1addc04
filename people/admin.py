"""Profiles in the admin: everyone on the staff edits their own, superusers every one.

"Profiles" takes staff straight to their own profile, made the first time they open it; superusers
get the list. A profile is made for authors and reviewers as pages need it (people.profiles), so only
superusers add or delete one. A saved change rebuilds the article pages that name the person
(claims/signals.py `profile_changed`).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from articles.admin.ids import CheckedIdsMixin

from . import policy
from .forms import PROFILE_FIELDS, ProfileForm
from .models import Profile
from .profiles import free_slug, profile_for


@admin.register(Profile)
class ProfileAdmin(CheckedIdsMixin, admin.ModelAdmin):
    form = ProfileForm
    list_display = ["name", "credentials", "specialty", "user", "public_page"]
    search_fields = ["display_name", "credentials", "specialty", "user__username"]
    readonly_fields = ["public_page"]

    def get_fields(self, request, obj=None):
        fields = [*PROFILE_FIELDS, "public_page"]
        if obj is None:
            fields.insert(0, "user")
        return fields

    @admin.display(description="Public page")
    def public_page(self, obj):
        if obj is None or not obj.pk:
            return "Made from the display name when the profile is saved."
        # Found by readers once the person has published work (people.views).
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    def has_module_permission(self, request):
        return policy.may_edit_profile(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.may_edit_profile(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return policy.may_edit_profile(request.user, obj)

    def has_add_permission(self, request):
        return policy.may_manage_profiles(request.user)

    def has_delete_permission(self, request, obj=None):
        return policy.may_manage_profiles(request.user)

    def get_queryset(self, request):
        # Not narrowed to the user's own: another's profile is refused (403) by the permissions above.
        return super().get_queryset(request).select_related("user")

    def changelist_view(self, request, extra_context=None):
        """Superusers get the list; everyone else on the staff their own profile, made now if they have none."""
        if not policy.may_edit_profile(request.user):
            raise PermissionDenied
        if not request.user.is_superuser:
            if request.method not in ("GET", "HEAD"):
                raise PermissionDenied  # the list's actions (deleting) are for superusers
            own = profile_for(request.user)
            return HttpResponseRedirect(reverse("admin:people_profile_change", args=[own.pk]))
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if not change and not obj.slug:
            obj.slug = free_slug(obj.name)
        replaced = form.initial.get("photo") if change and "photo" in form.changed_data else None
        super().save_model(request, obj, form, change)
        if replaced:
            # The media folder is public: a photo its owner replaced or removed goes once the change is saved.
            name = getattr(replaced, "name", replaced)
            transaction.on_commit(lambda: default_storage.delete(name))
