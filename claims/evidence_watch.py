"""The evidence watch: what became of the sources claims cite, and the alerts reviewers resolve.

- `record_events` runs after every look-up that found the source (claims.source_metadata.look_up):
  it turns the look-up's answer into SourceEvents (a retraction, correction or expression of concern
  with its date, a trial terminated, withdrawn or suspended, results posted), one per source, kind and
  date, so looking up again records nothing twice. A new retraction, expression of concern or stopped
  trial raises an EvidenceAlert on every claim citing the source (its draft or its live copy), one per
  claim and event, and the claim's reviewer is told once (claims.notices.evidence_alert: in the admin's
  notifications and by e-mail, as they chose).
- `record_citation_change` records a re-check that changed a source's title, journal or year as an event
  ("Citation details changed"), shown on the source's page, raising no alert.
- `watch` is the periodic task's work: the cited sources looked up longest ago first, a bounded batch
  per run, through claims.source_metadata.look_up and so through the look-ups' rate limits.
- `resolve` records a reviewer's decision on an alert: keep the claim (a reason required), change its
  grade (the claim's page is where that is done), or withdraw the live claim urgently
  (claims.publishing.claim_withdraw_urgently, with the notice readers see).
- `claim_findings` feeds claims.text.source_findings plain values read from the database: what the
  claims' sources say against their grades, for the integrity panel, the claim's page, the review
  queue, the report and the integrity filter.
"""

import datetime
import logging
from collections import Counter, defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Subquery, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, StrIndex
from django.utils import timezone
from django.utils.dateparse import parse_date

from ops.background import step_done

from . import notices, policy
from .models import (
    Claim,
    EvidenceAlert,
    EvidenceStatus,
    Outcome,
    PublishedClaim,
    Source,
    SourceEvent,
    SourceRecord,
    UpdateKind,
)
from .models.source_record import NOTICE_KINDS as SHARED_NOTICES
from .text import source_findings
from .text.source_findings import SourceFacts
from .text.study_design import UNKNOWN as UNKNOWN_DESIGN

logger = logging.getLogger(__name__)

Kind = SourceEvent.Kind
STOPPED_STATUSES = {"TERMINATED": "terminated", "WITHDRAWN": "withdrawn", "SUSPENDED": "suspended"}
# A notice a look-up reports is the event of the same name (the two share claims.models.NOTICE_KINDS).
NOTICE_KINDS = {UpdateKind[name]: Kind[name] for name, _ in SHARED_NOTICES}
WATCH_BATCH = 50


def _date(value):
    if isinstance(value, datetime.date):
        return value
    try:
        return parse_date(value or "")
    except ValueError:
        return None


# Events ------------------------------------------------------------------------------------------


def events_in(record: SourceRecord, today: datetime.date) -> list[tuple[str, datetime.date, str, bool]]:
    """(kind, date, detail, dated) of what the record says happened to the source.

    `dated` is false when the service gave no date and `today` stands in: such an event is recorded
    only when none of its kind is known yet, so the next look-up does not record it again.
    """
    found = []
    for update in record.updates:
        kind = NOTICE_KINDS.get(update.get("kind"))
        if kind is None or update.get("direction", "updated-by") != "updated-by":
            continue
        date = _date(update.get("date"))
        notice = f"Notice doi:{update['doi']}" if update.get("doi") else ""
        notice = notice or (f"Notice PMID {update['pmid']}" if update.get("pmid") else "")
        found.append((kind, date or today, notice, date is not None))
    # A notice one service dates and another does not (PubMed's comments carry no date) is the dated one.
    dated_kinds = {kind for kind, _, _, dated in found if dated}
    found = [f for f in found if f[3] or f[0] not in dated_kinds]
    if "Retracted Publication" in record.publication_types and not any(f[0] == Kind.RETRACTION for f in found):
        found.append((Kind.RETRACTION, today, "PubMed types it a retracted publication.", False))
    status = (record.trial_status or "").upper()
    if status in STOPPED_STATUSES:
        words = f"ClinicalTrials.gov: {STOPPED_STATUSES[status]}"
        found.append((Kind.TRIAL_STOPPED, record.trial_last_update or today, words, False))
    if record.results_posted:
        posted = "ClinicalTrials.gov: results posted"
        found.append((Kind.RESULTS_POSTED, record.trial_last_update or today, posted, False))
    return found


