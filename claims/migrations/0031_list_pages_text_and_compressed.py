"""Stored list pages keep the page as text with its gzip and brotli copies and each copy's digest.

The pages stored until now are deleted rather than converted: each is rebuilt by its next reading, and the
code that builds them changes with this release (claims.pages.lists), which changes the layout fingerprint,
so none of them would be served again anyway. Migrating back deletes them too, before the old column returns.
"""

from django.db import migrations, models


def forget_stored_list_pages(apps, schema_editor):
    apps.get_model("claims", "ListPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0030_admin_search_trigrams"),
    ]

    operations = [
        migrations.RunPython(forget_stored_list_pages, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="listpage", name="html"),
        migrations.AddField(
            model_name="listpage",
            name="page",
            field=models.TextField(default="", help_text="The whole page as served uncompressed."),
        ),
        migrations.AddField(
            model_name="listpage",
            name="page_gzip",
            field=models.BinaryField(default=b"", help_text="The whole page, gzip-compressed."),
        ),
        migrations.AddField(
            model_name="listpage",
            name="page_br",
            field=models.BinaryField(default=b"", help_text="The whole page, brotli-compressed."),
        ),
        migrations.AddField(
            model_name="listpage",
            name="digest",
            field=models.CharField(default="", help_text="The digest of the page's UTF-8 bytes.", max_length=16),
        ),
        migrations.AddField(
            model_name="listpage",
            name="digest_gzip",
            field=models.CharField(default="", help_text="The digest of its gzip bytes.", max_length=16),
        ),
        migrations.AddField(
            model_name="listpage",
            name="digest_br",
            field=models.CharField(default="", help_text="The digest of its brotli bytes.", max_length=16),
        ),
        # Run first when migrating back: the old column holds no empty page.
        migrations.RunPython(migrations.RunPython.noop, forget_stored_list_pages, elidable=True),
    ]
