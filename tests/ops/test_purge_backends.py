"""Each purge backend's requests, as the cache's documented interface expects them, against a stand-in."""

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured

from ops import purge
from ops.purge import Purge, PurgeFailed

PATHS = ("/", "/articles/stem-cells/", "/tags/lungs/")


class StandIn:
    """An httpx transport that records each request and answers with `answer(request)`."""

    def __init__(self, answer=None):
        self.requests = []
        self.answer = answer or (lambda request: httpx.Response(200, json={"success": True}))

    def __call__(self, request):
        self.requests.append(request)
        return self.answer(request)

    @property
    def transport(self):
        return httpx.MockTransport(self)


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://health.example"


# Varnish ---------------------------------------------------------------------------------------


@pytest.fixture
def varnish(settings, site):
    settings.PURGE_BACKEND = "varnish"
    settings.PURGE_VARNISH_URLS = ["http://127.0.0.1:6081", "http://10.0.0.2:6081/"]


def test_varnish_gets_a_purge_of_each_path_and_one_ban_of_their_other_pages_at_each_address(varnish):
    stand_in = StandIn()
    purge.send(Purge(paths=PATHS), transport=stand_in.transport)

    seen = [(request.method, str(request.url), request.headers["Host"]) for request in stand_in.requests]
    for address in ("http://127.0.0.1:6081", "http://10.0.0.2:6081"):
        assert [(method, url) for method, url, _ in seen if url.startswith(address)] == [
            ("PURGE", f"{address}/"),
            ("PURGE", f"{address}/articles/stem-cells/"),
            ("PURGE", f"{address}/tags/lungs/"),
            ("BAN", f"{address}/"),
        ]
    assert {host for _, _, host in seen} == {"health.example"}
    ban = stand_in.requests[3]
    assert ban.headers["X-Ban-Url"] == r"^(\/|\/articles\/stem-cells\/|\/tags\/lungs\/)\?"


def test_varnish_gets_one_ban_of_every_page_for_everything(varnish):
    stand_in = StandIn()
    purge.send(Purge(everything=True), transport=stand_in.transport)
    assert [(r.method, r.headers["X-Ban-Url"]) for r in stand_in.requests] == [("BAN", "^/"), ("BAN", "^/")]


def test_a_varnish_refusal_or_silence_is_a_purge_failure(varnish):
    refusing = StandIn(lambda request: httpx.Response(405, text="Purging is allowed from the site only."))
    with pytest.raises(PurgeFailed, match="405"):
        purge.send(Purge(paths=PATHS), transport=refusing.transport)

    def silent(request):
        raise httpx.ConnectTimeout("timed out", request=request)

    with pytest.raises(PurgeFailed, match="could not be reached"):
        purge.send(Purge(paths=PATHS), transport=StandIn(silent).transport)


def test_varnish_without_an_address_says_what_is_missing(settings):
    settings.PURGE_BACKEND, settings.PURGE_VARNISH_URLS = "varnish", []
    with pytest.raises(ImproperlyConfigured, match="PURGE_VARNISH_URLS"):
        purge.send(Purge(paths=PATHS))


# Cloudflare ------------------------------------------------------------------------------------


@pytest.fixture
def cloudflare(settings, site):
    settings.PURGE_BACKEND = "cloudflare"
    settings.CLOUDFLARE_ZONE_ID, settings.CLOUDFLARE_API_TOKEN = "zone123", "token-abc"


def test_cloudflare_gets_full_addresses_thirty_a_call_with_the_token(cloudflare):
    stand_in = StandIn()
    paths = tuple(f"/articles/a-{n}/" for n in range(45))
    purge.send(Purge(paths=paths), transport=stand_in.transport)

    assert len(stand_in.requests) == 2
    for request in stand_in.requests:
        assert request.method == "POST"
        assert str(request.url) == "https://api.cloudflare.com/client/v4/zones/zone123/purge_cache"
        assert request.headers["Authorization"] == "Bearer token-abc"
    bodies = [json.loads(request.content) for request in stand_in.requests]
    assert [len(body["files"]) for body in bodies] == [30, 15]
    assert bodies[0]["files"][0] == "https://health.example/articles/a-0/"


