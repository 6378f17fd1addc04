import datetime

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, EditorFactory, ReviewerFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    return EditorFactory(username="editor")


@pytest.fixture
def reviewer(db):
    return ReviewerFactory(username="reviewer")


@pytest.fixture
def second_reviewer(db):
    return ReviewerFactory(username="reviewer2")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def article(editor):
    return ArticleFactory(author=editor)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def root_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def clock(monkeypatch):
    """`clock(days, seconds=0)` sets the time that long from the test's start (negative: in the past) and returns it."""
    start = timezone.now()

    def set_to(days, seconds=0):
        moment = start + datetime.timedelta(days=days, seconds=seconds)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_to
