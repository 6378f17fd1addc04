"""The review queue's order stored on each claim waiting for review: `Claim.queued_at`, filled from the decision
that sent it (its latest submission or withdrawn approval, as the queue found it before), with an index in the
queue's order over the claims waiting."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

ENTERED_QUEUE = ("submitted", "withdrawn")


def fill_queued_at(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    ClaimDecision = apps.get_model("claims", "ClaimDecision")
    entered = ClaimDecision.objects.filter(claim=OuterRef("pk"), decision__in=ENTERED_QUEUE).order_by(
        "-created_at", "-pk"
    )
    # One UPDATE of the waiting claims, each reading its latest such decision through decision_latest_by_kind.
    Claim.objects.using(schema_editor.connection.alias).filter(review_state="pending").update(
        queued_at=Subquery(entered.values("created_at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_revision_search_document"),
        ("claims", "0028_stored_page_whole_and_compressed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="queued_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="waiting for review since"),
        ),
        migrations.RunPython(fill_queued_at, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("is_orphaned", False), ("review_state", "pending")),
                fields=["queued_at", "id", "created_by", "last_changed_by", "article"],
                name="claim_review_queue",
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(("queued_at__isnull", True), ("review_state", "pending"), _connector="OR"),
                name="claim_queued_only_while_pending",
                violation_error_message="Only a claim waiting for review has a time it entered the queue.",
            ),
        ),
    ]
