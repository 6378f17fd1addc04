"""Enqueue the periodic background tasks named; run by cron or a systemd timer (README: "Background work")."""

from django.core.management.base import BaseCommand
from django.utils import timezone

# What each name enqueues, and how often the README's cron lines run it.
PERIODIC = {
    "publish-scheduled": "publish the scheduled revisions whose time has come (every five minutes)",
    "review-reminders": "email each reviewer the reviews due within 30 days, once a day (every morning)",
    "integrity-report": "write the day's integrity report to REPORTS_DIR (weekly, before the editors' meeting)",
    "stale-pages": "rebuild every stale article page, a batch per task; prune stored list pages left unread (nightly)",
    "evidence-watch": "look cited sources up again, the oldest check first, a batch per task (hourly)",
    "notification-digest": "email each person their daily digest of notifications, once a day (every morning)",
}


def enqueue(name):
    from claims import tasks
    from notifications.tasks import send_notification_digests

    today = timezone.localdate().isoformat()
    if name == "publish-scheduled":
        return tasks.publish_due_revisions.enqueue()
    if name == "review-reminders":
        return tasks.send_review_reminders.enqueue(days=30, today=today)
    if name == "integrity-report":
        return tasks.write_integrity_report.enqueue(output_format="text", today=today)
    if name == "evidence-watch":
        return tasks.watch_evidence.enqueue()
    if name == "notification-digest":
        return send_notification_digests.enqueue(today=today)
    return tasks.rebuild_stale_pages.enqueue()


class Command(BaseCommand):
    help = "Enqueue periodic background tasks for the worker: " + "; ".join(
        f"{name}: {what}" for name, what in PERIODIC.items()
    )

    def add_arguments(self, parser):
        parser.add_argument("which", nargs="+", choices=list(PERIODIC), help="The tasks to enqueue.")

    def handle(self, *args, which, **options):
        for name in dict.fromkeys(which):
            result = enqueue(name)
            self.stdout.write(f"Enqueued {name} (task {result.id}).")
