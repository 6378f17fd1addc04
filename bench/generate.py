"""Fill a database with a realistic data set for the performance benches.

    DEBUG=1 .venv/bin/python bench/generate.py --articles 1000 --claims 100000 [--largest 300] [--condition-claims 3000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evidence_bench .venv/bin/python bench/generate.py ...

Works on whatever DATABASE_URL names (SQLite by default, as the project does), which must be
migrated. Everything it creates is marked with the "bench-" prefix (slugs, usernames) and is
removed first, so it can be run again. Rows are written with bulk inserts, in batches; a progress
line on stderr tells how far it is.
"""

import argparse
import contextlib
import os
import random
import sys
import time
from pathlib import Path

PREFIX = "bench-"
BATCH = 2000
SENTENCES_PER_CONDITION = 400

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


def sentence_pool(rng, conditions):
    """{condition: the claimable sentences articles draw from}: SENTENCES_PER_CONDITION different ones each.

    A drawn sentence is rated once however often articles use it, which keeps rating a million claims'
    wording to seconds; the pool still holds more sentences than any page shows.
    """
    pool = {}
    for condition in conditions:
        found = set()
        while len(found) < SENTENCES_PER_CONDITION:
            found.add(sentence(rng, condition))
        pool[condition] = sorted(found)
    return pool


def article_body(rng, pool, claim_sentences, first_share=None):
    """Markdown with headings and paragraphs; at least claim_sentences claimable sentences, drawn from `pool`.

    With first_share, that share of the sentences names the first condition, the rest the others evenly.
    """
    conditions = list(pool)

    def pick():
        if first_share is None:
            return rng.choice(conditions)
        return conditions[0] if rng.random() < first_share else rng.choice(conditions[1:])

    parts, written = [], 0
    section = 0
    while written < claim_sentences:
        section += 1
        parts.append(f"## Part {section}: what the research says")
        for _ in range(rng.randint(3, 5)):
            lines = []
            for _ in range(rng.randint(3, 6)):
                lines.append(rng.choice(pool[pick()]))
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
    from django.db import IntegrityError, transaction
    from taggit.models import Tag

    from articles.models import Article
    from claims.models import Claim, ClaimDecision, Condition, PublishedClaim, Source

    articles = Article.objects.filter(slug__startswith=PREFIX)
    claims = Claim.objects.filter(article__in=articles)
    published = PublishedClaim.objects.filter(revision__article__in=articles)
    # The big tables with plain DELETEs: the ORM's delete reads every row first, to send its signals, which
    # takes longer than writing a million claims. Should another table name one of these claims (a bench
    # that commented on one), the database refuses, and the ORM's delete below removes both.
    try:
        with transaction.atomic():
            for rows in (
                PublishedClaim.sources.through.objects.filter(publishedclaim__in=published),
                published,
                ClaimDecision.objects.filter(claim__in=claims),
                Claim.sources.through.objects.filter(claim__in=claims),
                claims,
            ):
                rows._raw_delete(rows.db)
    except IntegrityError:
        pass
    ClaimDecision.objects.filter(claim__in=claims).delete()
    Claim.sources.through.objects.filter(claim__in=claims).delete()
    claims.delete()
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


CHUNK = 250  # articles written per transaction, with their revisions, claims and decisions


def generate(n_articles, n_claims, seed, largest=None, condition_claims=None):
    """Write the data set; returns (articles, claims) written.

    Each article is published: its live revision (signed off by the bench reviewer) carries a copy of
    its approved claims, as `claims.publishing` would make, so the public pages have something to
    show. The stored article pages are left to their first reader, who builds each one (Flow 1,
    step 6 of docs/architecture.md). On PostgreSQL the rows go in with COPY, elsewhere with bulk
    inserts; articles are written CHUNK at a time, so memory stays flat whatever the size.
    """
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from claims.models import Claim, Condition, EvidenceStatus, Source

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
    tags = _topics()
    world = {
        "rng": rng,
        "topics_rng": random.Random(f"{seed}-topics"),  # its own generator: claims stay as before
        "now": now,
        "editor": editor,
        "reviewer": reviewer,
        "conditions": conditions,
        "names": [c.name.removesuffix(" (bench)") for c in conditions],
        "sources": sources,
        "tags": tags,
        "rated": list(EvidenceStatus.objects.rated()),
        "pool": sentence_pool(rng, [c.name.removesuffix(" (bench)") for c in conditions]),
        "ratings": {},
        # Enough sentences name the first condition for `condition_claims` of them to be approved (70 %), with a
        # margin; the approvals beyond that many wait for review, so its evidence map has exactly that many.
        "first_share": None if condition_claims is None else min(1.0, condition_claims / 0.7 * 1.08 / max(n_claims, 1)),
        "condition_claims": condition_claims,
        "first_approved": 0,
    }
    per_article = claims_per_article(n_articles, n_claims, largest)
    progress = Progress("claims", n_claims)
    with unchecked_keys(), indexes_built_after(BIG_TABLES):
        for first in range(0, n_articles, CHUNK):
            written = _write_chunk(world, first, per_article[first : first + CHUNK])
            progress.add(written)
    if progress.done < n_claims:
        progress.add(0)  # too few claimable sentences: end the bar on its line
    from claims import map_counts

    map_counts.recount()  # the evidence maps' counts, from the flags written with the rows
    return n_articles, Claim.objects.filter(article__slug__startswith=PREFIX).count()


