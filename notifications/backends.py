"""The signed-in user read with their unread notifications counted, so the admin's bell costs no query of its own."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Notification

UNREAD_ATTRIBUTE = "unread_notifications"


def unread_subquery():
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


class ModelBackendWithBell(ModelBackend):
    """Django's ModelBackend, whose get_user (run once a request for the session's user) also counts the user's
    unread notifications in the same query: notifications.services.unread_count reads it from there."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(**{UNREAD_ATTRIBUTE: unread_subquery()})
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
