"""Print the editorial-integrity report of the whole site, as text or CSV, for the editors' meeting."""

import csv

from django.core.management.base import BaseCommand
from django.urls import reverse

from claims.reports import report_csv_rows, report_text, site_report


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
            writer = csv.writer(self.stdout, lineterminator="\n")
            for row in report_csv_rows(
                report, admin_url=lambda article: reverse("admin:articles_article_change", args=[article.pk])
            ):
                writer.writerow(row)
            return
        self.stdout.write(report_text(report), ending="")
