from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from articles.services import article_create, article_mark_reviewed
from claims import demo_content
from claims.models import Condition, EvidenceStatus, Source
from claims.publishing import record_live_revision
from claims.services import claim_create, claim_decide, claim_submit
from ops.statistics import refresh_statistics

ACCOUNTS = [
    # username, password, first name, last name, group
    ("editor", "editor-demo-2026", "Sam", "Okafor", "Editors"),
    ("reviewer", "reviewer-demo-2026", "Dr Priya", "Raman", "Reviewers"),
    ("reviewer2", "reviewer2-demo-2026", "Dr Tomás", "Lindqvist", "Reviewers"),
]
ADMIN = ("admin", "admin-demo-2026")


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
            self._article(spec, users, conditions, sources, statuses)
            created += 1
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
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group))
            users[username] = User.objects.get(pk=user.pk)  # fresh object: no stale permission cache
        admin, _ = User.objects.get_or_create(username=ADMIN[0])
        admin.is_staff = admin.is_superuser = True
        admin.set_password(ADMIN[1])
        admin.save()
        return users

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
                defaults={"title": spec["title"], "year": spec["year"]},
            )
            sources[spec["key"]] = source
        return sources

    def _article(self, spec, users, conditions, sources, statuses):
        editor, reviewer = users["editor"], users["reviewer"]
        article = Article(
            title=spec["title"],
            slug=spec["slug"],
            standfirst=spec["standfirst"],
            body=spec["body"],
            # The status follows publication: a published article of the demo is recorded live below.
            status=Article.Status.DRAFT if spec["status"] == Article.Status.PUBLISHED else spec["status"],
            author=editor,
        )
        article.full_clean()
        article_create(article=article, user=editor)
        article.tags.set(spec["tags"])
        for claim_spec in spec["claims"]:
            start = article.body_text.find(claim_spec["quote"])
            if start < 0:
                raise CommandError(f"Demo quote not found in “{article.title}”: {claim_spec['quote'][:60]}")
            claim = claim_create(
                article=article,
                start=start,
                end=start + len(claim_spec["quote"]),
                condition=conditions[claim_spec["condition"]],
                evidence_status=statuses[claim_spec["evidence"]],
                sources=[sources[key] for key in claim_spec["sources"]],
                explanation=claim_spec["explanation"],
                reviewer_note=claim_spec.get("reviewer_note", ""),
                user=editor,
            )
            state = claim_spec["state"]
            if state != "draft":
                claim_submit(claim=claim, user=editor)
            if state in {"approved", "changes_requested", "rejected"}:
                claim_decide(
                    claim=claim,
                    reviewer=reviewer,
                    decision=state,
                    comment=claim_spec.get("review_comment", ""),
                    override_reason=claim_spec.get("override_reason", ""),
                )
        if spec["medically_reviewed"]:
            article_mark_reviewed(article=article, reviewer=reviewer)
        if spec["status"] == Article.Status.PUBLISHED:
            # Readers are shown the article as it stands, without the gate (record_live_revision).
            revision = record_live_revision(Article.objects.get(pk=article.pk))
            article = Article.objects.get(pk=article.pk)
            article.status, article.published_at = Article.Status.PUBLISHED, revision.published_at
            article._history_user, article._change_reason = editor, f"Revision {revision.number} published"
            article.save(update_fields=["status", "published_at"])
        return article
