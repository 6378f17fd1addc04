"""`manage.py claims_due`: the reviews overdue or due soon, by reviewer; with --email, the reminders."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from claims.reminders import MailServerUnreachable, day, due_reviews, plural, send_reminders


class Command(BaseCommand):
    help = (
        "List the approved claims and the articles whose next review is overdue or due within --days days, "
        "by reviewer. With --email, a background worker sends each reviewer their own list (at most one email "
        "a day each); with --email --inline this command sends them itself."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=30, help="Include reviews due within this many days (default 30)."
        )
        parser.add_argument(
            "--email",
            action="store_true",
            help="Email each reviewer their list, through the task queue; reviewers without an email address are "
            "listed, not emailed.",
        )
        parser.add_argument(
            "--inline",
            action="store_true",
            help="With --email: send the emails now, from this command, instead of enqueueing them for a worker.",
        )

    def handle(self, *args, days, email, inline, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        if inline and not email:
            raise CommandError("--inline goes with --email.")
        due = due_reviews(timezone.localdate(), days)
        if not due.groups:
            self.stdout.write(f"Nothing is due for review by {day(due.horizon)} and nothing is overdue.")
            return

        self.stdout.write(f"Reviews overdue or due by {day(due.horizon)} (the next {plural(days, 'day')}):")
        for group in due.groups:
            self._write_group(group)
        self.stdout.write(
            f"\n{plural(len(due.claims), 'claim')} and {plural(len(due.articles), 'article')} due, "
            f"{due.overdue} overdue."
        )
        if email and inline:
            self._send(due)
        elif email:
            from claims.tasks import send_review_reminders

            result = send_review_reminders.enqueue(days=days, today=due.today.isoformat())
            self.stdout.write(f"Emails queued (task {result.id}): a background worker sends them.")

    def _write_group(self, group):
        address = f" <{group.email}>" if group.email else ""
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n{group.name}{address}"))
        for item in group.items:
            style = self.style.WARNING if item.days_overdue else str
            self.stdout.write(style(f"  {item.line}"))

    def _send(self, due):
        try:
            sending = send_reminders(due)
        except MailServerUnreachable as error:
            raise CommandError(str(error)) from error
        for note in sending.notes:
            self.stdout.write(note)
        self.stdout.write(self.style.SUCCESS(f"Sent {plural(sending.sent, 'email')}."))
        if sending.failed:
            raise CommandError("Could not email " + "; ".join(sending.failed))
