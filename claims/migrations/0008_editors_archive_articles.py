from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
ARCHIVE = ("articles", "archive_article")


def allow_editors_to_archive(apps, schema_editor):
    # The permission is normally created after all migrations; the group needs it now.
    articles = apps.get_app_config("articles")
    articles.models_module = True
    create_permissions(articles, apps=apps, verbosity=0)
    articles.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        app_label, codename = ARCHIVE
        editors.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def disallow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = ARCHIVE
    archive = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    for group in Group.objects.filter(name=EDITORS):
        group.permissions.remove(*archive)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_claim_version"),
        ("articles", "0006_article_archiving"),
    ]

    operations = [migrations.RunPython(allow_editors_to_archive, disallow)]
