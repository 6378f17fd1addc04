"""Print the editorial-integrity report of the whole site, as text or CSV, for the editors' meeting."""

from django.core.management.base import BaseCommand
from django.urls import reverse

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

    def handle(self, *args, **options):
        report = site_report()
        if options["format"] == "csv":
            admin_url = lambda article: reverse("admin:articles_article_change", args=[article.pk])  # noqa: E731
            write_report_csv(report, self.stdout, admin_url, lineterminator="\n")
            return
        self.stdout.write(report_text(report), ending="")
