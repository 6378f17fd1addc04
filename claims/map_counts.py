"""The evidence maps' counts, kept as published claims change rather than counted on each page.

A published claim is on its condition's evidence map while `claims.selectors.mapped_claims` says so: its
revision is live, its article is not archived, readers see its grade (not under review, not resting on
retracted sources alone). Each published claim carries that answer (`PublishedClaim.mapped`, with its
article's first publication, the map's order) and ConditionEvidenceCount counts the mapped claims per
condition and grade, so that the conditions list, each map's grade counts and the sitemap read a few
dozen rows where they grouped every published claim.

Whatever can change the answer for an article's claims calls `refresh` inside its own transaction:
a revision going live (claims.publishing `_make_live`, `record_live_revision`), an article archived or
restored and a source event recorded or removed (claims/signals.py), a source deleted; a revision
deleted (with its article) takes its claims' counts with it (`forget_revision`). `refresh` locks the
articles' rows first, so that two changes to one article count once, asks `mapped_claims` again for
their claims, and writes only the differences: the flags that changed, and one UPSERT of the counts.

`manage.py check_map_counts` recomputes both from scratch and reports the drift (`--fix` repairs it);
bench/generate.py, which writes rows without these functions, calls `recount` when it is done.
"""

from collections import Counter

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery

from articles.models import Article

from .models import ConditionEvidenceCount, PublishedClaim


def _mapped():
    from .selectors import mapped_claims  # selectors reads the counts this module keeps

    return mapped_claims()


