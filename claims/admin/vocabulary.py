"""The admins of what claims are made with: conditions, evidence statuses and sources.

A row that claims use is never deleted from under them: conditions and grades are refused with a
message (InUseMixin), cited sources are listed as protected on the delete page. A source changed
here goes through claims.source_review, which withdraws the approvals its change undermines.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, F, Func, OuterRef, ProtectedError, Subquery
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from articles.admin.ids import CheckedIdsMixin, as_id
from articles.admin.lists import KeysFirstChangeList, KeysFirstPaginator
from articles.forms import StatedLimitsMixin, StatedLimitsModelForm
from articles.models import Article

from .. import policy, source_metadata
from ..forms import ConditionForm
from ..models import Claim, Condition, EvidenceStatus, Outcome, Source, SourceEvent
from ..source_metadata import source_facts
from ..source_review import DETAILS, source_change
from ..text import identifiers


class ClaimCountMixin:
    """Adds a "claims" column counting the claims that use each row.

    Counted by a subquery per row rather than by grouping the join: the database then counts for the
    rows of the page alone (a source cited by a thousand claims among a million is a thousand index
    entries), where grouping read every claim link first, some ten seconds at a million claims.
    `claim_rows` names the rows that count: claims by a field, or the links of a many-to-many.
    """

    claim_field = ""  # the Claim field naming the row
    paginator = KeysFirstPaginator  # counted for the page's rows only, however deep the page

    def claim_rows(self):
        return Claim.objects.filter(**{self.claim_field: OuterRef("pk")})

    def get_queryset(self, request):
        rows = self.claim_rows().order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
        counted = super().get_queryset(request).annotate(claim_count=Subquery(rows))
        return counted.order_by(*(self.model._meta.ordering or ["pk"]))

    def get_changelist(self, request, **kwargs):
        return KeysFirstChangeList

    @admin.display(description="Claims", ordering="claim_count")
    def claims_count(self, obj):
        return obj.claim_count


class InUseMixin:
    """Rows that claims use (on_delete=PROTECT) are refused with a message, never a server error.

    The delete pages list the claims that use a row before anyone confirms. A claim added between
    that check and the deletion makes the database refuse it: the whole request is rolled back and
    the editor is told why.
    """

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ProtectedError as refusal:
            self.message_user(request, self._in_use_message(refusal), messages.ERROR)
            return HttpResponseRedirect(reverse(f"admin:claims_{self.opts.model_name}_changelist"))

    def changelist_view(self, request, extra_context=None):
        try:
            with transaction.atomic():  # the bulk delete logs its deletions first: undo them too
                return super().changelist_view(request, extra_context)
        except ProtectedError as refusal:
            self.message_user(request, self._in_use_message(refusal), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def _in_use_message(self, refusal):
        n = len(refusal.protected_objects)
        name = self.opts.verbose_name
        return (
            f"Nothing was deleted: {n} claim{pluralize(n)} now use{pluralize(n, 's,')} the {name} you chose to "
            f"delete (added after the confirmation page was shown). Give {'it' if n == 1 else 'them'} another "
            f"{name} first."
        )


@admin.register(Condition)
class ConditionAdmin(CheckedIdsMixin, InUseMixin, ClaimCountMixin, admin.ModelAdmin):
    claim_field = "condition"
    form = ConditionForm
    list_display = ["name", "icd10_code", "mesh_id", "claims_count"]
    search_fields = ["name", "synonyms", "icd10_code", "mesh_id"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "icd10_code", "mesh_id", "synonyms", "description"]

    def response_add(self, request, obj, post_url_continue=None):
        # Added from a suggested claim's "Add “Asthma” as a condition" (?article=<id>): go back to that
        # article's integrity panel, where the sentence now names the new condition.
        article_id = as_id(Article._meta.pk, request.GET.get("article"))
        article = Article.objects.filter(pk=article_id).first() if article_id is not None else None
        if article is None or {"_continue", "_addanother", "_popup"} & set(request.POST):
            return super().response_add(request, obj, post_url_continue)
        message = f"Condition added: {obj}. Sentences naming it are now suggested as claims about it."
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]) + "#integrity")


class EvidenceStatusForm(StatedLimitsModelForm):
    expected_designs = forms.MultipleChoiceField(
        label="Designs it expects",
        choices=Source.Design.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=EvidenceStatus._meta.get_field("expected_designs").help_text,
    )

    expected_count = forms.IntegerField(
        label="How many of them",
        min_value=1,
        max_value=20,
        required=False,
        help_text=EvidenceStatus._meta.get_field("expected_count").help_text + " Left blank: one.",
    )

    class Meta:
        model = EvidenceStatus
        fields = "__all__"

    def clean_expected_count(self):
        return self.cleaned_data.get("expected_count") or 1


@admin.register(EvidenceStatus)
class EvidenceStatusAdmin(CheckedIdsMixin, InUseMixin, ClaimCountMixin, admin.ModelAdmin):
    claim_field = "evidence_status"
    form = EvidenceStatusForm
    list_display = ["name", "badge_preview", "rank", "wording_strength", "is_rated", "claims_count"]
    list_editable = ["rank", "wording_strength"]
    list_display_links = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "slug",
        "rank",
        "symbol",
        "badge_text",
        "tone",
        "is_rated",
        "description",
        "wording_strength",
        "wording_guidance",
        "expected_designs",
        "expected_count",
        "supports_causal_wording",
    ]

    @admin.display(description="Badge readers see")
    def badge_preview(self, obj):
        return format_html("{} {}", obj.symbol, obj.badge_text)


class SourceAdminForm(StatedLimitsMixin, forms.ModelForm):
    class Meta:
        model = Source
        fields = ["kind", "identifier", "title", "authors", "journal", "year", "design", "design_by_hand"]
        # Titles run long: the title's box takes the form's width (static/admin/editorial.css).
        widgets = {
            "authors": forms.Textarea(attrs={"rows": 2}),
            "title": forms.TextInput(attrs={"class": "vWideTitle"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:  # absent when the user may only view sources (reviewers)
            self.fields["kind"].required = False
            self.fields["kind"].help_text = "Leave empty to recognise it from the identifier."
        if "design" in self.fields:  # left out of a form posted without it: the design stays as it is
            self.fields["design"].required = False
        typed = "Leave empty for the look-up to fill in; typed, it is kept."
        for name in Source.CITATION_FIELDS:
            if name in self.fields:
                self.fields[name].help_text = " ".join(filter(None, [self.fields[name].help_text, typed]))
        if self.instance.pk and "identifier" in self.fields:
            identifier = self.fields["identifier"]
            identifier.help_text = (
                f"{identifier.help_text} Changing the kind or identifier points every claim citing this source at "
                "another study: approved ones go back to review. To cite another study in one claim, change that "
                "claim's sources instead."
            )

    def clean_design(self):
        return self.cleaned_data.get("design") or self.instance.design

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("identifier", "")
        if value and not cleaned.get("kind"):
            try:
                cleaned["kind"], cleaned["identifier"] = identifiers.detect(value)
            except identifiers.IdentifierError as error:
                self.add_error("identifier", str(error))
            else:
                self.instance.kind = cleaned["kind"]
        return cleaned


# What the Sources list marks on a source, from its events: (event kind, symbol, words).
EVENT_MARKS = [
    (SourceEvent.Kind.RETRACTION, "✖", "Retracted"),
    (SourceEvent.Kind.EXPRESSION_OF_CONCERN, "⚠", "Under concern"),
    (SourceEvent.Kind.TRIAL_STOPPED, "■", "Trial stopped"),
]


def _lookup_level(source):
    outcome, _ = source_metadata.outcome_of(source)
    return messages.WARNING if outcome == Outcome.OFF else messages.INFO


def _correction_words(result) -> str:
    """What a save that changed the source's title or year did to the claims citing it, as things stand: a
    citation filled in is not a correction, and an approval is mentioned only when one of them has one."""
    filled = all(before in ("", None) for _, before, _ in result.corrections)
    fields = " and ".join(name for name, _, _ in result.corrections)
    n = result.citing
    said = f"{fields.capitalize()} {'filled in' if filled else 'corrected'}: recorded in the history of the "
    said += "claim citing this source" if n == 1 else f"{n} claims citing this source"
    approved = Claim.objects.filter(sources=result.source.pk, review_state=Claim.ReviewState.APPROVED).count()
    if approved and approved == n:
        said += "; its approval stands" if n == 1 else "; their approvals stand"
    elif approved:
        said += "; the approved one keeps its approval" if approved == 1 else f"; the {approved} approved keep theirs"
    return said + "."


@admin.register(Source)
class SourceAdmin(CheckedIdsMixin, ClaimCountMixin, admin.ModelAdmin):
    form = SourceAdminForm

    def claim_rows(self):
        return Claim.sources.through.objects.filter(source=OuterRef("pk"))  # the links: one per citing claim

    # Five compact columns fit 1280 px beside the filters: the kind, link and year fold into the source's.
    list_display = ["citation", "design", "lookup_outcome", "what_happened", "claims_count"]
    list_display_links = ["citation"]
    list_filter = ["kind", "design", "record__outcome"]
    search_fields = ["identifier", "title", "authors"]
    list_select_related = ["record"]
    readonly_fields = ["looked_up", "differences", "events"]
    actions = ["look_up_again"]
    fieldsets = [
        (None, {"fields": ["kind", "identifier"]}),
        ("Citation", {"fields": ["title", "authors", "journal", "year", "differences"]}),
        ("Study design", {"fields": ["design", "design_by_hand"]}),
        ("Looked up", {"fields": ["looked_up"]}),
        ("What happened to it", {"fields": ["events"]}),
    ]

    class Media:
        css = {"all": ["admin/editorial.css"]}

    def get_urls(self):
        take = path(
            "<path:object_id>/take-looked-up/",
            self.admin_site.admin_view(self.take_view),
            name="claims_source_take",
        )
        return [take, *super().get_urls()]

    def _editor_choices(self, obj, form, change):
        """Which citation fields the editor typed, and whether the design is theirs, after this save."""
        changed = form.changed_data
        obj.hand_set = source_metadata.typed_fields(obj, changed)
        if "design_by_hand" in changed and not obj.design_by_hand:
            record = getattr(obj, "record", None) if change else None
            obj.design = record.derived_design if record and record.outcome == Outcome.LOOKED_UP else obj.design
        elif obj.design != (form.initial.get("design") or Source._meta.get_field("design").default):
            obj.design_by_hand = True

    def save_model(self, request, obj, form, change):
        self._editor_choices(obj, form, change)
        if not change:
            super().save_model(request, obj, form, change)
            self.message_user(request, source_metadata.lookup_message(obj), _lookup_level(obj))
            return
        # Through the service: the claims citing the source answer for the change in this transaction.
        result = source_change(
            source=obj,
            user=request.user,
            kind=obj.kind,
            identifier=obj.identifier,
            title=obj.title,
            year=obj.year,
            details={name: getattr(obj, name) for name in DETAILS},
        )
        request._source_change = result
        if result.repointed:  # about another study now: looked up anew, as a new source is
            self.message_user(request, source_metadata.lookup_message(result.source), _lookup_level(result.source))
        elif source_metadata.look_up_if_never(result.source):  # made while look-ups were off
            self.message_user(request, source_metadata.lookup_message(result.source), messages.INFO)
        if result.withdrawn:
            n = len(result.withdrawn)
            them = "it" if n == 1 else "them"
            self.message_user(
                request,
                f"Approval withdrawn from {n} claim{pluralize(n)} citing this source: it now names {result.now}, "
                f"not {result.was}. The reviewers decide on {them} again; as the last to change {them}, you cannot.",
                messages.WARNING,
            )
        elif result.corrections and result.citing:
            self.message_user(request, _correction_words(result), messages.INFO)

    def construct_change_message(self, request, form, formsets, add=False):
        result = getattr(request, "_source_change", None)
        return (
            result.summary() if result is not None else super().construct_change_message(request, form, formsets, add)
        )

    @admin.display(description="Look-up", ordering="record__outcome")
    def lookup_outcome(self, obj):
        outcome, _ = source_metadata.outcome_of(obj)
        return Outcome(outcome).label

    @admin.display(description="What the look-up found")
    def looked_up(self, obj):
        if obj is None or obj.pk is None:
            return "Looked up once the source is saved (a web address never is)."
        return render_to_string(
            "admin/claims/source/_looked_up.html",
            {"source": obj, "facts": source_facts(obj)},
        )

    @admin.display(description="Events")
    def events(self, obj):
        """What the evidence watch recorded of this source, newest first, and the alerts each raised."""
        if obj is None or obj.pk is None:
            return "Nothing yet: events are recorded from the source's look-ups."
        events = obj.events.order_by("-date", "-pk").prefetch_related("alerts__claim")
        context = {"source": obj, "events": events, "looked_up": source_metadata.has_answer(obj)}
        return render_to_string("admin/claims/source/_events.html", context)

    @admin.display(description="Typed by hand, looked up otherwise")
    def differences(self, obj):
        if obj is None or obj.pk is None:
            return "Compared once the source is saved and looked up."
        if not obj.is_looked_up:
            return "A web address is never looked up: there is nothing to compare what was typed with."
        if not source_metadata.has_answer(obj):
            return "No look-up has answered yet: there is nothing to compare what was typed with."
        found = source_metadata.differences(obj)
        if not found:
            return "No typed value differs from the look-up."
        return render_to_string("admin/claims/source/_differences.html", {"source": obj, "differences": found})

    @admin.action(description="Look up again at PubMed, Crossref or ClinicalTrials.gov", permissions=["change"])
    def look_up_again(self, request, queryset):
        asked = sum(source_metadata.request_lookup(source) for source in queryset)
        skipped = queryset.count() - asked
        if not source_metadata.lookups_on():
            self.message_user(request, source_metadata.OFF_DETAIL, messages.WARNING)
            return
        parts = [f"{asked} source{pluralize(asked)} will be looked up again in the background."]
        if skipped:
            parts.append(f"{skipped} web address{pluralize(skipped, 'es')} left out: they are never fetched.")
        self.message_user(request, " ".join(parts), messages.INFO)

    def take_view(self, request, object_id):
        """Replace a typed value with the looked-up one (the button beside a difference, naming the field)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        source = self.get_object(request, object_id)
        if source is None:
            raise Http404("No such source.")
        if not (self.has_change_permission(request, source) and policy.may_change_sources(request.user)):
            raise PermissionDenied
        if source_metadata.take_looked_up(source, request.POST.get("field", ""), request.user) is None:
            self.message_user(request, "There is no looked-up value to take.", messages.WARNING)
        else:
            self.message_user(request, "The looked-up value replaced the typed one.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:claims_source_change", args=[source.pk]))

    def get_queryset(self, request):
        events = SourceEvent.objects.filter(source=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(**{f"has_{kind}": Exists(events.filter(kind=kind)) for kind, _, _ in EVENT_MARKS})
        )

    @admin.display(description="Source", ordering="title")
    def citation(self, obj):
        return format_html(
            '{}<br><a href="{}" rel="nofollow noopener" target="_blank" title="{}">{}'
            '<span aria-hidden="true"> ↗</span></a>',
            str(obj),
            obj.url,
            obj.get_kind_display(),
            obj.citation_label,
        )

    @admin.display(description="Events")
    def what_happened(self, obj):
        """A retraction, an expression of concern or a stopped trial, each in a symbol and words."""
        marks = [(symbol, words) for kind, symbol, words in EVENT_MARKS if getattr(obj, f"has_{kind}", False)]
        if not marks:
            return "—"
        return format_html_join("", '<span class="source-mark"><span aria-hidden="true">{}</span> {}</span><br>', marks)

    def get_deleted_objects(self, objs, request):
        # Deleting a cited source would silently take it out of claims, approved ones included, with
        # no reviewer seeing the change: like a condition in use, it is kept until no claim cites it.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        citing = Claim.objects.filter(sources__in=objs).distinct().select_related("condition")
        protected = [
            *protected,
            *(format_html('Claim: <a href="{}">{}</a>', claim.get_admin_url(), claim) for claim in citing),
        ]
        return deleted, counts, perms_needed, protected
