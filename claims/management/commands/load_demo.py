"""Load the demo: accounts with their profiles, conditions, sources, and articles published through the gate.

Each article's data file (claims/demo_content.py) describes its draft as it stands now and the
revisions it went through, oldest first. The loader replays them as editors and reviewers would:
the editor saves the text of each revision and marks its claims, the reviewer approves them and
dismisses the sentences the integrity check suggests that make no health claim, the second reviewer
signs the draft off, the editor publishes it (`claims.publishing.article_sign_off`,
`article_publish`), or publishes a minor revision without a new sign-off, or a reviewer withdraws a
claim urgently. Then the draft is saved as it is now, with its newer claims in their review states.

A source whose data file records a look-up (the retracted STAP paper) gets that record, and the
evidence watch's `record_events` turns it into its retraction and an open alert on the claim citing it,
as a look-up would.

A revision's `comments` start threads on sentences of its text; one on a sentence the draft no longer
has is orphaned by the draft's save, as any edit would, and kept.

Then the teamwork between the demo accounts (`Teamwork`), through the same services as the admin's
forms: comment threads (an open exchange on a claim, a resolved one, one on a sentence of a draft),
assignments (a claim due soon, one overdue, an article's draft review) and the notifications all of
these make through claims.notices, the reviews due told as the daily reminders task tells them. The
notifications of what happened in a published revision are dated with it and read; those of what
waits now stay unread.

Only the dates are set after the fact: every revision happened today, so once it is done the
loader moves its sign-off, publication and approvals back by the revision's `days_ago` with
queryset updates (the demo alone does this), and dates the article's medical review from the
sign-off readers see.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleRevision
from articles.services import add_months, article_create, article_update
from claims import assignments, comments, demo_content, map_counts, notices
from claims.evidence_watch import record_events
from claims.models import (
    Assignment,
    Claim,
    ClaimDecision,
    Comment,
    CommentThread,
    Condition,
    EvidenceStatus,
    Outcome,
    PublishedClaim,
    Source,
    SourceRecord,
)
from claims.publishing import (
    article_publish,
    article_sign_off,
    claim_withdraw_urgently,
    draft_digest,
    live_revision,
    open_suggestions,
    suggestion_dismiss,
)
from claims.reminders import due_reviews
from claims.services import claim_create, claim_decide, claim_save, claim_submit
from claims.text import study_design
from notifications.models import Notification
from ops.statistics import refresh_statistics
from people.profiles import profile_for

ACCOUNTS = [
    # username, password, first name, last name, group
    ("editor", "editor-demo-2026", "Sam", "Okafor", "Editors"),
    ("reviewer", "reviewer-demo-2026", "Dr Priya", "Raman", "Reviewers"),
    ("reviewer2", "reviewer2-demo-2026", "Dr Tomás", "Lindqvist", "Reviewers"),
]
ADMIN = ("admin", "admin-demo-2026")
# What readers are told of each demo account on article pages and at /people/<slug>/ (people.Profile).
PROFILES = {
    "editor": {
        "display_name": "Sam Okafor",
        "credentials": "BSc, MSc",
        "specialty": "Medical writing",
        "bio": "Health editor. Writes about lung and immune conditions for readers with no medical training.",
        "conflicts_of_interest": "",
    },
    "reviewer": {
        "display_name": "Dr Priya Raman",
        "credentials": "MBBS, MD, FRCP",
        "specialty": "Respiratory medicine",
        "bio": "Consultant respiratory physician. Runs a clinic for people with interstitial lung disease.",
        "conflicts_of_interest": "",
    },
    "reviewer2": {
        "display_name": "Dr Tomás Lindqvist",
        "credentials": "MD, PhD",
        "specialty": "Rheumatology",
        "bio": "Rheumatologist and clinical researcher in autoimmune disease.",
        "conflicts_of_interest": "Received a speaker's fee from a maker of lupus medicines in 2024.",
    },
}


class Command(BaseCommand):
    help = "Load demo accounts, conditions, sources and articles with graded claims (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        users = self._accounts()
        conditions = self._conditions()
        sources = self._sources()
        statuses = {s.slug: s for s in EvidenceStatus.objects.all()}
        created = 0
        for spec in demo_content.ARTICLES:
            if Article.objects.filter(slug=spec["slug"]).exists():
                continue  # editors may have changed it since: never overwrite
            DemoArticle(spec, users, conditions, sources, statuses).load()
            created += 1
        self._recorded_look_ups(sources)
        Teamwork(users).load()
        refresh_statistics()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {created} new article(s), {Article.objects.count()} in all. "
                "Sign in at /admin/ as editor, reviewer or admin (passwords in the README)."
            )
        )

    def _accounts(self):
        User = get_user_model()
        users = {}
        for username, password, first, last, group in ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name, user.is_staff = first, last, True
            # A reserved domain: the demo's e-mails (reminders, evidence alerts) go to the console backend.
            user.email = user.email or f"{username}@example.org"
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group))
            users[username] = User.objects.get(pk=user.pk)  # fresh object: no stale permission cache
            self._profile(users[username], PROFILES[username])
        admin, _ = User.objects.get_or_create(username=ADMIN[0])
        admin.is_staff = admin.is_superuser = True
        admin.set_password(ADMIN[1])
        admin.save()
        return users

    def _profile(self, user, fields):
        """Fill in the account's profile: what its owner has written there already is kept."""
        profile = profile_for(user)
        blank = {name: value for name, value in fields.items() if not getattr(profile, name)}
        if blank:
            for name, value in blank.items():
                setattr(profile, name, value)
            profile.save()

    def _conditions(self):
        conditions = {}
        for spec in demo_content.CONDITIONS:
            condition, _ = Condition.objects.update_or_create(
                slug=spec["slug"],
                defaults={
                    "name": spec["name"],
                    "icd10_code": spec["icd10"],
                    "mesh_id": spec["mesh_id"],
                    "synonyms": "\n".join(spec["synonyms"]),
                    "description": spec["description"],
                },
            )
            condition.full_clean()
            conditions[spec["slug"]] = condition
        return conditions

    def _sources(self):
        sources = {}
        for spec in demo_content.SOURCES:
            source = Source(kind=spec["kind"], identifier=spec["identifier"])
            source.clean()
            source, _ = Source.objects.update_or_create(
                kind=source.kind,
                identifier=source.identifier,
                # The demo's own record of what the look-ups would find (look-ups are off in the demo).
                defaults={
                    "title": spec["title"],
                    "year": spec["year"],
                    "journal": spec.get("journal", ""),
                    "design": spec.get("design", study_design.UNKNOWN),
                },
            )
            sources[spec["key"]] = source
        return sources

    def _recorded_look_ups(self, sources):
        """What a look-up found for the demo sources that record one (a retraction), turned into events and
        alerts as the evidence watch does after each look-up: once, whatever the number of runs."""
        for spec in demo_content.SOURCES:
            if "record" not in spec:
                continue
            source = sources[spec["key"]]
            record = SourceRecord.objects.filter(source=source).first()
            if record is None or record.outcome != Outcome.LOOKED_UP:  # a real look-up's answer is kept
                SourceRecord.objects.update_or_create(
                    source=source,
                    defaults={"outcome": Outcome.LOOKED_UP, "looked_up_at": timezone.now(), **spec["record"]},
                )
            record_events(source.pk)


