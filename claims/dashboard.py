"""The admin home's dashboard: for each role, what waits, counted, with the first few items and a link to each list.

An editor's section counts their drafts, the claims sent back to them, their drafts the publication gate holds
back (saying why, in the gate's words) and their scheduled revisions. A reviewer's counts the reviews assigned
to them (overdue first), the claims ready to approve, the drafts waiting for a sign-off, the open evidence
alerts and the articles whose review is due. A superuser sees both across the site, with the unassigned work.

Every count is of the same rows as the list its link opens: both are read through claims/worklists.py, the
review queue's selector and filters (claims/selectors.py, claims/filters.py) and the article queryset's methods.
Each card reads its first items and its total in one query (a window count), so the page's queries do not
grow with the work.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article, ArticleRevision
from articles.policy import may_write_articles

from . import worklists
from .assignments import overdue_words
from .filters import approval_blocked_ids
from .models import Assignment, Claim, EvidenceAlert
from .policy import may_review
from .publishing.gate import claim_blockers, shortened
from .selectors import QUEUE_ORDER, review_queue

SHOWN = 5  # items listed on a card; "and N more" links to the rest
REASONS_SHOWN = 2  # the gate's reasons listed under a blocked draft
DUE_SOON_DAYS = 14  # "Reviews due": overdue, or due within this many days (articles' ReviewDueFilter "near")


@dataclass(frozen=True)
class Counted:
    """One count on a card and the list it opens."""

    number: int
    label: str  # "one|many", or the same words for both
    url: str

    @property
    def words(self) -> str:
        one, _, many = self.label.partition("|")
        return one if self.number == 1 or not many else many


@dataclass(frozen=True)
class Item:
    text: str
    url: str
    notes: tuple = ()
    late: str = ""  # "⚠ overdue by 3 days": a symbol and words, never a colour alone


@dataclass
class Card:
    key: str
    title: str
    counts: list
    items: list = field(default_factory=list)
    empty: str = "Nothing here."

    @property
    def total(self) -> int:
        return sum(count.number for count in self.counts)

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))

    @property
    def more_url(self) -> str:
        """The one list holding every item, when there is one; else the counts' links say where the rest are."""
        return self.counts[0].url if len(self.counts) == 1 else ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    cards: list


def admin_list(name: str, **params) -> str:
    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


ARTICLE_TEXT = ("body", "body_html", "body_text")


def light(queryset, *articles):
    """`queryset` without the text of the articles it reads: `""` for its own rows (articles, revisions), else the
    relation ("article__"). The window count reads every matching row, so it is kept narrow."""
    return queryset.defer(*(f"{prefix}{name}" for prefix in articles for name in ARTICLE_TEXT))


def first_and_total(queryset, shown=SHOWN):
    """The first `shown` rows of `queryset` and how many it holds, in one query."""
    rows = list(queryset.annotate(dashboard_total=Window(Count("pk")))[:shown])
    return rows, (rows[0].dashboard_total if rows else 0)


def _day(value) -> str:
    return date_format(value, "j M Y")


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y H:i")


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _plural(number, one, many) -> str:
    return f"{number} {one if number == 1 else many}"


# An editor's work -----------------------------------------------------------------------------------


def editor_section(user, *, site_wide: bool) -> Section:
    articles = Article.objects.current()
    mine = {} if site_wide else {"mine": "written"}
    if not site_wide:
        articles = articles.written_by(user)
    return Section(
        "editor",
        "Editing: across the site" if site_wide else "Your editing",
        [
            _drafts(articles, mine, site_wide),
            _sent_back(user, site_wide),
            _blocked(articles, mine),
            _scheduled(articles, mine),
        ],
    )


def _drafts(articles, mine, site_wide) -> Card:
    rows, total = first_and_total(
        light(articles.never_published().select_related("author"), "").order_by("-updated_at", "pk")
    )
    return Card(
        "drafts",
        "Drafts" if site_wide else "My drafts",
        [
            Counted(
                total,
                "draft never published|drafts never published",
                admin_list("articles_article", published="no", **mine),
            )
        ],
        [
            Item(
                a.title,
                reverse("admin:articles_article_change", args=[a.pk]),
                (f"Last changed {_when(a.updated_at)}", *([f"By {_person(a.author)}"] if site_wide else [])),
            )
            for a in rows
        ],
        empty="No drafts waiting to be published for the first time.",
    )


def _sent_back(user, site_wide) -> Card:
    claims = worklists.sent_back(Claim.objects.all(), None if site_wide else user)
    rows, total = first_and_total(
        light(claims.select_related("article", "created_by"), "article__").order_by("-updated_at", "pk")
    )
    return Card(
        "sent_back",
        "Claims sent back" if site_wide else "Claims sent back to me",
        [
            Counted(
                total,
                "claim: changes requested or rejected|claims: changes requested or rejected",
                admin_list("claims_claim", sent_back="anyone" if site_wide else "me"),
            )
        ],
        [
            Item(
                f"“{shortened(c.quote)}”",
                c.get_admin_url(),
                (
                    c.get_review_state_display(),
                    f"In “{c.article.title}”",
                    *([f"Written by {_person(c.created_by)}"] if site_wide else []),
                ),
            )
            for c in rows
        ],
        empty="No claims sent back.",
    )


