"""What anyone on the internet can type at the sign-in page ends up in the admin's lockout records
and on the lockout page: it must be text there, never markup."""

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.urls import reverse

from tests.security.conftest import ADMIN
from tests.security.dom import assert_inert, parse, text_of
from tests.security.vectors import XSS_VECTORS

pytestmark = pytest.mark.django_db

RECORD_LISTS = [
    name
    for name, model in (
        ("admin:axes_accessattempt_changelist", AccessAttempt),
        ("admin:axes_accessfailurelog_changelist", None),
        ("admin:axes_accesslog_changelist", None),
    )
    if model is None or admin.site.is_registered(model)
]


def sign_in(client, username, **headers):
    return client.post(reverse("admin:login"), {"username": username, "password": "not the password"}, **headers)


def test_attack_strings_typed_at_sign_in_are_text_in_the_lockout_records(client, superuser):
    for vector in XSS_VECTORS:
        # One line, as an HTTP header is; the form strips the ends of a username.
        response = sign_in(client, vector[:150], HTTP_USER_AGENT=" ".join(vector.split()))
        assert response.status_code == 200, vector
    recorded = AccessAttempt.objects.count()
    assert recorded >= len(XSS_VECTORS) - 5  # whitespace-only differences share a record
    client.force_login(superuser)
    for name in RECORD_LISTS:
        url = reverse(name)
        pages = client.get(url).context["cl"].paginator.num_pages
        for page in range(1, pages + 1):
            response = client.get(url, {"p": page})
            assert response.status_code == 200, url
            assert_inert(response.content, ADMIN, f"{url} page {page}")
    for attempt in AccessAttempt.objects.all()[:20]:
        response = client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk]))
        assert response.status_code == 200
        assert_inert(response.content, ADMIN, repr(attempt.username))


@pytest.mark.parametrize("vector", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7|add:7 }}"])
def test_the_lockout_page_shows_the_username_as_text(client, settings, vector):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, vector)
    response = sign_in(client, vector)
    assert response.status_code == 429
    assert_inert(response.content, ADMIN, "lockout page")
    (note,) = [p for p in parse(response.content.decode()).iter("p") if "errornote" in (p.get("class") or "")]
    assert f"Signing in as “{vector}”" in " ".join(text_of(note).split())
