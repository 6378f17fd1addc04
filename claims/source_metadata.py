"""What the look-ups found about a source, stored and shown beside what editors typed.

- `source_created` runs when a source is created, however (the admin, "add sources by identifier",
  the import, the demo): a PubMed ID, DOI or NCT number is looked up by the task `look_up_source`
  once the creation commits; with look-ups turned off (settings.SOURCE_LOOKUPS) `outcome_of` says so.
  A web address is never looked up.
- `look_up` asks the services (claims.lookups) and stores the answer: the whole answer in the
  source's SourceRecord, the citation (title, authors, journal, year) copied onto the source except
  the fields an editor typed (`Source.hand_set`), and the derived study design unless an editor set
  it (`design_by_hand`). Run twice on the same answer, it changes nothing the second time. What the
  answer says happened to the source (a retraction, a trial stopped…) is recorded as SourceEvents by
  claims.evidence_watch.record_events.
- `differences` lists each typed field whose looked-up value differs ("PubMed says: …"), and
  `take_looked_up` replaces the typed value with the looked-up one.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from ops.background import enqueue_on_commit

from . import lookups
from .models import Outcome, Source, SourceRecord, UpdateKind
from .text import study_design
from .text.source_findings import day_words

logger = logging.getLogger(__name__)

# How the admin writes a moment, in the site's time zone.
ADMIN_DATETIME = "j M Y, H:i"

SERVICE_NAMES = {Source.Kind.PMID: "PubMed", Source.Kind.DOI: "Crossref", Source.Kind.NCT: "ClinicalTrials.gov"}
OFF_DETAIL = "Look-ups are turned off on this site: type the citation by hand."
URL_DETAIL = "A web address is never fetched."


def lookups_on() -> bool:
    return bool(settings.SOURCE_LOOKUPS)


def outcome_of(source: Source) -> tuple[str, str]:
    """(outcome, detail) of the source's last look-up; a web address is never looked up."""
    record = getattr(source, "record", None)
    if not source.is_looked_up:
        return Outcome.NEVER, URL_DETAIL
    if record is None:
        return (Outcome.NEVER, "") if lookups_on() else (Outcome.OFF, OFF_DETAIL)
    if record.outcome == Outcome.OFF:  # rows stored before the words changed keep their old detail
        return Outcome.OFF, OFF_DETAIL
    return record.outcome, record.detail


def has_answer(source: Source) -> bool:
    """Whether the source's last look-up found it: only then is anything known of what happened to it."""
    record = getattr(source, "record", None)
    return record is not None and record.outcome == Outcome.LOOKED_UP


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), ADMIN_DATETIME)


def outcome_words(source: Source) -> str:
    """The last look-up's outcome as one sentence for editors, e.g. "Look-up queued on 7 Dec 2026, 09:15: …"."""
    outcome, detail = outcome_of(source)
    record = getattr(source, "record", None)
    if outcome == Outcome.QUEUED:
        return f"Look-up queued on {_when(record.queued_at)}: the citation fills in once the background worker answers."
    if outcome == Outcome.OFF:
        return OFF_DETAIL
    if outcome == Outcome.NEVER:
        return f"Never looked up: {detail[0].lower()}{detail[1:]}" if detail else "Never looked up."
    label = Outcome(outcome).label
    if not detail:
        return f"{label}."
    return f"{label}: {detail}" if detail.endswith((".", "!", "?")) else f"{label}: {detail}."


def lookup_message(source: Source) -> str:
    """What happened to a source's look-up, for the editor who added or saved it: the source links to its
    admin page."""
    url = reverse("admin:claims_source_change", args=[source.pk])
    return format_html('<a href="{}">{}</a>: {}', url, source.identifier_label, outcome_words(source))


def _record_off(source: Source) -> None:
    SourceRecord.objects.update_or_create(source=source, defaults={"outcome": Outcome.OFF, "detail": OFF_DETAIL})


def source_created(source: Source) -> None:
    """A new source is looked up once its creation commits; with look-ups off nothing is stored."""
    if source.is_looked_up and lookups_on():
        request_lookup(source)


def look_up_if_never(source: Source) -> bool:
    """Queue the look-up of a source never looked up (made while look-ups were off, say), when look-ups are
    on; whether it was queued. A source looked up before, or queued already, is left as it is."""
    if not (source.is_looked_up and lookups_on()):
        return False
    outcome = SourceRecord.objects.filter(source=source.pk).values_list("outcome", flat=True).first()
    if outcome not in (None, Outcome.NEVER, Outcome.OFF):
        return False
    return request_lookup(source)


