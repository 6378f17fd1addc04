"""The demo content `load_demo` writes, read from the data files in claims/demo/.

- conditions.json and sources.json: the vocabulary the articles cite; a source's "record" is what a
  look-up found (SourceRecord's fields), e.g. a retraction, which load_demo turns into its event and alerts;
- articles/NN-slug.json: an article's title, standfirst, topics and claims (each claim names its
  exact quote, condition, grade, review state and sources), and beside it NN-slug.md, its body in
  Markdown: the draft as it stands now. The NN prefix orders the articles.
- in the same file, "revisions": how the article reached readers, oldest first, each `days_ago`:
  published after a sign-off by `signed_off_by` (or scheduled `scheduled_in_days` ahead), published
  as a minor revision (`minor`), or a claim withdrawn urgently (`withdraw`, the start of its quote,
  with the reviewer `by` and the public `notice`). A revision's `text` lists [words in the draft,
  words in that revision]: "" for a sentence added to the draft since. A claim's `earlier` gives the
  grade it had before revision `until` (with the reason to approve its wording then, if needed), and
  `added_to_draft` marks a claim made after the last publication on a sentence readers see. A
  revision's `comments` start a thread `by` an account on the sentence of its text starting with
  `sentence`, after its publication.
  "dismissed" gives, for each sentence the integrity check takes for a health claim that makes
  none, the reviewer's reason. `load_demo` replays all this through the publishing services.

Editing the demo means editing those files: this module only reads them.
"""

import json
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "demo"


def _read(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _articles():
    articles = []
    for meta in sorted((FOLDER / "articles").glob("*.json")):
        article = _read(meta)
        article["body"] = meta.with_suffix(".md").read_text(encoding="utf-8")
        articles.append(article)
    return articles


CONDITIONS = _read(FOLDER / "conditions.json")
SOURCES = _read(FOLDER / "sources.json")
ARTICLES = _articles()