def _with_words(text, replacements):
    """The text as it was in a revision: each [words now, words then] of the revision put back."""
    for now, then in replacements:
        text = text.replace(now, then)
    return text


class DemoArticle:
    """One demo article: its revisions replayed through the publishing services, then its draft as it is now."""

    def __init__(self, spec, users, conditions, sources, statuses):
        self.spec, self.users, self.conditions, self.sources, self.statuses = spec, users, conditions, sources, statuses
        self.editor, self.reviewer = users["editor"], users["reviewer"]
        self.article = None
        self.claims = {}  # index in spec["claims"] -> Claim
        self.now = timezone.now()

    def load(self):
        revisions = self.spec.get("revisions", [])
        for number, step in enumerate(revisions, start=1):
            when = self.now - datetime.timedelta(days=step["days_ago"])
            started = timezone.now()
            if "withdraw" in step:
                self._withdraw(step, when)
            else:
                self._publish(number, step, when)
            # Told then, and read long since: only what waits now is unread.
            Notification.objects.filter(created_at__gte=started).update(
                created_at=when, read_at=when + datetime.timedelta(hours=4)
            )
        self._save_text(self.spec["body"])
        self._claims(len(revisions) + 1, replacements=[], final=True)
        self._check_states()
        self._date_the_review()
        return self.article

    # The text and the claims of one stage --------------------------------------------------------

    def _save_text(self, body):
        if self.article is None:
            article = Article(
                title=self.spec["title"],
                slug=self.spec["slug"],
                standfirst=self.spec["standfirst"],
                body=body,
                status=Article.Status.DRAFT,
                author=self.editor,
            )
            article.full_clean()
            article_create(article=article, user=self.editor)
            article.tags.set(self.spec["tags"])
            self.article = article
        elif self.article.body != body:
            self.article.body = body
            article_update(article=self.article, user=self.editor)
        self.article.refresh_from_db()

    def _claims(self, number, replacements, final=False):
        """Create, regrade and approve the claims as they stood at revision `number` (the draft when final)."""
        approved = []
        for index, claim_spec in enumerate(self.spec["claims"]):
            if claim_spec.get("added_to_draft") and not final:
                continue
            quote = _with_words(claim_spec["quote"], replacements)
            earlier = claim_spec.get("earlier")
            then = earlier if earlier and number < earlier["until"] else claim_spec
            grade = then["evidence"]
            claim = self.claims.get(index)
            if claim is None:
                start = self.article.body_text.find(quote)
                if start < 0:
                    if final:
                        raise CommandError(f"Demo quote not found in “{self.article.title}”: {quote[:60]}")
                    continue  # a sentence added to the draft later
                claim = self.claims[index] = self._create(claim_spec, start, quote, grade)
                if final:
                    self._give_state(claim, claim_spec)
                    continue
            else:
                claim.refresh_from_db()
                if claim.evidence_status.slug != grade:
                    self._regrade(claim, grade)
            if not final and not claim.is_approved:
                if claim.review_state != Claim.ReviewState.PENDING:
                    claim_submit(claim=claim, user=self.editor)
                claim_decide(
                    claim=claim,
                    reviewer=self.reviewer,
                    decision=Claim.ReviewState.APPROVED,
                    override_reason=then.get("override_reason", ""),
                )
                approved.append(claim.pk)
        return approved

    def _create(self, claim_spec, start, quote, grade):
        return claim_create(
            article=self.article,
            start=start,
            end=start + len(quote),
            condition=self.conditions[claim_spec["condition"]],
            evidence_status=self.statuses[grade],
            sources=[self.sources[key] for key in claim_spec["sources"]],
            explanation=claim_spec["explanation"],
            reviewer_note=claim_spec.get("reviewer_note", ""),
            user=self.editor,
        )

    def _give_state(self, claim, claim_spec):
        state = claim_spec["state"]
        if state != "draft":
            claim_submit(claim=claim, user=self.editor)
        if state in {"approved", "changes_requested", "rejected"}:
            claim_decide(
                claim=claim,
                reviewer=self.reviewer,
                decision=state,
                comment=claim_spec.get("review_comment", ""),
                override_reason=claim_spec.get("override_reason", ""),
            )

    def _regrade(self, claim, grade):
        claim.evidence_status = self.statuses[grade]
        claim_save(claim=claim, user=self.editor, changed_fields=["evidence_status"], sources=claim.sources.all())

    def _dismiss_suggestions(self):
        reasons = self.spec.get("dismissed", {})
        for suggestion in open_suggestions(self.article):
            if suggestion.text not in reasons:
                raise CommandError(f"“{suggestion.text}” reads as a health claim: claim it or give a dismissal reason.")
            suggestion_dismiss(
                article=self.article, sentence=suggestion.text, reviewer=self.reviewer, reason=reasons[suggestion.text]
            )

    # Revisions -----------------------------------------------------------------------------------

    def _publish(self, number, step, when):
        replacements = step.get("text", [])
        self._save_text(_with_words(self.spec["body"], replacements))
        approved = self._claims(number, replacements)
        Claim.objects.filter(pk__in=approved).update(reviewed_at=when - datetime.timedelta(hours=3))
        ClaimDecision.objects.filter(claim_id__in=approved, created_at__gte=self.now).update(
            created_at=when - datetime.timedelta(hours=3)
        )
        self._dismiss_suggestions()
        signed = None
        if not step.get("minor"):
            signer = self.users[step["signed_off_by"]]
            signed = article_sign_off(article=self.article, reviewer=signer, seen_digest=draft_digest(self.article))
        at = None
        if "scheduled_in_days" in step:
            at = self.now + datetime.timedelta(days=step["scheduled_in_days"])
        revision = article_publish(article=self.article, user=self.editor, change_note=step["change_note"], at=at)
        if step.get("minor") and not revision.is_minor:
            raise CommandError(f"Revision {number} of “{self.article.title}” is not minor.")
        self._comment_on_sentences(step.get("comments", []), when)
        dates = {"created_at": when - datetime.timedelta(hours=2)}
        if signed is not None:
            dates["signed_off_at"] = when - datetime.timedelta(hours=1)
        if revision.published_at is not None:
            dates["published_at"] = when
        ArticleRevision.objects.filter(pk=revision.pk).update(**dates)
        self.article.refresh_from_db()

    def _comment_on_sentences(self, said, when):
        """Threads started on sentences of the text just published, dated an hour after its publication."""
        started = timezone.now()
        for spec in said:
            sentence = next((s for s in self.article.sentences() if s.text.startswith(spec["sentence"])), None)
            if sentence is None:
                raise CommandError(f"No sentence of “{self.article.title}” starts “{spec['sentence']}”.")
            comments.thread_start_on_sentence(
                article=self.article,
                start=sentence.start,
                end=sentence.end,
                user=self.users[spec["by"]],
                body=spec["body"],
            )
        later = when + datetime.timedelta(hours=1)
        CommentThread.objects.filter(article=self.article, created_at__gte=started).update(created_at=later)
        Comment.objects.filter(thread__article=self.article, created_at__gte=started).update(created_at=later)

    def _withdraw(self, step, when):
        index = next(i for i, c in enumerate(self.spec["claims"]) if c["quote"].startswith(step["withdraw"]))
        claim = self.claims[index]
        revision = claim_withdraw_urgently(reviewer=self.users[step["by"]], notice=step["notice"], claim=claim)
        ArticleRevision.objects.filter(pk=revision.pk).update(created_at=when, published_at=when)
        PublishedClaim.objects.filter(revision=revision, under_review_since__isnull=False).update(
            under_review_since=when
        )
        self.article.refresh_from_db()

    # Afterwards ----------------------------------------------------------------------------------

    def _check_states(self):
        for index, claim_spec in enumerate(self.spec["claims"]):
            claim = Claim.objects.get(pk=self.claims[index].pk)
            if claim.review_state != claim_spec["state"]:
                raise CommandError(
                    f"The demo claim “{claim.quote[:60]}” ends {claim.review_state}, not {claim_spec['state']}."
                )

    def _date_the_review(self):
        live = live_revision(self.article)
        if live is None:
            return
        first = self.article.revisions.filter(published_at__isnull=False).order_by("published_at").first()
        reviewed_on = timezone.localdate(live.medical_review.signed_off_at)
        Article.objects.filter(pk=self.article.pk).update(
            published_at=first.published_at,
            last_reviewed=reviewed_on,
            next_review_due=add_months(reviewed_on, self.article.review_interval_months),
        )
        map_counts.refresh([self.article.pk])  # the evidence maps order its claims by that date