def test_cloudflare_purges_everything_by_its_own_flag(cloudflare):
    stand_in = StandIn()
    purge.send(Purge(everything=True), transport=stand_in.transport)
    assert json.loads(stand_in.requests[0].content) == {"purge_everything": True}


def test_a_cloudflare_answer_without_success_is_a_purge_failure(cloudflare):
    refusing = StandIn(lambda request: httpx.Response(200, json={"success": False, "errors": [{"code": 1012}]}))
    with pytest.raises(PurgeFailed, match="refused"):
        purge.send(Purge(paths=PATHS), transport=refusing.transport)
    with pytest.raises(PurgeFailed, match="429"):
        purge.send(Purge(paths=PATHS), transport=StandIn(lambda request: httpx.Response(429)).transport)


# Fastly ----------------------------------------------------------------------------------------


@pytest.fixture
def fastly(settings, site):
    settings.PURGE_BACKEND = "fastly"
    settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN = "svc9", "fastly-key"


def test_fastly_gets_the_paths_as_surrogate_keys_in_one_call(fastly):
    stand_in = StandIn()
    purge.send(Purge(paths=PATHS), transport=stand_in.transport)
    [request] = stand_in.requests
    assert (request.method, str(request.url)) == ("POST", "https://api.fastly.com/service/svc9/purge")
    assert request.headers["Fastly-Key"] == "fastly-key"
    assert request.headers["Surrogate-Key"] == "/ /articles/stem-cells/ /tags/lungs/"


def test_fastly_purges_everything_with_purge_all(fastly):
    stand_in = StandIn()
    purge.send(Purge(everything=True), transport=stand_in.transport)
    assert str(stand_in.requests[0].url) == "https://api.fastly.com/service/svc9/purge_all"


def test_a_public_page_names_its_path_as_its_surrogate_key_for_fastly(fastly, client, db):
    response = client.get("/conditions/")
    assert response["Surrogate-Key"] == "/conditions/"


# CloudFront ------------------------------------------------------------------------------------


class CloudFrontStandIn:
    def __init__(self):
        self.calls = []

    def create_invalidation(self, **arguments):
        self.calls.append(arguments)
        return {"Invalidation": {"Id": "I1", "Status": "InProgress"}}


def test_cloudfront_gets_one_invalidation_whose_paths_cover_their_query_strings(settings):
    settings.PURGE_BACKEND, settings.CLOUDFRONT_DISTRIBUTION_ID = "cloudfront", "E2ABC"
    stand_in = CloudFrontStandIn()
    purge.CloudFrontBackend(client=stand_in).send(Purge(paths=PATHS))
    [call] = stand_in.calls
    assert call["DistributionId"] == "E2ABC"
    assert call["InvalidationBatch"]["Paths"] == {
        "Quantity": 3,
        "Items": ["/*", "/articles/stem-cells/*", "/tags/lungs/*"],
    }
    assert call["InvalidationBatch"]["CallerReference"]


def test_cloudfront_without_boto3_says_to_install_it(settings, monkeypatch):
    settings.PURGE_BACKEND, settings.CLOUDFRONT_DISTRIBUTION_ID = "cloudfront", "E2ABC"
    monkeypatch.setitem(__import__("sys").modules, "boto3", None)
    with pytest.raises(ImproperlyConfigured, match="boto3"):
        purge.send(Purge(paths=PATHS))


# None and recording ----------------------------------------------------------------------------


def test_no_backend_sends_nothing(settings):
    settings.PURGE_BACKEND = "none"
    stand_in = StandIn()
    purge.send(Purge(paths=PATHS), transport=stand_in.transport)
    assert stand_in.requests == []


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [("PURGE_BACKEND", "akamai", "PURGE_BACKEND must be one of"), ("CDN_S_MAXAGE", "an hour", "whole number")],
)
def test_bad_cache_settings_are_refused_with_a_clear_message(variable, value, message):
    environment = {**os.environ, "DEBUG": "1", variable: value}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert message in result.stderr