def request_lookup(source: Source) -> bool:
    """Ask for the source to be looked up (again); False when it is not (a web address, look-ups off).

    The record says when it was asked for; a source never looked up before reads "Look-up queued"
    until the worker answers, one looked up before keeps its last answer meanwhile.
    """
    if not source.is_looked_up:
        return False
    if not lookups_on():
        _record_off(source)
        return False
    from .tasks import look_up_source

    now = timezone.now()
    record, created = SourceRecord.objects.get_or_create(
        source=source, defaults={"outcome": Outcome.QUEUED, "queued_at": now}
    )
    if not created:
        record.queued_at = now
        if record.outcome in (Outcome.NEVER, Outcome.OFF, Outcome.QUEUED):
            record.outcome, record.detail = Outcome.QUEUED, ""
        record.save(update_fields=["queued_at", "outcome", "detail"])
    source.record = record
    enqueue_on_commit(look_up_source, source.pk)
    return True


# The citation details whose change by a re-check is recorded on the source (claims.evidence_watch).
CHANGE_RECORDED = ("title", "journal", "year")


def _store(source_id: int, outcome: str, detail: str = "", answer: dict | None = None) -> bool:
    """Store a look-up's outcome (and answer); whether the source's citation or design changed."""
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id).first()
        if source is None:  # deleted meanwhile
            return False
        record, _ = SourceRecord.objects.get_or_create(source=source)
        # What an earlier look-up found: a re-check that changes it is recorded on the source.
        found_before = {field: getattr(record, field) for field in CHANGE_RECORDED}
        record.outcome, record.detail, record.looked_up_at = outcome, detail[:500], timezone.now()
        if answer is not None:
            answer = {**answer, "year": _plausible_year(answer.get("year"))}
            for field in SourceRecord.ANSWER_FIELDS:
                setattr(record, field, answer.get(field, SourceRecord._meta.get_field(field).get_default()))
        record.save()
        if answer is None:
            return False
        changed, was = [], []  # was: (field, value) a re-check replaced, of the title, journal and year
        for field in Source.CITATION_FIELDS:
            value = getattr(record, field)
            limit = Source._meta.get_field(field).max_length
            if isinstance(value, str) and limit:
                value = value[:limit]
            if field in source.hand_set or value in ("", None) or getattr(source, field) == value:
                continue
            if found_before.get(field) not in ("", None) and getattr(source, field) == found_before[field]:
                was.append((field, getattr(source, field)))
            setattr(source, field, value)
            changed.append(field)
        derived = record.derived_design
        # An answer that says nothing of the design (Crossref's alone, say) never unsays a known one.
        if not source.design_by_hand and source.design != derived and derived != study_design.UNKNOWN:
            source.design = derived
            changed.append("design")
        if changed:
            source.save(update_fields=changed)
        if was:
            from .evidence_watch import record_citation_change

            record_citation_change(source.pk, was)
        return bool(changed)


# What PubMed adds to a DOI's answer: a look-up that could not reach PubMed keeps what it said last time.
PUBMED_FIELDS = ("publication_types", "mesh_headings", "humans", "animals")


def _keep_what_pubmed_said(source_id, answer):
    record = SourceRecord.objects.filter(pk=source_id, outcome=Outcome.LOOKED_UP).values(*PUBMED_FIELDS).first()
    for field, value in (record or {}).items():
        answer.setdefault(field, value)


def _plausible_year(year):
    return year if isinstance(year, int) and 1800 <= year <= 2100 else None