# Teamwork between the demo accounts ------------------------------------------------------------------

AUTOIMMUNE = "stem-cells-autoimmune-disease"
# (article slug, start of the claim's quote): the claims the demo's comments and assignments are about.
OPEN_THREAD_CLAIM = (AUTOIMMUNE, "Transplant may help some people with very active relapsing MS")
RESOLVED_THREAD_CLAIM = ("stem-cells-immune-system-disorders", "In relapsing multiple sclerosis that keeps flaring")
OVERDUE_CLAIM = ("stem-cell-therapy-interstitial-lung-disease", "Pulmonary rehabilitation, a structured programme")
OPEN_THREAD = [
    (
        "reviewer",
        "The trial behind this recruited people whose MS kept relapsing despite treatment. Is that the group "
        "“very active relapsing MS” means here? If so, the explanation should say so.",
    ),
    (
        "editor",
        "Yes: people with relapses in the past year despite at least two medicines. I will add that to the "
        "explanation; does the grade stand?",
    ),
]
RESOLVED_THREAD = [
    (
        "editor",
        "This claim went down from Moderate to Limited evidence. Should the change note say why, for readers?",
    ),
    (
        "reviewer",
        "Yes, in one line: the longer follow-up found the benefit smaller than first reported. Done in the note.",
    ),
]
SENTENCE_COMMENT = (
    "reviewer",
    "This new sentence reads as a health claim and nobody graded it: mark it as a claim with its sources, "
    "or reword it so that it claims nothing.",
)
DUE_SOON_DAYS, OVERDUE_DAYS, ARTICLE_DUE_DAYS = 3, 4, 10


