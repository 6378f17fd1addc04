"""With production variables set, Django's deployment checklist finds nothing to warn about."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = "health.example.org"


def production_environment(tmp_path, **overrides):
    """Only what an operator sets: nothing from the developer's own environment leaks in."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def deploy_check(tmp_path, **overrides):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_checklist_is_clean_with_production_variables(tmp_path):
    result = deploy_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_deployment_checklist_is_clean_behind_a_proxy(tmp_path):
    result = deploy_check(tmp_path, BEHIND_PROXY="1", TRUSTED_PROXY_COUNT="2")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("overrides", "warning"),
    [
        ({"SECRET_KEY": "short-and-guessable"}, "security.W009"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_HSTS_INCLUDE_SUBDOMAINS": "0"}, "security.W005"),
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"DEBUG": "1"}, "security.W018"),
    ],
)
def test_the_deployment_checklist_warns_about_a_weakened_setting(tmp_path, overrides, warning):
    result = deploy_check(tmp_path, **overrides)
    assert result.returncode != 0
    assert warning in result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "Set SECRET_KEY"),
        ({"LOGIN_FAILURE_LIMIT": "0"}, "LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES must be at least 1"),
        ({"LOGIN_LOCKOUT_MINUTES": "0"}, "LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES must be at least 1"),
        ({"TRUSTED_PROXY_COUNT": "0"}, "TRUSTED_PROXY_COUNT must be at least 1"),
        ({"CACHE_URL": "memcached://127.0.0.1:11211"}, "CACHE_URL must be empty or a Redis address"),
    ],
)
def test_the_site_refuses_to_start_with_an_unsafe_setting(tmp_path, overrides, message):
    result = deploy_check(tmp_path, **overrides)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


# Run in production settings: one https request and one plain-http request to the health check.
PROBE = f"""
import json, django
django.setup()
from django.test import Client
from django.conf import settings
client = Client(SERVER_NAME="{HOST}")
secure, plain = client.get("/healthz", secure=True), client.get("/healthz")
print(json.dumps({{
    "secure": dict(secure.headers), "secure_status": secure.status_code,
    "plain_status": plain.status_code, "plain_location": plain.headers.get("Location"),
    "lockout": [settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds()],
}}))
"""


def probe(tmp_path, **overrides):
    env = production_environment(tmp_path, DJANGO_SETTINGS_MODULE="config.settings", **overrides)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_in_production_https_is_enforced_and_remembered(tmp_path):
    answer = probe(tmp_path)
    assert answer["secure_status"] == 200
    assert answer["secure"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "upgrade-insecure-requests" in answer["secure"]["Content-Security-Policy"]
    assert answer["plain_status"] == 301 and answer["plain_location"] == f"https://{HOST}/healthz"


def test_hsts_and_the_lockout_follow_the_environment(tmp_path):
    answer = probe(
        tmp_path,
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        SECURE_HSTS_PRELOAD="0",
        LOGIN_FAILURE_LIMIT="3",
        LOGIN_LOCKOUT_MINUTES="60",
    )
    assert answer["secure"]["Strict-Transport-Security"] == "max-age=600"
    assert answer["lockout"] == [3, 3600.0]
