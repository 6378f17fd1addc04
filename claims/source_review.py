"""Changing a source that claims cite: the claims answer for it in the same transaction.

A source's kind and identifier are the evidence itself: pointing them at another study (repointing) is a
substantive change to every claim citing it. Each approved claim citing it goes back to pending with a
withdrawal naming the old and new identifier, and whoever repointed it becomes the last to change every
claim citing it, so they cannot decide on those claims. Its title and year only describe the study: a
correction keeps approvals, and is recorded in the history of each claim citing it, with who made it.
"""

import os
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.defaultfilters import pluralize

from . import assignments, policy, source_metadata
from .models import Claim, Source, SourceRecord
from .services import claim_withdraw_approval, send_to_reviewers

# simple-history keeps a revision's reason in a column of 100 characters.
HISTORY_REASON_LENGTH = 100


def cited_as(kind: str, identifier: str) -> str:
    """A source as reasons name it: its kind and identifier, or its whole address for a web page."""
    if kind == Source.Kind.URL:
        return identifier
    return Source(kind=kind, identifier=identifier).citation_label


def _shown(name, value, length=None, skip=0):
    """A title or year as reasons show it; a long title from `skip` on, shortened to `length`."""
    if value in (None, ""):
        return "none" if name == "year" else "no title"
    if name == "year":
        return str(value)
    value = "…" + value[skip:] if skip and length is not None and len(value) > length else value
    return f"“{_short(value, length)}”"


def _correction(name, before, after, length):
    skip = _skip(before, after)
    return f"{name} {_shown(name, before, length, skip)} → {_shown(name, after, length, skip)}"


def _skip(before, after):
    """Where two titles start to differ, less a few characters of context: a shortened title shows that."""
    if not (isinstance(before, str) and isinstance(after, str)):
        return 0
    return max(0, len(os.path.commonprefix([before, after])) - 12)


@dataclass
class SourceChange:
    """What a change to a source did: to the source, and to the claims citing it."""

    source: Source
    was: str  # the source as it was named before, by cited_as()
    repointed: bool
    corrections: list = field(default_factory=list)  # (field name, before, after) of title and year
    withdrawn: list = field(default_factory=list)  # claims whose approval was withdrawn
    citing: int = 0  # claims citing the source

    @property
    def now(self):
        return cited_as(self.source.kind, self.source.identifier)

    @property
    def withdrawal_reason(self):
        return f"Approval withdrawn: its source {self.was} was changed to {self.now}."

    def history_reason(self):
        """The reason kept with each citing claim's revision, its titles shortened to fit the column."""
        for label_length in (HISTORY_REASON_LENGTH, 40, 20):
            was, now = _middle_out(self.was, label_length), _middle_out(self.now, label_length)
            for value_length in range(80, 5, -1):  # the longest titles that fit
                corrected = "; ".join(_correction(*change, value_length) for change in self.corrections)
                if self.repointed:
                    reason = f"Source {was} changed to {now}" + (f" ({corrected})." if corrected else ".")
                else:
                    reason = f"Source {was} corrected: {corrected}."
                if len(reason) <= HISTORY_REASON_LENGTH:
                    return reason
        return _short(reason, HISTORY_REASON_LENGTH)

    def summary(self):
        """One line for the source's own change log."""
        parts = [f"changed from {self.was} to {self.now}"] if self.repointed else []
        parts += [
            f"{name} from {_shown(name, before)} to {_shown(name, after)}" for name, before, after in self.corrections
        ]
        text = "Source " + ("; ".join(parts) or "saved unchanged") + "."
        if self.withdrawn:
            text += f" Approval withdrawn from {len(self.withdrawn)} claim{pluralize(len(self.withdrawn))}."
        return text


def _short(text, length=None):
    return text if length is None or len(text) <= length else text[: length - 1] + "…"


def _middle_out(text, length):
    """Shortened in the middle: two web addresses differ at their end as often as at their start."""
    if len(text) <= length:
        return text
    head = (length - 1) // 2
    return text[:head] + "…" + text[len(text) - (length - 1 - head) :]


# The rest of what an editor may set on a source: saved as given, neither repointing nor a correction.
DETAILS = ("authors", "journal", "hand_set", "design", "design_by_hand")


@transaction.atomic
def source_change(
    *, source: Source, user, kind: str, identifier: str, title: str = "", year=None, details=None
) -> SourceChange:
    """Give `source` these values as `user` changes it; the claims citing it answer for the change.

    Repointing it (another kind or identifier) withdraws the approval of each approved claim citing it
    and makes `user` the last to change every claim citing it. Correcting its title or year keeps
    approvals and records the correction in each citing claim's history. `details` sets the source's other
    fields (DETAILS: authors, journal, which fields were typed by hand, the design). A repointed source
    is about another study: what was looked up of the old one is dropped and the new one looked up. The
    source and its claims are locked first, so a reviewer's decision made meanwhile is applied before or
    after this, never between.
    """
    if not policy.may_change_sources(user):
        raise PermissionDenied("Only editors can change sources.")
    # The citing claims are locked before the source, and on their own rows: a reviewer's decision locks
    # its claim and then the pages it changes, and a change that took those in the other order could
    # deadlock with it. (A locked read joined to other tables can also lose rows a concurrent save
    # changed on PostgreSQL.)
    citing = Claim.objects.filter(sources=source.pk).values_list("pk", flat=True)
    claims = list(Claim.objects.filter(pk__in=list(citing)).select_for_update().order_by("pk"))
    stored = Source.objects.select_for_update().get(pk=source.pk)
    was = cited_as(stored.kind, stored.identifier)
    before = {"title": stored.title, "year": stored.year}
    stored.kind, stored.identifier, stored.title, stored.year = kind, identifier, title, year
    for name, value in (details or {}).items():
        if name not in DETAILS:
            raise ValueError(f"A source's {name} is not changed this way.")
        setattr(stored, name, value)
    stored.full_clean()  # normalises the identifier, as the admin's form did
    repointed = cited_as(stored.kind, stored.identifier) != was
    stored.save()
    change = SourceChange(
        source=stored,
        was=was,
        repointed=repointed,
        corrections=[
            (name, before[name], getattr(stored, name))
            for name in ("title", "year")
            if getattr(stored, name) != before[name]
        ],
    )
    change.citing = len(claims)
    if repointed:
        SourceRecord.objects.filter(source=stored).delete()
        source_metadata.request_lookup(stored)
        _repoint(claims, change, user)
    elif change.corrections and claims:
        Claim.history.bulk_history_create(
            claims, update=True, default_user=user, default_change_reason=change.history_reason()
        )
    return change


def _repoint(claims, change, user):
    reason = change.history_reason()
    for claim in claims:
        approved = claim.is_approved
        # Whoever changed the evidence under a claim may not decide on it.
        claim.last_changed_by = user
        if approved:
            send_to_reviewers(claim)
        claim._history_user, claim._change_reason = user, reason
        claim.save()
        assignments.release_if_changed_by(claim, user)
        if approved:
            claim_withdraw_approval(claim=claim, actor=user, reason=change.withdrawal_reason)
            change.withdrawn.append(claim)
