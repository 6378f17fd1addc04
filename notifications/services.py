"""Telling people: who is told (never the actor, never someone who may not see it), how, and the e-mails.

- `notify` records one notification per person told, as their preference for the kind says: at once
  (an e-mail enqueued through the task queue once the transaction commits), in the daily digest, or not
  at all. The caller names the event (`key`): telling the same person of the same event again changes
  nothing, so a retried task or a second worker never tells anyone twice.
- `send_notification_email` and `send_digests` are the tasks' work: one e-mail per notification, or one
  per person a day with everything waiting for their digest. Links are full addresses (SITE_URL).
- `mark_read` and `unread_count` serve the admin's bell and list.
"""

import datetime
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db.models import Exists, OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ops.background import enqueue_on_commit, record_step, step_done

from .backends import UNREAD_ATTRIBUTE, has_perm_expression
from .models import DEFAULT_DELIVERY, Delivery, Kind, Notification, NotificationPreference

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    """The full address of a site path, for an e-mail read away from the site."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def preference(user, kind) -> str:
    """How `user` wants to be told of `kind`: their choice, or the kind's default."""
    chosen = NotificationPreference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    return chosen or DEFAULT_DELIVERY[Kind(kind)]


def preferences(user) -> dict:
    """Every kind with how `user` is told of it."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in Kind}


def set_preferences(user, choices: dict) -> None:
    """Store `user`'s choice for each kind named in `choices` (kind -> Delivery value)."""
    for kind, delivery in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=Kind(kind), defaults={"delivery": Delivery(delivery)}
        )


def may_be_told(user, *, permission: str | None = None, visible: Callable | None = None) -> bool:
    """Whether `user` may receive a notification: an active staff member allowed to see what it is about."""
    if user is None or not user.is_active or not user.is_staff:
        return False
    if permission and not user.has_perm(permission):
        return False
    return visible is None or bool(visible(user))


def notify(
    kind,
    recipients: Iterable,
    *,
    actor=None,
    text: str,
    url: str,
    key: str,
    body: str = "",
    permission: str | None = None,
    visible: Callable | None = None,
) -> list[Notification]:
    """Tell each of `recipients` (users; None and repeats are ignored) of one event; the notifications made.

    Left out: the actor (nobody is told of their own action), anyone who lacks `permission` or for whom
    `visible(user)` is false, and anyone who turned the kind off. A person already told of `key` is not
    told again. An e-mail is enqueued, after the transaction commits, for those who want it at once.

    Whoever is told is read in one query (permission, preference, told already), and the notifications are
    written in one INSERT that leaves out a person told of the event meanwhile (another worker).
    """
    kind = Kind(kind)
    candidates, seen = [], set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        if actor is not None and user.pk == actor.pk:
            continue
        if may_be_told(user):  # active staff; the permission is read below, with everyone's at once
            candidates.append(user)
    if not candidates:
        return []
    event = f"{kind.value}:{key}"[:200]
    readings = _readings(candidates, kind, event, permission)
    told = []
    for user in candidates:
        allowed, delivery, already = readings.get(user.pk, (False, Delivery.OFF, True))
        if not allowed or already or delivery == Delivery.OFF:
            continue
        if visible is not None and not visible(user):
            continue
        told.append((user, delivery))
    if not told:
        return []
    text = " ".join(text.split())[:300]  # one line: it is the e-mail's subject
    # One INSERT whose conflict (the person told of the event meanwhile, by another worker) changes nothing
    # ("key" set to itself) and still returns the row's id: that notification is sent once all the same.
    made = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                actor=actor,
                text=text,
                body=body,
                url=url[:500],
                key=event,
                delivery=delivery,
            )
            for user, delivery in told
        ],
        update_conflicts=True,
        unique_fields=["recipient", "key"],
        update_fields=["key"],
    )
    for notification in made:
        if notification.delivery == Delivery.IMMEDIATELY:
            from .tasks import email_notification

            enqueue_on_commit(email_notification, notification.pk)
    return made


