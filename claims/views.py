"""Public pages about conditions and the evidence scale."""

from collections import Counter, defaultdict
from itertools import groupby

from django.db.models import Count
from django.views.generic import DetailView, ListView, TemplateView

from .models import Claim, Condition, EvidenceStatus
from .services import CLAIM_REVIEW_MONTHS


def mapped_claims():
    """Claims shown as evidence on condition pages: approved, anchored, in published articles."""
    return Claim.objects.approved().anchored().for_published_articles()


class ConditionListView(ListView):
    template_name = "claims/condition_list.html"
    context_object_name = "conditions"
    paginate_by = 50

    def get_queryset(self):
        return Condition.objects.filter(pk__in=mapped_claims().values("condition_id")).order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conditions = list(context["conditions"])
        rows = (
            mapped_claims()
            .filter(condition__in=conditions)
            .values("condition_id", "evidence_status_id")
            .annotate(n=Count("pk"))
        )
        counts = defaultdict(Counter)
        for row in rows:
            counts[row["condition_id"]][row["evidence_status_id"]] += row["n"]
        statuses = {s.pk: s for s in EvidenceStatus.objects.all()}
        for condition in conditions:
            condition.evidence_counts = sorted(
                ((statuses[pk], n) for pk, n in counts[condition.pk].items()),
                key=lambda item: (item[0].rank, item[0].name),
            )
        context["conditions"] = context["object_list"] = conditions
        return context


class ConditionDetailView(DetailView):
    """The evidence map of one condition: its approved claims, strongest evidence first."""

    model = Condition
    template_name = "claims/condition_detail.html"
    context_object_name = "condition"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claims = (
            mapped_claims()
            .filter(condition=self.object)
            .select_related("article", "evidence_status")
            .prefetch_related("sources")
            .order_by("evidence_status__rank", "evidence_status__name", "-article__published_at", "start")
        )
        context["evidence_groups"] = [
            (status, list(group)) for status, group in groupby(claims, key=lambda claim: claim.evidence_status)
        ]
        return context


class EvidenceLegendView(TemplateView):
    template_name = "claims/evidence_legend.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = EvidenceStatus.objects.rated().order_by("rank", "name")
        context["claim_review_months"] = CLAIM_REVIEW_MONTHS
        return context