def _blocked(articles, mine) -> Card:
    rows, total = first_and_total(light(worklists.gate_blocked(articles), "").order_by("-updated_at", "pk"))
    blocking = worklists.blocking_claims_of(a.pk for a in rows)
    items = []
    for article in rows:
        reasons = [blocker.text for blocker in claim_blockers(blocking[article.pk])]
        notes = reasons[:REASONS_SHOWN]
        if len(reasons) > REASONS_SHOWN:
            notes.append(f"and {_plural(len(reasons) - REASONS_SHOWN, 'more reason', 'more reasons')}")
        items.append(Item(article.title, reverse("admin:articles_article_change", args=[article.pk]), tuple(notes)))
    return Card(
        "blocked",
        "Drafts blocked at the publication gate",
        [
            Counted(
                total,
                "draft held back by its claims|drafts held back by their claims",
                admin_list("articles_article", gate="blocked", **mine),
            )
        ],
        items,
        empty="No draft is held back by its claims.",
    )


def _scheduled(articles, mine) -> Card:
    scheduled = articles.with_scheduled_revision()
    total = scheduled.count()
    revisions = (
        ArticleRevision.objects.scheduled()
        .filter(article__in=scheduled.values("pk"))
        .select_related("article")
        .defer(*ARTICLE_TEXT, *(f"article__{name}" for name in ARTICLE_TEXT))
        .order_by("scheduled_for", "pk")[:SHOWN]
    )
    items = [
        Item(
            r.article.title,
            reverse("admin:articles_articlerevision_revisions", args=[r.article_id]),
            (
                f"Revision {r.number} goes live {_when(r.scheduled_for)}",
                *([f"⚠ Problem: {r.schedule_problem}"] if r.schedule_problem else []),
            ),
        )
        for r in revisions
    ]
    return Card(
        "scheduled",
        "Scheduled revisions",
        [
            Counted(
                total,
                "article with a revision scheduled|articles with a revision scheduled",
                admin_list("articles_article", scheduled="yes", **mine),
            )
        ],
        items,
        empty="No revision is scheduled.",
    )


# A reviewer's work ----------------------------------------------------------------------------------


def reviewer_section(user, *, site_wide: bool) -> Section:
    queue = review_queue(user)
    current = Article.objects.current()
    awaiting = worklists.awaiting_sign_off_ids(current)
    cards = [
        _assigned(user, queue, current, site_wide),
        _ready(queue),
        _awaiting_sign_off(current, awaiting),
        _alerts(),
        _due(user, current, site_wide),
    ]
    if site_wide:
        cards.append(_unassigned(queue, current, awaiting))
    return Section("reviewer", "Reviewing: across the site" if site_wide else "Your reviewing", cards)


def _assignment_item(assignment, site_wide) -> Item:
    if assignment.claim_id:
        claim = assignment.claim
        text, url = f"“{shortened(claim.quote)}”", claim.get_admin_url()
        where = f"Claim in “{claim.article.title}”"
    else:
        text = assignment.article.title
        url = reverse("admin:articles_article_change", args=[assignment.article_id]) + "#sign-off"
        where = "Article's medical sign-off"
    notes = (where, f"Due {_day(assignment.due_on)}", *([f"To {assignment.reviewer_name}"] if site_wide else []))
    return Item(text, url, notes, late=overdue_words(assignment))


def _assigned(user, queue, current, site_wide) -> Card:
    reviewer = None if site_wide else user
    claims = queue.filter(worklists.assignment_condition("claim", reviewer))
    articles = current.filter(worklists.assignment_condition("article", reviewer))
    assigned = Assignment.objects.open().filter(
        Q(claim__in=claims.order_by().values("pk")) | Q(article__in=articles.order_by().values("pk"))
    )
    # A claim or an article has one open assignment at most (claims/models/assignment.py): counting the
    # assignments counts the claims and the articles, read with the first few in one query.
    rows = list(
        light(assigned.select_related("claim__article", "article", "reviewer"), "claim__article__", "article__")
        .annotate(claims_total=Window(Count("claim")), articles_total=Window(Count("article")))
        .order_by("due_on", "assigned_at", "pk")[:SHOWN]
    )
    claims_total, articles_total = (rows[0].claims_total, rows[0].articles_total) if rows else (0, 0)
    which = "any" if site_wide else "me"
    return Card(
        "assigned",
        "Assigned reviews" if site_wide else "Assigned to me",
        [
            Counted(claims_total, "claim|claims", admin_list("claims_reviewqueueclaim", assigned=which)),
            Counted(
                articles_total,
                "article sign-off|article sign-offs",
                admin_list("articles_article", review_assigned=which),
            ),
        ],
        [_assignment_item(a, site_wide) for a in rows],
        empty="No review is assigned." if site_wide else "Nothing is assigned to you.",
    )


