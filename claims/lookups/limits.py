"""Each service's rate limit, kept by every process together through the database.

A service's LookupSlot row holds the earliest moment the next request may leave. A process claims
the moment it sends: one UPDATE moves the row on by an interval (1 / the service's rate in
settings.LOOKUP_RATES, and MARGIN more) only if that moment has come, so of the processes trying at
once exactly one gets it (the database's row lock orders them); the others read when the next
moment is, sleep until then and try again. Claimed moments are thus an interval apart, whichever
process sends, and as each request leaves straight after its claim commits (not after a sleep that
may overrun), no second holds more than the rate. A 429's Retry-After pushes the moment on for
everyone (`hold`). A moment more than MAX_WAIT seconds away is not waited for: the look-up fails,
to be retried then.
"""

import time

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from ..models import LookupSlot
from .errors import LookupFailed

MAX_WAIT = 30.0
MARGIN = 0.05  # a twentieth of an interval more, for the time between a claim and its request leaving


def interval(service) -> float:
    return (1.0 + MARGIN) / settings.LOOKUP_RATES[service]


def claim(service, moment: float) -> tuple[bool, float]:
    """Try to claim `service` at `moment` (now): (claimed, when the next claim may be made)."""
    with transaction.atomic():
        LookupSlot.objects.bulk_create([LookupSlot(service=service)], ignore_conflicts=True)
        claimed = LookupSlot.objects.filter(service=service, next_at__lte=moment).update(
            next_at=moment + interval(service)
        )
        next_at = LookupSlot.objects.values_list("next_at", flat=True).get(service=service)
    return bool(claimed), next_at


def take_slot(service, *, now=time.time, sleep=time.sleep, max_wait=MAX_WAIT) -> float:
    """Wait until this process may send a request to `service`, and claim it; the moment claimed."""
    while True:
        moment = now()
        claimed, next_at = claim(service, moment)
        if claimed:
            return moment
        wait = next_at - now()
        if wait > max_wait:
            raise LookupFailed(f"{service} is busy: waiting {wait:.0f} s", retry=True, retry_after=wait)
        if wait > 0:
            sleep(wait)


def hold(service, seconds, *, now=time.time) -> None:
    """No request to `service` from any process for `seconds` (a 429's Retry-After)."""
    until = now() + seconds
    with transaction.atomic():
        LookupSlot.objects.bulk_create([LookupSlot(service=service)], ignore_conflicts=True)
        LookupSlot.objects.filter(service=service).update(next_at=Greatest(F("next_at"), Value(until)))
