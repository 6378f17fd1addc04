"""Public pages about conditions and the evidence scale."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from .models import Claim, Condition, EvidenceStatus
from .pages.cache import cached
from .services import CLAIM_REVIEW_MONTHS


def mapped_claims():
    """Claims shown as evidence on condition pages: approved, anchored, in published articles."""
    return Claim.objects.approved().anchored().for_published_articles()


class ConditionListView(ListView):
    template_name = "claims/condition_list.html"
    context_object_name = "conditions"
    paginate_by = 50

    def get_queryset(self):
        # One index probe per condition, stopping at its first mapped claim, rather than reading every claim.
        return Condition.objects.filter(Exists(mapped_claims().filter(condition=OuterRef("pk")))).order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conditions = list(context["conditions"])
        rows = cached(
            "condition-list-counts",
            tuple(c.pk for c in conditions),
            lambda: list(
                mapped_claims()
                .filter(condition__in=conditions)
                .values("condition_id", "evidence_status_id")
                .annotate(n=Count("pk"))
                .order_by()  # no default ordering: its joins would make every counted claim look up its article
            ),
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


@dataclass
class Grade:
    """How many of a condition's mapped claims have one evidence grade, and where they start in its map."""

    status: EvidenceStatus
    count: int
    first: int  # position of the grade's first claim in the whole map, from 0
    page: int  # the page of the map on which that claim is


def condition_grades(condition, per_page):
    """The grades of the condition's mapped claims, strongest first: one aggregate query and the statuses."""
    counts = cached(
        "condition-grade-counts",
        (condition.pk,),
        lambda: dict(
            mapped_claims()
            .filter(condition=condition)
            .values_list("evidence_status_id")
            .annotate(n=Count("pk"))
            .order_by()  # grouped by the claim's own column: no join, no default ordering's joins
        ),
    )
    grades, first = [], 0
    for status in EvidenceStatus.objects.filter(pk__in=list(counts)).order_by("rank", "name"):
        count = counts[status.pk]
        grades.append(Grade(status=status, count=count, first=first, page=first // per_page + 1))
        first += count
    return grades


class ConditionMapPaginator(Paginator):
    """Pages of a condition's claims whose database query sorts only the grades that the page shows.

    The grades' counts give the number of claims and where each grade starts, so a page of the
    weakest grade never sorts the thousands of stronger claims before it.
    """

    def __init__(self, claims, per_page, grades, **kwargs):
        super().__init__(claims, per_page, **kwargs)
        self.grades = grades
        self.count = sum(grade.count for grade in grades)  # known: no COUNT query

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        shown = [grade for grade in self.grades if grade.first < top and bottom < grade.first + grade.count]
        start = shown[0].first if shown else 0
        claims = self.object_list.filter(evidence_status__in=[grade.status.pk for grade in shown])
        return self._get_page(claims[bottom - start : top - start], number, self)


class ConditionDetailView(ListView):
    """The evidence map of one condition: its approved claims, strongest evidence first, a page at a time.

    The top of every page counts the condition's claims by grade; a grade that runs over from the
    page before repeats its heading, marked as continued.
    """

    template_name = "claims/condition_detail.html"
    context_object_name = "claims"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        self.condition = get_object_or_404(Condition, slug=kwargs["slug"])
        self.grades = condition_grades(self.condition, self.paginate_by)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (
            mapped_claims()
            .filter(condition=self.condition)
            # Only what the map shows: the sort then carries no article bodies.
            .only("quote", "explanation", "evidence_status", "article__slug", "article__title")
            .select_related("article")
            .prefetch_related("sources")
            .order_by("evidence_status__rank", "evidence_status__name", "-article__published_at", "start", "pk")
        )

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