def _topics():
    from taggit.models import Tag

    return Tag.objects.bulk_create(
        Tag(name=f"{name} (bench)", slug=f"{PREFIX}topic-{n}") for n, name in enumerate(TOPICS)
    )


STATES = ["approved"] * 70 + ["pending"] * 15 + ["draft"] * 5 + ["changes_requested"] * 5 + ["rejected"] * 5


def _write_chunk(world, first, wanted_per_article):
    """Build and write the articles numbered from `first`, with their live revisions, topics and claims."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from taggit.models import TaggedItem

    from articles.models import Article, ArticleRevision
    from articles.rendering import render_markdown
    from articles.text import read_html
    from claims.models import Claim, ClaimDecision, PublishedClaim
    from claims.text.anchoring import anchor_at

    rng, now, editor, reviewer = world["rng"], world["now"], world["editor"], world["reviewer"]
    names, sources = world["names"], world["sources"]
    # A claimable sentence ends by naming its condition in lower case ("... with type 2 diabetes."); the
    # linking sentences between them claim nothing, even one that says "compared it with a placebo".
    by_condition = {name.lower(): condition for name, condition in zip(names, world["conditions"], strict=True)}
    articles, documents = [], []
    for index, wanted in enumerate(wanted_per_article, start=first):
        body = article_body(rng, world["pool"], wanted, world["first_share"])
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

    with transaction.atomic():
        insert(Article, articles)
        # Each published as the publication gate would: revision 1, signed off by the reviewer, is live.
        revisions = [
            ArticleRevision(
                article=article,
                number=1,
                **{name: getattr(article, name) for name in ("title", "standfirst", "body", "body_html", "body_text")},
                draft_digest="bench",
                last_editor=editor,
                signed_off_by=reviewer,
                signed_off_at=article.published_at,
                created_by=editor,
                published_at=article.published_at,
                published_by=editor,
                is_live=True,
            )
            for article in articles
        ]
        insert(ArticleRevision, revisions)
        article_type = ContentType.objects.get_for_model(Article)
        topics_rng = world["topics_rng"]
        insert_values(  # one to three topics on every article, so that topic pages have hundreds of articles each
            TaggedItem,
            ("tag_id", "content_type_id", "object_id"),
            (
                (tag.pk, article_type.pk, article.pk)
                for article in articles
                for tag in topics_rng.sample(world["tags"], topics_rng.randint(1, 3))
            ),
        )

        claims, claim_sources = [], []  # plain rows: a model instance each would cost more than the rest
        for article, document, wanted in zip(articles, documents, wanted_per_article, strict=True):
            text = document.text
            found_claims = 0
            for found in document.sentences():
                if found_claims == wanted:
                    break
                condition = by_condition.get(text[found.start : found.end].rsplit(" with ", 1)[-1].rstrip("."))
                if condition is None:
                    continue
                found_claims += 1
                anchor = anchor_at(text, found.start, found.end)
                state = rng.choice(STATES)
                if (
                    world["condition_claims"] is not None
                    and condition == world["conditions"][0]
                    and state == "approved"
                ):
                    world["first_approved"] += 1
                    if world["first_approved"] > world["condition_claims"]:
                        state = Claim.ReviewState.PENDING
                decided = state == Claim.ReviewState.APPROVED
                reviewed_at = now - timezone.timedelta(days=rng.randint(1, 700)) if decided else None
                claim = {
                    "article_id": article.pk,
                    "quote": anchor.quote,
                    "prefix": anchor.prefix,
                    "suffix": anchor.suffix,
                    "start": anchor.start,
                    "condition_id": condition.pk,
                    "evidence_status_id": rng.choice(world["rated"]).pk,
                    "explanation": "Two small trials in people.",
                    "review_state": state,
                    "created_by_id": editor.pk,
                    "last_changed_by_id": editor.pk,
                    "reviewed_by_id": reviewer.pk if decided else None,
                    "reviewed_at": reviewed_at,
                    "queued_at": now if state == Claim.ReviewState.PENDING else None,  # its submission's time
                    "next_review_due": (reviewed_at + timezone.timedelta(days=365)).date() if decided else None,
                    "created_at": now,
                    "updated_at": now,
                }
                claim.update(_rating(anchor, world["ratings"]))  # as a save would: bulk inserts call no save()
                claims.append(claim)
                claim_sources.append(rng.sample(sources, rng.randint(1, 3)))
        insert_rows(Claim, claims)
        insert_values(
            Claim.sources.through,
            ("claim_id", "source_id"),
            ((claim["id"], source.pk) for claim, its in zip(claims, claim_sources, strict=True) for source in its),
        )
        insert_values(ClaimDecision, *_decisions(claims, editor, reviewer, now))

        # The live revision shows the approved claims; the others were written or sent back since.
        live = {revision.article_id: revision.pk for revision in revisions}
        published_at = {article.pk: article.published_at for article in articles}
        approved = [(claim, its) for claim, its in zip(claims, claim_sources, strict=True) if claim["reviewed_at"]]
        published = [
            {
                "revision_id": live[claim["article_id"]],
                "claim_id": claim["id"],
                "quote": claim["quote"],
                "start": claim["start"],
                "condition_id": claim["condition_id"],
                "evidence_status_id": claim["evidence_status_id"],
                "explanation": claim["explanation"],
                "approved_by_id": reviewer.pk,
                "approved_at": claim["reviewed_at"],
                # On its condition's evidence map (live, not archived, graded: no source here is retracted), as
                # claims.map_counts would flag it; the counts are made from these flags once every row is in.
                "mapped": True,
                "article_published_at": published_at[claim["article_id"]],
            }
            for claim, _its in approved
        ]
        insert_rows(PublishedClaim, published)
        insert_values(
            PublishedClaim.sources.through,
            ("publishedclaim_id", "source_id"),
            (
                (copy["id"], source.pk)
                for copy, (_claim, its) in zip(published, approved, strict=True)
                for source in its
            ),
        )
    return len(claims)


BIG_TABLES = (
    "claims_claim",
    "claims_claim_sources",
    "claims_claimdecision",
    "claims_publishedclaim",
    "claims_publishedclaim_sources",
)


@contextlib.contextmanager
def indexes_built_after(tables):
    """On PostgreSQL, drop the tables' plain indexes (not those behind a key or a unique constraint) while the
    rows go in and build them again afterwards, whatever happens: building an index once over a million rows
    costs a fraction of updating it a million times."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i"
            " WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        sys.stderr.write(f"Building {len(indexes)} indexes again...\n")
        with connection.cursor() as cursor:
            for _name, definition in indexes:
                cursor.execute(definition)


