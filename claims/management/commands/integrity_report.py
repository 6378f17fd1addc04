"""Print the editorial-integrity report of the whole site, as text or CSV, for the editors' meeting; or, with
--enqueue, have a background worker write it to a file in REPORTS_DIR (claims.tasks.write_integrity_report)."""

from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from claims.reports import report_text, site_report, write_report_csv


class Command(BaseCommand):
    help = (
        "Articles ranked by integrity flags (overclaiming, unsourced and suggested claims), then the totals per "
        "evidence status. Archived articles are left out."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=["text", "csv"],
            default="text",
            help="text (default) for reading, csv for a spreadsheet.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Print nothing: a background worker writes the report to a file in REPORTS_DIR, one a day.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            from claims.tasks import report_path, write_integrity_report

            today = timezone.localdate()
            result = write_integrity_report.enqueue(output_format=options["format"], today=today.isoformat())
            path = report_path(today, options["format"])
            self.stdout.write(f"Report queued (task {result.id}): a background worker writes it to {path}")
            return
        report = site_report()
        if options["format"] == "csv":
            admin_url = lambda article: reverse("admin:articles_article_change", args=[article.pk])  # noqa: E731
            write_report_csv(report, self.stdout, admin_url, lineterminator="\n")
            return
        self.stdout.write(report_text(report), ending="")
