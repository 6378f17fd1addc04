"""Guessing an editor's password from one address is stopped after a few tries, for a while."""

import io
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from ops.security import client_ip
from tests.factories import EditorFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
PASSWORD = "pass-for-tests-123"
ATTACKER = "198.51.100.7"


@pytest.fixture
def editor(db):
    return EditorFactory(username="editor")


def sign_in(client, username, password, address=ATTACKER, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def guess(client, username, times, address=ATTACKER, **extra):
    return [sign_in(client, username, f"wrong-{n}", address, **extra) for n in range(times)]


def words(response):
    return " ".join(response.content.decode().split())


def is_signed_in(client):
    return "_auth_user_id" in client.session


def test_wrong_passwords_below_the_limit_get_the_ordinary_login_error(client, editor):
    responses = guess(client, "editor", settings.AXES_FAILURE_LIMIT - 1)
    assert all(r.status_code == 200 for r in responses)
    assert "Please enter the correct username and password" in responses[-1].content.decode()


def test_the_fifth_wrong_password_pauses_signing_in_and_says_until_when(client, editor):
    assert settings.AXES_FAILURE_LIMIT == 5
    response = guess(client, "editor", 5)[-1]
    last_failure = AccessAttempt.objects.get(username="editor").attempt_time
    ends_at = timezone.localtime(last_failure + timedelta(minutes=15))
    page = words(response)
    assert response.status_code == 429
    assert "Signing in is paused" in page
    assert "Signing in as “editor” from your network is paused after 5 wrong passwords in a row" in page
    assert f'You can try again after <strong><time datetime="{ends_at.isoformat()}">{ends_at:%H:%M}' in page
    assert "in about 15 minutes" in page
    # The pause is an admin page, not a bare error: it keeps the admin's header and stylesheet.
    assert 'id="site-name"' in page and "admin/css/login.css" in page


def test_the_right_password_is_refused_while_signing_in_is_paused(client, editor):
    guess(client, "editor", 5)
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "Signing in is paused" in response.content.decode()
    assert not is_signed_in(client)


def test_trying_again_during_the_pause_does_not_make_it_longer(client, editor):
    guess(client, "editor", 5)
    locked_at = AccessAttempt.objects.get(username="editor").attempt_time
    AccessAttempt.objects.update(attempt_time=locked_at - timedelta(minutes=10))
    guess(client, "editor", 3)
    sign_in(client, "editor", PASSWORD)
    assert AccessAttempt.objects.get(username="editor").attempt_time == locked_at - timedelta(minutes=10)


def test_the_pause_covers_one_username_from_one_address_only(client, editor):
    ReviewerFactory(username="reviewer")
    guess(client, "editor", 5)

    other_user_same_address = sign_in(client, "reviewer", PASSWORD)
    assert other_user_same_address.status_code == 302 and is_signed_in(client)
    client.logout()

    same_user_other_address = sign_in(client, "editor", PASSWORD, address="203.0.113.20")
    assert same_user_other_address.status_code == 302 and is_signed_in(client)


def test_signing_in_works_again_once_the_pause_is_over(client, editor):
    guess(client, "editor", 5)
    attempt = AccessAttempt.objects.get(username="editor")

    AccessAttempt.objects.update(attempt_time=attempt.attempt_time - timedelta(minutes=14))
    assert sign_in(client, "editor", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=attempt.attempt_time - timedelta(minutes=15, seconds=1))
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302 and is_signed_in(client)


def test_an_operator_lifts_the_pause_for_one_username(client, editor):
    ReviewerFactory(username="reviewer")
    guess(client, "editor", 5)
    guess(client, "reviewer", 5)
    out = io.StringIO()
    call_command("axes_reset_username", "editor", stdout=out)
    assert "1 attempts removed." in out.getvalue()
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "reviewer", PASSWORD).status_code == 429


def test_a_superuser_lifts_the_pause_by_deleting_the_attempt_in_the_admin(client, editor, superuser):
    guess(client, "editor", 5)
    attempt = AccessAttempt.objects.get(username="editor")
    client.force_login(superuser)
    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    client.logout()
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_a_successful_sign_in_forgets_the_earlier_wrong_passwords(client, editor):
    guess(client, "editor", 4)
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    assert not AccessAttempt.objects.filter(username="editor").exists()

    responses = guess(client, "editor", 4)
    assert [r.status_code for r in responses] == [200] * 4


def test_limit_and_length_follow_the_settings(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=90)
    responses = guess(client, "editor", 2)
    assert [r.status_code for r in responses] == [200, 429]
    page = words(responses[-1])
    assert "after 2 wrong passwords in a row" in page and "in about 90 minutes" in page


def test_a_forged_forwarded_for_header_does_not_escape_the_pause_without_a_proxy(client, editor, settings):
    settings.BEHIND_PROXY = False
    for n in range(5):
        sign_in(client, "editor", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_behind_a_proxy_each_client_address_is_counted_apart(client, editor, settings):
    settings.BEHIND_PROXY = True
    proxy = "10.0.0.2"
    # The client forges the left part; the proxy appends the address it really saw.
    for n in range(5):
        sign_in(client, "editor", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}")
    assert sign_in(client, "editor", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429

    colleague = sign_in(client, "editor", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.20")
    assert colleague.status_code == 302 and is_signed_in(client)


@pytest.mark.parametrize(
    ("behind_proxy", "proxies", "forwarded_for", "expected"),
    [
        (False, 1, "192.0.2.1", "10.0.0.2"),
        (True, 1, "192.0.2.1", "192.0.2.1"),
        (True, 1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),
        (True, 2, "6.6.6.6, 192.0.2.1, 10.0.0.9", "192.0.2.1"),
        (True, 1, " 2001:db8::7 ", "2001:db8::7"),
        (True, 1, "", "10.0.0.2"),
        (True, 2, "192.0.2.1", "10.0.0.2"),
        (True, 1, "not-an-address", "10.0.0.2"),
        (True, 1, "192.0.2.1:5555", "10.0.0.2"),
    ],
)
def test_client_address_trusts_forwarded_for_only_from_our_own_proxies(
    settings, behind_proxy, proxies, forwarded_for, expected
):
    settings.BEHIND_PROXY = behind_proxy
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post(LOGIN_URL, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


def test_the_test_client_can_still_sign_in_with_a_password_or_directly(client, editor):
    assert client.login(username="editor", password=PASSWORD)
    client.logout()
    assert not client.login(username="editor", password="wrong")
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