def _readings(users, kind, event, permission) -> dict:
    """For each user's pk: (may see it, how they want `kind`, told of `event` already), in one query."""
    chosen = NotificationPreference.objects.filter(user=OuterRef("pk"), kind=kind).values("delivery")[:1]
    rows = (
        get_user_model()
        ._default_manager.filter(pk__in=[user.pk for user in users])
        .annotate(
            chosen=Subquery(chosen),
            already=Exists(Notification.objects.filter(recipient=OuterRef("pk"), key=event)),
        )
    )
    if permission:
        rows = rows.annotate(allowed=has_perm_expression(permission))
    default = DEFAULT_DELIVERY[kind]
    fields = ["pk", "chosen", "already", *(["allowed"] if permission else [])]
    return {
        row["pk"]: (row.get("allowed", True), row["chosen"] or default, row["already"]) for row in rows.values(*fields)
    }


def unread_count(user) -> int:
    """How many of `user`'s notifications are unread: counted with the signed-in user when the request read
    them (notifications.backends), otherwise here."""
    if not user.is_authenticated:
        return 0
    counted = getattr(user, UNREAD_ATTRIBUTE, None)
    if counted is not None:
        return counted
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notification_id=None) -> int:
    """Mark one of `user`'s notifications read, or all of them when no id is given; how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


# E-mail ------------------------------------------------------------------------------------------


def preferences_url() -> str:
    return absolute(reverse("admin:notifications_notification_preferences"))


def _footer() -> str:
    return f"You are sent this as your notification settings say. Change them: {preferences_url()}\n"


def notification_email(notification: Notification) -> mail.EmailMessage:
    body = render_to_string(
        "notifications/email/notification.txt",
        {"notification": notification, "link": absolute(notification.url), "footer": _footer()},
    )
    subject = f"{settings.SITE_NAME}: {notification.text}"
    return mail.EmailMessage(subject[:200], body.strip() + "\n", to=[notification.recipient.email])


def send_notification_email(notification_id: int) -> str:
    """E-mail one notification to its recipient, once: the notification is marked sent before it is sent,
    and unmarked when sending fails, so the task's retry sends it and a second run does not."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None:
        return "gone"
    if notification.emailed_at is not None:
        return "already sent"
    if not may_be_told(notification.recipient):
        return "no longer staff"
    if not notification.recipient.email:
        return "no address"
    now = timezone.now()
    if not Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(emailed_at=now):
        return "already sent"
    try:
        notification_email(notification).send()
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return "sent"


def digest_key(day: datetime.date, user) -> str:
    return f"notification-digest:{day.isoformat()}:{user.pk}"


def waiting_for_digest():
    """The digest notifications not e-mailed yet, nor read in the admin meanwhile."""
    return Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True, read_at__isnull=True)


def send_digests(day: datetime.date) -> dict:
    """E-mail each person one digest of everything waiting for it, at most once on `day`.

    A person whose e-mail fails is listed in `failed`; the others are still sent, and a retry sends only
    those not sent yet.
    """
    sent, failed = 0, []
    User = Notification._meta.get_field("recipient").related_model
    people = User.objects.filter(pk__in=waiting_for_digest().values("recipient")).order_by("pk")
    for user in people:
        key = digest_key(day, user)
        if step_done(key) or not user.email or not may_be_told(user):
            continue
        items = list(waiting_for_digest().filter(recipient=user).order_by("created_at", "pk"))
        if not items:
            continue
        count = len(items)
        subject = f"{settings.SITE_NAME}: {count} notification{'' if count == 1 else 's'} for {day:%d %b %Y}"
        body = render_to_string(
            "notifications/email/digest.txt",
            {"items": [(item, absolute(item.url)) for item in items], "day": day, "footer": _footer()},
        )
        try:
            mail.EmailMessage(subject, body.strip() + "\n", to=[user.email]).send()
        except Exception as error:  # noqa: BLE001 (one person's failure must not stop the others)
            failed.append(f"{user.get_username()} ({error})")
            continue
        Notification.objects.filter(pk__in=[item.pk for item in items]).update(emailed_at=timezone.now())
        record_step(key)
        sent += 1
    return {"sent": sent, "failed": failed}
