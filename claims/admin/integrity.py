"""The admin's "Integrity report": every current article ranked by what the integrity check flags."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from ..reports import site_report, write_report_csv


class IntegrityReportMixin:
    """Adds /admin/claims/claim/integrity-report/ (and its CSV) for editors and reviewers."""

    def get_urls(self):
        report = path(
            "integrity-report/",
            self.admin_site.admin_view(self.integrity_report_view),
            name="claims_integrity_report",
        )
        return [report, *super().get_urls()]

    def integrity_report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = site_report()
        if request.GET.get("format") == "csv":
            return self._report_csv(request, report)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Integrity report",
            "report": report,
            "totals": report.totals,
            "claim_list_url": reverse("admin:claims_claim_changelist"),
        }
        return TemplateResponse(request, "admin/claims/integrity_report.html", context)

    def _report_csv(self, request, report):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"integrity-report-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        write_report_csv(
            report,
            response,
            admin_url=lambda article: request.build_absolute_uri(
                reverse("admin:articles_article_change", args=[article.pk])
            ),
        )
        return response
