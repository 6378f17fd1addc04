"""The notifications' background tasks: one e-mail sent at once, and the daily digest (`manage.py
enqueue_periodic notification-digest`, every morning). Both are idempotent (see notifications.services)."""

import logging

from django.utils import timezone
from django.utils.dateparse import parse_date

from ops.background import retrying_task

from . import services

logger = logging.getLogger(__name__)


@retrying_task()
def email_notification(notification_id) -> str:
    """E-mail one notification to its recipient; sent once, however often the task runs."""
    return services.send_notification_email(notification_id)


@retrying_task()
def send_notification_digests(*, today=None) -> dict:
    """E-mail each person their digest of the day (`today`, an ISO date; by default today), once."""
    day = parse_date(today) if today else timezone.localdate()
    outcome = services.send_digests(day)
    logger.info("Notification digests: %d sent.", outcome["sent"])
    if outcome["failed"]:
        raise RuntimeError("Could not email " + "; ".join(outcome["failed"]))
    return outcome
