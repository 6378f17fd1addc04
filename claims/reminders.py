"""Reviews falling due, by reviewer, and the reminder emails that tell each reviewer theirs.

`manage.py claims_due` prints the lists; with --email it enqueues `claims.tasks.send_review_reminders`
(or, with --inline, sends at once). Both send through `send_reminders`, which emails each reviewer at
most once a day: a reminder sent is recorded (`ops.background.record_step`), so a retry after a failure
emails only those not reached yet, and running the command twice in a day sends nothing new. A reviewer who
turned notifications of reviews due off (notifications.models.Kind.REVIEW_DUE) is sent no list either.
"""

import datetime
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator

from notifications.models import Delivery, Kind
from notifications.services import preference
from ops.background import record_step, step_done

from .links import absolute
from .selectors import articles_due, claims_due

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

    @property
    def email_line(self):
        """The line with the item's full address, for an e-mail read away from the site."""
        return f"{day(self.due)}  {self.when:<19}  {self.what}  {absolute(self.admin_path)}"


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


@dataclass
class DueReviews:
    """What is overdue or due by `horizon`, grouped by reviewer: reviewers by name, the unassigned last."""

    today: datetime.date
    horizon: datetime.date
    claims: list
    articles: list
    groups: list

    @property
    def overdue(self):
        return sum(group.overdue for group in self.groups)


def due_reviews(today, days) -> DueReviews:
    """The approved claims and the articles whose review is overdue or due within `days` days of `today`."""
    horizon = today + datetime.timedelta(days=days)
    claims, articles = list(claims_due(horizon)), list(articles_due(horizon))
    groups = {}
    for reviewer, item in [
        *((claim.reviewed_by, claim_item(claim, today)) for claim in claims),
        *((article.medical_reviewer, article_item(article, today)) for article in articles),
    ]:
        groups.setdefault(reviewer, Group(reviewer)).items.append(item)
    ordered = sorted(groups.values(), key=lambda group: (group.reviewer is None, group.name.lower()))
    for group in ordered:
        # Each list starts with the most overdue.
        group.items.sort(key=lambda item: item.sort_key)
    return DueReviews(today, horizon, claims, articles, ordered)


class MailServerUnreachable(Exception):
    """The mail server could not be reached: no email was sent."""


@dataclass
class Sending:
    """What `send_reminders` did: how many were sent, who was not emailed and why, whose email failed."""

    sent: int = 0
    notes: list = field(default_factory=list)
    failed: list = field(default_factory=list)


def reminder_key(today, reviewer):
    return f"review-reminder:{today.isoformat()}:{reviewer.pk}"


def send_reminders(due: DueReviews) -> Sending:
    """Email each reviewer their own list, once a day; those already emailed today are left out.

    Raises MailServerUnreachable when the mail server cannot be reached. A reviewer whose email the
    server refuses is listed in `failed`; the others are still sent.
    """
    sending = Sending()
    connection = mail.get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as error:
        raise MailServerUnreachable(f"Could not reach the mail server, no email sent: {error}") from error
    with connection:
        for group in due.groups:
            if group.reviewer is None:
                sending.notes.append(f"Not emailed: {plural(len(group.items), 'item')} with no reviewer.")
                continue
            if not group.email:
                sending.notes.append(f"Not emailed: {group.name} has no email address.")
                continue
            if preference(group.reviewer, Kind.REVIEW_DUE) == Delivery.OFF:
                sending.notes.append(f"Not emailed: {group.name} turned notifications of reviews due off.")
                continue
            key = reminder_key(due.today, group.reviewer)
            if step_done(key):
                sending.notes.append(f"Not emailed: {group.name} was emailed today already.")
                continue
            try:
                reminder(group, due.horizon, connection).send()
            except (smtplib.SMTPException, OSError) as error:
                sending.failed.append(f"{group.name} <{group.email}> ({error})")
            else:
                record_step(key)
                sending.sent += 1
    return sending


def reminder(group, horizon, connection):
    count = len(group.items)
    subject = f"{settings.SITE_NAME}: {plural(count, 'review')} due"
    if group.overdue:
        subject += f" ({group.overdue} overdue)"
    body = render_to_string(
        "claims/email/review_due.txt",
        {"group": group, "count": count, "horizon": day(horizon), "site_name": settings.SITE_NAME},
    )
    return mail.EmailMessage(subject, body.strip() + "\n", to=[group.email], connection=connection)
