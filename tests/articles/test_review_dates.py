"""Medical review dates of articles: the calendar-month interval, the history row, the admin filter."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.services import add_months, article_mark_reviewed
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ARTICLE_CHANGELIST_URL = "/admin/articles/article/"


# add_months --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 3, 15), 12, datetime.date(2027, 3, 15)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 8, 31), 1, datetime.date(2026, 9, 30)),
        (datetime.date(2026, 12, 15), 1, datetime.date(2027, 1, 15)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2028, 2, 29), 12, datetime.date(2029, 2, 28)),
        (datetime.date(2026, 5, 31), 60, datetime.date(2031, 5, 31)),
        (datetime.date(2026, 3, 31), -1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 6, 10), 0, datetime.date(2026, 6, 10)),
    ],
)
def test_add_months_keeps_the_day_or_falls_back_to_the_last_day_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


# Marking an article as medically reviewed --------------------------------------------------------


def test_marking_reviewed_sets_the_next_review_from_the_articles_own_interval(article, reviewer):
    article.review_interval_months = 6
    article.save()

    reviewed = article_mark_reviewed(article=article, reviewer=reviewer, on=datetime.date(2026, 8, 31))

    reviewed.refresh_from_db()
    assert reviewed.medical_reviewer == reviewer
    assert reviewed.last_reviewed == datetime.date(2026, 8, 31)
    assert reviewed.next_review_due == datetime.date(2027, 2, 28)


def test_marking_reviewed_uses_twelve_calendar_months_by_default(article, reviewer):
    reviewed = article_mark_reviewed(article=article, reviewer=reviewer, on=datetime.date(2027, 3, 1))

    # A year containing 29 February 2028: 366 days, still the same date a year on.
    assert reviewed.next_review_due == datetime.date(2028, 3, 1)


def test_marking_reviewed_records_a_history_row_with_the_reason_and_the_reviewer(article, reviewer):
    rows_before = article.history.count()

    article_mark_reviewed(article=article, reviewer=reviewer, on=datetime.date(2026, 11, 2))

    assert article.history.count() == rows_before + 1
    row = article.history.latest()
    assert row.history_change_reason == "Medically reviewed"
    assert row.history_user == reviewer
    assert row.medical_reviewer == reviewer
    assert row.last_reviewed == datetime.date(2026, 11, 2)
    assert row.next_review_due == datetime.date(2027, 11, 2)


def test_the_author_cannot_mark_their_own_article_reviewed_and_nothing_is_recorded(reviewer):
    own = ArticleFactory(author=reviewer)
    rows_before = own.history.count()

    with pytest.raises(PermissionDenied, match="another reviewer must review it"):
        article_mark_reviewed(article=own, reviewer=reviewer)

    own.refresh_from_db()
    assert (own.medical_reviewer, own.last_reviewed, own.next_review_due) == (None, None, None)
    assert own.history.count() == rows_before


# The "review due" filter on the article list -----------------------------------------------------


def due_article(title, days_from_today, reviewer=None):
    due = timezone.localdate() + datetime.timedelta(days=days_from_today)
    reviewed = {"medical_reviewer": reviewer, "last_reviewed": due - datetime.timedelta(days=365)} if reviewer else {}
    return ArticleFactory(title=title, next_review_due=due, **reviewed)


@pytest.fixture
def articles_by_due_date(second_reviewer):
    due_article("Overdue by a month", -30, second_reviewer)
    due_article("Overdue since yesterday", -1, second_reviewer)
    due_article("Due today", 0, second_reviewer)
    due_article("Due in thirty days", 30)
    due_article("Due in thirty-one days", 31, second_reviewer)
    ArticleFactory(title="Never reviewed")


def listed_titles(client, review_due):
    response = client.get(ARTICLE_CHANGELIST_URL, {"review_due": review_due})
    assert response.status_code == 200
    return {article.title for article in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("review_due", "titles"),
    [
        ("overdue", {"Overdue by a month", "Overdue since yesterday"}),
        ("soon", {"Due today", "Due in thirty days"}),
        ("later", {"Due in thirty-one days"}),
        ("none", {"Never reviewed"}),
    ],
)
def test_review_due_filter_lists_the_right_articles(reviewer_client, articles_by_due_date, review_due, titles):
    assert listed_titles(reviewer_client, review_due) == titles


def test_review_due_filter_offers_its_four_choices_on_the_article_list(editor_client, articles_by_due_date):
    content = editor_client.get(ARTICLE_CHANGELIST_URL).content.decode()

    assert "By review due" in content
    for label in ("Overdue", "Due in the next 30 days", "Not due yet", "No date"):
        assert f">{label}</a>" in content
