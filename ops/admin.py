"""The sign-in lockout records in the admin, with axes' clean-up action made to work from the admin, and
the accounts' admin pages with the ids they are sent checked (articles.admin.ids). Background task results
are left out of the admin: the worker's log says what ran and what failed (ops.background)."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.admin.ids import CheckedIdsMixin


class LockoutAttemptAdmin(CheckedIdsMixin, AccessAttemptAdmin):
    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request, queryset):
        # axes reads "now" from an attribute its login handling sets; an admin request never has it.
        request.axes_attempt_time = timezone.now()
        return super().cleanup_expired_attempts(request, queryset)


class AccountAdmin(CheckedIdsMixin, UserAdmin):
    pass


class EditorialGroupAdmin(CheckedIdsMixin, GroupAdmin):
    pass


admin.site.unregister(DBTaskResult)
admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, LockoutAttemptAdmin)
for model, model_admin in [(get_user_model(), AccountAdmin), (Group, EditorialGroupAdmin)]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
