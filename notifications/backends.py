"""The signed-in user read with their unread notifications counted, so the admin's bell costs no query of its own."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat

from articles.aggregates import Joined

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
    unread notifications in the same query: notifications.services.unread_count reads it from there.

    A user's permissions, their own and their groups', are read in one query rather than one each.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                permissions = Permission.objects.all()
            else:
                own = get_user_model().user_permissions.through.objects.filter(user_id=user_obj.pk)
                grouped = Group.permissions.through.objects.filter(group__user=user_obj)
                permissions = Permission.objects.filter(
                    Q(pk__in=own.values("permission_id")) | Q(pk__in=grouped.values("permission_id"))
                )
            names = permissions.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in names}
        return user_obj._perm_cache

    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            **{UNREAD_ATTRIBUTE: unread_subquery()},
            own_permissions=_named(own=True),
            group_permissions=_named(own=False),
        )
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        if not user.is_superuser:
            # Read with the user: the request's permission checks ask no query of their own.
            names = f"{user.own_permissions or ''},{user.group_permissions or ''}"
            user._perm_cache = {name for name in names.split(",") if name}
        return user if self.user_can_authenticate(user) else None


def _named(*, own: bool):
    """The user's permissions ("app_label.codename", joined by commas) given to them (`own`) or to their groups."""
    if own:
        links = get_user_model().user_permissions.through.objects.filter(user_id=OuterRef("pk"))
        by = "user_id"
    else:
        links = Group.permissions.through.objects.filter(group__user=OuterRef("pk"))
        by = "group__user"
    name = Concat("permission__content_type__app_label", Value("."), "permission__codename", output_field=TextField())
    return Subquery(links.order_by().values(by).annotate(names=Joined(name)).values("names"), output_field=TextField())


def has_perm_expression(permission: str):
    """Whether the user of the row (OuterRef "pk") has `permission` ("app_label.codename"), as a boolean
    expression reading what `ModelBackendWithBell.get_all_permissions` reads: for many users in one query."""
    app_label, codename = permission.split(".", 1)
    named = Permission.objects.filter(content_type__app_label=app_label, codename=codename).values("pk")
    own = get_user_model().user_permissions.through.objects.filter(user_id=OuterRef("pk"), permission__in=named)
    grouped = Group.permissions.through.objects.filter(group__user=OuterRef("pk"), permission__in=named)
    return Case(
        When(Q(is_superuser=True) | Exists(own) | Exists(grouped), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
