"""Editorial-integrity findings read from the database: one article's, and the whole site's report.

The checking itself is plain Python in claims/text/integrity.py; this module gathers what it needs.
"""

import csv
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from articles.models import Article
from articles.text import read_html

from .models import Claim, Condition, EvidenceStatus
from .text import integrity, suggestions, wording


def condition_matcher() -> suggestions.ConditionMatcher:
    """A matcher for every condition's name and synonyms, built once per page or report."""
    return suggestions.ConditionMatcher(
        suggestions.ConditionNames.from_lines(pk, name, text)
        for pk, name, text in Condition.objects.order_by().values_list("pk", "name", "synonyms")
    )


def with_sources_known(claims):
    """Claims annotated with `has_sources`, read beside them rather than one query per claim."""
    return claims.annotate(has_sources=Exists(Claim.sources.through.objects.filter(claim=OuterRef("pk"))))


def with_integrity_known(claims):
    """Claims annotated with `has_sources` and `override_reason`: the reason their standing approval gave."""
    return with_sources_known(claims).with_override_reason()


def claim_facts(claim: Claim) -> integrity.ClaimFacts:
    status = claim.evidence_status
    sourced = getattr(claim, "has_sources", None)
    return integrity.ClaimFacts(
        key=claim.pk,
        start=claim.start,
        end=claim.end,
        quote=claim.quote,
        prefix=claim.prefix,
        suffix=claim.suffix,
        condition_key=claim.condition_id,
        allowed=wording.Strength(status.wording_strength),
        rated=status.is_rated,
        denial_fits=status.denial_fits,
        sourced=claim.sources.exists() if sourced is None else sourced,
        grade_name=status.name,
        override_reason=getattr(claim, "override_reason", None) or "",
    )


@dataclass
class ArticleFindings:
    """An article's integrity check with the conditions its suggestions are about."""

    article: Article
    check: integrity.ArticleCheck
    conditions: dict = field(default_factory=dict)  # primary key -> Condition

    @property
    def counts(self):
        return {
            "overclaiming": len(self.check.overclaiming),
            "overridden": len(self.check.overridden),
            "unsourced": len(self.check.unsourced),
            "suggested": len(self.check.suggestions),
        }


def article_findings(article: Article, *, claims=None, sentences=None, matcher=None) -> ArticleFindings:
    """Check an article's anchored claims and look for health claims nobody graded."""
    if claims is None:
        claims = with_integrity_known(
            Claim.objects.filter(article=article, is_orphaned=False).select_related("condition", "evidence_status")
        )
    claims = [claim for claim in claims if not claim.is_orphaned]
    sentences = article.sentences() if sentences is None else sentences
    check = integrity.check_article(sentences, [claim_facts(claim) for claim in claims], matcher or condition_matcher())
    suggested = {s.condition_key for s in check.suggestions}
    return ArticleFindings(
        article=article, check=check, conditions=Condition.objects.in_bulk(suggested) if suggested else {}
    )


@dataclass
class ReportRow:
    article: Article
    overclaiming: int  # still open: not approved as it is with a reviewer's reason
    unsourced: int
    suggested: int
    overridden: int = 0  # approved as it is with a reviewer's reason: counted, not ranked

    @property
    def flags(self):
        return self.overclaiming + self.unsourced + self.suggested


@dataclass
class StatusTotals:
    status: EvidenceStatus
    claims: int
    overclaiming: int  # still open: not approved as it is with a reviewer's reason
    unsourced: int
    overridden: int = 0


@dataclass
class SiteReport:
    rows: list[ReportRow]
    statuses: list[StatusTotals]
    articles_checked: int

    @property
    def totals(self):
        return {
            "overclaiming": sum(row.overclaiming for row in self.rows),
            "overridden": sum(row.overridden for row in self.rows),
            "unsourced": sum(row.unsourced for row in self.rows),
            "suggested": sum(row.suggested for row in self.rows),
        }


def site_report() -> SiteReport:
    """Every current (not archived) article with its findings, most flags first, and totals per grade.

    Articles with no finding are left out of the rows but counted in `articles_checked`.
    """
    matcher = condition_matcher()
    articles = Article.objects.current().only("pk", "title", "slug", "status", "body_html", "updated_at")
    claims_by_article = {}
    for article_id, facts in _stored_claim_facts():
        claims_by_article.setdefault(article_id, []).append(facts)
    rows, checked = [], 0
    for article in articles.iterator(chunk_size=200):
        checked += 1
        sentences = read_html(article.body_html).sentences()
        facts = claims_by_article.get(article.pk, [])
        check = integrity.check_article(sentences, facts, matcher, advise=False)
        row = ReportRow(
            article, len(check.overclaiming), len(check.unsourced), len(check.suggestions), len(check.overridden)
        )
        if row.flags or row.overridden:
            rows.append(row)
    rows.sort(key=lambda row: (-row.flags, -row.overclaiming, row.article.title.lower()))
    return SiteReport(rows=rows, statuses=status_totals(), articles_checked=checked)


