"""Telling the cache in front of the site (Varnish, a CDN) to drop pages that changed.

A purge names paths on the site (`/articles/salt/`, `/tags/heart/`): each path, with any query
string (a list's `?page=2`), is dropped. `Purge.everything` drops every public page, for a change
that touches more pages than are worth naming. Which backend sends it is `settings.PURGE_BACKEND`:

- `none`: nothing is sent; pages leave the cache when their `s-maxage` runs out.
- `varnish`: an HTTP `PURGE` of each path (every variant of that address at once) and one `BAN` of the
  paths' query-string variants, sent to each address in `PURGE_VARNISH_URLS` with the site's host
  (deploy/varnish/default.vcl takes both from loopback only).
- `cloudflare`: Cloudflare's purge API (`POST /zones/{zone}/purge_cache` with `files`, 30 addresses a
  call, or `purge_everything`), with an API token allowed to purge the zone.
- `fastly`: Fastly's purge by surrogate key (`POST /service/{id}/purge`, `Surrogate-Key` naming up to
  256 keys, or `purge_all`); the site gives each public page its path as its surrogate key.
- `cloudfront`: a CloudFront invalidation (`CreateInvalidation`, through boto3, which is not a
  dependency of the site: install it to use this backend).
- `recording`: kept in memory (`recorded`) and logged; for tests and for trying the wiring.

A backend raises PurgeFailed when the cache refuses or cannot be reached; the task that sends it
(claims.tasks `purge_public_pages`) is then retried. Nothing here runs in an editor's request.
"""

import dataclasses
import logging
import time
import uuid
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0
CLOUDFLARE_API = "https://api.cloudflare.com/client/v4"
CLOUDFLARE_FILES_PER_CALL = 30
FASTLY_API = "https://api.fastly.com"
FASTLY_KEYS_PER_CALL = 256


class PurgeFailed(Exception):
    """The cache did not confirm the purge; sending it again later may work."""


@dataclasses.dataclass(frozen=True)
class Purge:
    paths: tuple[str, ...] = ()
    everything: bool = False

    def __bool__(self):
        return self.everything or bool(self.paths)


def site_host() -> str:
    """The public host name, as readers' requests (and so the cache's keys) carry it: SITE_URL's."""
    return urlsplit(settings.SITE_URL).netloc


def site_origin() -> str:
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def _checked(response, what):
    if response.status_code >= 300:
        raise PurgeFailed(f"{what} answered {response.status_code}: {response.text[:200]}")
    return response


def _client(transport=None):
    return httpx.Client(timeout=TIMEOUT_SECONDS, transport=transport)


class RecordingBackend:
    """Keeps each purge in `recorded`, newest last."""

    recorded: list[Purge] = []

    def __init__(self, transport=None):
        pass

    def send(self, purge: Purge) -> None:
        RecordingBackend.recorded.append(purge)
        logger.info("Purge recorded: %s", "everything" if purge.everything else ", ".join(purge.paths))


class VarnishBackend:
    def __init__(self, transport=None):
        self.addresses = [url.rstrip("/") for url in settings.PURGE_VARNISH_URLS]
        if not self.addresses:
            raise ImproperlyConfigured(
                "PURGE_BACKEND=varnish needs PURGE_VARNISH_URLS (such as http://127.0.0.1:6081)."
            )
        self.transport = transport

    def send(self, purge: Purge) -> None:
        headers = {"Host": site_host()}
        with _client(self.transport) as client:
            for address in self.addresses:
                try:
                    if purge.everything:
                        _checked(client.request("BAN", f"{address}/", headers={**headers, "X-Ban-Url": "^/"}), address)
                        continue
                    for path in purge.paths:
                        _checked(client.request("PURGE", f"{address}{path}", headers=headers), address)
                    # The query-string variants of the same paths (a list's later pages) in one ban.
                    variants = "^(" + "|".join(_regex_escaped(path) for path in purge.paths) + r")\?"
                    _checked(client.request("BAN", f"{address}/", headers={**headers, "X-Ban-Url": variants}), address)
                except httpx.HTTPError as error:
                    raise PurgeFailed(f"Varnish at {address} could not be reached: {error}") from error


def _regex_escaped(path):
    """A path as a literal in Varnish's regular expressions (PCRE2)."""
    return "".join("\\" + character if character in r".^$*+?()[]{}|\/" else character for character in path)


