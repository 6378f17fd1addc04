"""Who is told of what happens to claims and articles: the events, their words, links and recipients.

The services call one function here where each event happens; each names its recipients and the
permission they need to see what it is about, and passes them to `notifications.services.notify`,
which leaves out the actor, anyone who may not see it and anyone who turned the kind off.

- A claim submitted: `submission_recipients`, the claim's assigned reviewer when it has one (its open
  assignment, claims.selectors.open_assignment), otherwise every reviewer (granted `claims.review_claim`
  through a group or directly; superusers by status alone are not broadcast to) who may decide on it,
  so never its creator or last changer (`policy.refusal_to_review`).
- Changes requested or rejected: the claim's creator and last changer. Approved: its creator.
- Signed off: the article's author. A scheduled publication that failed its gate: whoever scheduled
  it and the article's author.
- A comment (`comment_written`, called by claims.comments): whoever started or wrote in the thread, and on
  a claim's thread the claim's creator and last changer.
- An evidence alert: the reviewer who approved the claim, if they may still review.
- A review assigned: its assignee, unless they took it themselves; when it is reassigned, the
  reviewer it was taken from too.
- A review due within 14 days or overdue: the claim's reviewer, the article's medical reviewer, and the
  reviewer an open assignment names, by its due date.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator

from notifications.models import Kind
from notifications.services import notify

from . import policy
from .models import Assignment, ClaimDecision, Comment
from .reminders import DueItem, article_item, claim_item
from .selectors import open_assignment

Decision = ClaimDecision.Decision
CLAIM_PERMISSION = "claims.view_claim"
ARTICLE_PERMISSION = "articles.view_article"
REVIEW_DUE_DAYS = 14


def _name(user) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


def _quote(claim) -> str:
    return f"“{Truncator(claim.quote).chars(60)}”"


def reviewers():
    """Active staff granted the review permission, through a group or directly."""
    granted = Permission.objects.filter(content_type__app_label="claims", codename="review_claim")
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__permissions__in=granted) | Q(user_permissions__in=granted))
        .distinct()
        .order_by("pk")
    )


def assigned_reviewer(claim):
    """The reviewer the claim's open assignment names, or None (every reviewer may take it)."""
    assignment = open_assignment(claim)
    return assignment.reviewer if assignment is not None else None


def submission_recipients(claim) -> list:
    assigned = assigned_reviewer(claim)
    return [assigned] if assigned is not None else list(reviewers())


def claim_submitted(claim, decision: ClaimDecision) -> list:
    actor = decision.actor

    def may_decide(user):
        return policy.refusal_to_review(claim, user, Decision.CHANGES_REQUESTED) is None

    return notify(
        Kind.CLAIM_SUBMITTED,
        submission_recipients(claim),
        actor=actor,
        text=f"{_name(actor)} submitted a claim for review in “{claim.article.title}”: {_quote(claim)}",
        url=reverse("admin:claims_reviewqueueclaim_change", args=[claim.pk]),
        key=f"decision:{decision.pk}",
        permission=CLAIM_PERMISSION,
        visible=may_decide,
    )


DECIDED = {
    Decision.CHANGES_REQUESTED: (Kind.CHANGES_REQUESTED, "requested changes to"),
    Decision.REJECTED: (Kind.REJECTED, "rejected"),
    Decision.APPROVED: (Kind.APPROVED, "approved"),
}


def claim_decided(claim, decision: ClaimDecision) -> list:
    """A reviewer's decision: the claim's creator (and, unless it was approved, its last changer) told."""
    if decision.decision not in DECIDED:
        return []
    kind, verb = DECIDED[Decision(decision.decision)]
    recipients = [claim.created_by]
    if decision.decision != Decision.APPROVED:
        recipients.append(claim.last_changed_by)
    actor = decision.actor
    return notify(
        kind,
        recipients,
        actor=actor,
        text=f"{_name(actor)} {verb} your claim in “{claim.article.title}”: {_quote(claim)}",
        body=f"Their comment: {decision.comment}" if decision.comment else "",
        url=claim.get_admin_url(),
        key=f"decision:{decision.pk}",
        permission=CLAIM_PERMISSION,
    )


def article_signed_off(revision) -> list:
    article, actor = revision.article, revision.signed_off_by
    return notify(
        Kind.SIGNED_OFF,
        [article.author],
        actor=actor,
        text=f"{_name(actor)} signed off “{article.title}” (revision {revision.number}): it may be published",
        url=reverse("admin:articles_articlerevision_publish", args=[article.pk]),
        key=f"revision:{revision.pk}",
        permission=ARTICLE_PERMISSION,
    )


def schedule_failed(revision, problem: str) -> list:
    article = revision.article
    when = revision.scheduled_for.isoformat() if revision.scheduled_for else ""
    return notify(
        Kind.SCHEDULE_FAILED,
        [revision.scheduled_by, article.author],
        text=f"“{article.title}” was not published as scheduled: it failed the publication gate",
        body=problem,
        url=reverse("admin:articles_articlerevision_publish", args=[article.pk]),
        key=f"revision:{revision.pk}:{when}",
        permission=ARTICLE_PERMISSION,
    )


def comment_posted(*, comment_id, author, url: str, claim=None, article=None, participants=()) -> list:
    """A comment on a claim (its creator and last changer told) or on a sentence of `article`, with the
    thread's other `participants`."""
    article = article if article is not None else claim.article
    recipients = [*((claim.created_by, claim.last_changed_by) if claim is not None else ()), *participants]
    if claim is not None:
        about = f"a claim in “{article.title}”: {_quote(claim)}"
    else:
        about = f"a sentence of “{article.title}”"
    return notify(
        Kind.COMMENT,
        recipients,
        actor=author,
        text=f"{_name(author)} commented on {about}",
        url=url,
        key=f"comment:{comment_id}",
        permission=CLAIM_PERMISSION if claim is not None else ARTICLE_PERMISSION,
    )