def refresh(article_ids, only=None) -> Counter:
    """Bring the flags and counts of these articles' published claims (those matching `only`, a Q) up to date.

    Returns the change applied to the counts, {(condition id, grade id): difference}.
    """
    ids = sorted(set(article_ids))
    if not ids:
        return Counter()
    with transaction.atomic(savepoint=False):  # the caller's transaction, or one of its own
        # Row locks in one order: a concurrent change to one of these articles waits for this one to commit.
        list(Article.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
        claims = PublishedClaim.objects.filter(revision__article_id__in=ids)
        if only is not None:
            claims = claims.filter(only)
        should = {
            pk: (condition, grade, published)
            for pk, condition, grade, published in _mapped()
            .filter(pk__in=claims.values("pk"))
            .values_list("pk", "condition_id", "evidence_status_id", "revision__article__published_at")
            .order_by()
        }
        flagged = {
            pk: (condition, grade, published)
            for pk, condition, grade, published in claims.filter(mapped=True)
            .values_list("pk", "condition_id", "evidence_status_id", "article_published_at")
            .order_by()
        }
        change = Counter()
        gone = [pk for pk in flagged if pk not in should]
        for pk in gone:
            condition, grade, _published = flagged[pk]
            change[condition, grade] -= 1
        coming = {}  # article's publication: the claims flagged with it
        for pk, (condition, grade, published) in should.items():
            if pk not in flagged:
                change[condition, grade] += 1
            if flagged.get(pk, (None, None, None))[2] != published or pk not in flagged:
                coming.setdefault(published, []).append(pk)
        if gone:
            PublishedClaim.objects.filter(pk__in=gone).update(mapped=False, article_published_at=None)
        for published, pks in coming.items():
            PublishedClaim.objects.filter(pk__in=pks).update(mapped=True, article_published_at=published)
        add(change)
        return change


def forget_revision(revision_id) -> None:
    """Take the mapped claims of a revision about to be deleted out of the counts (its claims go with it)."""
    rows = (
        PublishedClaim.objects.filter(revision_id=revision_id, mapped=True)
        .values_list("condition_id", "evidence_status_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    add(Counter({(condition, grade): -n for condition, grade, n in rows}))


def add(change) -> None:
    """Add {(condition id, grade id): difference} to the counts, in one statement, rows in one order.

    A count never goes below zero (the table's constraint): a difference that would take it there means the
    counts had drifted, which `check_map_counts` reports and repairs; it never fails the change that found it.
    """
    rows = sorted((key, n) for key, n in change.items() if n)
    if not rows:
        return
    table = connection.ops.quote_name(ConditionEvidenceCount._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    params = [part for (condition, grade), n in rows for part in (condition, grade, max(n, 0))]
    # The difference itself goes in a second list of values: an insert starts from zero.
    sql = (
        f"INSERT INTO {table} (condition_id, evidence_status_id, claims) VALUES {values} "
        f"ON CONFLICT (condition_id, evidence_status_id) DO UPDATE "
        f"SET claims = {greatest}({table}.claims + CASE {_cases(rows)} END, 0)"
    )
    for (condition, grade), n in rows:
        params += [condition, grade, n]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _cases(rows) -> str:
    return (
        " ".join("WHEN excluded.condition_id = %s AND excluded.evidence_status_id = %s THEN %s" for _row in rows)
        + " ELSE 0"
    )


def counted() -> dict:
    """{(condition id, grade id): mapped claims} as the counts say (rows above zero)."""
    rows = ConditionEvidenceCount.objects.filter(claims__gt=0).values_list(
        "condition_id", "evidence_status_id", "claims"
    )
    return {(condition, grade): n for condition, grade, n in rows}


def drift(fix=False) -> dict:
    """What the flags and counts get wrong, recomputed from scratch; repaired when `fix`.

    {"flagged wrongly": n, "unflagged wrongly": n, "order date wrong": n, "counts": {(condition, grade): (kept,
    true)}}
    """
    # Not "NOT IN (every mapped claim)": PostgreSQL would look each flagged claim up in that list one by one.
    wrongly_flagged = PublishedClaim.objects.filter(mapped=True).exclude(_mapped_here())
    wrongly_unflagged = _mapped().filter(mapped=False)
    misdated = _mapped().filter(mapped=True).exclude(article_published_at=F("revision__article__published_at"))
    found = {
        "flagged wrongly": wrongly_flagged.count(),
        "unflagged wrongly": wrongly_unflagged.count(),
        "order date wrong": misdated.count(),
    }
    if fix and (found["flagged wrongly"] or found["unflagged wrongly"] or found["order date wrong"]):
        wrongly_flagged.update(mapped=False, article_published_at=None)
        flag_all()
    true_counts = flag_counts() if fix else _true_counts()
    kept = counted()
    found["counts"] = {
        key: (kept.get(key, 0), true_counts.get(key, 0))
        for key in set(kept) | set(true_counts)
        if kept.get(key, 0) != true_counts.get(key, 0)
    }
    if fix and found["counts"]:
        recount()
    return found


def _mapped_here() -> Q:
    """mapped_claims() as a condition on the claim's own row and its joins (claims.selectors.public_claims, graded)."""
    from .models.publication import grade_withheld

    live = Q(revision__is_live=True, revision__article__archived_at__isnull=True, under_review_since__isnull=True)
    return live & ~grade_withheld()


def _true_counts() -> dict:
    rows = _mapped().values_list("condition_id", "evidence_status_id").annotate(n=Count("pk")).order_by()
    return {(condition, grade): n for condition, grade, n in rows}


def flag_counts() -> dict:
    """{(condition id, grade id): claims flagged mapped}."""
    rows = (
        PublishedClaim.objects.filter(mapped=True)
        .values_list("condition_id", "evidence_status_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(condition, grade): n for condition, grade, n in rows}


def flag_all() -> None:
    """Flag every mapped claim not flagged as it should be, with its article's publication (`drift`,
    bench/generate.py): one UPDATE."""
    from articles.models import ArticleRevision

    published = ArticleRevision.objects.filter(pk=OuterRef("revision_id")).values("article__published_at")[:1]
    wrong = _mapped().exclude(Q(mapped=True) & Q(article_published_at=F("revision__article__published_at")))
    to_flag = PublishedClaim.objects.filter(pk__in=wrong.values("pk"))
    to_flag.update(mapped=True, article_published_at=Subquery(published))


def recount() -> None:
    """Set every count to the number of claims flagged mapped (the counts made again from the flags)."""
    counts = flag_counts()
    ConditionEvidenceCount.objects.update(claims=0)  # those counted again are written below
    ConditionEvidenceCount.objects.bulk_create(
        [ConditionEvidenceCount(condition_id=c, evidence_status_id=g, claims=n) for (c, g), n in counts.items()],
        update_conflicts=True,
        unique_fields=["condition", "evidence_status"],
        update_fields=["claims"],
    )
