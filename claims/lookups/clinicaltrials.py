"""ClinicalTrials.gov's API v2: /studies/{nct}, JSON.

The study's protocolSection has identificationModule.briefTitle; statusModule.overallStatus
(RECRUITING, COMPLETED, TERMINATED…) and lastUpdatePostDateStruct.date; designModule.studyType
(INTERVENTIONAL, OBSERVATIONAL…), phases, designInfo.allocation and .observationalModel, and
enrollmentInfo.count; eligibilityModule.stdAges. `hasResults` says whether results are posted. An
unknown NCT number answers 404.
"""

import datetime
import json

from .errors import LookupFailed, NotFound
from .http import get


def look_up(http, nct) -> dict:
    return parse_study(get(http, "clinicaltrials", "/studies/" + nct, {"format": "json"}), nct)


def _date(value) -> datetime.date | None:
    value = str(value or "")
    for form, length in (("%Y-%m-%d", 10), ("%Y-%m", 7)):
        try:
            return datetime.datetime.strptime(value[:length], form).date()
        except ValueError:
            continue
    return None


def parse_study(body: bytes, nct: str) -> dict:
    try:
        data = json.loads(body)
        if not data:
            raise NotFound("ClinicalTrials.gov does not know it")
        protocol = data["protocolSection"]
        identification = protocol["identificationModule"]
        if str(identification.get("nctId", nct)).upper() != nct:
            raise LookupFailed("unreadable answer")
        status = protocol.get("statusModule", {})
        design = protocol.get("designModule", {})
        info = design.get("designInfo", {})
        count = design.get("enrollmentInfo", {}).get("count")
        started = _date(status.get("startDateStruct", {}).get("date"))
        title = str(identification.get("briefTitle", "")).strip()[:1000]
        return {
            "title": title,
            "journal": "ClinicalTrials.gov",
            "year": started.year if started else None,
            "trial_title": title,
            "trial_status": str(status.get("overallStatus", ""))[:40],
            "trial_last_update": _date(status.get("lastUpdatePostDateStruct", {}).get("date")),
            "trial_phases": [str(p) for p in design.get("phases", [])],
            "trial_study_type": str(design.get("studyType", ""))[:40],
            "trial_allocation": str(info.get("allocation", ""))[:40],
            "trial_observational_model": str(info.get("observationalModel", ""))[:40],
            "trial_ages": [str(a) for a in protocol.get("eligibilityModule", {}).get("stdAges", [])],
            "enrolment": int(count) if count is not None and int(count) >= 0 else None,
            "results_posted": bool(data.get("hasResults", False)),
        }
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise LookupFailed("unreadable answer") from error
