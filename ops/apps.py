from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .statistics import refresh_after_migrate

        # Listed last in INSTALLED_APPS, so this runs after the other apps' post-migrate handlers have written.
        post_migrate.connect(refresh_after_migrate, sender=self, dispatch_uid="ops_refresh_sqlite_statistics")
