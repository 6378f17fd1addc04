from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
REVIEWERS = "Reviewers"

EDITOR_PERMISSIONS = [
    ("articles", "article", ["add", "change", "view"]),
    ("claims", "claim", ["add", "change", "delete", "view"]),
    ("claims", "condition", ["add", "change", "view"]),
    ("claims", "source", ["add", "change", "view"]),
    ("claims", "evidencestatus", ["add", "change", "view"]),
    ("taggit", "tag", ["add", "change", "view"]),
]
REVIEWER_PERMISSIONS = [
    ("articles", "article", ["view"]),
    ("claims", "claim", ["change", "view"]),
    ("claims", "condition", ["view"]),
    ("claims", "source", ["add", "view"]),
    ("claims", "evidencestatus", ["view"]),
    ("taggit", "tag", ["view"]),
]
REVIEWER_EXTRA = [("articles", "review_article"), ("claims", "review_claim")]


def _codenames(spec):
    return [(app, f"{action}_{model}") for app, model, actions in spec for action in actions]


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in codenames]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(*_permissions(apps, _codenames(EDITOR_PERMISSIONS)))
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.add(*_permissions(apps, _codenames(REVIEWER_PERMISSIONS) + REVIEWER_EXTRA))


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, REVIEWERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_seed_evidence_statuses"),
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
