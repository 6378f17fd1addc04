"""Each service's rate limit, kept by every process together through the database.

A service's LookupSlot row holds the earliest moment the next request may leave. Taking a slot moves
that moment on by one interval (1 / the service's rate in settings.LOOKUP_RATES) in one UPDATE, so
two processes never get the same slot: the database's row lock orders them. The taker then sleeps
until its slot. Requests are thus spaced at least an interval apart, whichever process sends them,
and no second holds more than the rate. A 429's Retry-After pushes the moment on for everyone
(`hold`). A slot more than MAX_WAIT seconds away is not waited for: the look-up fails, to be retried
then.
"""

import time

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from ..models import LookupSlot
from .errors import LookupFailed

MAX_WAIT = 30.0


def interval(service) -> float:
    return 1.0 / settings.LOOKUP_RATES[service]


def reserve(service, *, now=time.time) -> float:
    """Take the next slot of `service`: the moment (seconds since the epoch) its request may leave."""
    step = interval(service)
    with transaction.atomic():
        LookupSlot.objects.bulk_create([LookupSlot(service=service)], ignore_conflicts=True)
        LookupSlot.objects.filter(service=service).update(next_at=Greatest(F("next_at"), Value(now())) + step)
        next_at = LookupSlot.objects.values_list("next_at", flat=True).get(service=service)
    return next_at - step


def take_slot(service, *, now=time.time, sleep=time.sleep, max_wait=MAX_WAIT) -> float:
    """Wait until this process may send a request to `service`; the slot's moment."""
    slot = reserve(service, now=now)
    wait = slot - now()
    if wait > max_wait:
        raise LookupFailed(f"{service} is busy: waiting {wait:.0f} s", retry=True, retry_after=wait)
    if wait > 0:
        sleep(wait)
    return slot


def hold(service, seconds, *, now=time.time) -> None:
    """No request to `service` from any process for `seconds` (a 429's Retry-After)."""
    until = now() + seconds
    with transaction.atomic():
        LookupSlot.objects.bulk_create([LookupSlot(service=service)], ignore_conflicts=True)
        LookupSlot.objects.filter(service=service).update(next_at=Greatest(F("next_at"), Value(until)))
