"""Sign-in protection: which address a failure counts against, and what a locked-out person is told."""

import ipaddress
import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Max
from django.template.response import TemplateResponse
from django.utils import timezone


class LockoutBackend(AxesStandaloneBackend):
    """Refuses locked-out sign-ins; lets through calls that come with no request to attribute them to."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        # Without a request there is no client to count failures against: the shell, management commands
        # and the test client's login() call authenticate() this way, and only the web login is exposed.
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _parse_address(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The address a sign-in attempt comes from, as far as it can be trusted."""
    remote = _parse_address(request.META.get("REMOTE_ADDR", ""))
    if not settings.BEHIND_PROXY:
        # Without a proxy of ours, X-Forwarded-For is whatever the client chose to send.
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    # Each proxy of ours appends the address it saw; everything to the left of those could be forged.
    if len(hops) < settings.TRUSTED_PROXY_COUNT:
        return remote
    return _parse_address(hops[-settings.TRUSTED_PROXY_COUNT]) or remote


def lockout_ends_at(request, credentials):
    """When the lockout that refused this request is over."""
    last_failure = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials), ip_address=request.axes_ip_address
    ).aggregate(last=Max("attempt_time"))["last"]
    return (last_failure or timezone.now()) + get_cool_off(request)


def lockout_response(request, original_response=None, credentials=None):
    """The admin login's answer while a username is locked out from this address."""
    ends_at = lockout_ends_at(request, credentials)
    seconds_left = max((ends_at - timezone.now()).total_seconds(), 0)
    context = {
        **admin.site.each_context(request),
        "title": "Signing in is paused",
        "username": get_client_username(request, credentials) or "",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "ends_at": ends_at,
        "minutes_left": max(math.ceil(seconds_left / 60), 1),
    }
    return TemplateResponse(request, "admin/lockout.html", context, status=429).render()


def client_username(request, credentials=None):
    """The username a sign-in attempt is counted under, cut to what the lockout records hold.

    Django's sign-in form does not limit what is posted as a username, and the records keep at most
    255 characters: PostgreSQL refuses a longer value, which would turn a wrong password into an error.
    """
    posted = credentials or getattr(request, "data", request.POST)
    username = posted.get("username")
    return username[:255] if isinstance(username, str) else username
