"""The public article pages: how each is built, stored, kept fresh and served. Read this first.

Building. `build(article_id)` (stored.py) reads the article's live revision and the claims
published with it (the unapproved shown as under review), wraps each claimed passage and puts one
badge group after each claimed sentence (badges.py), renders the evidence notes and the JSON-LD
(jsonld.py), reads the article's dates and "Changes to this article" from the live revision and
the revisions published before it (record.py), then renders the reader's whole page, the same for
every request (the JSON-LD's addresses name settings.SITE_URL), compresses it with gzip and brotli,
and writes it all into the article's one ArticlePage row. A reader's request (`stored_public_page`,
which claims/apps.py registers with articles.views) reads that row in one query, selecting only the
form of the page its browser accepts, and sends it as it is.

Staleness. Whatever changes what a page shows calls `mark_stale`, `mark_stale_where`,
`mark_stale_showing` (draft claims or the live revision's published claims using a shared row) or
`mark_stale_articles` inside its own transaction (the receivers in claims/signals.py list who):
the row's `generation` rises, and the page is rebuilt once the transaction commits (up to
REBUILD_AT_ONCE pages; more are left to the background task `claims.tasks.rebuild_stale_pages`,
which `rebuild_stale` serves a batch at a time, and to their next reader). An edit of an article's
draft (`mark_stale_later`, `mark_draft_stale`) never rebuilds in the editor's request: readers' page of
an article with a live revision does not show the draft, so it is marked only when the edit changes
what it shows (a new slug), and the page that does show the draft (an article never published) is
left to the task `claims.tasks.rebuild_article_pages` and to its next reading. A page is current
when its `built_generation` equals its `generation`, it was built by today's templates, static files and code
(`layout_version`), and its medical review is not yet past due (`valid_until`). A request that
finds it otherwise rebuilds it first, so no reader is ever served a stale page.

Cached fragments. Each of those calls also raises the one content generation row
(`cache.content_changing`), in the same transaction. Costly fragments of the list pages
(`cache.cached`) are kept in Redis under the generation read before they were computed, so once a
change commits no app server finds a fragment computed before it. Without Redis nothing is kept. (The
evidence maps' counts, once such fragments, are kept in the database instead: claims/map_counts.py.)

Stored list pages. The home page, the articles list's pages, topic pages, the conditions list and
the evidence maps are stored whole too (lists.py), one ListPage row per address, each at the content
generation read before it was rendered: served while that is still the content generation, rendered
again by the first reader after any change, so that they are as fresh as the article pages. Each row
holds the page as text and its gzip and brotli copies with their digests, so a reader is sent the copy
their browser takes, and its ETag, without compressing or hashing anything. Readers who find the same
page stale at once render it once between them: the others wait for its copy (the render lock,
lists.rendered_once).

Modules:
    stored   building, storing and serving pages; generations and what marks them stale
    lists    list pages stored whole, served while the content generation stands
    cache    fragments of public pages in the shared cache, keyed by the content generation
    http     ETag, Last-Modified, 304s and Cache-Control of public pages for readers and shared caches
    purge    which public addresses a committed change alters, sent to Varnish or a CDN by a task
    badges   the HTML of badges, badge groups, claimed passages and grade chips
    jsonld   schema.org JSON-LD of article pages, as text that is safe inside a script element
    record   the dates and the change list readers are told, from the live revision, never the draft

The template tags that put these on pages (claims/templatetags/evidence.py, structured_data.py)
only call the functions here.
"""

from . import lists
from .stored import (
    REBUILD_AT_ONCE,
    REBUILD_BATCH,
    STORED_ENCODINGS,
    build,
    is_current,
    mark_draft_stale,
    mark_stale,
    mark_stale_articles,
    mark_stale_later,
    mark_stale_showing,
    mark_stale_where,
    page_for,
    rebuild_all,
    rebuild_if_stale,
    rebuild_stale,
    stored_public_page,
)

__all__ = [
    "REBUILD_AT_ONCE",
    "REBUILD_BATCH",
    "STORED_ENCODINGS",
    "build",
    "is_current",
    "lists",
    "mark_draft_stale",
    "mark_stale",
    "mark_stale_articles",
    "mark_stale_later",
    "mark_stale_showing",
    "mark_stale_where",
    "page_for",
    "rebuild_all",
    "rebuild_if_stale",
    "rebuild_stale",
    "stored_public_page",
]
