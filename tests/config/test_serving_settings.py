"""How the environment picks the cache and where static files and uploads live, and how static files are served."""

import json
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import cache_from_url
from tests.config.test_deploy_check import HOST, ROOT, production_environment

LOCAL_MEMORY = "django.core.cache.backends.locmem.LocMemCache"
REDIS = "django.core.cache.backends.redis.RedisCache"
# A paused Redis must not hold a request longer than this (redis-py would wait 5 s per command).
REDIS_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@pytest.mark.parametrize("url", [None, "", "   "])
def test_without_a_cache_address_each_process_caches_in_its_own_memory(url):
    assert cache_from_url(url) == {"BACKEND": LOCAL_MEMORY}


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/1", "rediss://:secret@cache.internal:6380/0", "unix:///run/redis.sock?db=2"]
)
def test_a_redis_address_selects_djangos_redis_backend(url):
    assert cache_from_url(f" {url} ") == {"BACKEND": REDIS, "LOCATION": url, "OPTIONS": REDIS_TIMEOUTS}


@pytest.mark.parametrize("url", ["memcached://127.0.0.1:11211", "127.0.0.1:6379", "locmem://"])
def test_a_cache_address_that_is_not_redis_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be empty or a Redis address"):
        cache_from_url(url)


SETTINGS_PROBE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "cache": settings.CACHES["default"],
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "default_storage": settings.STORAGES["default"]["BACKEND"],
    "static_root": str(settings.STATIC_ROOT),
    "media_root": str(settings.MEDIA_ROOT),
}))
"""


def run_python(tmp_path, script, **overrides):
    env = production_environment(tmp_path, DJANGO_SETTINGS_MODULE="config.settings", **overrides)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_follow_the_environment(tmp_path):
    answer = run_python(
        tmp_path,
        SETTINGS_PROBE,
        CACHE_URL="redis://cache.internal:6379/2",
        STATIC_ROOT=str(tmp_path / "collected"),
        MEDIA_ROOT=str(tmp_path / "shared" / "media"),
    )
    assert answer["cache"] == {"BACKEND": REDIS, "LOCATION": "redis://cache.internal:6379/2", "OPTIONS": REDIS_TIMEOUTS}
    assert answer["staticfiles"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert answer["default_storage"] == "django.core.files.storage.FileSystemStorage"
    assert answer["static_root"] == str(tmp_path / "collected")
    assert answer["media_root"] == str(tmp_path / "shared" / "media")


def test_local_work_needs_no_collected_static_files_and_no_cache_server(tmp_path):
    answer = run_python(tmp_path, SETTINGS_PROBE, DEBUG="1", SECRET_KEY=None, CACHE_URL=None)
    assert answer["cache"] == {"BACKEND": LOCAL_MEMORY}
    assert answer["staticfiles"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


# After collectstatic, in production settings: the stylesheet as a page links it, and as WhiteNoise serves it.
STATIC_PROBE = f"""
import json, django
django.setup()
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
client = Client(SERVER_NAME="{HOST}")
url = staticfiles_storage.url("css/site.css")
hashed = client.get(url, secure=True, headers={{"accept-encoding": "gzip"}})
plain = client.get("/static/css/site.css", secure=True)
print(json.dumps({{
    "url": url,
    "hashed": [hashed.status_code, hashed.headers.get("Content-Encoding"), hashed.headers.get("Cache-Control")],
    "plain": [plain.status_code, plain.headers.get("Cache-Control")],
}}))
"""


def test_in_production_whitenoise_serves_collected_files_under_hashed_names_compressed_and_cached_for_good(
    tmp_path,
):
    static_root = tmp_path / "collected"
    env = production_environment(tmp_path, STATIC_ROOT=str(static_root))
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collected.returncode == 0, collected.stderr
    assert (static_root / "staticfiles.json").exists()

    answer = run_python(tmp_path, STATIC_PROBE, STATIC_ROOT=str(static_root))
    assert answer["url"].startswith("/static/css/site.") and answer["url"] != "/static/css/site.css"
    assert answer["hashed"] == [200, "gzip", "max-age=315360000, public, immutable"]
    status, cache_control = answer["plain"]
    assert status == 200 and "immutable" not in cache_control