def citing_claims(source_id):
    """Claims citing the source, in their draft or in a live revision's copy."""
    return Claim.objects.filter(
        Q(sources=source_id) | Q(publications__sources=source_id, publications__revision__is_live=True)
    ).distinct()


def record_events(source_id: int, *, today=None) -> list[SourceEvent]:
    """Record what the source's last look-up says happened to it; the events new this time."""
    record = SourceRecord.objects.filter(pk=source_id, outcome=Outcome.LOOKED_UP).first()
    if record is None:
        return []
    today = today or timezone.localdate()
    new = []
    with transaction.atomic():
        known = set(SourceEvent.objects.filter(source_id=source_id).values_list("kind", "date"))
        kinds_known = {kind for kind, _ in known}
        for kind, date, detail, dated in events_in(record, today):
            if (kind, date) in known or (not dated and kind in kinds_known):
                continue
            try:
                with transaction.atomic():
                    event = SourceEvent.objects.create(source_id=source_id, kind=kind, date=date, detail=detail[:500])
            except IntegrityError:  # another worker recorded it meanwhile
                continue
            known.add((kind, date))
            kinds_known.add(kind)
            new.append(event)
        for event in new:
            if event.kind in SourceEvent.ALERTING:
                raise_alerts(event)
    return new


def record_citation_change(source_id: int, was: list[tuple[str, object]], *, today=None) -> SourceEvent:
    """Record that a re-check replaced the source's title, journal or year (`was`: each field and its old
    value) as an event on the source, shown on its page; it raises no alert. A second change the same day
    is added to that day's event."""
    today = today or timezone.localdate()
    said = "; ".join(f"{field} was {value}" if field == "year" else f"{field} was “{value}”" for field, value in was)
    with transaction.atomic():
        event, created = SourceEvent.objects.select_for_update().get_or_create(
            source_id=source_id, kind=Kind.CITATION_CHANGED, date=today, defaults={"detail": said[:500]}
        )
        if not created:
            event.detail = f"{event.detail}; {said}"[:500]
            event.save(update_fields=["detail"])
    return event


def raise_alerts(event: SourceEvent) -> list[EvidenceAlert]:
    """An alert on every claim citing the event's source that has none for it yet; each reviewer told once
    (claims.notices.evidence_alert: in the admin's notifications and by e-mail, as they chose)."""
    raised = []
    for claim_id in citing_claims(event.source_id).values_list("pk", flat=True):
        alert, created = EvidenceAlert.objects.get_or_create(claim_id=claim_id, event=event)
        if created:
            raised.append(alert)
            notices.evidence_alert(alert)
    return raised


# E-mail ------------------------------------------------------------------------------------------


def alert_email_key(alert_id) -> str:
    return f"evidence-alert-email:{alert_id}"


def email_alert(alert_id: int) -> str:
    """Tell the claim's reviewer of the alert through their notifications (the task `email_evidence_alert`,
    kept for alerts queued before notifications took their e-mail over); once, however often it runs."""
    if step_done(alert_email_key(alert_id)):
        return "already sent"
    alert = EvidenceAlert.objects.select_related("claim__article", "claim__reviewed_by", "event__source")
    alert = alert.filter(pk=alert_id).first()
    if alert is None:
        return "gone"
    return "notified" if notices.evidence_alert(alert) else "nobody new to tell"


# The watch ---------------------------------------------------------------------------------------


