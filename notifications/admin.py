"""The admin's notifications: each person's own list (/admin/notifications/notification/), marking read,
and their choice per kind (/admin/notifications/notification/preferences/). Every staff member has
these pages, for their own notifications only; there is no add, change or delete page."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import services
from .models import Delivery, Kind, Notification

PAGE_SIZE = 100


class PreferencesForm(forms.Form):
    """One choice per kind: at once, in the daily digest, or off."""

    def __init__(self, *args, initial_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=(initial_choices or {}).get(kind),
            )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    actions = None

    def has_module_permission(self, request):
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or obj.recipient_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("", wrap(self.list_view), name="notifications_notification_changelist"),
            path("read/", wrap(require_POST(self.read_view)), name="notifications_notification_read"),
            path("preferences/", wrap(self.preferences_view), name="notifications_notification_preferences"),
        ]

    def _context(self, request, title):
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta}

    def list_view(self, request):
        mine = Notification.objects.filter(recipient=request.user).select_related("actor")
        unread = mine.filter(read_at__isnull=True).count()
        context = {
            **self._context(request, "Your notifications"),
            "notifications": list(mine[:PAGE_SIZE]),
            "unread": unread,
            "total": mine.count(),
            "page_size": PAGE_SIZE,
        }
        return TemplateResponse(request, "admin/notifications/list.html", context)

    def read_view(self, request):
        """Mark one notification read (`notification` posted) or all of them; then go to `next` or the list."""
        raw = request.POST.get("notification", "")
        if raw:
            if not raw.isdigit():
                messages.error(request, "That is not a notification of yours: nothing was marked read.")
                return HttpResponseRedirect(reverse("admin:notifications_notification_changelist"))
            services.mark_read(request.user, int(raw))
        else:
            count = services.mark_read(request.user)
            messages.success(request, f"{count} notification{'' if count == 1 else 's'} marked read.")
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) or not target.startswith(
            "/"
        ):
            target = reverse("admin:notifications_notification_changelist")
        return HttpResponseRedirect(target)

    def preferences_view(self, request):
        current = services.preferences(request.user)
        if request.method == "POST":
            form = PreferencesForm(request.POST, initial_choices=current)
            if form.is_valid():
                services.set_preferences(request.user, form.cleaned_data)
                messages.success(request, "Your notification settings were saved.")
                return HttpResponseRedirect(reverse("admin:notifications_notification_preferences"))
        else:
            form = PreferencesForm(initial_choices=current)
        rows = [(form[kind.value], kind) for kind in Kind]
        context = {**self._context(request, "Your notification settings"), "form": form, "rows": rows}
        context["deliveries"] = Delivery.choices
        return TemplateResponse(request, "admin/notifications/preferences.html", context)