def _stored_claim_facts():
    """(article id, ClaimFacts) of every anchored claim of a current article, with its stored rating.

    Read as plain values rather than as claims: a large site has a hundred thousand of them.
    """
    statuses = {status.pk: status for status in EvidenceStatus.objects.all()}
    claims = with_integrity_known(Claim.objects.anchored().filter(article__archived_at__isnull=True))
    fields = ["article_id", "pk", "start", "quote", "condition_id", "evidence_status_id", "has_sources"]
    fields += ["override_reason", "wording_strength", "wording_negated"]
    for row in claims.order_by("article_id", "start").values_list(*fields).iterator(chunk_size=2000):
        article_id, pk, start, quote, condition_id, status_id, sourced, reason, strength, negated = row
        status = statuses[status_id]
        yield (
            article_id,
            integrity.ClaimFacts(
                key=pk,
                start=start,
                end=start + len(quote),
                quote=quote,
                condition_key=condition_id,
                allowed=wording.Strength(status.wording_strength),
                rated=status.is_rated,
                denial_fits=status.denial_fits,
                sourced=sourced,
                grade_name=status.name,
                override_reason=reason or "",
                rated_as=(strength, negated),
            ),
        )


def status_totals() -> list[StatusTotals]:
    """Claims of current articles per evidence status: how many overclaim (still open, and approved with a
    reviewer's reason) and how many cite nothing."""
    of_current = Q(claims__is_orphaned=False, claims__article__archived_at__isnull=True)
    current = Claim.objects.anchored().filter(article__archived_at__isnull=True)
    overclaiming, unsourced = current.overclaiming_open(), current.unsourced()
    overridden = current.approved_despite_overclaiming()
    counted = {
        name: dict(query.order_by().values_list("evidence_status").annotate(n=Count("pk")))
        for name, query in (("overclaiming", overclaiming), ("unsourced", unsourced), ("overridden", overridden))
    }
    statuses = EvidenceStatus.objects.annotate(n=Count("claims", filter=of_current)).order_by("rank", "name")
    return [
        StatusTotals(
            status=status,
            claims=status.n,
            overclaiming=counted["overclaiming"].get(status.pk, 0),
            unsourced=counted["unsourced"].get(status.pk, 0),
            overridden=counted["overridden"].get(status.pk, 0),
        )
        for status in statuses
    ]


CSV_HEADER = [
    "article",
    "status",
    "overclaiming",
    "unsourced",
    "suggested claims",
    "flags",
    "approved despite overclaiming",
    "admin address",
]
STATUS_CSV_HEADER = ["evidence status", "claims", "overclaiming", "approved despite overclaiming", "unsourced"]


def report_csv_rows(report: SiteReport, admin_url=lambda article: ""):
    """The report as CSV rows: articles ranked by flags, a blank row, then the totals per evidence status."""
    yield CSV_HEADER
    for row in report.rows:
        article = row.article
        yield [
            csv_safe(article.title),
            article.get_status_display(),
            row.overclaiming,
            row.unsourced,
            row.suggested,
            row.flags,
            row.overridden,
            admin_url(article),
        ]
    yield []
    yield STATUS_CSV_HEADER
    for totals in report.statuses:
        yield [csv_safe(totals.status.name), totals.claims, totals.overclaiming, totals.overridden, totals.unsourced]


def write_report_csv(report: SiteReport, out, admin_url=lambda article: "", lineterminator="\r\n") -> None:
    """Write the report as CSV to `out`, a file or an HTTP response."""
    writer = csv.writer(out, lineterminator=lineterminator)
    for row in report_csv_rows(report, admin_url):
        writer.writerow(row)


def csv_safe(value: str) -> str:
    """A title a spreadsheet would read as a formula (“=HYPERLINK(…)”) is kept as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def report_text(report: SiteReport) -> str:
    """The report as plain text for a meeting: ranked articles, then totals per evidence status."""
    totals = report.totals
    lines = [
        f"Integrity report: {report.articles_checked} article{'s' if report.articles_checked != 1 else ''} checked, "
        f"{len(report.rows)} with flags.",
        f"Overclaiming {totals['overclaiming']}, unsourced {totals['unsourced']}, "
        f"suggested claims {totals['suggested']}; {totals['overridden']} approved despite overclaiming, "
        "with a reviewer's reason (not counted as flags).",
        "",
        f"{'Flags':>5}  {'Over':>4}  {'Unsrc':>5}  {'Sugg':>4}  {'Appr':>4}  Article",
    ]
    for row in report.rows:
        lines.append(
            f"{row.flags:>5}  {row.overclaiming:>4}  {row.unsourced:>5}  {row.suggested:>4}  {row.overridden:>4}  "
            f"{row.article.title} ({row.article.get_status_display().lower()})"
        )
    if not report.rows:
        lines.append("    —  No article has a flag.")
    lines += ["", f"{'Claims':>6}  {'Over':>4}  {'Appr':>4}  {'Unsrc':>5}  Evidence status"]
    for totals in report.statuses:
        lines.append(
            f"{totals.claims:>6}  {totals.overclaiming:>4}  {totals.overridden:>4}  {totals.unsourced:>5}  "
            f"{totals.status.name}"
        )
    lines += [
        "",
        "Over: overclaiming, still open. Appr: approved despite overclaiming. Unsrc: unsourced. "
        "Sugg: suggested claims.",
    ]
    return "\n".join(lines) + "\n"
