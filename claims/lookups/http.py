"""Requests to the three services: their hosts only, time-limited, size-capped and rate-limited.

Every request goes through `get`: its host must be one of the three services' (their base addresses
in settings), checked again for each redirect by the client's request hook; it waits for the
service's rate limit (`limits.take_slot`); it gives up connecting after CONNECT_TIMEOUT seconds and
waiting for data after READ_TIMEOUT; and it reads the answer as a stream, stopping past MAX_BYTES.
"""

import email.utils
import time
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from . import limits
from .errors import LookupFailed, LookupRefused, NotFound

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 3
SERVICES = {
    "pubmed": ("PubMed", "LOOKUP_PUBMED_URL"),
    "crossref": ("Crossref", "LOOKUP_CROSSREF_URL"),
    "clinicaltrials": ("ClinicalTrials.gov", "LOOKUP_CLINICALTRIALS_URL"),
}


def base_url(service) -> str:
    return getattr(settings, SERVICES[service][1])


def allowed_hosts() -> set[str]:
    """The hosts of the three services' base addresses: the only ones ever fetched."""
    return {urlsplit(base_url(service)).hostname for service in SERVICES}


def _refuse_other_hosts(request):
    host = request.url.host
    if host not in allowed_hosts():
        raise LookupRefused(f"refused: {host} is not PubMed's, Crossref's or ClinicalTrials.gov's")


def user_agent() -> str:
    tool = settings.LOOKUP_TOOL_NAME or "evidence-cms"
    email_address = settings.LOOKUP_CONTACT_EMAIL
    return f"{tool}/1.0 (mailto:{email_address})" if email_address else f"{tool}/1.0"


def client(**options) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": user_agent()},
        event_hooks={"request": [_refuse_other_hosts]},
        **options,
    )


def retry_after_seconds(value, now=None) -> float | None:
    """A Retry-After header's wait in seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def get(http: httpx.Client, service: str, path: str, params=None) -> bytes:
    """The body of the service's answer to GET base + path, or NotFound / LookupFailed."""
    name = SERVICES[service][0]
    url = base_url(service) + path
    if urlsplit(url).hostname not in allowed_hosts():
        raise LookupRefused(f"refused: {urlsplit(url).hostname} is not one of the three services'")
    limits.take_slot(service)
    try:
        with http.stream("GET", url, params=params) as response:
            status = response.status_code
            if status == 404:
                raise NotFound(f"{name} does not know it")
            if status == 429:
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                if wait:
                    limits.hold(service, wait)
                raise LookupFailed(f"{name} asked us to slow down (429)", retry=True, retry_after=wait)
            if status >= 500:
                raise LookupFailed(f"{name} answered {status}", retry=True)
            if status != 200:
                raise LookupFailed(f"{name} answered {status}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > MAX_BYTES:
                raise LookupFailed("answer too large")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_BYTES:
                    raise LookupFailed("answer too large")
            return bytes(body)
    except httpx.TimeoutException as error:
        raise LookupFailed(f"{name} timed out", retry=True) from error
    except httpx.TooManyRedirects as error:
        raise LookupFailed(f"{name} redirected too often") from error
    except httpx.TransportError as error:
        raise LookupFailed(f"could not reach {name}: {error.__class__.__name__}", retry=True) from error
