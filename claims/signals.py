from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from articles.models import Article

from .services import article_reanchor_claims


@receiver(post_save, sender=Article, dispatch_uid="claims_reanchor_on_article_save")
def reanchor_claims_after_article_save(sender, instance, created, raw=False, **kwargs):
    """Claims follow their sentences whenever an article's body is saved."""
    if raw or created:
        return
    # The editor whose save withdrew approvals is named on the decision rows, when known.
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    article_reanchor_claims(article=instance, actor=user if user is not None and user.is_authenticated else None)
