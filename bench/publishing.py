"""Time a medical sign-off and the publication of an article with 100 approved claims, and count their queries.

Run: DEBUG=1 .venv/bin/python bench/publishing.py [--claims 100] [--runs 10]

Builds the article in a throw-away SQLite database (scratch_django.py) through the services, as
editors and reviewers would: every claimed sentence approved by a reviewer who did not write it,
published once. Then, in each run, the editor changes the draft (a sentence added to its last
paragraph, untimed) and the timed part follows: a reviewer signs the changed draft off
(`article_sign_off`) and the editor publishes it (`article_publish`).
"""

import argparse
import random
import statistics
import time

from scratch_django import start_django

SUBJECTS = [
    "Regular exercise", "A low-salt diet", "The new inhaler", "Cognitive behavioural therapy", "Daily aspirin",
    "Vitamin D supplements", "Physiotherapy twice a week", "Stopping smoking", "A Mediterranean diet",
]  # fmt: skip
VERBS = ["reduces", "improves", "does not prevent", "lowers", "shortens"]
OUTCOMES = [
    "the number of flare-ups", "breathlessness during the day", "the risk of a hospital stay", "pain and stiffness",
    "how far people can walk", "tiredness", "the loss of lung function", "time off work",
]  # fmt: skip
QUALIFIERS = ["in adults", "in older people", "in children over five", "in people with mild disease", "over two years"]
CONDITIONS = ["asthma", "heart failure", "gout", "psoriasis", "migraine", "osteoarthritis", "eczema"]


def claim_sentences(count, seed=1):
    rng, sentences = random.Random(seed), []
    while len(sentences) < count:
        words = (rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OUTCOMES), rng.choice(QUALIFIERS))
        sentence = f"{words[0]} {words[1]} {words[2]} {words[3]} with {rng.choice(CONDITIONS)}."
        if sentence not in sentences:
            sentences.append(sentence)
    return sentences


def person(username, group):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create(username=username, first_name=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return get_user_model().objects.get(pk=user.pk)


def build(claims, prefix="bench"):
    """An article whose `claims` sentences are each claimed and approved, published once; and its people.

    Everything it names starts with `prefix`, so that several can be built in one database."""
    from articles.models import Article
    from articles.services import article_create
    from claims.models import Condition, EvidenceStatus, Source
    from claims.publishing import article_publish, article_sign_off, draft_digest, open_suggestions, suggestion_dismiss
    from claims.services import claim_create, claim_decide, claim_submit

    editor, reviewer = person(f"{prefix}-editor", "Editors"), person(f"{prefix}-reviewer", "Reviewers")
    signer = person(f"{prefix}-signer", "Reviewers")
    sentences = claim_sentences(claims)
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, claims, 5)]
    body = "## What the trials found\n\n" + "\n\n".join(paragraphs) + "\n\nWe will update this page."
    article = Article(title="A bench article", slug=f"{prefix}-publishing", body=body, author=editor)
    article_create(article=article, user=editor)
    condition, _ = Condition.objects.get_or_create(
        slug="bench-condition", defaults={"name": "Bench condition", "icd10_code": "J45"}
    )
    source, _ = Source.objects.get_or_create(
        kind=Source.Kind.PMID, identifier="24836000", defaults={"title": "A bench trial", "year": 2014}
    )
    strong = EvidenceStatus.objects.get(slug="strong")
    for sentence in sentences:
        start = article.body_text.index(sentence)
        claim = claim_create(
            article=article,
            start=start,
            end=start + len(sentence),
            condition=condition,
            evidence_status=strong,
            sources=[source],
            explanation="Several large trials agree.",
            user=editor,
        )
        claim_submit(claim=claim, user=editor)
        claim_decide(claim=claim, reviewer=reviewer, decision="approved", override_reason="Bench claims.")
    for suggestion in open_suggestions(article):
        suggestion_dismiss(article=article, sentence=suggestion.text, reviewer=reviewer, reason="No health claim.")
    article_sign_off(article=article, reviewer=signer, seen_digest=draft_digest(article))
    article_publish(article=article, user=editor, change_note="First published.")
    return article, editor, signer, reviewer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100)
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args()
    start_django()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article
    from articles.services import article_update
    from claims.publishing import article_publish, article_sign_off, draft_digest

    article, editor, signer, _ = build(options.claims)
    timings, sign_offs, queries = [], [], []
    for run in range(options.runs):
        article = Article.objects.get(pk=article.pk)
        article.body += f" We looked at it again, {run + 1} time(s) in all."
        article_update(article=article, user=editor)
        seen = draft_digest(article)  # as the reviewer's sign-off page drew it
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            article_sign_off(article=article, reviewer=signer, seen_digest=seen)
            sign_offs.append((time.perf_counter() - started) * 1000)
            revision = article_publish(article=article, user=editor, change_note=f"Run {run + 1}.")
            timings.append((time.perf_counter() - started) * 1000)
        assert revision.is_live and revision.published_claims.count() == options.claims
        queries.append(len(captured))
    publishes = [total - sign_off for total, sign_off in zip(timings, sign_offs, strict=True)]
    print(f"{options.claims} approved claims, {options.runs} runs (ms; queries of one sign-off and publication)")
    print(f"{'':>22}  {'median':>7}  {'max':>7}")
    for label, values in [("sign-off", sign_offs), ("publication", publishes), ("both", timings)]:
        print(f"{label:>22}  {statistics.median(values):>7.0f}  {max(values):>7.0f}")
    print(f"{'queries':>22}  {statistics.median(queries):>7.0f}  {max(queries):>7.0f}")


if __name__ == "__main__":
    main()
