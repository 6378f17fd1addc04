"""Addresses outside a request: e-mails link to the site through settings.SITE_URL."""

from django.conf import settings


def absolute(path: str) -> str:
    """The full address of a site path ("/admin/…" → "https://example.org/admin/…")."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")