def sources_to_watch(batch: int):
    """The sources a claim cites (in its draft or a live copy) that are looked up, the one checked longest ago
    (or never) first."""
    cited = Claim.sources.through.objects.filter(source=OuterRef("pk"))
    shown = PublishedClaim.sources.through.objects.filter(source=OuterRef("pk"), publishedclaim__revision__is_live=True)
    return (
        Source.objects.filter(kind__in=Source.LOOKED_UP_KINDS)
        .filter(Exists(cited) | Exists(shown))
        .order_by(F("record__looked_up_at").asc(nulls_first=True), "pk")[:batch]
    )


def watch(batch: int = WATCH_BATCH) -> dict:
    """Look up again a batch of cited sources, oldest check first; what became of each."""
    from . import lookups, source_metadata

    outcomes = defaultdict(int)
    for source_id in list(sources_to_watch(batch).values_list("pk", flat=True)):
        try:
            outcomes[source_metadata.look_up(source_id)] += 1
        except lookups.LookupFailed as failure:  # stored as failed; the next run tries again
            logger.warning("Evidence watch: source %s not checked: %s", source_id, failure.detail)
            outcomes[Outcome.FAILED] += 1
    return dict(outcomes)


# Resolution --------------------------------------------------------------------------------------


def default_notice(event: SourceEvent) -> str:
    words = {
        Kind.RETRACTION: "was retracted",
        Kind.EXPRESSION_OF_CONCERN: "was given an expression of concern",
    }.get(event.kind)
    if event.kind == Kind.TRIAL_STOPPED:
        return f"A trial this claim relies on stopped early ({event.dated()}). A reviewer is checking it."
    return f"A study this claim relies on {words or 'was updated'} {event.dated()}. A reviewer is checking it."


def resolve(alert: EvidenceAlert, *, user, how: str, reason: str = "") -> EvidenceAlert:
    """Record a reviewer's decision on an open alert. Keeping the claim needs a reason; withdrawing
    it pulls the live claim at once with `reason` as readers' notice (a default when blank)."""
    from .publishing import claim_withdraw_urgently

    if not policy.may_review(user):
        raise PermissionDenied("Only reviewers resolve evidence alerts.")
    reason = (reason or "").strip()
    with transaction.atomic():
        alert = EvidenceAlert.objects.select_for_update().select_related("event__source", "claim").get(pk=alert.pk)
        if not alert.is_open:
            raise ValidationError("This alert was resolved already.")
        if how == EvidenceAlert.Resolution.KEPT and not reason:
            raise ValidationError("Say why the claim stands as it is.")
        if how == EvidenceAlert.Resolution.WITHDRAWN:
            reason = reason or default_notice(alert.event)
            claim_withdraw_urgently(reviewer=user, notice=reason, claim=alert.claim)
        elif how != EvidenceAlert.Resolution.REGRADE and how != EvidenceAlert.Resolution.KEPT:
            raise ValidationError("Choose how to resolve the alert.")
        alert.resolution, alert.reason = how, reason
        alert.resolved_by, alert.resolved_at = user, timezone.now()
        alert.save(update_fields=["resolution", "reason", "resolved_by", "resolved_at"])
    return alert


# Findings ----------------------------------------------------------------------------------------


def _facts(rows) -> dict:
    """{source id: SourceFacts} from (source id, title, identifier, design, event kind, date, detail) rows,
    one per event of the source (or one with no event)."""
    sources, by_source = {}, defaultdict(list)
    for source_id, title, identifier, design, kind, date, detail in rows:
        sources[source_id] = (title, identifier, design)
        if kind:
            by_source[source_id].append((kind, date, detail))
    facts = {}
    for pk, (title, identifier, design) in sources.items():
        notices, stopped, results = [], None, ""
        for kind, date, detail in sorted(by_source[pk], key=lambda event: event[1]):
            if kind in SourceEvent.NOTICES:
                notices.append((kind, date.isoformat()))
            elif kind == Kind.TRIAL_STOPPED:
                stopped = (detail.removeprefix("ClinicalTrials.gov: ") or "stopped", date.isoformat())
            elif kind == Kind.RESULTS_POSTED:
                results = date.isoformat()
        facts[pk] = SourceFacts(
            key=pk,
            label=title or identifier,
            design=design,
            notices=tuple(notices),
            trial_stopped=stopped,
            results_posted_on=results,
        )
    return facts


