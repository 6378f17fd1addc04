"""Editorial-integrity findings: one article's, and the whole site's report as CSV or text.

The checking itself is plain Python in claims/text/integrity.py; the queries that read what it
needs are in claims/selectors.py; this module puts the two together.
"""

import csv
from dataclasses import dataclass, field

from articles.models import Article
from articles.text import read_html

from .evidence_watch import source_findings_by_article
from .models import Condition
from .selectors import (
    StatusTotals,
    checked_claims,
    claim_facts,
    condition_matcher,
    conditions_with_matcher,
    status_totals,
    stored_claim_facts,
)
from .text import integrity, source_findings, suggestions

# What a claim's sources say against its grade (claims.text.source_findings), counted in claims per article.
SOURCE_KINDS = tuple(source_findings.KINDS)


@dataclass
class ArticleFindings:
    """An article's integrity check with the conditions its suggestions are about."""

    article: Article
    check: integrity.ArticleCheck
    conditions: dict = field(default_factory=dict)  # primary key -> Condition
    matcher: suggestions.ConditionMatcher | None = None  # the site's conditions, as the check read them

    @property
    def counts(self):
        return {
            "overclaiming": len(self.check.overclaiming),
            "overridden": len(self.check.overridden),
            "causal": len(self.check.causal_wording),
            "causal_overridden": len(self.check.causal_overridden),
            "unsourced": len(self.check.unsourced),
            "promotional": len(self.check.promotional),
            "suggested": len(self.check.suggestions),
        }


def article_findings(article: Article, *, claims=None, sentences=None, matcher=None) -> ArticleFindings:
    """Check an article's anchored claims and look for health claims nobody graded."""
    if claims is None:
        claims = checked_claims(article)
    claims = [claim for claim in claims if not claim.is_orphaned]
    sentences = article.sentences() if sentences is None else sentences
    known = None
    if matcher is None:
        known, matcher = conditions_with_matcher()  # the conditions suggested are read in the same query
    check = integrity.check_article(sentences, [claim_facts(claim) for claim in claims], matcher)
    # A suggestion naming no known condition has no key.
    suggested = {s.condition_key for s in check.suggestions if s.condition_key is not None}
    if known is not None:
        conditions = {key: known[key] for key in suggested if key in known}
    else:
        conditions = Condition.objects.in_bulk(suggested) if suggested else {}
    return ArticleFindings(article=article, check=check, conditions=conditions, matcher=matcher)


@dataclass
class ReportRow:
    article: Article
    overclaiming: int  # still open: not approved as it is with a reviewer's reason
    unsourced: int
    suggested: int
    overridden: int = 0  # approved as it is with a reviewer's reason: counted, not ranked
    sources: dict = field(default_factory=dict)  # finding kind -> claims whose sources need a look: listed, not ranked
    causal: int = 0  # causal wording for an association, still open
    causal_overridden: int = 0  # approved as it is with a reviewer's reason: counted, not ranked
    promotional: int = 0  # promotional wording in a claim that does not overclaim: advice, listed, not ranked

    @property
    def flags(self):
        return self.overclaiming + self.causal + self.unsourced + self.suggested

    @property
    def source_counts(self) -> list[int]:
        return [self.sources.get(kind, 0) for kind in SOURCE_KINDS]


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
            "causal": sum(row.causal for row in self.rows),
            "causal_overridden": sum(row.causal_overridden for row in self.rows),
            "unsourced": sum(row.unsourced for row in self.rows),
            "suggested": sum(row.suggested for row in self.rows),
            "promotional": sum(row.promotional for row in self.rows),
            **{kind: sum(row.sources.get(kind, 0) for row in self.rows) for kind in SOURCE_KINDS},
        }


