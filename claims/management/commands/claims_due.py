import datetime
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from claims.selectors import articles_due, claims_due

NO_REVIEWER = "No reviewer"


def plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


def day(date):
    return f"{date:%d %b %Y}"


@dataclass(frozen=True)
class DueItem:
    """A claim or an article whose review falls due, as one line of text."""

    due: datetime.date
    today: datetime.date
    article_title: str
    admin_path: str
    claim: str = ""  # the shortened quote and condition; empty for an article's own review

    @property
    def what(self):
        if self.claim:
            return f"Claim {self.claim} in “{self.article_title}”"
        return f"Article “{self.article_title}”"

    @property
    def sort_key(self):
        """By date, then each article's own review before its claims'."""
        return (self.due, self.article_title, bool(self.claim), self.claim)

    @property
    def days_overdue(self):
        return max((self.today - self.due).days, 0)

    @property
    def when(self):
        if self.days_overdue:
            return f"OVERDUE by {plural(self.days_overdue, 'day')}"
        days = (self.due - self.today).days
        return "due today" if days == 0 else f"due in {plural(days, 'day')}"

    @property
    def line(self):
        return f"{day(self.due)}  {self.when:<19}  {self.what}  {self.admin_path}"


@dataclass
class Group:
    """Everything due for one reviewer (or for nobody, when no reviewer is recorded)."""

    reviewer: object
    items: list = field(default_factory=list)

    @property
    def name(self):
        if self.reviewer is None:
            return NO_REVIEWER
        return self.reviewer.get_full_name() or self.reviewer.get_username()

    @property
    def email(self):
        return self.reviewer.email if self.reviewer is not None else ""

    @property
    def overdue(self):
        return sum(1 for item in self.items if item.days_overdue)


def claim_item(claim, today):
    summary = f"“{Truncator(claim.quote).chars(60)}” ({claim.condition.name})"
    return DueItem(claim.next_review_due, today, claim.article.title, claim.get_admin_url(), claim=summary)


def article_item(article, today):
    path = reverse("admin:articles_article_change", args=[article.pk])
    return DueItem(article.next_review_due, today, article.title, path)


class Command(BaseCommand):
    help = (
        "List the approved claims and the articles whose next review is overdue or due within --days days, "
        "by reviewer. With --email, send each reviewer their own list through the configured email backend."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=30, help="Include reviews due within this many days (default 30)."
        )
        parser.add_argument(
            "--email",
            action="store_true",
            help="Email each reviewer their list; reviewers without an email address are listed, not emailed.",
        )

    def handle(self, *args, days, email, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        today = timezone.localdate()
        horizon = today + datetime.timedelta(days=days)
        claims, articles = claims_due(horizon), articles_due(horizon)
        groups = {}
        for reviewer, item in [
            *((claim.reviewed_by, claim_item(claim, today)) for claim in claims),
            *((article.medical_reviewer, article_item(article, today)) for article in articles),
        ]:
            groups.setdefault(reviewer, Group(reviewer)).items.append(item)
        if not groups:
            self.stdout.write(f"Nothing is due for review by {day(horizon)} and nothing is overdue.")
            return
        # Reviewers by name, the unassigned last; each list starts with the most overdue.
        ordered = sorted(groups.values(), key=lambda group: (group.reviewer is None, group.name.lower()))
        for group in ordered:
            group.items.sort(key=lambda item: item.sort_key)

        self.stdout.write(f"Reviews overdue or due by {day(horizon)} (the next {plural(days, 'day')}):")
        for group in ordered:
            self._write_group(group)
        overdue = sum(group.overdue for group in ordered)
        self.stdout.write(
            f"\n{plural(len(claims), 'claim')} and {plural(len(articles), 'article')} due, {overdue} overdue."
        )
        if email:
            self._send(ordered, horizon)

    def _write_group(self, group):
        address = f" <{group.email}>" if group.email else ""
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n{group.name}{address}"))
        for item in group.items:
            style = self.style.WARNING if item.days_overdue else str
            self.stdout.write(style(f"  {item.line}"))

    def _send(self, groups, horizon):
        sent, failed = 0, []
        connection = mail.get_connection()
        try:
            connection.open()
        except (smtplib.SMTPException, OSError) as error:
            raise CommandError(f"Could not reach the mail server, no email sent: {error}") from error
        with connection:
            for group in groups:
                if group.reviewer is None:
                    self.stdout.write(f"Not emailed: {plural(len(group.items), 'item')} with no reviewer.")
                    continue
                if not group.email:
                    self.stdout.write(f"Not emailed: {group.name} has no email address.")
                    continue
                try:
                    self._message(group, horizon, connection).send()
                except (smtplib.SMTPException, OSError) as error:
                    failed.append(f"{group.name} <{group.email}> ({error})")
                else:
                    sent += 1
        self.stdout.write(self.style.SUCCESS(f"Sent {plural(sent, 'email')}."))
        if failed:
            raise CommandError("Could not email " + "; ".join(failed))

    def _message(self, group, horizon, connection):
        count = len(group.items)
        subject = f"{settings.SITE_NAME}: {plural(count, 'review')} due"
        if group.overdue:
            subject += f" ({group.overdue} overdue)"
        body = render_to_string(
            "claims/email/review_due.txt",
            {"group": group, "count": count, "horizon": day(horizon), "site_name": settings.SITE_NAME},
        )
        return mail.EmailMessage(subject, body.strip() + "\n", to=[group.email], connection=connection)
