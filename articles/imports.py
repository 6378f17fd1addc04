"""Creating draft articles from plain text: the database side of `articles.importing`."""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from .importing import ImportRefused, TextStats, parse_plain_text, text_stats
from .limits import body_too_long
from .models import Article
from .services import article_create

SLUG_MAX_CHARS = 80  # a readable web address, even when the title is a whole sentence
SLUG_FIELD_MAX = Article._meta.get_field("slug").max_length


class DuplicateArticle(ImportRefused):
    """An article with the same title or slug exists: nothing is overwritten, a free slug is offered."""

    def __init__(self, message, *, offered_slug):
        super().__init__(message)
        self.offered_slug = offered_slug


@dataclass(frozen=True)
class ArticleImport:
    article: Article
    stats: TextStats
    warnings: tuple

    def summary(self):
        """One line: title · N words · H headings · S sentences · slug."""
        stats = self.stats
        return (
            f"{self.article.title} · {stats.words} words · {stats.headings} headings · "
            f"{stats.sentences} sentences · {self.article.slug}"
        )


def slug_for(title: str) -> str:
    slug = slugify(title) or "imported-article"
    if len(slug) > SLUG_MAX_CHARS:
        slug = slug[: SLUG_MAX_CHARS + 1].rsplit("-", 1)[0]
    return slug


def next_free_slug(slug: str) -> str:
    """The first of slug-2, slug-3, … that no article has."""
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = slug[: SLUG_FIELD_MAX - len(suffix)].rstrip("-") + suffix
        if not Article.objects.filter(slug=candidate).exists():
            return candidate
        number += 1


def _refuse_duplicates(title, slug, slug_chosen):
    # A chosen slug is the editor's answer to a refusal: a title used before is then allowed.
    same_title = None if slug_chosen else Article.objects.filter(title__iexact=title).first()
    if same_title is not None:
        offered = next_free_slug(slug) if Article.objects.filter(slug=slug).exists() else slug
        raise DuplicateArticle(
            f"An article titled “{same_title.title}” exists already (slug “{same_title.slug}”). "
            f"Nothing was imported or overwritten; it can be imported as a new article with the slug “{offered}”.",
            offered_slug=offered,
        )
    taken = Article.objects.filter(slug=slug).first()
    if taken is not None:
        offered = next_free_slug(slug)
        raise DuplicateArticle(
            f"The slug “{slug}” is taken by the article “{taken.title}”. Nothing was imported or overwritten; "
            f"the next free slug is “{offered}”.",
            offered_slug=offered,
        )


def article_import(*, text: str, author, slug: str | None = None) -> ArticleImport:
    """Create a draft article from plain text (first line the title); never overwrite one.

    Refuses with `DuplicateArticle` (carrying a free slug to offer) when an article has the same
    title or slug, unless `slug` is given: then only that slug must be free.
    """
    imported = parse_plain_text(text)
    too_long = body_too_long(imported.body_markdown)
    if too_long:
        raise ImportRefused(too_long)
    chosen = bool(slug)
    slug = slug or slug_for(imported.title)
    _refuse_duplicates(imported.title, slug, slug_chosen=chosen)
    article = Article(
        title=imported.title,
        slug=slug,
        body=imported.body_markdown,
        author=author,
        status=Article.Status.DRAFT,
    )
    try:
        article.full_clean()
    except ValidationError as error:
        raise ImportRefused(_describe(error)) from error
    try:
        with transaction.atomic():
            article_create(article=article, user=author)
    except IntegrityError as error:  # another import took the slug a moment ago
        raise DuplicateArticle(
            f"The slug “{slug}” was taken while importing. Nothing was imported or overwritten.",
            offered_slug=next_free_slug(slug),
        ) from error
    return ArticleImport(article=article, stats=text_stats(article.body_html), warnings=imported.warnings)


def _describe(error: ValidationError) -> str:
    parts = []
    for field, messages in error.message_dict.items():
        label = "" if field == NON_FIELD_ERRORS else f"{Article._meta.get_field(field).verbose_name.capitalize()}: "
        parts.append(label + " ".join(messages))
    return " ".join(parts)