@contextlib.contextmanager
def unchecked_keys():
    """On PostgreSQL, leave the foreign keys unchecked while the rows go in: each is a trigger run per row at
    commit, which would take longer than the COPY itself, and every key written here was just made or read.
    (session_replication_role needs a superuser, as the bench's postgres is; without one the keys are checked.)"""
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        yield
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    except DatabaseError:
        yield
        return
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def _rating(anchor, ratings):
    """The wording fields Claim.rate_wording sets for a claim on `anchor`, remembered by the words it reads:
    the data set repeats its sentences."""
    from claims.models import Claim
    from claims.text.integrity import wording_text

    key = wording_text(anchor.quote, anchor.prefix, anchor.suffix)
    known = ratings.get(key)
    if known is None:
        claim = Claim(quote=anchor.quote, prefix=anchor.prefix, suffix=anchor.suffix)
        claim.rate_wording()
        known = ratings[key] = {name: getattr(claim, name) for name in WORDING_FIELDS}
    return known


WORDING_FIELDS = (
    "wording_strength",
    "wording_negated",
    "wording_relation",
    "wording_promotional",
    "wording_checked_with",
)


def insert(model, objects):
    """Insert model instances and give them their primary keys, so that other rows can name them.

    PostgreSQL: one call reserves a run of the table's sequence for the keys, then COPY writes every
    column. Elsewhere bulk_create, which reads the keys back.
    """
    from django.db import connection

    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=BATCH)
        return
    for pk, row in zip(_reserve_keys(model, len(objects)), objects, strict=True):
        row.pk = pk
    fields = model._meta.concrete_fields
    readers = [_reader(field) for field in fields]
    insert_values(model, [field.column for field in fields], ([read(row) for read in readers] for row in objects))


