"""The notifications bell, list and settings in a real browser: counts read as words, marking read, and no
accessibility violations (axe-core, WCAG 2 A and AA)."""

import pytest

from notifications import services
from notifications.models import Delivery, Kind
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import ReviewerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_bell_the_list_and_the_settings(page, live_server):
    reviewer = ReviewerFactory(username="bell-reviewer")
    for number in range(3):
        services.notify(
            Kind.COMMENT, [reviewer], text=f"A comment on your claim, number {number}", url="/admin/", key=str(number)
        )
    sign_in(page, live_server, "bell-reviewer", "pass-for-tests-123")

    bell = page.get_by_role("link", name="3 unread notifications")
    assert bell.is_visible()
    assert check_accessibility(page) == []
    bell.click()
    page.wait_for_load_state()
    screenshot(page, "notifications-list")
    assert check_accessibility(page) == []
    assert "3 unread of 3" in page.inner_text("#content-main")

    page.get_by_role("button", name="Mark read: A comment on your claim, number 1").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="2 unread notifications").is_visible()
    page.get_by_role("button", name="Mark all read").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="0 unread notifications").is_visible()

    page.get_by_role("link", name="Choose how you are told of each kind").click()
    page.wait_for_load_state()
    screenshot(page, "notifications-settings")
    assert check_accessibility(page) == []
    row = page.get_by_role("row", name=Kind.APPROVED.label)
    row.get_by_role("radio", name=Delivery.OFF.label).check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert services.preference(reviewer, Kind.APPROVED) == Delivery.OFF
