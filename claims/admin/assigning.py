"""Assigning a review from the admin: the claim's and the article's pages, and "Take this" on the queue.

The writes and their refusals are claims.assignments'; this module reads the form, says what happened
and what stands, and lists the reviewers an editor may choose (none who could not decide on the target).
The claim's and the article's pages show the assignment and "Take this"; the form listing the reviewers
is a page of its own (a GET of the assign address), so that those pages read no list of people.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme

from .. import assignments, policy, selectors
from ..models import Claim


class AssignForm(forms.Form):
    # Any active person is read, so that a refusal says why (claims.policy.refusal_to_assign); the page
    # lists only those eligible.
    reviewer = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True),
        error_messages={
            "required": "Choose the reviewer to assign.",
            "invalid_choice": "That reviewer is not in the list (the account may be gone): choose again.",
        },
    )
    due_on = forms.DateField(
        error_messages={"required": "Give the date the review is due.", "invalid": "Give the due date as a date."}
    )


def eligible_reviewers(target, last_editor=None):
    """Active people who may review `target` and could decide on it: neither its author nor its last changer,
    and, while credentials are required (policy.credentials_required), only those with credentials on file."""
    app, codename = ("claims", "review_claim") if isinstance(target, Claim) else ("articles", "review_article")
    allowed = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app)
        | Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app)
    )
    people = get_user_model().objects.filter(allowed, is_active=True).distinct()
    if policy.credentials_required():
        people = people.filter(profile__credentials__regex=r"\S")  # blank credentials are none (people.policy)
    if isinstance(target, Claim):
        left_out = [target.created_by_id, target.last_changed_by_id]
    else:
        left_out = [target.author_id, getattr(last_editor, "pk", None)]
    return people.exclude(pk__in=[pk for pk in left_out if pk]).order_by("first_name", "last_name", "username")


def assignment_context(request, target) -> dict:
    """What the claim's or the article's page shows of its assignment, and the controls this user gets.

    "Take this" is offered to a reviewer who could decide on it (an article's last editor is told why not
    when they press it: finding them would read the draft's history on every page)."""
    user = request.user
    current = assignments.shown(target)
    context = {"assignment": current, "assignment_late": assignments.overdue_words(current) if current else ""}
    if policy.may_assign(user):
        refusal = policy.refusal_to_assign(target, user, by=user) if current is None else None
        context.update(
            can_assign=True,
            can_take=current is None and refusal is None,
            default_due=assignments.default_due(),
            # Told why not only when their credentials alone stand in the way: the rest they cannot change.
            take_refusal=refusal if refusal == policy.CREDENTIALS_NEEDED_TO_TAKE else "",
        )
    return context


def assign_from_request(model_admin, request, target, back, *, title):
    """GET: the form (eligible reviewers, due date). POST: take or assign `target` as asked; a message says
    what was done or why not, and the user goes back to `back`."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not policy.may_assign(request.user):
        raise PermissionDenied
    if request.method == "GET":
        last_editor = None if isinstance(target, Claim) else assignments.last_editor_of(target)
        current = selectors.open_assignment(target)
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": title,
            "target": target,
            "assignment": current,
            "assignment_late": assignments.overdue_words(current) if current else "",
            "reviewers": list(eligible_reviewers(target, last_editor)),
            "credentials_required": policy.credentials_required(),
            "default_due": assignments.default_due(),
            "back": back,
        }
        return TemplateResponse(request, "admin/claims/assign.html", context)
    try:
        if "take" in request.POST:
            done = assignments.take(target=target, reviewer=request.user)
            said = f"You took this review: due {date_format(done.due_on, 'j M Y')}."
        else:
            form = AssignForm(request.POST)
            if not form.is_valid():
                raise ValidationError([error for field in form.errors.values() for error in field])
            done = assignments.assign(
                target=target,
                reviewer=form.cleaned_data["reviewer"],
                due_on=form.cleaned_data["due_on"],
                by=request.user,
                replace=True,
            )
            said = f"{assignments.words(done)}."
    except (ValidationError, PermissionDenied) as refusal:
        reason = " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
        model_admin.message_user(request, f"Not assigned: {reason}", messages.ERROR)
    else:
        model_admin.message_user(request, said, messages.SUCCESS)
    return HttpResponseRedirect(back)


def back_to_queue(request, queue_url):
    """The queue page the "Take this" button was pressed on (its filters kept), or the queue."""
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure())
    return referer if referer and safe and queue_url in referer else queue_url
