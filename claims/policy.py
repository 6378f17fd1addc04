"""Who may do what to a claim, a source or an article: every such question of the product is answered here.

Services check it before they write, the admin's `has_*_permission` methods and the review queue ask
it what to offer, and the editor endpoints ask it who may use them. A `refusal_to_*` function returns
the sentence the person is shown, or None when they may; a `may_*` function answers yes or no.

The rules:
- Editors write and import articles, add and change claims and sources, and submit claims.
- Reviewers decide on claims (approve, request changes, reject) and mark articles medically
  reviewed, but never on their own work: nobody decides on a claim they created or were the last to
  change (by its form, by rewording its sentence in the article, or by repointing a source it
  cites), superusers included. The database repeats this for approvals (claim_reviewer_is_not_author).
- Only reviewers remove an approved claim; only superusers delete an archived article for good.
- Only reviewers pull a live claim for review at once (claims.publishing.claim_withdraw_urgently);
  editors and reviewers may publish an earlier revision again (article_republish), through its gate.
- A claim, or an article draft's medical review, is assigned to a reviewer by an editor or taken by the
  reviewer: never to someone who could not decide on it (its author, its creator or last changer, the
  draft's last editor), nor to someone who does not review.
- When settings.REVIEWER_CREDENTIALS_REQUIRED is on, a reviewer signs off, and is assigned or takes a
  review, only with credentials on file (their profile's, people.policy); off by default.
- Editors and reviewers comment on claims and on sentences of a draft: they start threads and reply.
  A thread is resolved or reopened by whoever started it, the author of its claim, or any reviewer.
  Nobody edits or deletes a comment once written, and no comment is ever shown to readers.
- Article questions are answered in articles.policy (articles never import claims) and repeated here.
"""

from django.conf import settings

from articles.policy import (  # noqa: F401 (one module answers for articles too)
    may_archive,
    may_purge,
    may_review_articles,
    may_write_articles,
    refusal_to_mark_reviewed,
    refusal_to_purge,
)
from people.policy import lacks_credentials

from .models import Claim, ClaimDecision

Decision = ClaimDecision.Decision


def may_review(user) -> bool:
    """A medical reviewer: may decide on claims (other people's)."""
    return bool(user.is_authenticated and user.has_perm("claims.review_claim"))


def may_submit(user) -> bool:
    """Whoever may change claims may send them to the reviewers."""
    return bool(user.is_authenticated and user.has_perm("claims.change_claim"))


def may_add_condition(user) -> bool:
    """Who may add a condition: on its admin page, or by typing its name on a claim's form."""
    return bool(user.is_authenticated and user.has_perm("claims.add_condition"))


def may_change_sources(user) -> bool:
    return bool(user.is_authenticated and user.has_perm("claims.change_source"))


def may_delete_claim(user, claim=None) -> bool:
    """An approved claim is a reviewer's decision: only reviewers may remove it."""
    if not (user.is_authenticated and user.has_perm("claims.delete_claim")):
        return False
    return claim is None or not claim.is_approved or may_review(user)


def refusal_to_review(claim: Claim, user, decision=Decision.APPROVED) -> str | None:
    """Why `user` may not make `decision` on `claim`, or None when they may."""
    if not may_review(user):
        return "Only medical reviewers can decide on claims."
    if user.pk == claim.created_by_id:
        return "You wrote this claim: another reviewer must decide on it."
    if user.pk == claim.last_changed_by_id:
        return "You made the last change to this claim: another reviewer must decide on it."
    if claim.review_state == Claim.ReviewState.DRAFT:
        return "This claim is still a draft: its editor has not submitted it for review."
    if decision == Decision.APPROVED:
        return approval_blocker(claim, cites_a_source=claim.sources.exists())
    return None


def approval_blocker(claim: Claim, *, cites_a_source: bool) -> str | None:
    """What in the claim itself holds back its approval, whoever the reviewer: the review queue's
    "Blocked" filter and row say it with these same words. The caller says whether the claim cites a source:
    from the sources it was fetched with, or read beside many claims at once (claims.filters.approval_blocked_ids)."""
    if claim.is_orphaned:
        return "This claim has lost its sentence: re-attach it before approving."
    if not claim.evidence_status.is_rated:
        return f"The evidence is “{claim.evidence_status.name}”: rate it before approving."
    if not cites_a_source:
        return "This claim cites no source: add at least one before approving."
    return None


