from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.models import Article

from .services import article_reanchor_claims


@receiver(post_save, sender=Article, dispatch_uid="claims_reanchor_on_article_save")
def reanchor_claims_after_article_save(sender, instance, created, raw=False, **kwargs):
    """Claims follow their sentences whenever an article's body is saved."""
    if raw or created:
        return
    article_reanchor_claims(article=instance)
