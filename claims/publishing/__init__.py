"""Publishing revisions of articles: the publication gate, the medical sign-off, scheduling.

gate.py: the draft, its digest and last editor, and what blocks its publication or sign-off.
revisions.py: the writes: sign-off, publishing now or later, urgent withdrawal, republishing.
change_log.py: the change log readers see, as plain data.

An article row and its claims are the draft. Readers are meant to see only its live revision
(articles.ArticleRevision) and the claims published with it (PublishedClaim). A revision goes live
through `article_publish`, which refuses, with the list of what blocks it, unless:
- every claim of the draft is approved and still has its sentence;
- every sentence the integrity check takes for an ungraded health claim is claimed, or dismissed by
  a reviewer as making none (`suggestion_dismiss`, with a reason);
- the draft carries a medical sign-off (`article_sign_off`) by a reviewer who is neither the
  article's author nor the draft's last editor, given to this exact draft; or the revision is minor:
  no claimed sentence changed and no new health claim, so it keeps the live revision's review.

Other ways a revision goes live, each a copy of one already published:
- `claim_withdraw_urgently`: a reviewer pulls one live claim at once (its main source was retracted,
  say); readers see it under review, with the reviewer's notice, and its draft goes back to review.
  This is the only way a live page shows a claim under review.
- `article_republish`: an earlier revision is published again (a rollback), only when it had a
  medical review and no claim of it is under review or was pulled since.

`punctuation_changes` lists the approved claims whose words an edit touched only in punctuation or
case (they kept their approval) for the sign-off, and `article_change_log` gives readers' change log
as plain data: each published revision with its note, its grade changes and the claims it pulled.
"""

from .change_log import (
    ChangeEntry,
    GradeChange,
    PulledClaim,
    article_change_log,
)
from .gate import (
    Blocker,
    PublicationRefused,
    PunctuationChange,
    draft_claims,
    draft_digest,
    draft_last_editor,
    is_minor,
    live_revision,
    open_suggestions,
    publication_blockers,
    punctuation_changes,
    sign_off_blockers,
    signed_off_revision,
)
from .revisions import (
    article_publish,
    article_republish,
    article_sign_off,
    claim_withdraw_urgently,
    publish_scheduled,
    record_live_revision,
    republish_blockers,
    schedule_cancel,
    suggestion_dismiss,
)

__all__ = [
    "Blocker",
    "ChangeEntry",
    "GradeChange",
    "PublicationRefused",
    "PulledClaim",
    "PunctuationChange",
    "article_change_log",
    "article_publish",
    "article_republish",
    "article_sign_off",
    "claim_withdraw_urgently",
    "draft_claims",
    "draft_digest",
    "draft_last_editor",
    "is_minor",
    "live_revision",
    "open_suggestions",
    "publication_blockers",
    "publish_scheduled",
    "punctuation_changes",
    "record_live_revision",
    "republish_blockers",
    "schedule_cancel",
    "sign_off_blockers",
    "signed_off_revision",
    "suggestion_dismiss",
]
