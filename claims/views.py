"""Public pages about conditions and the evidence scale.

The conditions list and each evidence map are served whole from the stored list pages (claims.pages.lists).
"""

from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from .citations import sources_prefetch
from .models import Condition, EvidenceStatus
from .pages import lists
from .selectors import MAP_ORDER, condition_evidence_counts, condition_grades, condition_map_claims, mapped_conditions
from .services import CLAIM_REVIEW_MONTHS


class StoredListMixin:
    """A public list whose pages are served whole from the stored list pages (claims.pages.lists)."""

    def get(self, request, *args, **kwargs):
        render = super().get
        return lists.serve(request, lambda: render(request, *args, **kwargs))


class ConditionListView(StoredListMixin, ListView):
    template_name = "claims/condition_list.html"
    context_object_name = "conditions"
    paginate_by = 50

    def get_queryset(self):
        return mapped_conditions()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conditions = list(context["conditions"])
        counts = condition_evidence_counts(conditions)
        for condition in conditions:
            condition.evidence_counts = counts[condition.pk]
        context["conditions"] = context["object_list"] = conditions
        return context


class ConditionMapPaginator(Paginator):
    """Pages of a condition's claims, read a grade at a time through the index in the map's order.

    The grades' kept counts give the number of claims and where each grade starts, so a page reads only
    its own rows of the grades it shows (published_claim_map: condition, grade, then the map's order),
    whatever the number of claims before them; a page across two grades reads each of them.
    """

    def __init__(self, claims, per_page, grades, **kwargs):
        super().__init__(claims, per_page, **kwargs)
        self.grades = grades
        self.count = sum(grade.count for grade in grades)  # known: no COUNT query

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        claims = []
        for grade in self.grades:
            low, high = max(bottom, grade.first) - grade.first, min(top, grade.first + grade.count) - grade.first
            if low >= high:
                continue
            rows = list(self.object_list.filter(evidence_status=grade.status.pk).order_by(*MAP_ORDER)[low:high])
            for claim in rows:
                claim.evidence_status = grade.status  # read with the counts: no join per claim
            claims += rows
        prefetch_related_objects(claims, sources_prefetch())
        return self._get_page(claims, number, self)


class ConditionDetailView(ListView):
    """The evidence map of one condition: its approved claims, strongest evidence first, a page at a time.

    The top of every page counts the condition's claims by grade; a grade that runs over from the
    page before repeats its heading, marked as continued.
    """

    template_name = "claims/condition_detail.html"
    context_object_name = "claims"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        return lists.serve(request, lambda: self.render_map(request, *args, **kwargs))

    def render_map(self, request, *args, **kwargs):
        self.condition = get_object_or_404(Condition, slug=kwargs["slug"])
        self.grades = condition_grades(self.condition, self.paginate_by)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return condition_map_claims(self.condition)

    def get_paginator(self, queryset, per_page, **kwargs):
        return ConditionMapPaginator(queryset, per_page, self.grades, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(condition=self.condition, grades=self.grades, **kwargs)
        grades = {grade.status.pk: grade for grade in self.grades}
        page_start = context["page_obj"].start_index() - 1
        groups = []
        for status_id, claims in groupby(context["claims"], key=lambda claim: claim.evidence_status_id):
            grade = grades[status_id]
            continued = not groups and grade.first < page_start
            groups.append((grade.status, list(claims), continued))
        context["evidence_groups"] = groups
        return context


class EvidenceLegendView(TemplateView):
    template_name = "claims/evidence_legend.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = EvidenceStatus.objects.rated().order_by("rank", "name")
        context["claim_review_months"] = CLAIM_REVIEW_MONTHS
        return context
