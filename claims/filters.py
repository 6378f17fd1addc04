"""Admin list filters for claims."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import PAGE_VAR
from django.db.models import Exists, OuterRef, Q

from articles.filters import ReviewDueFilter

from . import worklists
from .evidence_watch import finding_condition, with_source_summary
from .models import Claim
from .policy import approval_blocker
from .text import source_findings

WORDS_LIMIT = 200  # characters of the typed words that are kept


class DueFilter(ReviewDueFilter):
    """Review due, for claims: only an approved claim's date stands; other claims count as having none."""

    def standing_review_date(self):
        return super().standing_review_date() & Q(review_state=Claim.ReviewState.APPROVED)


class WordsFilter(admin.ListFilter):
    """Rows whose related article, condition or person has the words typed, or the one a link chose.

    A list of links would name every related row in the sidebar (a thousand articles on a large
    site) and read them all on every page. Instead the sidebar has a box for words, and names the one
    row a link chose (`?article__id__exact=ID`, as the article's page links to its claims). That name
    is read from the list's own rows, which all point to it.
    """

    template = "admin/claims/words_filter.html"
    relation = ""  # the foreign key filtered on
    word_fields = ()  # fields of the related row that the words are looked for in
    label = ""  # what the box asks for

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.related_model = model._meta.get_field(self.relation).related_model
        for name in self.expected_parameters():
            if name in params:
                self.used_parameters[name] = params.pop(name)[-1]
        self.words = self.used_parameters.get(self.words_parameter, "")[:WORDS_LIMIT].strip()
        chosen = self.used_parameters.get(self.id_parameter, "")
        # Ids are 64-bit: a longer number names nothing and would overflow the database's integer.
        self.chosen_id = int(chosen) if chosen.isascii() and chosen.isdigit() and int(chosen) < 2**63 else None
        self.refused = bool(chosen) and self.chosen_id is None

    @property
    def id_parameter(self):
        return f"{self.relation}__id__exact"

    @property
    def words_parameter(self):
        return f"{self.relation}_words"

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.id_parameter, self.words_parameter]

    def queryset(self, request, queryset):
        if self.refused:
            raise IncorrectLookupParameters(f"{self.id_parameter} takes a number.")
        if self.chosen_id is not None:
            queryset = queryset.filter(**{f"{self.relation}_id": self.chosen_id})
        for word in self.words.split():
            anywhere = Q()
            for field in self.word_fields:
                anywhere |= Q(**{f"{self.relation}__{field}__icontains": word})
            queryset = queryset.filter(anywhere)
        return queryset

    def chosen(self, changelist):
        """The row a link chose, from the list's first row; read on its own only when the list is empty."""
        rows = list(changelist.result_list)
        if rows:
            return getattr(rows[0], self.relation)
        return self.related_model._default_manager.filter(pk=self.chosen_id).first()

    def choices(self, changelist):
        mine = self.expected_parameters()
        yield {
            "selected": self.chosen_id is None and not self.words,
            "query_string": changelist.get_query_string(remove=mine),
            "display": "All",
        }
        if self.chosen_id is not None:
            chosen = self.chosen(changelist)
            yield {
                "selected": True,
                "query_string": changelist.get_query_string(),
                "display": str(chosen) if chosen else f"Number {self.chosen_id} (no longer there)",
            }
        # The box keeps every other filter, the search and the ordering; new words start at page 1.
        kept = [
            (name, value)
            for name, values in changelist.filter_params.items()
            if name not in mine and name != PAGE_VAR
            for value in values
        ]
        yield {"words_form": True, "name": self.words_parameter, "value": self.words, "kept": kept}


class ArticleFilter(WordsFilter):
    title = "article"
    relation = "article"
    word_fields = ("title",)
    label = "Title has the words"


class ConditionFilter(WordsFilter):
    title = "condition"
    relation = "condition"
    word_fields = ("name", "synonyms")
    label = "Name has the words"


class AuthorFilter(WordsFilter):
    title = "author"
    relation = "created_by"
    word_fields = ("username", "first_name", "last_name")
    label = "Name has the words"