def insert_rows(model, rows):
    """Insert rows given as {attribute name: value} (the others take their field's default) and put each one's
    new primary key in it, as "id"."""
    from django.db import connection

    if not rows:
        return
    if connection.vendor != "postgresql":
        for row, made in zip(
            rows, model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH), strict=True
        ):
            row["id"] = made.pk
        return
    for pk, row in zip(_reserve_keys(model, len(rows)), rows, strict=True):
        row["id"] = pk
    fields = model._meta.concrete_fields
    defaults = {field.attname: field.get_default() for field in fields}
    names = [field.attname for field in fields]
    insert_values(
        model, [field.column for field in fields], ([row.get(name, defaults[name]) for name in names] for row in rows)
    )


def _reserve_keys(model, count):
    """`count` new primary keys of the model's table, reserved from its sequence in one call (PostgreSQL)."""
    from django.db import connection

    table, key = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, %s), nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
            [table, key, table, key, count],
        )
        last = cursor.fetchone()[0]
    return range(last - count + 1, last + 1)


def insert_values(model, columns, rows):
    """Insert rows given as plain values of `columns` (keys left to the table): COPY on PostgreSQL, bulk
    inserts of model instances elsewhere."""
    from django.db import connection, models

    if connection.vendor != "postgresql":
        attnames = [model._meta.get_field(column).attname if column != "id" else "id" for column in columns]
        model.objects.bulk_create((model(**dict(zip(attnames, row, strict=True))) for row in rows), batch_size=BATCH)
        return
    quote = connection.ops.quote_name
    fields = {field.column: field for field in model._meta.concrete_fields}
    json = [index for index, column in enumerate(columns) if isinstance(fields[column], models.JSONField)]
    if json:  # as psycopg writes JSON
        rows = (
            [fields[columns[i]].get_db_prep_save(v, connection) if i in json else v for i, v in enumerate(row)]
            for row in rows
        )
    statement = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _reader(field):
    """How to read a field's value from an instance: its attribute, or what a save would store."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda row: field.pre_save(row, True)
    attname = field.attname
    return lambda row: getattr(row, attname)


def _decisions(claims, editor, reviewer, now):
    """The decision that put each claim in its state (one row is enough for every page that shows them), as the
    columns and rows of `insert_values`. Drafts have none."""
    from claims.models import Claim, ClaimDecision

    Decision = ClaimDecision.Decision
    decisions = {
        Claim.ReviewState.APPROVED: (Decision.APPROVED, reviewer.pk, ""),
        Claim.ReviewState.PENDING: (Decision.SUBMITTED, editor.pk, ""),
        Claim.ReviewState.CHANGES_REQUESTED: (Decision.CHANGES_REQUESTED, reviewer.pk, "Soften the wording."),
        Claim.ReviewState.REJECTED: (Decision.REJECTED, reviewer.pk, "Not what the trials found."),
    }
    columns = ("claim_id", "decision", "actor_id", "comment", "override_reason", "snapshot", "created_at")
    rows = (
        (claim["id"], *decisions[claim["review_state"]], "", {"quote": claim["quote"]}, claim["reviewed_at"] or now)
        for claim in claims
        if claim["review_state"] != Claim.ReviewState.DRAFT
    )
    return columns, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--largest", type=int, help="claims on the first article (the others share the rest)")
    parser.add_argument(
        "--condition-claims", type=int, help="approved claims about the first condition (its evidence map's size)"
    )
    options = parser.parse_args()
    if options.articles < 1 or options.claims < 0 or (options.largest or 0) < 0:
        parser.error("--articles must be at least 1, --claims and --largest at least 0")
    start_django()
    started = time.perf_counter()
    remove_earlier_run()
    articles, claims = generate(
        options.articles, options.claims, options.seed, options.largest, options.condition_claims
    )
    refresh_planner_statistics()
    print(f"{articles} articles and {claims} claims in {time.perf_counter() - started:.1f} s")
    print(f"Processor time: {time.process_time():.1f} s in this process{database_processor_time()}")


def refresh_planner_statistics():
    """The planner's statistics for the data just written: SQLite's ANALYZE (ops.statistics), or on PostgreSQL
    VACUUM ANALYZE of the big tables, which also marks their pages all-visible for index-only scans."""
    from django.db import connection

    from ops.statistics import refresh_statistics

    if connection.vendor != "postgresql":
        refresh_statistics()
        return
    with connection.cursor() as cursor:
        for table in (*BIG_TABLES, "articles_article", "articles_articlerevision", "taggit_taggeditem"):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")


def database_processor_time():
    """ ", and N s in its PostgreSQL server process" when that process runs on this machine, else ""."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return ""
    ticks = int(fields[11]) + int(fields[12])  # utime and stime, after the state field
    return f", {ticks / os.sysconf('SC_CLK_TCK'):.1f} s in its PostgreSQL server process"


if __name__ == "__main__":
    main()
