"""The articles app's admin. Django's admin autodiscovery imports this package, which registers:

- article.py: ArticleAdmin: the article form, the "mark as medically reviewed" action, plain-text import,
  and the history pages that compare revisions and revert one's text.
"""

from . import article  # noqa: F401 (registers the article admin)
