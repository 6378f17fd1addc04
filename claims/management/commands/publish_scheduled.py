"""Publish the scheduled revisions whose time has come; run it every few minutes (README: "Publishing")."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from claims.publishing import publish_scheduled


class Command(BaseCommand):
    help = (
        "Publish every scheduled revision whose time has come, checking the publication gate again for each. "
        "One that fails the gate stays off, its schedule taken off and the reason kept for its editors."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="Act as if it were this time (ISO 8601, e.g. 2025-06-01T09:00+01:00), for a catch-up or a test.",
        )

    def handle(self, *args, now=None, **options):
        when = _moment(now) if now else timezone.now()
        handled = publish_scheduled(now=when)
        if not handled:
            self.stdout.write("No scheduled revision is due.")
            return
        failed = 0
        for revision, blockers in handled:
            name = f"“{revision.article.title}”, revision {revision.number}"
            if blockers:
                failed += 1
                reasons = " ".join(blocker.text for blocker in blockers)
                self.stderr.write(f"Not published: {name}: {reasons}")
            else:
                self.stdout.write(f"Published: {name}")
        went_live = len(handled) - failed
        self.stdout.write(f"{went_live} published, {failed} not published.")


def _moment(text):
    moment = parse_datetime(text)
    if moment is None:
        raise ValueError(f"Not a date and time: {text!r}")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
