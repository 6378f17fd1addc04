from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and evidence"

    def ready(self):
        from django.db.models.signals import post_migrate

        from articles.views import register_stored_page_reader
        from config.statistics import refresh_after_migrate

        from . import pages, signals  # noqa: F401

        register_stored_page_reader(pages.stored_public_page)

        post_migrate.connect(refresh_after_migrate, sender=self, dispatch_uid="claims_refresh_sqlite_statistics")