def look_up(source_id: int) -> str:
    """Look the source up now and store what was found; its outcome. Raises LookupFailed when a retry may help."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None or not source.is_looked_up:
        return Outcome.NEVER
    if not lookups_on():
        _record_off(source)
        return Outcome.OFF
    try:
        answer = lookups.look_up(source.kind, source.identifier)
    except lookups.NotFound as missing:
        _store(source_id, Outcome.NOT_FOUND, missing.detail)
        return Outcome.NOT_FOUND
    except lookups.LookupFailed as failure:
        _store(source_id, Outcome.FAILED, failure.detail)
        logger.warning("Look-up of source %s failed: %s", source_id, failure.detail)
        if failure.retry:
            raise
        return Outcome.FAILED
    note = answer.pop(lookups.NOTE, "")
    if answer.pop(lookups.PUBMED_UNREACHED, False):
        _keep_what_pubmed_said(source_id, answer)
    _store(source_id, Outcome.LOOKED_UP, note, answer)
    from .evidence_watch import record_events

    record_events(source_id)
    return Outcome.LOOKED_UP


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    typed: object
    looked_up: object
    service: str


def differences(source: Source) -> list[Difference]:
    """Each field an editor typed whose looked-up value is known and differs."""
    record = getattr(source, "record", None)
    if record is None or record.outcome != Outcome.LOOKED_UP:
        return []
    service = SERVICE_NAMES.get(source.kind, "The look-up")
    found = []
    for field in Source.CITATION_FIELDS:
        typed, looked_up = getattr(source, field), getattr(record, field)
        if field in source.hand_set and looked_up not in ("", None) and typed != looked_up:
            label = Source._meta.get_field(field).verbose_name
            found.append(Difference(field, label, typed, looked_up, service))
    if source.design_by_hand and record.derived_design not in (source.design, study_design.UNKNOWN):
        found.append(
            Difference(
                "design",
                "study design",
                source.get_design_display(),
                Source.Design(record.derived_design).label,
                service,
            )
        )
    return found


def take_looked_up(source: Source, field: str, user):
    """Replace what `user` or another editor typed in `field` (a citation field or "design") with the looked-up
    value, through claims.source_review.source_change (a changed title or year is recorded in the history of
    the claims citing it). None when there is nothing to take."""
    from .source_review import source_change

    source = Source.objects.select_related("record").get(pk=source.pk)
    record = getattr(source, "record", None)
    if record is None or record.outcome != Outcome.LOOKED_UP or field not in (*Source.CITATION_FIELDS, "design"):
        return None
    citation = {name: getattr(source, name) for name in Source.CITATION_FIELDS}
    details = {"authors": citation["authors"], "journal": citation["journal"]}
    if field == "design":
        details.update(design=record.derived_design, design_by_hand=False)
    else:
        limit = Source._meta.get_field(field).max_length
        value = getattr(record, field)
        citation[field] = value[:limit] if isinstance(value, str) and limit else value
        details.update(authors=citation["authors"], journal=citation["journal"])
        details["hand_set"] = [name for name in source.hand_set if name != field]
    return source_change(
        source=source,
        user=user,
        kind=source.kind,
        identifier=source.identifier,
        title=citation["title"],
        year=citation["year"],
        details=details,
    )


def typed_fields(source: Source, changed: list[str]) -> list[str]:
    """The source's hand-set fields after an editor's save that changed `changed`.

    A field typed non-empty is hand-set; one emptied is left to the look-up again.
    """
    hand_set = set(source.hand_set)
    for field in Source.CITATION_FIELDS:
        if field in changed:
            if getattr(source, field) in ("", None):
                hand_set.discard(field)
            else:
                hand_set.add(field)
    return sorted(hand_set)


def _update_words(update: dict) -> str:
    kind = UpdateKind(update["kind"]).label if update.get("kind") in UpdateKind.values else update.get("kind", "")
    notice = update.get("doi") and f"doi:{update['doi']}" or update.get("pmid") and f"PMID {update['pmid']}" or ""
    of = "this work is a notice updating" if update.get("direction") == "update-to" else ""
    date = day_words(update.get("date") or "")
    parts = [p for p in (of, kind, date, notice, update.get("source", "")) if p]
    return ", ".join(parts)


# PubMed indexes papers by PMID, and a DOI's paper through the PMID it is filed under.
MESH_KINDS = (Source.Kind.PMID, Source.Kind.DOI)


def source_facts(source: Source) -> list[tuple[str, str]]:
    """What the admin shows of the last look-up: (label, value) pairs in plain words."""
    outcome, detail = outcome_of(source)
    record = getattr(source, "record", None)
    when = record.looked_up_at if record is not None else None
    facts = [("Outcome", outcome_words(source))]
    if when:
        facts.append(("When", _when(when)))
    if record is not None and record.is_queued and outcome != Outcome.QUEUED:
        asked = f"Look-up queued on {_when(record.queued_at)}; the answer above stays until the worker answers."
        facts.append(("Asked again", asked))
    if record is None or outcome != Outcome.LOOKED_UP:
        return facts
    yes_no = {True: "yes", False: "no", None: "unknown"}
    # A DOI PubMed has no record of: the outcome says humans and animals are unknown, and why.
    indexed = source.kind in MESH_KINDS and detail not in (lookups.NO_PUBMED_RECORD, lookups.SEVERAL_PUBMED_RECORDS)
    rows = [
        ("Service", SERVICE_NAMES.get(source.kind, "")),
        ("Title", record.title),
        ("Authors", record.authors),
        ("Journal", record.journal),
        ("Year", record.year or ""),
        ("Publication types", ", ".join(record.publication_types)),
        ("MeSH: humans", record.get_humans_display() if indexed else ""),
        ("MeSH: animals", record.get_animals_display() if indexed else ""),
        ("Crossref type", record.crossref_type),
        ("Retracted", "yes" if record.is_retracted else ""),
        ("Updates", "; ".join(_update_words(u) for u in record.updates)),
        ("Relations", "; ".join(f"{name}: {', '.join(ids)}" for name, ids in record.relations.items())),
        ("Trial title", record.trial_title),
        ("Trial status", record.trial_status),
        ("Phases", ", ".join(record.trial_phases)),
        ("Study type", record.trial_study_type),
        ("Allocation", record.trial_allocation),
        ("Enrolment", record.enrolment if record.enrolment is not None else ""),
        ("Results posted", yes_no[record.results_posted] if source.kind == Source.Kind.NCT else ""),
        ("Last update posted", day_words(record.trial_last_update.isoformat()) if record.trial_last_update else ""),
        ("Design the look-up points to", Source.Design(record.derived_design).label),
        ("For readers", source.design_words),
    ]
    return facts + [(label, str(value)) for label, value in rows if value not in ("", None)]
