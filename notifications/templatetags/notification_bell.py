from django import template
from django.urls import reverse

from ..services import unread_count

register = template.Library()


@register.inclusion_tag("admin/notifications/_bell.html", takes_context=True)
def notification_bell(context):
    """The bell in the admin's header: the unread count, in words for screen readers."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {"show": False}
    count = unread_count(user)
    return {
        "show": True,
        "count": count,
        "words": f"{count} unread notification{'' if count == 1 else 's'}",
        "url": reverse("admin:notifications_notification_changelist"),
    }
