"""The reviewers' "Evidence alerts" queue: open alerts with the claims and articles they touch, and their resolution.

An alert (claims.evidence_watch) says a source a claim cites was retracted, given an expression of
concern or its trial stopped. Reviewers resolve each from its page: keep the claim (a reason
required), change its grade (recorded, then the claim's page opens) or withdraw the live claim
urgently with the notice readers see. Resolved alerts stay listed under "Resolved", with who, when and how.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator

from .. import evidence_watch, policy
from ..models import EvidenceAlert, PublishedClaim
from ..source_metadata import ADMIN_DATETIME

Resolution = EvidenceAlert.Resolution


class OpenFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("resolved", "Resolved")]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or "open") == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "resolved":
            return queryset.exclude(resolution="")
        return queryset.filter(resolution="")


# Why withdrawing from readers is not offered, by whether readers see the claim.
NO_WITHDRAWAL = {
    "withdrawn": "Withdrawing it from readers is not offered: it is withdrawn already, readers see it under review.",
    "not_live": "Withdrawing it from readers is not offered: it is not live, readers do not see it.",
}


class ResolveForm(forms.Form):
    how = forms.ChoiceField(label="Decision", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason or notice",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Keeping the claim: why it stands. Withdrawing it: the notice readers see (a default is written "
        "when left blank).",
    )

    def __init__(self, *args, live_state="live", **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (Resolution.KEPT, "Keep the claim as it is (say why)"),
            (Resolution.REGRADE, "Change its grade (opens the claim)"),
        ]
        if live_state == "live":  # only a claim readers see can be withdrawn from them
            choices.append((Resolution.WITHDRAWN, "Withdraw the live claim from readers now"))
        else:
            self.fields["reason"].help_text = "Keeping the claim: why it stands."
        self.fields["how"].choices = choices


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), ADMIN_DATETIME)


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "—"


def live_state(alert) -> str:
    """Whether readers see the alert's claim: "live", "withdrawn" (shown under review) or "not_live"."""
    return "live" if alert.is_live else "withdrawn" if alert.is_withdrawn else "not_live"


# Whether readers see the claim, in a symbol and words (never a colour or an icon alone).
LIVE_WORDS = {
    "live": ("●", "Live"),
    "withdrawn": ("◐", "Withdrawn: readers see it under review"),
    "not_live": ("○", "Not live"),
}


@admin.register(EvidenceAlert)
class EvidenceAlertAdmin(admin.ModelAdmin):
    # Six compact columns fit 1280 px: the event carries its source, the claim its article.
    list_display = ["raised", "what", "claim_link", "live", "reviewer", "outcome"]
    list_filter = [OpenFilter]
    list_display_links = None
    actions = None
    list_per_page = 50
    ordering = ["raised_at", "pk"]

    class Media:
        css = {"all": ["admin/editorial.css"]}

    def get_queryset(self, request):
        shown = PublishedClaim.objects.filter(claim=OuterRef("claim"), revision__is_live=True)
        return (
            super()
            .get_queryset(request)
            .select_related(
                "event__source",
                "claim__article",
                "claim__condition",
                "claim__evidence_status",
                "claim__reviewed_by",
                "resolved_by",
            )
            .annotate(
                is_live=Exists(shown.filter(under_review_since__isnull=True)),
                is_withdrawn=Exists(shown.filter(under_review_since__isnull=False)),
            )
        )

    def has_module_permission(self, request):
        return policy.may_review(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.may_review(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Nobody deletes an alert here; its claim's deletion takes it along, for whoever may delete the claim.
        return request.user.is_superuser or request.user.has_perm("claims.delete_claim")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("", view(self.changelist_view), name="claims_evidencealert_changelist"),
            path("<path:object_id>/resolve/", view(self.resolve_view), name="claims_evidencealert_resolve"),
        ]

    @admin.display(description="Raised", ordering="raised_at")
    def raised(self, alert):
        return _when(alert.raised_at)

    @admin.display(description="What happened")
    def what(self, alert):
        event = alert.event
        detail = format_html('<br><span class="quiet">{}</span>', event.detail) if event.detail else ""
        return format_html(
            "<strong>{}</strong><br>{}{}",
            event.headline("%-d %b %Y"),
            Truncator(str(event.source)).chars(80),
            detail,
        )

    @admin.display(description="Claim, in its article")
    def claim_link(self, alert):
        claim, article = alert.claim, alert.claim.article
        # Two claims on one sentence differ by their condition and grade: both are shown.
        return format_html(
            '<a href="{}">“{}”</a><br><span class="alert-claim__about">{}, graded {} {}</span>'
            '<br><span class="quiet">in <a href="{}">{}</a></span>',
            reverse("admin:claims_evidencealert_resolve", args=[alert.pk]),
            Truncator(claim.quote).chars(90),
            claim.condition.name,
            claim.evidence_status.symbol,
            claim.evidence_status.name,
            reverse("admin:articles_article_change", args=[article.pk]),
            article.title,
        )

    @admin.display(description="Live")
    def live(self, alert):
        symbol, words = LIVE_WORDS[live_state(alert)]
        return format_html('<span aria-hidden="true">{}</span> {}', symbol, words)

    @admin.display(description="Reviewer")
    def reviewer(self, alert):
        return _person(alert.claim.reviewed_by)

    @admin.display(description="Resolution")
    def outcome(self, alert):
        if alert.is_open:
            return format_html(
                '<a class="button" href="{}">Resolve</a>',
                reverse("admin:claims_evidencealert_resolve", args=[alert.pk]),
            )
        return f"{alert.get_resolution_display()} by {_person(alert.resolved_by)}, {_when(alert.resolved_at)}"

    def resolve_view(self, request, object_id):
        if not policy.may_review(request.user):
            raise PermissionDenied
        alert = self.get_queryset(request).filter(pk=object_id).first() if str(object_id).isdigit() else None
        if alert is None:
            raise Http404("No such alert.")
        state = live_state(alert)
        form = ResolveForm(request.POST or None, initial={"reason": ""}, live_state=state)
        if request.method == "POST" and form.is_valid() and alert.is_open:
            how, reason = form.cleaned_data["how"], form.cleaned_data["reason"]
            try:
                evidence_watch.resolve(alert, user=request.user, how=how, reason=reason)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Alert resolved: {Resolution(how).label.lower()}.")
                if how == Resolution.REGRADE:
                    return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[alert.claim_id]))
                return HttpResponseRedirect(reverse("admin:claims_evidencealert_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Evidence alert: {alert.event.get_kind_display().lower()}",
            "alert": alert,
            "form": form,
            "default_notice": evidence_watch.default_notice(alert.event) if state == "live" else "",
            "live_symbol": LIVE_WORDS[state][0],
            "live_words": LIVE_WORDS[state][1],
            "no_withdrawal": NO_WITHDRAWAL.get(state, ""),
            "claim_url": reverse("admin:claims_claim_change", args=[alert.claim_id]),
        }
        return TemplateResponse(request, "admin/claims/evidencealert/resolve.html", context)
