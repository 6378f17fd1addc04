from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and evidence"

    def ready(self):
        from django.db.models.signals import post_migrate

        from config.statistics import refresh_after_migrate

        from . import signals  # noqa: F401

        post_migrate.connect(refresh_after_migrate, sender=self, dispatch_uid="claims_refresh_sqlite_statistics")