def claim_findings(claims) -> dict:
    """{claim id: [Finding]} for the claims given (rows with pk, evidence_status_id, review_state and
    reviewed_at): one query of their sources and events, and one of the grades unless the claims carry theirs."""
    claims = list(claims)
    if not claims:
        return {}
    rows = (
        Claim.sources.through.objects.filter(claim_id__in=[claim.pk for claim in claims])
        .order_by()
        .values_list(
            "claim_id",
            "source_id",
            "source__title",
            "source__identifier",
            "source__design",
            "source__events__kind",
            "source__events__date",
            "source__events__detail",
        )
    )
    links, by_row = set(), []
    for claim_id, *source in rows:
        links.add((claim_id, source[0]))
        by_row.append(source)
    facts = _facts(by_row)
    if all(Claim.evidence_status.is_cached(claim) for claim in claims):
        statuses = {claim.evidence_status_id: claim.evidence_status.expectation for claim in claims}
    else:
        statuses = {s.pk: s.expectation for s in EvidenceStatus.objects.all()}
    cited = defaultdict(list)
    for claim_id, source_id in sorted(links):
        cited[claim_id].append(facts[source_id])
    found = {}
    for claim in claims:
        approved_on = ""
        if claim.review_state == Claim.ReviewState.APPROVED and claim.reviewed_at:
            approved_on = timezone.localtime(claim.reviewed_at).date().isoformat()
        expectation = statuses[claim.evidence_status_id]
        found[claim.pk] = source_findings.claim_source_findings(expectation, cited[claim.pk], approved_on)
    return found


def findings_of(claim) -> list:
    return claim_findings([claim])[claim.pk]


# Beside each claim, in the query that reads it: lists, panels and the integrity filter ---------------

SUMMARY_FIELDS = (
    "src_total", "src_fitting", "src_unknown", "src_retracted",
    "src_notice", "src_stopped", "src_results", "src_unfit",
)  # fmt: skip
COUNTED_FIELDS = 4  # the first SUMMARY_FIELDS are counts, the rest text


def _count(links):
    return Coalesce(Subquery(links.values("claim").annotate(n=Count("pk")).values("n")[:1]), 0)


def _first(events, *parts):
    text = Concat(*parts, output_field=TextField())
    return Coalesce(Subquery(events.annotate(text=text).values("text")[:1]), Value(""), output_field=TextField())