class IntegrityFilter(admin.SimpleListFilter):
    """Claims the integrity check flags: worded more strongly than their grade allows, claiming a cause their
    evidence cannot support (causal wording for an association, from the stored reading), or citing nothing.

    Claims a reviewer approved as they are, with a written reason, have choices of their own, as have claims
    within their grade whose wording sells the result (promotional wording, from the stored reading: advice,
    not one of "Any of these").
    """

    title = "integrity"
    parameter_name = "integrity"

    def lookups(self, request, model_admin):
        return [
            ("overclaiming", "⚠ Overclaiming"),
            ("causal", "⇏ Causal wording for an association"),
            ("unsourced", "∅ Unsourced"),
            ("flagged", "Any of these"),
            ("clear", "None of these"),
            ("overridden", "Approved despite overclaiming"),
            ("causal_overridden", "Approved despite causal wording"),
            ("promotional", "✦ Promotional wording"),
            *((kind, label) for kind, label in source_findings.KINDS.items()),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "overclaiming":
            return queryset.overclaiming_open()
        if value == "unsourced":
            return queryset.unsourced()
        if value == "overridden":
            return queryset.approved_despite_overclaiming()
        if value == "causal":
            return queryset.causal_for_association_open()
        if value == "causal_overridden":
            return queryset.approved_despite_causal_wording()
        if value == "promotional":
            return queryset.promotional()
        if value in source_findings.KINDS:
            return with_source_summary(queryset).filter(finding_condition(value))
        flagged = (
            Q(pk__in=Claim.objects.overclaiming_open().values("pk"))
            | Q(pk__in=Claim.objects.causal_for_association_open().values("pk"))
            | Q(pk__in=Claim.objects.unsourced().values("pk"))
        )
        if value == "flagged":
            return queryset.filter(flagged)
        if value == "clear":
            return queryset.exclude(flagged)
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    """The review queue's claims by their open assignment: to the one looking, to nobody, to anyone."""

    title = "assignment"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "To me"), ("none", "Unassigned"), ("any", "To anyone")]

    target = "claim"

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(worklists.assignment_condition(self.target, request.user))
        if value == "none":
            return queryset.exclude(worklists.assignment_condition(self.target))
        if value == "any":
            return queryset.filter(worklists.assignment_condition(self.target))
        return queryset


class ReadinessFilter(admin.SimpleListFilter):
    """Claims ready to approve, or blocked: held back by what claims.policy.approval_blocker names (the rule
    the approval itself applies), read for the claims the list holds."""

    title = "approval"
    parameter_name = "approval"

    def lookups(self, request, model_admin):
        return [("ready", "Ready to approve"), ("blocked", "Blocked (cannot be approved yet)")]

    def queryset(self, request, queryset):
        value = self.value()
        if value not in ("ready", "blocked"):
            return queryset
        blocked = approval_blocked_ids(queryset)
        return queryset.filter(pk__in=blocked) if value == "blocked" else queryset.exclude(pk__in=blocked)


def approval_blocked_ids(queryset) -> list[int]:
    """Ids of the claims in `queryset` that claims.policy.approval_blocker holds back: one query."""
    # The rule asks whether each claim cites a source, never which: read beside it, in the same query.
    cites = Exists(Claim.sources.through.objects.filter(claim=OuterRef("pk")))
    rows = (
        Claim.objects.filter(pk__in=queryset.order_by().values("pk"))
        .select_related("evidence_status")
        .only("pk", "is_orphaned", "evidence_status")
        .annotate(cites_a_source=cites)
    )
    return [claim.pk for claim in rows if approval_blocker(claim, cites_a_source=claim.cites_a_source)]


class SentBackFilter(admin.SimpleListFilter):
    """Claims a reviewer sent back to their editor (changes requested or rejected): yours, or anyone's."""

    title = "sent back"
    parameter_name = "sent_back"

    def lookups(self, request, model_admin):
        return [("me", "Sent back to me"), ("anyone", "Sent back to anyone")]

    def queryset(self, request, queryset):
        match self.value():
            case "me":
                return worklists.sent_back(queryset, request.user)
            case "anyone":
                return worklists.sent_back(queryset)
        return queryset


class GateFilter(admin.SimpleListFilter):
    """Articles by what the publication gate still asks of their draft: claims to settle, or a sign-off."""

    title = "publication gate"
    parameter_name = "gate"

    def lookups(self, request, model_admin):
        return [
            ("blocked", "Blocked by its claims"),
            ("sign_off", "Waiting for a medical sign-off"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "blocked":
                return worklists.gate_blocked(queryset)
            case "sign_off":
                return queryset.filter(pk__in=worklists.awaiting_sign_off_ids(queryset))
        return queryset


class ReviewAssignedFilter(AssignedFilter):
    """Articles by the open assignment of their draft's medical review."""

    title = "review assignment"
    parameter_name = "review_assigned"
    target = "article"