def may_assign(user) -> bool:
    """Editors assign reviews; reviewers take them (or assign them)."""
    return may_submit(user) or may_review(user) or may_review_articles(user)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def refusal_to_assign(target, reviewer, *, last_editor=None, by=None) -> str | None:
    """Why `reviewer` may not be assigned `target` (a Claim, or an Article's draft review) by `by`, or None.

    Nobody is assigned what they could not decide on: a claim they created or last changed, an article
    they wrote or whose draft they last edited (`last_editor`, see claims.publishing.draft_last_editor);
    nor, while settings.REVIEWER_CREDENTIALS_REQUIRED is on, a reviewer with no credentials on file (told
    to themselves when `by` is the reviewer taking it).
    """
    name = _name(reviewer)
    if isinstance(target, Claim):
        if not may_review(reviewer):
            return f"{name} is not a medical reviewer: only reviewers can be assigned a claim."
        if reviewer.pk == target.created_by_id:
            return f"{name} wrote this claim: assign another reviewer."
        if reviewer.pk == target.last_changed_by_id:
            return f"{name} made the last change to this claim: assign another reviewer."
        return refusal_to_assign_without_credentials(reviewer, by=by)
    if not may_review_articles(reviewer):
        return f"{name} is not a medical reviewer: only reviewers can be assigned an article's review."
    if reviewer.pk == target.author_id:
        return f"{name} wrote “{target.title}”: assign another reviewer."
    if last_editor is not None and last_editor.pk == reviewer.pk:
        return f"{name} last edited this draft: assign another reviewer."
    return refusal_to_assign_without_credentials(reviewer, by=by)


def credentials_required() -> bool:
    return bool(getattr(settings, "REVIEWER_CREDENTIALS_REQUIRED", False))


CREDENTIALS_NEEDED_TO_TAKE = (
    "You have no credentials on file, and this site requires a medical reviewer's credentials before a review "
    "is assigned: add them (for example “MD, FRCP”) to your profile under People › Profiles, then take it."
)


def refusal_to_assign_without_credentials(reviewer, *, by=None) -> str | None:
    """Why `reviewer` may not be assigned a review while credentials are required: none on file."""
    if not credentials_required() or not lacks_credentials(reviewer):
        return None
    if by is not None and by.pk == reviewer.pk:
        return CREDENTIALS_NEEDED_TO_TAKE
    return (
        f"{_name(reviewer)} has no credentials on file, and this site requires a medical reviewer's credentials "
        "before a review is assigned: they add them to their profile under People › Profiles (or a superuser "
        "does), then they can be assigned."
    )


def refusal_to_sign_off(article, user, *, last_editor=None) -> str | None:
    """Why `user` may not sign off the draft of `article`: not its author, nor its last editor."""
    refusal = refusal_to_mark_reviewed(article, user)
    if refusal:
        return refusal.replace("mark an article as medically reviewed", "sign off an article")
    if last_editor is not None and last_editor.pk == user.pk:
        return "You last edited this draft: another reviewer signs it off."
    return None


CREDENTIALS_NEEDED = (
    "You have no credentials on file, and this site requires a medical reviewer's credentials before a sign-off: "
    "add them (for example “MD, FRCP”) to your profile under People › Profiles, then sign off."
)


def refusal_for_missing_credentials(user) -> str | None:
    """Why `user` may not sign off while settings.REVIEWER_CREDENTIALS_REQUIRED is on: no credentials on file."""
    if credentials_required() and lacks_credentials(user):
        return CREDENTIALS_NEEDED
    return None


def refusal_to_withdraw_urgently(user) -> str | None:
    """Why `user` may not pull a live claim for review at once: a decision on evidence, so reviewers only.

    Any reviewer may, their own claims included: pulling a claim only ever shows readers less.
    """
    if not may_review(user):
        return "Only medical reviewers can withdraw a published claim for review."
    return None


def refusal_to_republish(user) -> str | None:
    """Why `user` may not publish an earlier revision again: those who write articles or review them may."""
    if not (may_write_articles(user) or may_review(user)):
        return "Only editors and medical reviewers can publish an earlier revision again."
    return None


def may_publish_articles(user) -> bool:
    """Whoever changes articles publishes them, once the publication gate lets the draft through."""
    return bool(user.is_authenticated and user.has_perm("articles.change_article"))


def may_comment(user) -> bool:
    """Editors and reviewers, who read articles: may read the comments, start threads and reply."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("articles.view_article")
        and (may_write_articles(user) or may_review(user))
    )


def refusal_to_comment(user) -> str | None:
    if not may_comment(user):
        return "Only editors and medical reviewers can comment."
    return None


def refusal_to_resolve(thread, user) -> str | None:
    """Why `user` may not resolve or reopen `thread`: its starter, its claim's author or a reviewer may."""
    refusal = refusal_to_comment(user)
    if refusal:
        return refusal
    if user.pk == thread.created_by_id or may_review(user):
        return None
    if thread.claim_id is not None and user.pk == thread.claim.created_by_id:
        return None
    return "Only the person who started this thread, the claim's author or a medical reviewer can resolve or reopen it."
