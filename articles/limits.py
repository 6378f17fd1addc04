"""How much text an article may hold: stated in the editors' help texts and checked on every way in."""

# About 8,000 words of Markdown: twice the longest article we publish, small enough to render and
# re-anchor its claims on every save without the editor waiting.
BODY_MAX_CHARS = 50_000
TAG_MAX_CHARS = 100  # django-taggit's Tag.name


def body_too_long(body: str) -> str | None:
    """The message for a body over the limit, or None."""
    if len(body) <= BODY_MAX_CHARS:
        return None
    return (
        f"The body is {len(body):,} characters long; an article may have at most {BODY_MAX_CHARS:,} "
        "(about 8,000 words). Split it into two articles."
    )
