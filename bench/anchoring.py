"""Time re-anchoring 300 claims in a 5,000-word article after an edit.

Run: DEBUG=1 .venv/bin/python bench/anchoring.py

Two numbers: the text work alone (read the new HTML, split sentences, find every claim) and the
whole save through Django (render Markdown, re-anchor, write the claims) on a throw-away SQLite
database.
"""

import random
import statistics
import time
from collections import Counter

from scratch_django import start_django

WORDS_TARGET = 5_000
CLAIMS = 300
RUNS = 20
VOCABULARY = (  # noqa: SIM905 (prose is easier to read than a list of words)
    "lung scarring stem cells trial patients infusion fibrosis immune marrow transplant dose inflammation "
    "symptoms breathing evidence safety study results disease therapy months function decline oxygen clinic "
    "research growth tissue repair donor blood quality benefit risk outcome cough exercise rehabilitation "
    "medicine guideline nurses sleep children adults kidney skin heart liver joints pain swelling fatigue "
    "fever infection vaccine antibody protein hormone insulin pressure nerve brain muscle bone scan biopsy"
).split()


def make_article(rng):
    paragraphs, words = [], 0
    while words < WORDS_TARGET:
        paragraph = []
        for _ in range(rng.randint(2, 5)):
            sentence = rng.sample(VOCABULARY, rng.randint(8, 16))
            sentence[0] = sentence[0].capitalize()
            paragraph.append(" ".join(sentence) + ".")
            words += len(sentence)
        paragraphs.append(paragraph)
    return paragraphs


def markdown(paragraphs):
    return "\n\n".join(" ".join(p) for p in paragraphs)


def edit(paragraphs, rng, claimed):
    """Insert a paragraph at the top, delete one, and reword five claimed sentences."""
    edited = [list(p) for p in paragraphs]
    edited.insert(0, ["A new opening paragraph about what this article covers and why it matters."])
    del edited[len(edited) // 2]
    for sentence in rng.sample(sorted(claimed), 5):
        for p in edited:
            for i, s in enumerate(p):
                if s == sentence:
                    p[i] = s.replace(" ", " really ", 1)
    return edited


def main():
    start_django()
    from django.contrib.auth import get_user_model

    from articles.models import Article
    from articles.rendering import render_markdown
    from articles.text import read_html
    from claims.anchoring import anchor_at, locate
    from claims.models import Claim, Condition, EvidenceStatus

    rng = random.Random(7)
    paragraphs = make_article(rng)
    html = render_markdown(markdown(paragraphs))
    document = read_html(html)
    sentences = document.sentences()
    chosen = rng.sample(sentences, CLAIMS)
    anchors = [anchor_at(document.text, s.start, s.end) for s in chosen]
    new_html = render_markdown(markdown(edit(paragraphs, rng, {s.text for s in chosen})))
    words = len(document.text.split())

    timings, outcomes = [], Counter()
    for _ in range(RUNS):
        start = time.perf_counter()
        new_document = read_html(new_html)
        spans = [(s.start, s.end) for s in new_document.sentences()]
        found = [locate(new_document.text, anchor, spans) for anchor in anchors]
        timings.append((time.perf_counter() - start) * 1000)
        outcomes = Counter(f.outcome.value for f in found)
    print(f"article: {words} words, {len(sentences)} sentences, {CLAIMS} claims")
    print(f"outcomes after the edit: {dict(outcomes)}")
    print(f"text re-anchoring: median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms ({RUNS} runs)")

    author = get_user_model().objects.create(username="bench-author")
    article = Article.objects.create(title="Bench", slug="bench", body=markdown(paragraphs), author=author)
    condition = Condition.objects.create(name="Bench condition", slug="bench-condition")
    status = EvidenceStatus.objects.get(slug="limited")
    Claim.objects.bulk_create(
        Claim(
            article=article,
            quote=a.quote,
            prefix=a.prefix,
            suffix=a.suffix,
            start=a.start,
            condition=condition,
            evidence_status=status,
            created_by=author,
            last_changed_by=author,
        )
        for a in anchors
    )
    save_timings = []
    edited_body = markdown(edit(paragraphs, random.Random(7), {s.text for s in chosen}))
    for index in range(5):
        article.body = edited_body if index % 2 == 0 else markdown(paragraphs)
        start = time.perf_counter()
        article.save()
        save_timings.append((time.perf_counter() - start) * 1000)
    print(f"whole save with re-anchoring (SQLite): median {statistics.median(save_timings):.1f} ms (5 saves)")


if __name__ == "__main__":
    main()
