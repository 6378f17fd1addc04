import time

from django.db import migrations


def create_the_row(apps, schema_editor):
    # From the clock, like every later rise: a number a shared cache may still hold keys for is never reused.
    ContentGeneration = apps.get_model("claims", "ContentGeneration")
    ContentGeneration.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"generation": time.time_ns() // 1000}
    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0013_content_generation")]

    operations = [migrations.RunPython(create_the_row, migrations.RunPython.noop)]
