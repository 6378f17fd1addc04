"""The evidence watch: what became of the sources claims cite, and the alerts reviewers resolve.

- `record_events` runs after every look-up that found the source (claims.source_metadata.look_up):
  it turns the look-up's answer into SourceEvents (a retraction, correction or expression of concern
  with its date, a trial terminated, withdrawn or suspended, results posted), one per source, kind and
  date, so looking up again records nothing twice. A new retraction, expression of concern or stopped
  trial raises an EvidenceAlert on every claim citing the source (its draft or its live copy), one per
  claim and event, and the claim's reviewer is emailed by the task `email_evidence_alert`, once.
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
from collections import defaultdict

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date

from ops.background import enqueue_on_commit, record_step, step_done

from . import policy
from .models import Claim, EvidenceAlert, EvidenceStatus, Outcome, Source, SourceEvent, SourceRecord, UpdateKind
from .text import source_findings
from .text.source_findings import SourceFacts

logger = logging.getLogger(__name__)

Kind = SourceEvent.Kind
STOPPED_STATUSES = {"TERMINATED": "terminated", "WITHDRAWN": "withdrawn", "SUSPENDED": "suspended"}
NOTICE_KINDS = {
    UpdateKind.RETRACTION: Kind.RETRACTION,
    UpdateKind.CORRECTION: Kind.CORRECTION,
    UpdateKind.EXPRESSION_OF_CONCERN: Kind.EXPRESSION_OF_CONCERN,
}
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


def raise_alerts(event: SourceEvent) -> list[EvidenceAlert]:
    """An alert on every claim citing the event's source that has none for it yet; each reviewer emailed once."""
    from .tasks import email_evidence_alert

    raised = []
    for claim_id in citing_claims(event.source_id).values_list("pk", flat=True):
        alert, created = EvidenceAlert.objects.get_or_create(claim_id=claim_id, event=event)
        if created:
            raised.append(alert)
            enqueue_on_commit(email_evidence_alert, alert.pk)
    return raised


# E-mail ------------------------------------------------------------------------------------------


def alert_email_key(alert_id) -> str:
    return f"evidence-alert-email:{alert_id}"


def email_alert(alert_id: int) -> str:
    """Email the alert to the claim's reviewer, once: a second run finds the step done."""
    key = alert_email_key(alert_id)
    if step_done(key):
        return "already sent"
    alert = (
        EvidenceAlert.objects.select_related("claim__article", "claim__reviewed_by", "event__source")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None:
        return "gone"
    reviewer = alert.claim.reviewed_by
    if reviewer is None or not reviewer.email:
        record_step(key)
        return "no reviewer to email"
    event, claim = alert.event, alert.claim
    queue = reverse("admin:claims_evidencealert_changelist")
    body = (
        f"{event.get_kind_display()} on {event.date:%Y-%m-%d}: {event.source}"
        f"{' (' + event.detail + ')' if event.detail else ''}.\n\n"
        f"A claim you approved cites it, in “{claim.article.title}”:\n“{claim.quote}”\n\n"
        f"Keep it with a reason, change its grade or withdraw it from readers: {queue}\n"
    )
    subject = f"Evidence alert: {event.get_kind_display().lower()} of a source you relied on"
    mail.EmailMessage(subject, body, to=[reviewer.email]).send()
    record_step(key)
    return "sent"


# The watch ---------------------------------------------------------------------------------------


def sources_to_watch(batch: int):
    """The cited sources that are looked up, the one checked longest ago (or never) first."""
    cited = Claim.sources.through.objects.filter(source=OuterRef("pk"))
    return (
        Source.objects.filter(kind__in=Source.LOOKED_UP_KINDS)
        .filter(Exists(cited))
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
        Kind.TRIAL_STOPPED: "was stopped early",
    }.get(event.kind, "was updated")
    return f"A study this claim relies on {words} on {event.date:%-d %B %Y}. A reviewer is checking it."


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


def _facts(sources, events) -> dict:
    """{source id: SourceFacts} from (pk, title, identifier, kind, year, design) rows and their events."""
    by_source = defaultdict(list)
    for source_id, kind, date, detail in events:
        by_source[source_id].append((kind, date, detail))
    facts = {}
    for pk, title, identifier, design in sources:
        notices, stopped, results = [], None, ""
        for kind, date, detail in by_source[pk]:
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
    reviewed_at), in four queries whatever their number."""
    claims = list(claims)
    if not claims:
        return {}
    ids = [claim.pk for claim in claims]
    links = list(Claim.sources.through.objects.filter(claim_id__in=ids).values_list("claim_id", "source_id"))
    source_ids = {source_id for _, source_id in links}
    sources = Source.objects.filter(pk__in=source_ids).values_list("pk", "title", "identifier", "design")
    events = SourceEvent.objects.filter(source_id__in=source_ids).values_list("source_id", "kind", "date", "detail")
    facts = _facts(sources, events)
    statuses = {s.pk: s.expectation for s in EvidenceStatus.objects.all()}
    cited = defaultdict(list)
    for claim_id, source_id in links:
        cited[claim_id].append(facts[source_id])
    found = {}
    for claim in claims:
        approved_on = ""
        if claim.review_state == Claim.ReviewState.APPROVED and claim.reviewed_at:
            approved_on = timezone.localtime(claim.reviewed_at).date().isoformat()
        expectation = statuses[claim.evidence_status_id]
        listed = sorted(cited[claim.pk], key=lambda facts: str(facts.key))
        found[claim.pk] = source_findings.claim_source_findings(expectation, listed, approved_on)
    return found


def findings_of(claim) -> list:
    return claim_findings([claim])[claim.pk]


# The integrity filter: the same findings as database conditions -----------------------------------


def finding_condition(kind: str) -> Q:
    """A condition on claims matching claims.text.source_findings' finding of `kind`."""
    links = Claim.sources.through.objects
    if kind == source_findings.RETRACTED:
        return Q(Exists(links.filter(claim=OuterRef("pk"), source__events__kind__in=SourceEvent.NOTICES)))
    if kind == source_findings.TRIAL_STOPPED:
        return Q(Exists(links.filter(claim=OuterRef("pk"), source__events__kind=Kind.TRIAL_STOPPED)))
    if kind == source_findings.RESULTS_POSTED:
        return Q(
            Exists(
                links.filter(
                    claim=OuterRef("pk"),
                    source__events__kind=Kind.RESULTS_POSTED,
                    source__events__date__gt=OuterRef("reviewed_at__date"),
                )
            ),
            review_state=Claim.ReviewState.APPROVED,
        )
    outrunning = Q(pk__in=[])
    for status in EvidenceStatus.objects.rated():
        expectation = status.expectation
        if expectation.any_design:
            continue
        enough = (
            links.filter(source__design__in=expectation.designs)
            .values("claim")
            .annotate(n=Count("pk"))
            .filter(n__gte=expectation.count)
            .values("claim")
        )
        outrunning |= Q(evidence_status=status) & ~Q(pk__in=enough)
    return outrunning & Q(Exists(links.filter(claim=OuterRef("pk"))))