class CloudflareBackend:
    def __init__(self, transport=None):
        self.zone, self.token = settings.CLOUDFLARE_ZONE_ID, settings.CLOUDFLARE_API_TOKEN
        if not (self.zone and self.token):
            raise ImproperlyConfigured("PURGE_BACKEND=cloudflare needs CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN.")
        self.transport = transport

    def send(self, purge: Purge) -> None:
        url = f"{CLOUDFLARE_API}/zones/{self.zone}/purge_cache"
        headers = {"Authorization": f"Bearer {self.token}"}
        if purge.everything:
            bodies = [{"purge_everything": True}]
        else:
            addresses = [site_origin() + path for path in purge.paths]
            bodies = [
                {"files": addresses[start : start + CLOUDFLARE_FILES_PER_CALL]}
                for start in range(0, len(addresses), CLOUDFLARE_FILES_PER_CALL)
            ]
        with _client(self.transport) as client:
            for body in bodies:
                try:
                    response = _checked(client.post(url, json=body, headers=headers), "Cloudflare")
                except httpx.HTTPError as error:
                    raise PurgeFailed(f"Cloudflare could not be reached: {error}") from error
                if not response.json().get("success"):
                    raise PurgeFailed(f"Cloudflare refused the purge: {response.text[:200]}")


class FastlyBackend:
    def __init__(self, transport=None):
        self.service, self.token = settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN
        if not (self.service and self.token):
            raise ImproperlyConfigured("PURGE_BACKEND=fastly needs FASTLY_SERVICE_ID and FASTLY_API_TOKEN.")
        self.transport = transport

    def send(self, purge: Purge) -> None:
        headers = {"Fastly-Key": self.token, "Accept": "application/json"}
        base = f"{FASTLY_API}/service/{self.service}"
        with _client(self.transport) as client:
            try:
                if purge.everything:
                    _checked(client.post(f"{base}/purge_all", headers=headers), "Fastly")
                    return
                keys = list(purge.paths)
                for start in range(0, len(keys), FASTLY_KEYS_PER_CALL):
                    batch = " ".join(keys[start : start + FASTLY_KEYS_PER_CALL])
                    _checked(client.post(f"{base}/purge", headers={**headers, "Surrogate-Key": batch}), "Fastly")
            except httpx.HTTPError as error:
                raise PurgeFailed(f"Fastly could not be reached: {error}") from error


class CloudFrontBackend:
    def __init__(self, transport=None, client=None):
        self.distribution = settings.CLOUDFRONT_DISTRIBUTION_ID
        if not self.distribution:
            raise ImproperlyConfigured("PURGE_BACKEND=cloudfront needs CLOUDFRONT_DISTRIBUTION_ID.")
        if client is None:
            try:
                import boto3
            except ImportError as error:
                raise ImproperlyConfigured("PURGE_BACKEND=cloudfront needs boto3: pip install boto3.") from error
            client = boto3.client("cloudfront")
        self.client = client

    def send(self, purge: Purge) -> None:
        # A trailing * also matches the query-string variants of a path.
        items = ["/*"] if purge.everything else [f"{path}*" for path in purge.paths]
        try:
            self.client.create_invalidation(
                DistributionId=self.distribution,
                InvalidationBatch={
                    "Paths": {"Quantity": len(items), "Items": items},
                    "CallerReference": f"{time.time_ns()}-{uuid.uuid4().hex[:8]}",
                },
            )
        except Exception as error:  # boto3's errors are botocore's, which this module does not import
            raise PurgeFailed(f"CloudFront refused the invalidation: {error}") from error


BACKENDS = {
    "varnish": VarnishBackend,
    "cloudflare": CloudflareBackend,
    "fastly": FastlyBackend,
    "cloudfront": CloudFrontBackend,
    "recording": RecordingBackend,
}


def enabled() -> bool:
    return settings.PURGE_BACKEND != "none"


def backend(transport=None):
    """The backend that PURGE_BACKEND names, ready to send; `transport` stands in for the network in tests."""
    return BACKENDS[settings.PURGE_BACKEND](transport=transport)


def send(purge: Purge, transport=None) -> None:
    """Send one purge through the configured backend; PurgeFailed when the cache did not take it."""
    if not purge or not enabled():
        return
    backend(transport).send(purge)
