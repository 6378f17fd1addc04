"""Fill a database with a realistic data set for the performance benches.

    DEBUG=1 .venv/bin/python bench/generate.py --articles 1000 --claims 100000 [--largest 300]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evidence_bench .venv/bin/python bench/generate.py ...

Works on whatever DATABASE_URL names (SQLite by default, as the project does), which must be
migrated. Everything it creates is marked with the "bench-" prefix (slugs, usernames) and is
removed first, so it can be run again. Rows are written with bulk inserts, in batches; a progress
line on stderr tells how far it is.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

PREFIX = "bench-"
BATCH = 2000

CONDITION_NAMES = [
    "Asthma", "Atrial fibrillation", "Chronic kidney disease", "Chronic obstructive pulmonary disease",
    "Coeliac disease", "Crohn's disease", "Depression", "Eczema", "Epilepsy", "Gout", "Heart failure",
    "Hypertension", "Idiopathic pulmonary fibrosis", "Lupus", "Migraine", "Multiple sclerosis",
    "Osteoarthritis", "Osteoporosis", "Parkinson's disease", "Psoriasis", "Rheumatoid arthritis",
    "Sickle cell disease", "Type 1 diabetes", "Type 2 diabetes", "Ulcerative colitis",
]  # fmt: skip

SUBJECTS = [
    "Regular exercise", "A low-salt diet", "The new inhaler", "Stem-cell infusions", "Cognitive behavioural therapy",
    "Vitamin D supplements", "Daily aspirin", "Weight loss of five per cent", "The antibody treatment",
    "Physiotherapy twice a week", "Stopping smoking", "A Mediterranean diet", "Gene therapy", "Acupuncture",
]  # fmt: skip
VERBS = [
    "probably reduces", "may improve", "reduces", "does not prevent", "might slow", "improves",
    "is unlikely to change", "may lower", "probably shortens", "seems to ease",
]  # fmt: skip
OUTCOMES = [
    "the number of flare-ups", "breathlessness during the day", "the risk of a hospital stay",
    "pain and stiffness", "how far people can walk", "the chance of a second attack", "tiredness",
    "the loss of lung function", "blood pressure over a year", "time off work",
]  # fmt: skip
QUALIFIERS = [
    "in adults", "in older people", "in children over five", "in people with mild disease",
    "when started early", "in small trials", "over two years", "compared with usual care",
]  # fmt: skip
TOPICS = [
    "Lung health", "Heart and circulation", "Diet", "Exercise", "Mental health", "Skin", "Joints and bones",
    "Medicines", "Children", "Older people", "Digestion", "Brain and nerves",
]  # fmt: skip
LINKING = [
    "Researchers followed people for several years.", "The trials were small and short.",
    "Most studies compared it with a placebo.", "Side effects were mild and short-lived.",
    "Doctors usually discuss this at diagnosis.", "Some people find it hard to keep up.",
]  # fmt: skip


def sentence(rng, condition):
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OUTCOMES)} "
        f"{rng.choice(QUALIFIERS)} with {condition.lower()}."
    )


def article_body(rng, conditions, claim_sentences):
    """Markdown with headings and paragraphs; at least claim_sentences claimable sentences."""
    parts, written = [], 0
    section = 0
    while written < claim_sentences:
        section += 1
        parts.append(f"## Part {section}: what the research says")
        for _ in range(rng.randint(3, 5)):
            lines = []
            for _ in range(rng.randint(3, 6)):
                lines.append(sentence(rng, rng.choice(conditions)))
                written += 1
                if rng.random() < 0.3:
                    lines.append(rng.choice(LINKING))
            parts.append(" ".join(lines))
    return "\n\n".join(parts)


class Progress:
    def __init__(self, label, total):
        self.label, self.total, self.done, self.started = label, total, 0, time.perf_counter()

    def add(self, n):
        self.done += n
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        elapsed = time.perf_counter() - self.started
        sys.stderr.write(
            f"\r{self.label:10} [{'#' * filled}{'.' * (width - filled)}] {self.done:>7}/{self.total} {elapsed:6.1f} s"
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def start_django():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def remove_earlier_run():
    from django.contrib.auth import get_user_model
    from taggit.models import Tag

    from articles.models import Article
    from claims.models import Claim, ClaimDecision, Condition, Source

    articles = Article.objects.filter(slug__startswith=PREFIX)
    ClaimDecision.objects.filter(claim__article__in=articles).delete()
    Claim.sources.through.objects.filter(claim__article__in=articles).delete()
    Claim.objects.filter(article__in=articles).delete()
    articles.delete()
    Source.objects.filter(identifier__startswith="bench").delete()
    Source.objects.filter(title__startswith="Bench trial").delete()
    Condition.objects.filter(slug__startswith=PREFIX).delete()
    Tag.objects.filter(slug__startswith=PREFIX).delete()  # their taggings go with them
    get_user_model().objects.filter(username__startswith=PREFIX).delete()


def claims_per_article(n_articles, n_claims, largest=None):
    """How many claims each article gets: as even as possible, or `largest` on the first one and the
    rest spread evenly over the others (the long article an editor works on beside the many short ones)."""
    if largest is None or n_articles == 1:
        return [n_claims // n_articles + (1 if i < n_claims % n_articles else 0) for i in range(n_articles)]
    largest = min(largest, n_claims)
    return [largest, *claims_per_article(n_articles - 1, n_claims - largest)]


def generate(n_articles, n_claims, seed, largest=None):
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article
    from articles.rendering import render_markdown
    from articles.text import read_html
    from claims.models import Claim, ClaimDecision, Condition, EvidenceStatus, Source
    from claims.text.anchoring import anchor_at

    rng = random.Random(seed)
    now = timezone.now()
    User = get_user_model()
    editor = User.objects.create_user(f"{PREFIX}editor", first_name="Bench", last_name="Editor", is_staff=True)
    reviewer = User.objects.create_user(f"{PREFIX}reviewer", first_name="Bench", last_name="Reviewer", is_staff=True)

    conditions = Condition.objects.bulk_create(
        Condition(name=f"{name} (bench)", slug=f"{PREFIX}{index}", description=f"Bench condition {index}.")
        for index, name in enumerate(CONDITION_NAMES)
    )
    sources = Source.objects.bulk_create(
        Source(kind=Source.Kind.PMID, identifier=str(30_000_000 + n), title=f"Bench trial {n}", year=2000 + n % 25)
        for n in range(2000)
    )
    rated = list(EvidenceStatus.objects.rated())
    states = (
        [Claim.ReviewState.APPROVED] * 70
        + [Claim.ReviewState.PENDING] * 15
        + [Claim.ReviewState.DRAFT] * 5
        + [Claim.ReviewState.CHANGES_REQUESTED] * 5
        + [Claim.ReviewState.REJECTED] * 5
    )
    names = [c.name.removesuffix(" (bench)") for c in conditions]

    per_article = claims_per_article(n_articles, n_claims, largest)
    progress = Progress("articles", n_articles)
    articles, documents = [], []
    for index in range(n_articles):
        body = article_body(rng, names, per_article[index])
        html = render_markdown(body)
        document = read_html(html)
        published = now - timezone.timedelta(days=rng.randint(1, 3650))
        articles.append(
            Article(
                title=f"Bench article {index}: {rng.choice(SUBJECTS).lower()} and {rng.choice(names).lower()}",
                slug=f"{PREFIX}article-{index}",
                standfirst="What the trials say, sentence by sentence.",
                body=body,
                body_html=html,
                body_text=document.text,
                status=Article.Status.PUBLISHED,
                published_at=published,
                author=editor,
                medical_reviewer=reviewer,
                last_reviewed=published.date(),
                next_review_due=(published + timezone.timedelta(days=365)).date(),
            )
        )
        documents.append(document)
        if len(articles) % 100 == 0 or index == n_articles - 1:
            progress.add(len(articles) - progress.done)
    with transaction.atomic():
        articles = Article.objects.bulk_create(articles, batch_size=200)

    tag_articles(random.Random(f"{seed}-topics"), articles)  # its own generator: claims stay as before

    progress = Progress("claims", n_claims)
    # A claimable sentence ends by naming its condition in lower case ("... with type 2 diabetes."); the
    # linking sentences between them claim nothing, even one that says "compared it with a placebo".
    by_condition = {name.lower(): condition for name, condition in zip(names, conditions, strict=True)}
    for article, document, wanted in zip(articles, documents, per_article, strict=True):
        text = document.text
        claimable = []
        for found in document.sentences():
            condition = by_condition.get(text[found.start : found.end].rsplit(" with ", 1)[-1].rstrip("."))
            if condition is not None:
                claimable.append((found, condition))
        claims = []
        for found, condition in claimable[:wanted]:
            anchor = anchor_at(text, found.start, found.end)
            state = rng.choice(states)
            decided = state in (Claim.ReviewState.APPROVED,)
            reviewed_at = now - timezone.timedelta(days=rng.randint(1, 700)) if decided else None
            claims.append(
                Claim(
                    article=article,
                    quote=anchor.quote,
                    prefix=anchor.prefix,
                    suffix=anchor.suffix,
                    start=anchor.start,
                    condition=condition,
                    evidence_status=rng.choice(rated),
                    explanation="Two small trials in people.",
                    review_state=state,
                    created_by=editor,
                    last_changed_by=editor,
                    reviewed_by=reviewer if decided else None,
                    reviewed_at=reviewed_at,
                    next_review_due=(reviewed_at + timezone.timedelta(days=365)).date() if decided else None,
                )
            )
        for claim in claims:
            claim.rate_wording()  # as a save would: bulk inserts call no save()
        with transaction.atomic():
            claims = Claim.objects.bulk_create(claims, batch_size=BATCH)
            Claim.sources.through.objects.bulk_create(
                (
                    Claim.sources.through(claim_id=claim.pk, source_id=source.pk)
                    for claim in claims
                    for source in rng.sample(sources, rng.randint(1, 3))
                ),
                batch_size=BATCH,
            )
            ClaimDecision.objects.bulk_create(
                (_decision(claim, editor, reviewer) for claim in claims if claim.review_state != "draft"),
                batch_size=BATCH,
            )
        progress.add(len(claims))
    publish_live_revisions()
    return len(articles), Claim.objects.filter(article__slug__startswith=PREFIX).count()


def publish_live_revisions():
    """Give each bench article without one a live revision (its text and claims), as readers are shown it.

    Readers' pages show an article's live revision only; without one the article is not found.
    """
    from django.db import transaction

    from articles.models import Article
    from claims.publishing import record_live_revision

    articles = Article.objects.filter(slug__startswith=PREFIX).exclude(revisions__is_live=True).order_by("pk")
    for article in articles.iterator():
        with transaction.atomic():
            record_live_revision(article)


def tag_articles(rng, articles):
    """One to three topics on every article, so that topic pages have hundreds of articles each."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag, TaggedItem

    from articles.models import Article

    tags = Tag.objects.bulk_create(
        Tag(name=f"{name} (bench)", slug=f"{PREFIX}topic-{n}") for n, name in enumerate(TOPICS)
    )
    article_type = ContentType.objects.get_for_model(Article)
    TaggedItem.objects.bulk_create(
        (
            TaggedItem(tag=tag, content_type=article_type, object_id=article.pk)
            for article in articles
            for tag in rng.sample(tags, rng.randint(1, 3))
        ),
        batch_size=BATCH,
    )