def site_report() -> SiteReport:
    """Every current (not archived) article with its findings, most flags first, and totals per grade.

    Articles with no finding are left out of the rows but counted in `articles_checked`.
    """
    matcher = condition_matcher()
    articles = Article.objects.current().only("pk", "title", "slug", "status", "body_html", "updated_at")
    claims_by_article = {}
    for article_id, facts in stored_claim_facts():
        claims_by_article.setdefault(article_id, []).append(facts)
    by_sources = source_findings_by_article()
    rows, checked = [], 0
    for article in articles.iterator(chunk_size=200):
        checked += 1
        sentences = read_html(article.body_html).sentences()
        facts = claims_by_article.get(article.pk, [])
        check = integrity.check_article(sentences, facts, matcher, advise=False)
        row = ReportRow(
            article,
            len(check.overclaiming),
            len(check.unsourced),
            len(check.suggestions),
            len(check.overridden),
            dict(by_sources.get(article.pk, {})),
            len(check.causal_wording),
            len(check.causal_overridden),
            len(check.promotional),
        )
        if row.flags or row.overridden or row.causal_overridden or row.sources or row.promotional:
            rows.append(row)
    rows.sort(key=lambda row: (-row.flags, -row.overclaiming, row.article.title.lower()))
    return SiteReport(rows=rows, statuses=status_totals(), articles_checked=checked)


CSV_HEADER = [
    "article",
    "status",
    "overclaiming",
    "unsourced",
    "suggested claims",
    "flags",
    "approved despite overclaiming",
    *(label.lower() for label in source_findings.KINDS.values()),
    "causal wording for an association",
    "approved despite causal wording",
    "promotional wording",
    "admin address",
]
STATUS_CSV_HEADER = [
    "evidence status",
    "claims",
    "overclaiming",
    "approved despite overclaiming",
    "unsourced",
    "causal wording for an association",
    "promotional wording",
]


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
            *row.source_counts,
            row.causal,
            row.causal_overridden,
            row.promotional,
            admin_url(article),
        ]
    yield []
    yield STATUS_CSV_HEADER
    for totals in report.statuses:
        yield [
            csv_safe(totals.status.name),
            totals.claims,
            totals.overclaiming,
            totals.overridden,
            totals.unsourced,
            totals.causal,
            totals.promotional,
        ]


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
        f"Overclaiming {totals['overclaiming']}, causal wording for an association {totals['causal']}, "
        f"unsourced {totals['unsourced']}, suggested claims {totals['suggested']}; {totals['overridden']} approved "
        f"despite overclaiming and {totals['causal_overridden']} despite causal wording, with a reviewer's reason "
        f"(not counted as flags). Promotional wording {totals['promotional']} (advice; not counted as flags).",
        "Sources: "
        + ", ".join(f"{totals[kind]} {label.lower()}" for kind, label in source_findings.KINDS.items())
        + " (claims; listed, not counted as flags).",
        "",
        f"{'Flags':>5}  {'Over':>4}  {'Caus':>4}  {'Unsrc':>5}  {'Sugg':>4}  {'Appr':>4}  {'Grade':>5}  {'Retr':>4}  "
        f"{'Stop':>4}  {'Res':>3}  {'Prom':>4}  Article",
    ]
    for row in report.rows:
        outruns, retracted, stopped, results = row.source_counts
        lines.append(
            f"{row.flags:>5}  {row.overclaiming:>4}  {row.causal:>4}  {row.unsourced:>5}  {row.suggested:>4}  "
            f"{row.overridden + row.causal_overridden:>4}  {outruns:>5}  {retracted:>4}  {stopped:>4}  {results:>3}  "
            f"{row.promotional:>4}  {row.article.title} ({row.article.get_status_display().lower()})"
        )
    if not report.rows:
        lines.append("    —  No article has a flag.")
    lines += ["", f"{'Claims':>6}  {'Over':>4}  {'Appr':>4}  {'Caus':>4}  {'Unsrc':>5}  {'Prom':>4}  Evidence status"]
    for totals in report.statuses:
        lines.append(
            f"{totals.claims:>6}  {totals.overclaiming:>4}  {totals.overridden:>4}  {totals.causal:>4}  "
            f"{totals.unsourced:>5}  {totals.promotional:>4}  {totals.status.name}"
        )
    lines += [
        "",
        "Over: overclaiming, still open. Caus: causal wording for an association, still open. Appr: approved "
        "despite overclaiming or causal wording (per status: overclaiming). Unsrc: unsourced. "
        "Sugg: suggested claims. Grade: grade outruns its sources. Retr: a source retracted, corrected or under "
        "concern. Stop: a trial stopped. Res: results posted since approval. Prom: promotional wording (advice, "
        "not a flag).",
    ]
    return "\n".join(lines) + "\n"
