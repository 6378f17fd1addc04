"""Review decisions in the admin: one at a time from the claim form, or in bulk with one comment."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.admin.lists import act_on_each

from .. import policy
from ..assignments import with_open_assignment
from ..comments import threads_exist_annotation
from ..evidence_watch import has_summary, summary_of, with_source_summary
from ..models import Claim, ClaimDecision, PublishedClaim
from ..policy import refusal_to_review, refusal_to_withdraw_urgently
from ..selectors import next_in_queue, review_queue
from ..services import (
    REVIEWER_DECISIONS,
    ClaimChanged,
    ClaimGone,
    changes_since_seen,
    claim_as_seen,
    claim_decide,
    claim_submit,
)
from .assigning import assign_from_request, assignment_context, back_to_queue

Decision = ClaimDecision.Decision
BULK_VERB = {
    Decision.APPROVED: "Approve",
    Decision.CHANGES_REQUESTED: "Request changes to",
    Decision.REJECTED: "Reject",
}
NOT_SUBMITTED = "Not submitted: {}. {}"
PAST_TENSE = {
    Decision.APPROVED: "Approved",
    Decision.CHANGES_REQUESTED: "Changes requested for",
    Decision.REJECTED: "Rejected",
}


def claims_count(n):
    return f"{n} claim{pluralize(n)}"


def SUBMITTED(n):  # noqa: N802 (worded beside NOT_SUBMITTED)
    return f"Submitted {claims_count(n)} for review."


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
        help_text="Required to approve a claim worded more strongly than its grade allows, or claiming a cause "
        "its evidence cannot support.",
    )
    seen = forms.CharField(required=False, widget=forms.HiddenInput)


# Every decision carries the claim as its reviewer saw it: its version and what the page showed,
# signed so that the comparison shown after a refusal is the server's own record of that page.
SEEN_SALT = "claims.decision.seen"
CHANGED_KEY = "claim_decision_changes"


def seen_token(claim) -> str:
    """The claim as this page shows it, for the decision form to send back."""
    return signing.dumps({"pk": claim.pk, "version": claim.version, "seen": claim_as_seen(claim)}, salt=SEEN_SALT)


def read_seen(token, pk):
    """The (version, what was shown) a decision form carried for claim `pk`, or None when it carries none."""
    try:
        data = signing.loads(token or "", salt=SEEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("pk") != pk or not isinstance(data.get("version"), int):
        return None
    return data


# What a reviewer typed in a decision that was refused, kept for the page they are sent back to.
DRAFT_KEY = "claim_decision_drafts"


class IntegrityColumnMixin:
    """The "Integrity" column of claim lists: overclaiming, causal wording for an association, unsourced,
    promotional wording and what the claim's sources say against its grade (claims.text.source_findings), in
    words beside a symbol; the sources' findings are read for the same query as the claims
    (claims.evidence_watch.with_source_summary), and the causal and promotional findings from the stored
    reading (`Claim.wording_relation`, `Claim.wording_promotional`), never the text."""

    def get_queryset(self, request):
        return with_source_summary(super().get_queryset(request)).with_causal_sources()

    @admin.display(description="Integrity")
    def integrity(self, claim):
        flags = []
        if claim.is_overclaiming:
            overridden = getattr(claim, "override_reason", "")
            flags.append(
                ("overclaiming", "⚠", "Overclaiming, approved with a reason" if overridden else "Overclaiming")
            )
        causal = claim.causal_wording
        if causal is not None:
            overridden = getattr(claim, "override_reason", "")
            flags.append(
                (
                    "causal",
                    causal.symbol,
                    causal.label + (", approved with a reason" if overridden else f" ({causal.about})"),
                )
            )
        sourced = getattr(claim, "has_sources", None)
        if sourced is None:
            sourced = bool(claim.sources.all())  # the review queue reads every row's sources beside it
        if not sourced:
            flags.append(("unsourced", "∅", "Unsourced"))
        if claim.is_promotional:
            flags.append(("promotional", "✦", "Promotional wording"))
        kinds = {}
        for finding in summary_of(claim) if has_summary(claim) else ():
            kinds.setdefault(finding.kind, finding)
        flags = [(*flag, "") for flag in flags]
        flags += [
            (kind, finding.symbol, finding.label, f" ({finding.about})" if finding.about else "")
            for kind, finding in kinds.items()
        ]
        if not flags:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            '<span class="integrity-flag integrity-flag--{}"><span aria-hidden="true">{}</span> {}'
            '<span class="quiet">{}</span></span>',
            flags,
        )


# The claim's copy in the live revision, read with the claim itself (its page's queries stay as they were).
_LIVE = PublishedClaim.objects.filter(claim=OuterRef("pk"), revision__is_live=True)
LIVE_COPY = {
    f"live_copy_{name}": Subquery(_LIVE.values(field)[:1])
    for name, field in {
        "pk": "pk",
        "number": "revision__number",
        "quote": "quote",
        "under_review_since": "under_review_since",
        "under_review_notice": "under_review_notice",
        "symbol": "evidence_status__symbol",
        "grade": "evidence_status__name",
    }.items()
}


def live_copy(claim):
    """What readers see of the claim in the live revision, as a dict; None when it is not in it."""
    if getattr(claim, "live_copy_pk", None) is None:
        return None
    return {name: getattr(claim, f"live_copy_{name}") for name in (key.removeprefix("live_copy_") for key in LIVE_COPY)}


class ReviewActionsMixin:
    """Approve / request changes / reject, and the editor's "submit for review"."""

    change_form_template = "admin/claims/claim/change_form.html"
    actions = ["approve_selected", "request_changes_selected", "reject_selected", "submit_selected"]

    def has_review_permission(self, request):
        return policy.may_review(request.user)

    def has_submit_permission(self, request):
        return policy.may_submit(request.user)

    def get_urls(self):
        decide = path(
            "<path:object_id>/decide/",
            self.admin_site.admin_view(self.decide_view),
            name="claims_claim_decide",
        )
        assign = path(
            "<path:object_id>/assign/",
            self.admin_site.admin_view(self.assign_view),
            name="claims_claim_assign",
        )
        return [decide, assign, *super().get_urls()]

    def get_object(self, request, object_id, from_field=None):
        """The claim with everything its page shows (article, condition, evidence, people, sources) in two reads."""
        shown = request.__dict__.pop("_claim_shown", None)
        if shown is not None and from_field is None and str(shown.pk) == str(object_id):
            return shown
        if from_field is not None:
            return super().get_object(request, object_id, from_field)
        return self._read_claim(request, object_id)

    def _read_claim(self, request, object_id, **annotations):
        queryset = (
            self.get_queryset(request)
            .select_related("article", "condition", "evidence_status", "created_by", "last_changed_by", "reviewed_by")
            .prefetch_related("sources")
            .annotate(**LIVE_COPY, has_comment_threads=threads_exist_annotation("claim"), **annotations)
        )
        queryset = with_open_assignment(queryset)
        try:
            return queryset.get(pk=self.opts.pk.to_python(object_id))
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if claim is not None:
            extra_context["decisions"] = claim.decisions.select_related("actor")[:20]
            extra_context["live_copy"] = live_copy(claim)
            extra_context["can_withdraw"] = refusal_to_withdraw_urgently(request.user) is None
            extra_context.update(assignment_context(request, claim))
            if self.has_review_permission(request):
                extra_context["review_refusal"] = refusal_to_review(claim, request.user, Decision.CHANGES_REQUESTED)
                extra_context["approval_refusal"] = refusal_to_review(claim, request.user, Decision.APPROVED)
                extra_context["decision_form"] = DecisionForm(
                    initial={**self._pop_draft(request, claim), "seen": seen_token(claim)}
                )
                extra_context["changed_since"] = self._changed_since(request, claim)
            if request.method == "GET":
                # The page shows the claim just read rather than reading it again. A save reads it
                # afresh inside its own transaction.
                request._claim_shown = claim
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, object_id):
        # Its place in the reviewer's queue, read with it, before the decision takes it out.
        place = review_queue(request.user).filter(pk=OuterRef("pk")).values("queued_at")[:1]
        claim = self._read_claim(request, object_id, queue_place=Subquery(place))
        if claim is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            seen = read_seen(data["seen"], claim.pk)
            if seen is None:
                self.message_user(
                    request,
                    "Nothing was decided: the decision did not say which version of the claim you saw. "
                    "The claim is shown below as it is now: decide again.",
                    messages.ERROR,
                )
                self._keep_draft(request, claim, data)
            elif not self._decide(
                request,
                [claim],
                data["decision"],
                data["comment"],
                data["override_reason"],
                seen={claim.pk: seen},
                named=True,
            ):
                self._keep_draft(request, claim, data)
            else:
                claim.queued_at = claim.queue_place
                return self._to_next_claim(request, claim)
        else:
            self.message_user(request, "Choose approve, request changes or reject.", messages.ERROR)
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def _to_next_claim(self, request, claim):
        """After a decision on the claim's page: the next claim of the reviewer's queue, in the queue's order."""
        following = next_in_queue(request.user, claim)
        if following is None:
            self.message_user(request, "No more claims to review.", messages.INFO)
            return HttpResponseRedirect(reverse("admin:claims_reviewqueueclaim_changelist"))
        self.message_user(request, "This is the next claim waiting for review.", messages.INFO)
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[following.pk]))

    def assign_view(self, request, object_id):
        claim = self.get_object(request, object_id)
        if claim is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if request.POST.get("take") == "queue":
            back = back_to_queue(request, reverse("admin:claims_reviewqueueclaim_changelist"))
        else:
            back = reverse("admin:claims_claim_change", args=[claim.pk])
        return assign_from_request(self, request, claim, back, title=f"Assign the review of “{claim}”")

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

    def _changed_since(self, request, claim):
        """What changed since a refused decision's page was drawn, once, for the claim's page."""
        changed = request.session.get(CHANGED_KEY) or {}
        seen = changed.pop(str(claim.pk), None)
        if seen is None:
            return None
        request.session[CHANGED_KEY] = changed
        return {
            "seen_version": seen["version"],
            "changes": changes_since_seen(seen["seen"], claim),
        }

    def _decide(self, request, claims, decision, comment, override_reason="", *, seen, named=False):
        """Decide on each claim as its reviewer saw it; `seen` maps each claim's pk to read_seen()'s answer.

        `named`: the message names the claim decided (the claim's own page, which then shows another)."""
        done = 0
        single = len(claims) == 1
        for claim in claims:
            shown = seen.get(claim.pk)
            if shown is None:
                self.message_user(
                    request,
                    f"Not decided: {claim}. It was not on the page you confirmed: open it and decide on it there.",
                    messages.ERROR,
                )
                continue
            try:
                claim_decide(
                    claim=claim,
                    reviewer=request.user,
                    decision=decision,
                    comment=comment,
                    override_reason=override_reason,
                    seen_version=shown["version"],
                )
                done += 1
            except ClaimChanged as changed:
                self._report_change(request, changed, shown, single)
            except ClaimGone as gone:
                self.message_user(request, f"Not decided: {claim}. {gone}", messages.ERROR)
            except (PermissionDenied, ValidationError) as refusal:
                reason = " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
                if not single and decision == Decision.APPROVED and claim.needs_override_reason:
                    reason += " Approve it from its own page, where you can give the reason."
                self.message_user(request, f"Not decided: {claim}. {reason}", messages.ERROR)
        if done and named:
            self.message_user(request, f"{PAST_TENSE[decision]} “{claims[0]}”.", messages.SUCCESS)
        elif done:
            self.message_user(request, f"{PAST_TENSE[decision]} {claims_count(done)}.", messages.SUCCESS)
        return done

    def _report_change(self, request, changed, shown, single):
        if single:
            # The claim's page shows the comparison, as a table, when the reviewer is sent back to it.
            stored = request.session.get(CHANGED_KEY) or {}
            stored[str(changed.claim.pk)] = shown
            request.session[CHANGED_KEY] = stored
            self.message_user(request, str(changed), messages.ERROR)
            return
        claim = Claim.objects.select_related("condition", "evidence_status").get(pk=changed.claim.pk)
        changes = changes_since_seen(shown["seen"], claim)
        listed = "; ".join(f"{label}: “{before}” → “{after}”" for label, before, after in changes) or (
            "it was saved again"
        )
        self.message_user(
            request,
            format_html(
                'Not decided: {} changed after you confirmed the list ({}). <a href="{}">Open it</a> to decide again.',
                claim,
                listed,
                claim.get_admin_url(),
            ),
            messages.ERROR,
        )

    def _bulk_decide(self, request, queryset, decision):
        """List the selected claims as they are, ask for one comment, then decide on each as listed."""
        if request.POST.get("confirm") == "yes":
            comment = request.POST.get("comment", "").strip().replace("\x00", "")
            if decision in ClaimDecision.NEEDS_COMMENT and not comment:
                self.message_user(request, "Say why: a comment is required to request changes or reject.", "error")
            else:
                seen = {}
                for claim in queryset:
                    shown = read_seen(request.POST.get(f"seen-{claim.pk}"), claim.pk)
                    if shown is not None:
                        seen[claim.pk] = shown
                self._decide(request, list(queryset), decision, comment, seen=seen)
                return None
        claims = list(queryset.select_related("condition", "evidence_status").prefetch_related("sources"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{BULK_VERB[decision]} {claims_count(len(claims))}",
            "claims": [(claim, seen_token(claim), self._bulk_refusal(request, claim, decision)) for claim in claims],
            "decision": decision,
            "comment_required": decision in ClaimDecision.NEEDS_COMMENT,
            "action": request.POST.get("action"),
            "select_across": request.POST.get("select_across", "0"),
            "comment": request.POST.get("comment", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/claim/bulk_decision.html", context)

    def _bulk_refusal(self, request, claim, decision):
        """Why this claim will not be decided by the bulk action, said on its confirmation page."""
        refusal = refusal_to_review(claim, request.user, decision)
        if refusal is None and decision == Decision.APPROVED and claim.is_overclaiming:
            refusal = "Worded more strongly than its grade allows: approve it from its own page, with your reason."
        elif refusal is None and decision == Decision.APPROVED and claim.causal_wording is not None:
            refusal = "Claims a cause its evidence cannot support: approve it from its own page, with your reason."
        return refusal

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
        submit = lambda claim: claim_submit(claim=claim, user=request.user)  # noqa: E731
        act_on_each(self, request, queryset, submit, not_done=NOT_SUBMITTED.format, done=SUBMITTED)