def _claim_item(claim, *notes) -> Item:
    return Item(f"“{shortened(claim.quote)}”", claim.get_admin_url(), (f"In “{claim.article.title}”", *notes))


def _ready(queue) -> Card:
    ready = queue.exclude(pk__in=approval_blocked_ids(queue))
    rows, total = first_and_total(light(ready.select_related("article"), "article__").order_by(*QUEUE_ORDER))
    return Card(
        "ready",
        "Ready to approve",
        [
            Counted(
                total,
                "claim in the queue passes the approval rule|claims in the queue pass the approval rule",
                admin_list("claims_reviewqueueclaim", approval="ready"),
            )
        ],
        [_claim_item(c, *([f"Waiting since {_when(c.queued_at)}"] if c.queued_at else [])) for c in rows],
        empty="No claim in the queue is ready to approve.",
    )


def _awaiting_sign_off(current, ids) -> Card:
    rows = list(light(current.filter(pk__in=ids), "").order_by("updated_at", "pk")[:SHOWN])
    return Card(
        "sign_off",
        "Waiting for sign-off",
        [
            Counted(
                len(ids),
                "draft whose claims are all approved|drafts whose claims are all approved",
                admin_list("articles_article", gate="sign_off"),
            )
        ],
        [
            Item(
                a.title,
                reverse("admin:articles_article_change", args=[a.pk]) + "#sign-off",
                (f"Draft last changed {_when(a.updated_at)}",),
            )
            for a in rows
        ],
        empty="No draft is waiting for a sign-off.",
    )


def _alerts() -> Card:
    alerts = EvidenceAlert.objects.filter(resolution=EvidenceAlert.Resolution.OPEN)
    rows, total = first_and_total(
        light(alerts.select_related("event__source", "claim__article"), "claim__article__").order_by("raised_at", "pk")
    )
    return Card(
        "alerts",
        "Evidence alerts",
        [Counted(total, "open", admin_list("claims_evidencealert", state="open"))],
        [
            Item(
                f"⚠ {a.event.headline()}: {a.event.source.citation_label}",
                reverse("admin:claims_evidencealert_resolve", args=[a.pk]),
                (f"Claim “{shortened(a.claim.quote, 60)}” in “{a.claim.article.title}”",),
            )
            for a in rows
        ],
        empty="No open evidence alert.",
    )


def _due(user, current, site_wide) -> Card:
    due = current.review_due_within(DUE_SOON_DAYS)
    params = {"review_due": "near"}
    if not site_wide:
        due, params["mine"] = due.reviewed_by(user), "reviewed"
    rows, total = first_and_total(light(due, "").order_by("next_review_due", "pk"))
    today = timezone.localdate()
    items = []
    for article in rows:
        days = (today - article.next_review_due).days
        late = f"⚠ overdue by {_plural(days, 'day', 'days')}" if days > 0 else ""
        items.append(
            Item(
                article.title,
                reverse("admin:articles_article_change", args=[article.pk]),
                (f"Review due {_day(article.next_review_due)}",),
                late=late,
            )
        )
    return Card(
        "due",
        "Reviews due",
        [Counted(total, f"overdue or due within {DUE_SOON_DAYS} days", admin_list("articles_article", **params))],
        items,
        empty=f"No review is overdue or due within {DUE_SOON_DAYS} days.",
    )


def _unassigned(queue, current, awaiting) -> Card:
    claims = queue.exclude(worklists.assignment_condition("claim"))
    rows, total = first_and_total(light(claims.select_related("article"), "article__").order_by(*QUEUE_ORDER))
    unassigned_articles = current.filter(pk__in=awaiting).exclude(worklists.assignment_condition("article"))
    return Card(
        "unassigned",
        "Unassigned work",
        [
            Counted(
                total, "claim in the queue|claims in the queue", admin_list("claims_reviewqueueclaim", assigned="none")
            ),
            Counted(
                unassigned_articles.count(),
                "draft waiting for sign-off|drafts waiting for sign-off",
                admin_list("articles_article", gate="sign_off", review_assigned="none"),
            ),
        ],
        [_claim_item(c) for c in rows],
        empty="Every review is assigned.",
    )


def sections(user) -> list[Section]:
    """The sections `user` sees: an editor's, a reviewer's, or both; a superuser's across the site."""
    site_wide = user.is_superuser
    found = []
    if may_write_articles(user):
        found.append(editor_section(user, site_wide=site_wide))
    if may_review(user):
        found.append(reviewer_section(user, site_wide=site_wide))
    return found
