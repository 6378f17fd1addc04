"""Each revision says how it came about; those already taken are told apart by what they hold.

An urgent withdrawal published a minor revision noted "A claim was withdrawn for review"; a
republication copied an earlier revision, keeping its review without being minor.
"""

from django.db import migrations, models


def name_origins(apps, schema_editor):
    ArticleRevision = apps.get_model("articles", "ArticleRevision")
    ArticleRevision.objects.filter(is_minor=True, change_note__startswith="A claim was withdrawn for review").update(
        origin="withdrawal"
    )
    ArticleRevision.objects.filter(is_minor=False, reviewed_in__isnull=False, signed_off_by__isnull=True).update(
        origin="republication"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_help_texts_follow_publication"),
    ]

    operations = [
        migrations.AddField(
            model_name="articlerevision",
            name="origin",
            field=models.CharField(
                choices=[
                    ("draft", "Taken from the draft"),
                    ("withdrawal", "Urgent withdrawal of a claim"),
                    ("republication", "An earlier revision published again"),
                ],
                default="draft",
                help_text="How the revision came about: from the draft, or as a copy of a live or earlier revision.",
                max_length=16,
            ),
        ),
        migrations.RunPython(name_origins, migrations.RunPython.noop),
    ]
