"""The demo content `load_demo` writes, read from the data files in claims/demo/.

- conditions.json and sources.json: the vocabulary the articles cite;
- articles/NN-slug.json: an article's title, standfirst, topics, status and claims (each claim names
  its exact quote, condition, grade, review state and sources), and beside it NN-slug.md, its body
  in Markdown. The NN prefix orders the articles.

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
