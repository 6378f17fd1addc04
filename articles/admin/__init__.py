"""The articles app's admin. Django's admin autodiscovery imports this package, which registers:

- article.py: ArticleAdmin: the article form (its status read-only, set by publication), plain-text
  import, and the history pages that compare saved versions and revert the draft's text to one.
- tags.py: TagAdmin: topics (taggit's tags), merging kept to those who may change tags.

and holds the mixins the article admin is made of (the claims and accounts admins use history, ids and lists too):

- archive.py: "delete" archives an article; restoring; only superusers purge, after seeing what goes.
- history.py: ReadOnlyHistoryMixin: revisions are read, never restored through simple-history's form.
- ids.py: CheckedIdsMixin: ids in forms, addresses, filters and selections that name no row are refused.
- lists.py: list pages that leave out long text columns, and bulk actions that tell each refusal.
"""

# Topics are registered before articles: the admin's URL list and its list of apps keep that order.
from . import tags  # noqa: F401 (registers the topics admin)

# isort: split
from . import article  # noqa: F401 (registers the article admin)
