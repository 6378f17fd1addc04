"""The claims app's wiring: signal receivers, the stored-page reader, and the hooks articles offers.

Articles never import claims: claims registers with them here (re-anchoring after an article's text is
saved, the reader of stored article pages), and rates claims' wording again after a migration when the
cue lists changed.
"""

from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and evidence"

    def ready(self):
        from django.db.models.signals import post_migrate

        from articles.admin.article import register_list_filters, register_page_annotations
        from articles.services import register_after_text_saved
        from articles.views import register_list_page_store, register_stored_page_reader

        from . import assignments, comments, pages, reanchoring, signals  # noqa: F401

        register_stored_page_reader(pages.stored_public_page, pages.STORED_ENCODINGS)
        register_list_page_store(pages.lists.serve)
        # Saving an article's text (articles.services) re-anchors its claims, naming the editor.
        register_after_text_saved(reanchoring.reanchor_after_text_saved)
        # Then an assignee who edited the draft, or reworded a claim assigned to them, is released from it.
        register_after_text_saved(assignments.release_after_text_saved)

        # The article's page shows who is assigned its draft's medical review, read with the article.
        register_page_annotations(**assignments.open_assignment_annotations("article"))
        # And whether it has comment threads: a page with none reads no threads.
        register_page_annotations(has_comment_threads=comments.threads_exist_annotation("article"))
        # The article list filters by what the publication gate still asks and by the review's assignment.
        from .filters import GateFilter, ReviewAssignedFilter

        register_list_filters(GateFilter, ReviewAssignedFilter)

        post_migrate.connect(rerate_wording_after_migrate, sender=self, dispatch_uid="claims_rerate_wording")


def rerate_wording_after_migrate(sender, using="default", apps=None, **kwargs):
    """Claims rated with cue lists older than the deployed ones are rated again.

    Not when the database was migrated back to before claims had a wording rating.
    """
    from .services import claims_rerate_wording

    state = apps.get_model("claims", "Claim") if apps is not None else None
    if state is not None and any(f.name == "wording_checked_with" for f in state._meta.get_fields()):
        claims_rerate_wording(using=using)
