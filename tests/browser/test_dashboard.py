"""The admin home's dashboard, as an editor and as a reviewer, reads at 1280 and 375 px with no axe violation."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from claims.models import Assignment, ReviewQueueClaim
from tests.browser.conftest import DESKTOP, PHONE, check_accessibility, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ACCOUNTS = {"editor": "editor-demo-2026", "reviewer": "reviewer-demo-2026"}


def overdue_assignment():
    """A claim of the demo's queue assigned to the demo reviewer, three days overdue."""
    reviewer = get_user_model().objects.get(username="reviewer")
    claim = (
        ReviewQueueClaim.objects.exclude(created_by=reviewer)
        .exclude(last_changed_by=reviewer)
        .exclude(assignments__in=Assignment.objects.open())  # the demo's own assignments stay as they are
        .first()
    )
    Assignment.objects.create(
        claim=claim,
        reviewer=reviewer,
        assigned_by=claim.created_by,
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_the_admin_home_dashboard_fits_and_passes_axe(browser, live_server, demo, role, viewport):
    overdue_assignment()
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    sign_in(page, live_server, role, ACCOUNTS[role])
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_load_state()
    screenshot(page, f"admin-home-{role}-{viewport['width']}")

    sections = page.locator(".dashboard-section > h2").all_inner_texts()
    assert sections == (["Your editing"] if role == "editor" else ["Your reviewing"])
    assert page.locator(".dashboard-card").count() == (4 if role == "editor" else 5)
    if role == "reviewer":
        assert "⚠ overdue by 3 days" in page.inner_text("#card-reviewer-assigned")
    assert page.locator("#content-main .app-claims").count() == 1  # the list of every app, below
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    assert check_accessibility(page) == []
    context.close()
