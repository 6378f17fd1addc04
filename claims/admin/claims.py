"""The claim admin: the claim form and list (ClaimAdmin), and the orphaned claims' list."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from articles.admin.history import ReadOnlyHistoryMixin
from articles.admin.ids import CheckedIdsMixin, IdsOnlyAutocompleteSelect, IdsOnlyAutocompleteSelectMultiple
from articles.admin.lists import NarrowRowsChangeList, NarrowRowsMixin, RelatedSearchMixin
from articles.models import Article
from articles.versioning import VersionedAdminMixin

from .. import policy, source_metadata
from ..evidence_watch import findings_of, has_summary, summary_of
from ..filters import ArticleFilter, DueFilter, IntegrityFilter, SentBackFilter
from ..forms import ClaimForm
from ..models import Claim, OrphanedClaim, Outcome, Source
from ..selectors import claim_facts, with_integrity_known
from ..services import claim_save
from ..text.integrity import check_claim
from .comments import CommentsMixin
from .integrity import IntegrityReportMixin
from .review import IntegrityColumnMixin, ReviewActionsMixin


class ClaimChangeList(NarrowRowsChangeList):
    """The page's claims each know whether they cite a source and why an overclaiming approval stands,
    read in the same query."""

    def get_results(self, request):
        self.queryset = with_integrity_known(self.queryset)
        super().get_results(request)


class ClaimColumnsMixin(RelatedSearchMixin, NarrowRowsMixin):
    """List columns that keep a claim's words readable beside long article titles, and a search that its
    indexes answer at a million claims."""

    # The article's title is shown, never its text: lists read it without the body.
    list_deferred_fields = ["article__body", "article__body_html", "article__body_text"]

    @admin.display(description="Claim", ordering="quote")
    def quote_short(self, obj):
        return obj.quote if len(obj.quote) <= 90 else obj.quote[:87] + "…"

    @admin.display(description="Article", ordering="article__title")
    def article_short(self, obj):
        title = obj.article.title
        return title if len(title) <= 40 else format_html('<span title="{}">{}…</span>', title, title[:39])


class SourcesAutocomplete(IdsOnlyAutocompleteSelectMultiple):
    """The sources picker without Select2's "clear all" cross.

    Select2 puts that cross inside the list of chosen sources, which a screen reader then reads as a
    broken list (axe's rule "list"); each chosen source keeps its own remove button.
    """

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-allow-clear"] = "false"
        return attrs


def _without_new_condition(field):
    if isinstance(field, tuple):
        kept = tuple(name for name in field if name != "new_condition")
        return kept[0] if len(kept) == 1 else kept
    return field


class ConditionAutocomplete(IdsOnlyAutocompleteSelect):
    """The conditions picker, saying what it is for while nothing is picked.

    Left empty when a new condition is typed beside it, it is not required, and select2 would then draw an
    empty box with no name for screen readers (axe's rule "aria-input-field-name"): its placeholder names it.
    """

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-placeholder"] = "Search the conditions"
        return attrs


def nothing_found_words(claim) -> str:
    """What "nothing found" means for this claim's sources, saying no more than is known: a source whose
    look-up never answered tells nothing of a retraction or a stopped trial."""
    sources = list(claim.sources.select_related("record"))
    if not sources:
        return "No sources to check: it cites none yet."
    expectation = claim.evidence_status.expectation
    fit = "its sources fit its grade" if expectation.rated and not expectation.any_design else ""
    unknown = [source for source in sources if not source_metadata.has_answer(source)]
    if not unknown:
        known = "none was retracted or stopped"
    elif len(unknown) == len(sources):
        known = (
            "none of its sources has been looked up, so nothing is known of a retraction or a stopped trial"
            if len(sources) > 1
            else "its source has not been looked up, so nothing is known of a retraction or a stopped trial"
        )
    else:
        n = len(unknown)
        has, them = ("has", "it") if n == 1 else ("have", "them")
        known = (
            f"none of those looked up was retracted or stopped; {n} {has} not been looked up, "
            f"so nothing is known of {them}"
        )
    said = f"{fit}, and {known}" if fit else known
    return f"Nothing found: {said}."


@admin.register(Claim)
class ClaimAdmin(
    CommentsMixin,
    CheckedIdsMixin,
    VersionedAdminMixin,
    IntegrityReportMixin,
    IntegrityColumnMixin,
    ReviewActionsMixin,
    ClaimColumnsMixin,
    ReadOnlyHistoryMixin,
    SimpleHistoryAdmin,
):
    form = ClaimForm
    list_display = [
        "quote_short",
        "article_short",
        "condition",
        "evidence",
        "integrity",
        "review_state",
        "is_orphaned",
        "created_by",
        "reviewed_at",
    ]
    list_filter = [
        "review_state",
        SentBackFilter,
        DueFilter,
        "text_changed",
        "is_orphaned",
        "evidence_status",
        IntegrityFilter,
        "condition",
        ArticleFilter,
    ]
    list_select_related = ["article", "condition", "evidence_status", "created_by", "reviewed_by"]
    show_full_result_count = False  # a second count of every claim; the counts by state are above the list
    search_fields = ["quote", "article__title", "condition__name", "explanation"]
    autocomplete_fields = ["condition", "sources"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "condition":
            kwargs["widget"] = ConditionAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "sources":
            kwargs["widget"] = SourcesAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    object_history_list_template = "admin/_history_list.html"
    review_fields = [
        "review_state",
        "reviewed_by",
        "reviewed_at",
        "next_review_due",
        "created_by",
        "last_changed_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["article_link", "wording_check", "source_check", *review_fields]
    fieldsets = [
        ("Sentence", {"fields": ["article_link", "sentence", "part", "wording_check"]}),
        (
            "Evidence",
            {
                "fields": [
                    ("condition", "new_condition"),
                    "evidence_status",
                    "sources",
                    "new_sources",
                    "source_check",
                    "explanation",
                ]
            },
        ),
        ("For the reviewer", {"fields": ["reviewer_note", "submit_for_review"]}),
        ("Review", {"fields": review_fields}),
    ]

    class Media:
        css = {"all": ["admin/editorial.css", "admin/safekeeping.css"]}
        js = ["admin/claims/claim_form.js"]

    @admin.display(description="Evidence", ordering="evidence_status__rank")
    def evidence(self, obj):
        return format_html("{} {}", obj.evidence_status.symbol, obj.evidence_status.name)

    @admin.display(description="Article")
    def article_link(self, obj):
        if not obj.article_id:
            return "—"
        article = obj.article
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:articles_article_change", args=[article.pk]), article.title
        )

    @admin.display(description="Wording check")
    def wording_check(self, obj):
        if obj is None or obj.pk is None:
            return "Checked once the claim is saved."
        check = check_claim(claim_facts(obj))
        override = ""
        if (check.overclaiming or check.causal) and obj.is_approved:
            override = Claim.objects.with_override_reason().values_list("override_reason", flat=True).get(pk=obj.pk)
        return render_to_string("admin/claims/claim/_wording_check.html", {"check": check, "override": override})

    @admin.display(description="Sources check")
    def source_check(self, obj):
        """What the claim's sources say against its grade: designs, retractions, stopped trials, new results."""
        if obj is None or obj.pk is None:
            return "Checked once the claim is saved."
        found = summary_of(obj) if has_summary(obj) else findings_of(obj)
        if found:
            return render_to_string("admin/claims/_source_findings.html", {"found": found})
        return format_html('<p class="source-findings">{}</p>', nothing_found_words(obj))

    # The article a new claim belongs to comes from the "add claim" link (?article=ID).
    def _article_from_request(self, request):
        value = request.GET.get("article") or request.POST.get("article")
        # isdigit() alone accepts "²" and other digits int() refuses.
        if value and value.isascii() and value.isdigit():
            return Article.objects.filter(pk=value).first()
        return None

    def get_changelist(self, request, **kwargs):
        return ClaimChangeList

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # "Or add a new condition" only for those who may add conditions, on a form they may save.
        if self._offers_new_condition(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": [_without_new_condition(field) for field in options["fields"]]})
            for name, options in fieldsets
        ]

    def _offers_new_condition(self, request, obj=None):
        may_save = self.has_change_permission(request, obj) if obj is not None else self.has_add_permission(request)
        return may_save and policy.may_add_condition(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        article = obj.article if obj else self._article_from_request(request)
        may_add_condition = self._offers_new_condition(request, obj)

        class ClaimFormForArticle(form_class):
            def __init__(self, *args, **kw):
                kw.setdefault("article", article)
                kw.setdefault("may_add_condition", may_add_condition)
                super().__init__(*args, **kw)

        return ClaimFormForArticle

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if request.GET.get("sentence"):
            initial["sentence"] = request.GET["sentence"]
        return initial

    def add_view(self, request, form_url="", extra_context=None):
        if self._article_from_request(request) is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return self.article_picker_view(request)
        return super().add_view(request, form_url, extra_context)

    def article_picker_view(self, request):
        query = request.GET.get("q", "").strip()[:200]
        articles = Article.objects.current().order_by("-updated_at")
        if query:
            articles = articles.filter(title__icontains=query)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Add claim: choose the article",
            "articles": articles[:50],
            "query": query,
        }
        return TemplateResponse(request, "admin/claims/claim/choose_article.html", context)

    def changelist_view(self, request, extra_context=None):
        # Without the default ordering, which would join articles and conditions into the count, and counting rows
        # (COUNT(*)) rather than ids: PostgreSQL then counts from the index on the state alone.
        counts = dict(Claim.objects.order_by().values_list("review_state").annotate(n=Count("*")))
        extra_context = {
            **(extra_context or {}),
            "state_counts": [(value, label, counts.get(value, 0)) for value, label in Claim.ReviewState.choices],
            "orphan_count": Claim.objects.filter(is_orphaned=True).count(),
        }
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            # Refused unless the claim is still at the version the editor opened: a reviewer's decision
            # or a re-anchoring since then raised it. Taking the version also locks the row, so a
            # decision arriving now waits for this save and is applied after it.
            self.take_version(obj, form)
        # The claim is saved with its sources by claim_save, in save_related.

    def response_add(self, request, obj, post_url_continue=None):
        # Claims are made from the article's sentence list: go back there to make the next one.
        if "_continue" in request.POST or "_addanother" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, f"Claim added: {obj}.", messages.SUCCESS)
        # A warning about its wording or sources is shown at the top of the page: keep it in view.
        fragment = "" if getattr(request, "_integrity_warned", False) else "#sentences"
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.article_id]) + fragment)

    # History: revisions can be read, never restored (ReadOnlyHistoryMixin): simple-history's revert
    # would save the old fields without the form's comparison with the claim as it is now, so an
    # approved claim would keep its approval with another grade, condition or explanation.

    def has_delete_permission(self, request, obj=None):
        return policy.may_delete_claim(request.user, obj)

    def delete_queryset(self, request, queryset):
        if not self.has_review_permission(request) and queryset.approved().exists():
            self.message_user(
                request, "Approved claims were kept: only a reviewer may delete an approved claim.", messages.ERROR
            )
            queryset = queryset.exclude(review_state=Claim.ReviewState.APPROVED)
        super().delete_queryset(request, queryset)

    def save_related(self, request, form, formsets, change):
        """Save the claim, its sources and its submission in one service call (claims.services.claim_save).

        A condition typed beside the list is added first, in the same transaction, and becomes the claim's.
        """
        claim = form.instance
        condition = form.save_new_condition()
        if condition is not None:
            self.log_addition(request, condition, "Added from a claim's form.")
            self.message_user(request, f"Condition added: {condition}.", messages.SUCCESS)
        saved = claim_save(
            claim=claim,
            user=request.user,
            changed_fields=set(form.changed_data) | form.apply_anchor() | ({"condition"} if condition else set()),
            sources=form.cleaned_data.get("sources") or [],
            new_source_identifiers=form.cleaned_data.get("new_sources") or [],
            old_explanation=form.initial.get("explanation", ""),
            submit=bool(form.cleaned_data.get("submit_for_review")),
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        if saved.withdrawal:
            self.message_user(request, f"{saved.withdrawal} The claim goes back to the reviewers.", messages.WARNING)
        if saved.released:
            self.message_user(request, saved.released, messages.WARNING)
        for problem in saved.problems:
            self.message_user(request, problem, messages.ERROR)
        self._tell_lookups(request, saved.added_sources)
        self._warn_of_integrity_flags(request, claim)

    def _tell_lookups(self, request, added):
        """Each source this save added whose look-up has not answered yet: queued, turned off, failed…"""
        fresh = Source.objects.select_related("record").filter(pk__in=[source.pk for source in added])
        for source in sorted(fresh, key=lambda s: s.identifier_label):
            outcome, _ = source_metadata.outcome_of(source)
            if outcome == Outcome.LOOKED_UP:
                continue
            level = messages.WARNING if outcome in (Outcome.OFF, Outcome.FAILED, Outcome.NOT_FOUND) else messages.INFO
            self.message_user(request, source_metadata.lookup_message(source), level)

    def _warn_of_integrity_flags(self, request, claim):
        """Say at once when the saved claim overclaims or cites nothing, rather than at review."""
        check = check_claim(claim_facts(claim))
        request._integrity_warned = check.overclaiming or check.unsourced or check.causal is not None
        if check.overclaiming:
            self.message_user(
                request,
                f"Overclaiming: “{Truncator(claim.quote).chars(70)}” is worded as {check.rating.strength.label}, "
                f"more strongly than “{claim.evidence_status.name}” allows ({check.claim.allowed.label}). "
                "Its page suggests softer wording; a reviewer can approve it as it is only with a written reason.",
                messages.WARNING,
            )
        if check.causal is not None:
            self.message_user(
                request,
                f"Causal wording for an association: “{Truncator(claim.quote).chars(70)}” claims a cause, but "
                f"{check.causal.reason}. Its page suggests association wording; a reviewer can approve it as it is "
                "only with a written reason.",
                messages.WARNING,
            )
        if check.unsourced:
            self.message_user(
                request,
                f"Unsourced: “{Truncator(claim.quote).chars(70)}” cites no source yet: it cannot be approved "
                "without one.",
                messages.WARNING,
            )


@admin.register(OrphanedClaim)
class OrphanedClaimAdmin(CheckedIdsMixin, ClaimColumnsMixin, admin.ModelAdmin):
    """Where editors settle claims that lost their sentence: re-attach each one, or delete it."""

    list_display = ["orphan", "article_short", "condition"]
    list_display_links = None
    list_filter = [ArticleFilter, "condition"]
    list_select_related = ["article", "condition", "evidence_status"]
    search_fields = ["quote", "article__title"]
    actions = ["delete_selected"]

    class Media:
        css = {"all": ["admin/editorial.css"]}

    @admin.display(description="Claim", ordering="quote")
    def orphan(self, obj):
        return format_html(
            '{}<br><a class="button" href="{}">Re-attach to a sentence</a>', self.quote_short(obj), obj.get_admin_url()
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # re-attaching happens in the claim form, which the link opens

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("claims.view_claim")

    def has_delete_permission(self, request, obj=None):
        return policy.may_delete_claim(request.user, obj)

    def has_module_permission(self, request):
        return request.user.has_perm("claims.view_claim")
