"""Review decisions in the admin: one at a time from the claim form, or in bulk with one comment."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from .models import ClaimDecision
from .services import REVIEWER_DECISIONS, claim_decide, claim_submit, refusal_to_review

Decision = ClaimDecision.Decision
PAST_TENSE = {
    Decision.APPROVED: "Approved",
    Decision.CHANGES_REQUESTED: "Changes requested for",
    Decision.REJECTED: "Rejected",
}


def claims_count(n):
    return f"{n} claim{pluralize(n)}"


class CommentField(forms.CharField):
    def to_python(self, value):
        # Dropped rather than refused: the decision form redirects, so a refusal would lose the comment.
        return super().to_python(value).replace("\x00", "")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(d.value, d.label) for d in REVIEWER_DECISIONS])
    comment = CommentField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        help_text="Required to request changes or reject: the editor sees it.",
    )
    override_reason = CommentField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 70}),
        help_text="Required to approve a claim worded more strongly than its grade allows.",
    )


# What a reviewer typed in a decision that was refused, kept for the page they are sent back to.
DRAFT_KEY = "claim_decision_drafts"


class IntegrityColumnMixin:
    """The "Integrity" column of claim lists: overclaiming and unsourced, in words beside a symbol."""

    @admin.display(description="Integrity")
    def integrity(self, claim):
        flags = []
        if claim.is_overclaiming:
            overridden = getattr(claim, "override_reason", "")
            flags.append(
                ("overclaiming", "⚠", "Overclaiming, approved with a reason" if overridden else "Overclaiming")
            )
        sourced = getattr(claim, "has_sources", None)
        if sourced is None:
            sourced = bool(claim.sources.all())  # the review queue reads every row's sources beside it
        if not sourced:
            flags.append(("unsourced", "∅", "Unsourced"))
        if not flags:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            '<span class="integrity-flag integrity-flag--{}"><span aria-hidden="true">{}</span> {}</span>',
            flags,
        )


class ReviewActionsMixin:
    """Approve / request changes / reject, and the editor's "submit for review"."""

    change_form_template = "admin/claims/claim/change_form.html"
    actions = ["approve_selected", "request_changes_selected", "reject_selected", "submit_selected"]

    def has_review_permission(self, request):
        return request.user.has_perm("claims.review_claim")

    def has_submit_permission(self, request):
        return request.user.has_perm("claims.change_claim")

    def get_urls(self):
        decide = path(
            "<path:object_id>/decide/",
            self.admin_site.admin_view(self.decide_view),
            name="claims_claim_decide",
        )
        return [decide, *super().get_urls()]

    def get_object(self, request, object_id, from_field=None):
        """The claim with everything its page shows (article, condition, evidence, people, sources) in two reads."""
        shown = request.__dict__.pop("_claim_shown", None)
        if shown is not None and from_field is None and str(shown.pk) == str(object_id):
            return shown
        if from_field is not None:
            return super().get_object(request, object_id, from_field)
        queryset = (
            self.get_queryset(request)
            .select_related("article", "condition", "evidence_status", "created_by", "last_changed_by", "reviewed_by")
            .prefetch_related("sources")
        )
        try:
            return queryset.get(pk=self.opts.pk.to_python(object_id))
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if claim is not None:
            extra_context["decisions"] = claim.decisions.select_related("actor")[:20]
            if self.has_review_permission(request):
                extra_context["review_refusal"] = refusal_to_review(claim, request.user, Decision.CHANGES_REQUESTED)
                extra_context["approval_refusal"] = refusal_to_review(claim, request.user, Decision.APPROVED)
                extra_context["decision_form"] = DecisionForm(initial=self._pop_draft(request, claim))
            if request.method == "GET":
                # The page shows the claim just read rather than reading it again. A save reads it
                # afresh inside its own transaction.
                request._claim_shown = claim
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, object_id):
        claim = self.get_object(request, object_id)
        if claim is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if not self._decide(request, [claim], data["decision"], data["comment"], data["override_reason"]):
                self._keep_draft(request, claim, data)
        else:
            self.message_user(request, "Choose approve, request changes or reject.", messages.ERROR)
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def _keep_draft(self, request, claim, data):
        drafts = request.session.get(DRAFT_KEY, {})
        drafts[str(claim.pk)] = {"comment": data["comment"], "override_reason": data["override_reason"]}
        request.session[DRAFT_KEY] = drafts

    def _pop_draft(self, request, claim):
        drafts = request.session.get(DRAFT_KEY) or {}
        draft = drafts.pop(str(claim.pk), None)
        if draft is not None:
            request.session[DRAFT_KEY] = drafts
        return draft or {}

    def _decide(self, request, claims, decision, comment, override_reason=""):
        done = 0
        for claim in claims:
            try:
                claim_decide(
                    claim=claim,
                    reviewer=request.user,
                    decision=decision,
                    comment=comment,
                    override_reason=override_reason,
                )
                done += 1
            except (PermissionDenied, ValidationError) as refusal:
                reason = " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
                if len(claims) > 1 and decision == Decision.APPROVED and claim.is_overclaiming:
                    reason += " Approve it from its own page, where you can give the reason."
                self.message_user(request, f"Not decided: {claim}. {reason}", messages.ERROR)
        if done:
            self.message_user(request, f"{PAST_TENSE[decision]} {claims_count(done)}.", messages.SUCCESS)
        return done

    def _bulk_decide(self, request, queryset, decision):
        """Ask for one comment for all the selected claims, then decide on each."""
        if decision == Decision.APPROVED and "comment" not in request.POST:
            self._decide(request, queryset, decision, "")
            return None
        if request.POST.get("confirm") == "yes":
            comment = request.POST.get("comment", "").strip()
            if decision in ClaimDecision.NEEDS_COMMENT and not comment:
                self.message_user(request, "Say why: a comment is required to request changes or reject.", "error")
            else:
                self._decide(request, queryset, decision, comment)
                return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{Decision(decision).label}: {claims_count(queryset.count())}",
            "claims": queryset,
            "decision": decision,
            "action": request.POST.get("action"),
            "comment": request.POST.get("comment", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/claim/bulk_decision.html", context)

    @admin.action(description="Approve selected claims", permissions=["review"])
    def approve_selected(self, request, queryset):
        return self._bulk_decide(request, queryset, Decision.APPROVED)

    @admin.action(description="Request changes to selected claims (with one comment)", permissions=["review"])
    def request_changes_selected(self, request, queryset):
        return self._bulk_decide(request, queryset, Decision.CHANGES_REQUESTED)

    @admin.action(description="Reject selected claims (with one comment)", permissions=["review"])
    def reject_selected(self, request, queryset):
        return self._bulk_decide(request, queryset, Decision.REJECTED)

    @admin.action(description="Submit selected claims for review", permissions=["submit"])
    def submit_selected(self, request, queryset):
        submitted = 0
        for claim in queryset:
            try:
                claim_submit(claim=claim, user=request.user)
                submitted += 1
            except ValidationError as refusal:
                self.message_user(request, f"Not submitted: {claim}. {' '.join(refusal.messages)}", messages.ERROR)
        if submitted:
            self.message_user(request, f"Submitted {claims_count(submitted)} for review.", messages.SUCCESS)