class Teamwork:
    """Comments, assignments and notifications between the demo accounts, made through the admin's services.

    Each piece is made once: a claim or article that has threads or assignments already (from an earlier
    run, or from someone trying the demo) is left as it is. Only dates are set afterwards: an assignment
    can only be made due today or later, so the overdue one is moved back by a queryset update, as the
    loader dates the revisions.
    """

    def __init__(self, users):
        self.users = users
        self.today = timezone.localdate()

    def load(self):
        self._threads()
        self._assignments()
        # The reviews due within 14 days or overdue, told as the daily reminders task tells them (each once).
        notices.reviews_due(due_reviews(self.today, 30))

    @staticmethod
    def _claim(slug, start):
        return Claim.objects.filter(article__slug=slug, quote__startswith=start).select_related("article").first()

    def _exchange(self, claim, said):
        (first, body), *replies = said
        thread = comments.thread_start_on_claim(claim=claim, user=self.users[first], body=body)
        for who, reply in replies:
            comments.comment_add(thread=thread, user=self.users[who], body=reply)
        return thread

    def _threads(self):
        claim = self._claim(*OPEN_THREAD_CLAIM)
        if claim is not None and not CommentThread.objects.filter(claim=claim).exists():
            self._exchange(claim, OPEN_THREAD)
        claim = self._claim(*RESOLVED_THREAD_CLAIM)
        if claim is not None and not CommentThread.objects.filter(claim=claim).exists():
            thread = self._exchange(claim, RESOLVED_THREAD)
            comments.thread_resolve(thread=thread, user=self.users["reviewer"])
            # Each of them read the other's comment before the thread was resolved.
            Notification.objects.filter(url__endswith=f"#thread-{thread.pk}", read_at__isnull=True).update(
                read_at=timezone.now()
            )
        article = Article.objects.filter(slug=AUTOIMMUNE).first()
        if article is not None:
            # The first sentence the integrity check takes for a health claim nobody graded.
            unclaimed = [suggestion.text for suggestion in open_suggestions(article)]
            sentence = next((s for s in article.sentences() if unclaimed and s.text == unclaimed[0]), None)
            if sentence is not None and not CommentThread.objects.filter(article=article, quote=sentence.text).exists():
                who, body = SENTENCE_COMMENT
                comments.thread_start_on_sentence(
                    article=article, start=sentence.start, end=sentence.end, user=self.users[who], body=body
                )

    def _assignments(self):
        editor, reviewer, reviewer2 = self.users["editor"], self.users["reviewer"], self.users["reviewer2"]
        soon = self.today + datetime.timedelta(days=DUE_SOON_DAYS)
        claim = self._claim(*OPEN_THREAD_CLAIM)
        if self._unassigned(claim):
            assignments.assign(target=claim, reviewer=reviewer, due_on=soon, by=editor)
        claim = self._claim(*OVERDUE_CLAIM)
        if self._unassigned(claim):
            late = assignments.assign(target=claim, reviewer=reviewer, due_on=self.today, by=editor)
            Assignment.objects.filter(pk=late.pk).update(
                due_on=self.today - datetime.timedelta(days=OVERDUE_DAYS),
                assigned_at=timezone.now() - datetime.timedelta(days=OVERDUE_DAYS + settings.ASSIGNMENT_DAYS),
            )
        article = Article.objects.filter(slug=AUTOIMMUNE).first()
        if self._unassigned(article):
            due = self.today + datetime.timedelta(days=ARTICLE_DUE_DAYS)
            assignments.assign(target=article, reviewer=reviewer2, due_on=due, by=editor)

    @staticmethod
    def _unassigned(target):
        """Whether `target` exists and was never assigned (an assignment made since is never replaced)."""
        return target is not None and not Assignment.objects.of(target).exists()