def comment_written(comment: Comment) -> list:
    """A comment just written, starting a thread or replying in one: everyone in the thread told."""
    thread = comment.thread
    writers = get_user_model().objects.filter(comments_written__thread=thread).distinct().order_by("pk")
    if thread.claim_id is not None:
        page = thread.claim.get_admin_url()
    else:
        page = reverse("admin:articles_article_change", args=[thread.article_id])
    return comment_posted(
        comment_id=comment.pk,
        author=comment.author,
        url=f"{page}#thread-{thread.pk}",
        claim=thread.claim,
        article=thread.article,
        participants=[thread.created_by, *writers],
    )


def alert_words(alert) -> tuple[str, str]:
    """An evidence alert's headline and what it says, for its notification and e-mail."""
    event, claim = alert.event, alert.claim
    headline = f"Evidence alert: {event.get_kind_display().lower()} of a source you relied on"
    body = (
        f"{event.headline()}: {event.source}"
        f"{' (' + event.detail + ')' if event.detail else ''}.\n\n"
        f"A claim you approved cites it, in “{claim.article.title}”:\n“{claim.quote}”\n\n"
        "Keep it with a reason, change its grade or withdraw it from readers."
    )
    return headline, body


def evidence_alert(alert) -> list:
    headline, body = alert_words(alert)
    return notify(
        Kind.EVIDENCE_ALERT,
        [alert.claim.reviewed_by],
        text=headline,
        body=body,
        url=reverse("admin:claims_evidencealert_resolve", args=[alert.pk]),
        key=f"alert:{alert.pk}",
        permission=CLAIM_PERMISSION,
        visible=policy.may_review,
    )


def _assignment_target(assignment) -> tuple[str, str, str]:
    """What an assignment is a review of, in words; the page it is on; the permission to see it."""
    if assignment.claim_id is not None:
        claim = assignment.claim
        return f"a claim in “{claim.article.title}”: {_quote(claim)}", claim.get_admin_url(), CLAIM_PERMISSION
    article = assignment.article
    page = reverse("admin:articles_article_change", args=[article.pk])
    return f"the draft of “{article.title}” for its sign-off", page, ARTICLE_PERMISSION


def review_assigned(assignment) -> list:
    """Its assignee told of an assignment made, or of its new due date; not when they took it themselves."""
    what, url, permission = _assignment_target(assignment)
    by = assignment.assigned_by
    due = date_format(assignment.due_on, "j M Y")
    return notify(
        Kind.ASSIGNED,
        [assignment.reviewer],
        actor=by,
        text=f"{_name(by)} assigned you to review {what}, due {due}",
        body=f"The review is due on {due}. Review it on its page, or tell {_name(by)} if you cannot.",
        url=url,
        key=f"assignment:{assignment.pk}:{assignment.due_on.isoformat()}",
        permission=permission,
    )


def assignment_released(assignment, *, by, successor) -> list:
    """The reviewer of a released assignment told that `by` gave the review to `successor`."""
    what, url, permission = _assignment_target(assignment)
    return notify(
        Kind.ASSIGNMENT_RELEASED,
        [assignment.reviewer],
        actor=by,
        text=f"{_name(by)} gave your review of {what} to {_name(successor)}: you need not review it",
        url=url,
        key=f"assignment:{assignment.pk}",
        permission=permission,
    )


def reviews_due(due) -> int:
    """Tell each reviewer of each review in `due` (a claims.reminders.DueReviews) due within 14 days or
    overdue, once while due and once more when it falls overdue; how many were told."""
    told = 0
    for claim in due.claims:
        told += _review_due(claim_item(claim, due.today), claim.reviewed_by, f"claim:{claim.pk}", CLAIM_PERMISSION)
    for article in due.articles:
        item = article_item(article, due.today)
        told += _review_due(item, article.medical_reviewer, f"article:{article.pk}", ARTICLE_PERMISSION)
    horizon = due.today + datetime.timedelta(days=REVIEW_DUE_DAYS)
    assigned = (
        Assignment.objects.open().filter(due_on__lte=horizon).select_related("reviewer", "claim__article", "article")
    )
    for assignment in assigned.order_by("due_on", "pk"):
        told += _review_due(*_assigned_item(assignment, due.today))
    return told


def _assigned_item(assignment, today):
    """An open assignment as a due item, its reviewer, its key and the permission to see it."""
    if assignment.claim_id is not None:
        claim = assignment.claim
        summary = f"“{Truncator(claim.quote).chars(60)}”"
        item = DueItem(assignment.due_on, today, claim.article.title, claim.get_admin_url(), claim=summary)
        permission = CLAIM_PERMISSION
    else:
        path = reverse("admin:articles_articlerevision_sign_off", args=[assignment.article_id])
        item = DueItem(assignment.due_on, today, assignment.article.title, path)
        permission = ARTICLE_PERMISSION
    return item, assignment.reviewer, f"assignment:{assignment.pk}", permission


def _review_due(item, reviewer, target, permission) -> int:
    if (item.due - item.today).days > REVIEW_DUE_DAYS:
        return 0
    state = "overdue" if item.days_overdue else "due"
    when = f"overdue since {item.due:%d %b %Y}" if item.days_overdue else f"due {item.due:%d %b %Y}"
    made = notify(
        Kind.REVIEW_DUE,
        [reviewer],
        text=f"Review {when}: {item.what}",
        url=item.admin_path,
        key=f"{target}:{item.due.isoformat()}:{state}",
        permission=permission,
    )
    return len(made)