def _decision(claim, editor, reviewer):
    """The decision that put the claim in its state (one row is enough for every page that shows them)."""
    from claims.models import Claim, ClaimDecision

    Decision = ClaimDecision.Decision
    decision = {
        Claim.ReviewState.APPROVED: (Decision.APPROVED, reviewer, ""),
        Claim.ReviewState.PENDING: (Decision.SUBMITTED, editor, ""),
        Claim.ReviewState.CHANGES_REQUESTED: (Decision.CHANGES_REQUESTED, reviewer, "Soften the wording."),
        Claim.ReviewState.REJECTED: (Decision.REJECTED, reviewer, "Not what the trials found."),
    }[claim.review_state]
    kind, actor, comment = decision
    return ClaimDecision(claim=claim, decision=kind, actor=actor, comment=comment, snapshot={"quote": claim.quote})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--largest", type=int, help="claims on the first article (the others share the rest)")
    options = parser.parse_args()
    if options.articles < 1 or options.claims < 0 or (options.largest or 0) < 0:
        parser.error("--articles must be at least 1, --claims and --largest at least 0")
    start_django()
    started = time.perf_counter()
    remove_earlier_run()
    articles, claims = generate(options.articles, options.claims, options.seed, options.largest)
    from ops.statistics import refresh_statistics

    refresh_statistics()  # SQLite's planner statistics, for the data just written
    print(f"{articles} articles and {claims} claims in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