def with_source_summary(claims):
    """Claims annotated with what claims.text.source_findings.SourceSummary needs, in the same query."""
    links = Claim.sources.through.objects.filter(claim=OuterRef("pk")).order_by()
    # The claim's grade lists its expected designs as JSON text: ["randomised_trial", …].
    expected = Cast("claim__evidence_status__expected_designs", TextField())
    quoted = Concat(Value('"'), F("source__design"), Value('"'), output_field=TextField())
    label = Coalesce(NullIf("source__title", Value("")), "source__identifier", output_field=TextField())
    cited = SourceEvent.objects.filter(source__claims=OuterRef("pk")).order_by("date", "pk")
    day = Cast("date", CharField())
    # The first source without an expected design, named as its citation label ("PMID 123"), so that
    # "grade outruns its sources" says which source it is about.
    short = Case(
        When(source__kind=Source.Kind.PMID, then=Concat(Value("PMID "), "source__identifier")),
        When(source__kind=Source.Kind.DOI, then=Concat(Value("doi:"), "source__identifier")),
        default="source__identifier",
        output_field=TextField(),
    )
    unfit = (
        links.annotate(at=StrIndex(expected, quoted), short=short)
        .filter(at=0)
        .order_by("source_id")
        .annotate(text=Concat("source__design", Value("|"), "short", output_field=TextField()))
    )
    # A retracted source supports no grade (claims.text.source_findings): counted apart.
    retracted = Exists(SourceEvent.objects.filter(source=OuterRef("source_id"), kind=Kind.RETRACTION))
    with_design = links.annotate(at=StrIndex(expected, quoted)).filter(at__gt=0)
    return claims.annotate(
        src_total=_count(links),
        src_fitting=_count(with_design.exclude(retracted)),
        src_retracted=_count(with_design.filter(retracted)),
        src_unfit=Coalesce(Subquery(unfit.values("text")[:1]), Value(""), output_field=TextField()),
        src_unknown=_count(links.filter(source__design=UNKNOWN_DESIGN)),
        src_notice=_first(cited.filter(kind__in=SourceEvent.NOTICES), "kind", Value("|"), day, Value("|"), label),
        src_stopped=_first(cited.filter(kind=Kind.TRIAL_STOPPED), "detail", Value("|"), day, Value("|"), label),
        src_results=_first(
            cited.filter(kind=Kind.RESULTS_POSTED, date__gt=OuterRef("reviewed_at__date")).order_by("-date", "-pk"),
            day,
            Value("|"),
            label,
        ),
    )


def summary_of(claim) -> list:
    """The findings of a claim read with `with_source_summary` (its grade read beside it, or one query)."""
    summary = source_findings.SourceSummary(
        *(getattr(claim, name) or (0 if i < COUNTED_FIELDS else "") for i, name in enumerate(SUMMARY_FIELDS))
    )
    approved_on = ""
    if claim.review_state == Claim.ReviewState.APPROVED and claim.reviewed_at:
        approved_on = timezone.localtime(claim.reviewed_at).date().isoformat()
    return source_findings.summary_findings(claim.evidence_status.expectation, summary, approved_on)


def has_summary(claim) -> bool:
    return all(hasattr(claim, name) for name in SUMMARY_FIELDS)


def finding_condition(kind: str) -> Q:
    """A condition on claims annotated by `with_source_summary`, matching the finding of `kind`."""
    if kind == source_findings.RETRACTED:
        return ~Q(src_notice="")
    if kind == source_findings.TRIAL_STOPPED:
        return ~Q(src_stopped="")
    if kind == source_findings.RESULTS_POSTED:
        return ~Q(src_results="") & Q(review_state=Claim.ReviewState.APPROVED)
    return Q(
        evidence_status__is_rated=True, src_total__gt=0, src_fitting__lt=F("evidence_status__expected_count")
    ) & ~Q(evidence_status__expected_designs=[])


def source_findings_by_article() -> dict:
    """{article id: Counter(finding kind -> claims)} over the anchored claims of current articles, in one
    query beside the grades'."""
    statuses = {status.pk: status.expectation for status in EvidenceStatus.objects.all()}
    claims = with_source_summary(Claim.objects.anchored().filter(article__archived_at__isnull=True).order_by())
    fields = ["article_id", "evidence_status_id", "review_state", "reviewed_at", *SUMMARY_FIELDS]
    counts = defaultdict(Counter)
    for article_id, status_id, state, reviewed_at, *summary in claims.values_list(*fields).iterator(chunk_size=2000):
        approved_on = ""
        if state == Claim.ReviewState.APPROVED and reviewed_at:
            approved_on = timezone.localtime(reviewed_at).date().isoformat()
        found = source_findings.summary_findings(
            statuses[status_id], source_findings.SourceSummary(*summary), approved_on
        )
        for kind in dict.fromkeys(finding.kind for finding in found):
            counts[article_id][kind] += 1
    return counts
