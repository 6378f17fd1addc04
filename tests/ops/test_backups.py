"""`manage.py backup` and `manage.py restore`: the database and the media go out and come back whole.

These tests run on whichever database the suite runs on (SQLite, or PostgreSQL through DATABASE_URL).
"""

import gzip
import io
import json
import os
import stat
import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article
from claims.models import Claim, ClaimDecision, Condition, EvidenceStatus, Source
from claims.services import claim_approve, claim_decide, claim_submit
from ops.backups import DATABASE_FILES, BackupError, create_backup, libpq_environment, migration_notes, pg_tool
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory, ReviewerFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Decision = ClaimDecision.Decision
PASSWORD = "pass-for-tests-123"


@pytest.fixture
def site(settings, tmp_path):
    """MEDIA_ROOT and backups/ in a temporary folder, with one uploaded image."""
    settings.BASE_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = settings.MEDIA_ROOT / "uploads" / "2026" / "05" / "0f1e2d3c.png"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"\x89PNG pixels of a chart")
    return tmp_path


def editorial_content():
    """Articles with claims in several review states, each reached through the review services."""
    editor, reviewer = EditorFactory(username="ed"), ReviewerFactory(username="rev")
    first, second = ArticleFactory(author=editor), ArticleFactory(author=editor, status=Article.Status.DRAFT)
    approved = ClaimFactory(article=first, sentence=1)
    changes = ClaimFactory(article=first, sentence=2)
    rejected = ClaimFactory(article=second, sentence=3)
    draft = ClaimFactory(article=second, sentence=4, review_state=Claim.ReviewState.DRAFT)
    claim_submit(claim=draft, user=editor)
    claim_approve(claim=approved, reviewer=reviewer)
    claim_decide(claim=changes, reviewer=reviewer, decision=Decision.CHANGES_REQUESTED, comment="Cite the trial.")
    claim_decide(claim=rejected, reviewer=reviewer, decision=Decision.REJECTED, comment="Overstated.")


def everything():
    """Every row that matters, as plain values, to compare before and after."""
    models = [Article, Claim, Claim.sources.through, ClaimDecision, Source, Condition, EvidenceStatus]
    rows = {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}
    rows["history"] = [
        list(Article.history.order_by("history_id").values_list("history_id", "title", "status")),
        list(Claim.history.order_by("history_id").values_list("history_id", "review_state")),
    ]
    rows["users"] = list(get_user_model().objects.order_by("pk").values("username", "password", "is_staff"))
    return rows


def backups(folder):
    return sorted((folder / "backups").glob("backup-*.tar.gz"))


def back_up(site):
    call_command("backup", stdout=io.StringIO())
    return backups(site)[-1]


def media_files(site):
    root = site / "media"
    return {str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def test_a_backup_restored_after_a_wipe_brings_back_every_article_claim_decision_and_upload(site):
    editorial_content()
    before, uploads = everything(), media_files(site)
    decisions = [row["decision"] for row in before["claims.ClaimDecision"]]
    assert sorted(decisions) == ["approved", "changes_requested", "rejected", "submitted"]

    archive = back_up(site)
    call_command("flush", interactive=False)
    (site / "media" / "uploads" / "2026" / "05" / "0f1e2d3c.png").unlink()
    assert not Article.objects.exists() and not ClaimDecision.objects.exists() and media_files(site) == {}

    output = io.StringIO()
    call_command("restore", str(archive), interactive=False, stdout=output)

    assert everything() == before
    assert media_files(site) == uploads
    assert get_user_model().objects.get(username="rev").check_password(PASSWORD)
    assert Claim.objects.get(review_state=Claim.ReviewState.APPROVED).decisions.first().actor.username == "rev"
    assert "Restored the database and 1 media file" in output.getvalue()


def test_a_restore_replaces_uploads_made_or_deleted_since_the_backup(site):
    archive = back_up(site)
    (site / "media" / "uploads" / "2026" / "05" / "0f1e2d3c.png").unlink()
    (site / "media" / "later.png").write_bytes(b"uploaded after the backup")

    call_command("restore", str(archive), interactive=False, stdout=io.StringIO())

    assert media_files(site) == {"uploads/2026/05/0f1e2d3c.png": b"\x89PNG pixels of a chart"}


def test_a_restore_leaves_no_table_the_backup_did_not_have(site):
    archive = back_up(site)
    with connection.cursor() as cursor:  # as a migration of a later version would
        cursor.execute("CREATE TABLE later_feature (id integer PRIMARY KEY)")

    call_command("restore", str(archive), interactive=False, stdout=io.StringIO())

    with connection.cursor() as cursor:
        assert "later_feature" not in connection.introspection.table_names(cursor)


def test_the_current_data_are_backed_up_before_a_restore_so_it_can_be_undone(site):
    archive = back_up(site)
    article = ArticleFactory(title="Written after the backup")

    output = io.StringIO()
    call_command("restore", str(archive), interactive=False, stdout=output)
    assert not Article.objects.filter(pk=article.pk).exists()
    undo = next(path for path in backups(site) if path != archive)
    assert f"Saved the current data first, to {undo}" in output.getvalue()

    call_command("restore", str(undo), interactive=False, no_backup_first=True, stdout=io.StringIO())
    assert Article.objects.get(pk=article.pk).title == "Written after the backup"


def test_a_backup_is_readable_by_its_owner_only_and_named_by_its_time(site):
    output = io.StringIO()
    call_command("backup", stdout=output)

    [archive] = backups(site)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert archive.name.startswith("backup-20") and archive.name.endswith("Z.tar.gz")
    assert not list((site / "backups").glob("*.partial"))
    with tarfile.open(archive) as opened:
        names = set(opened.getnames())
        manifest = json.load(opened.extractfile("manifest.json"))
    assert names == {"manifest.json", DATABASE_FILES[connection.vendor], "media/uploads/2026/05/0f1e2d3c.png"}
    assert manifest["database"]["vendor"] == connection.vendor and manifest["media_files"] == 1
    assert f"to {archive}" in output.getvalue() and "1 media file" in output.getvalue()


def test_two_backups_in_the_same_second_get_two_files(site):
    call_command("backup", stdout=io.StringIO())
    call_command("backup", stdout=io.StringIO())
    call_command("backup", stdout=io.StringIO())

    assert len(backups(site)) == 3


def test_restore_asks_first_and_changes_nothing_unless_told_yes(site, monkeypatch):
    archive = back_up(site)
    article = ArticleFactory()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Article.objects.filter(pk=article.pk).exists()
    assert len(backups(site)) == 1  # not even the backup of the current data

    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    output = io.StringIO()
    call_command("restore", str(archive), stdout=output)
    assert not Article.objects.filter(pk=article.pk).exists()
    assert "replaces" in output.getvalue() and "(the backup holds 1 file)" in output.getvalue()


def test_restore_without_a_file_says_how_and_lists_the_newest_backups(site):
    archive = back_up(site)

    with pytest.raises(CommandError, match="Say which backup to restore") as refused:
        call_command("restore", "", interactive=False)

    assert archive.name in str(refused.value)


# Files that are not backups, or not ones this site can restore ---------------------------------------------------


def tar_gz(members, manifest=None, vendor=None):
    """A .tar.gz with the given (name, bytes) members, after a manifest unless manifest is False."""
    vendor = vendor or connection.vendor
    output = io.BytesIO()
    with tarfile.open(fileobj=output, mode="w:gz") as archive:
        if manifest is not False:
            manifest = manifest or {
                "format": 1,
                "created_at": "2026-05-01T10:00:00+00:00",
                "database": {"vendor": vendor, "file": DATABASE_FILES[vendor]},
            }
            members = [("manifest.json", json.dumps(manifest).encode()), *members]
        for name, data in members:
            info = tarfile.TarInfo(name)
            if isinstance(data, tuple):  # (type, link target)
                info.type, info.linkname = data
            else:
                info.size = len(data)
            archive.addfile(info, io.BytesIO(data) if isinstance(data, bytes) else None)
    return output.getvalue()


def database_member(vendor=None):
    return (DATABASE_FILES[vendor or connection.vendor], b"not a database at all " * 50)


NOT_BACKUPS = {
    "random bytes": (lambda: os.urandom(4096), "not a gzip file"),
    "gzip of text": (lambda: gzip.compress(b"hello"), "is not a backup made by"),
    "no manifest": (lambda: tar_gz([("media/a.png", b"x")], manifest=False), "it has no manifest.json"),
    "unknown format": (
        lambda: tar_gz([], manifest={"format": 99, "database": {"vendor": "sqlite", "file": "database.sqlite3"}}),
        "format 99",
    ),
    "broken manifest": (lambda: tar_gz([("manifest.json", b"{not json")], manifest=False), "cannot be read"),
    "no database": (lambda: tar_gz([("media/a.png", b"x")]), "it has no database file"),
    "damaged database": (lambda: tar_gz([database_member()]), "cannot be read"),
    "path out of the folder": (lambda: tar_gz([database_member(), ("media/../../escaped", b"x")]), "escaped"),
    "absolute path": (lambda: tar_gz([database_member(), ("/tmp/escaped", b"x")]), "/tmp/escaped"),
    "file outside media": (lambda: tar_gz([database_member(), ("settings.py", b"x")]), "settings.py"),
    "symbolic link": (
        lambda: tar_gz([database_member(), ("media/link", (tarfile.SYMTYPE, "/etc/passwd"))]),
        "media/link",
    ),
    "device": (lambda: tar_gz([database_member(), ("media/zero", (tarfile.CHRTYPE, ""))]), "media/zero"),
    "cut short": (lambda: tar_gz([database_member(), ("media/a.png", os.urandom(50_000))])[:-20_000], "damaged"),
}


@pytest.mark.parametrize(("make", "expected"), list(NOT_BACKUPS.values()), ids=list(NOT_BACKUPS))
def test_a_file_that_is_not_a_whole_backup_is_refused_and_nothing_changes(site, make, expected):
    article = ArticleFactory()
    bad = site / "suspect.tar.gz"
    bad.write_bytes(make())
    uploads = media_files(site)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(bad), interactive=False, stdout=io.StringIO())

    assert expected in str(refused.value)
    assert Article.objects.filter(pk=article.pk).exists() and media_files(site) == uploads
    assert backups(site) == []  # refused before anything was done, even the backup of the current data
    assert not (site / "escaped").exists() and not (site.parent / "escaped").exists()


def test_a_backup_of_the_other_kind_of_database_is_refused(site):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    bad = site / "other.tar.gz"
    bad.write_bytes(tar_gz([database_member(other)], vendor=other))

    with pytest.raises(CommandError, match="holds a (SQLite|PostgreSQL) database, but this site uses"):
        call_command("restore", str(bad), interactive=False)


def test_a_missing_file_is_named(site):
    with pytest.raises(CommandError, match="There is no backup file at .*nowhere.tar.gz"):
        call_command("restore", str(site / "nowhere.tar.gz"), interactive=False)


def test_missing_postgresql_client_tools_are_named_with_how_to_install_them(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(BackupError, match="pg_dump was not found on PATH.*apt-get install postgresql-client"):
        pg_tool("pg_dump")


class PostgresqlConnection:
    """Just enough of a PostgreSQL connection for create_backup to reach for pg_dump."""

    vendor = "postgresql"
    settings_dict = {"NAME": "evidence", "USER": "cms", "PASSWORD": "secret", "HOST": "db", "PORT": 5432}


def test_the_postgresql_tools_get_the_connection_settings_in_their_environment_not_their_arguments():
    database = PostgresqlConnection()
    database.settings_dict = {**database.settings_dict, "OPTIONS": {"sslmode": "require"}}

    assert libpq_environment(database) == {
        "PGDATABASE": "evidence",
        "PGUSER": "cms",
        "PGPASSWORD": "secret",
        "PGHOST": "db",
        "PGPORT": "5432",
        "PGSSLMODE": "require",
    }


def test_a_postgresql_backup_without_pg_dump_says_so_and_leaves_no_file(site, monkeypatch):
    monkeypatch.setenv("PATH", str(site))

    with pytest.raises(BackupError, match="pg_dump was not found"):
        create_backup(site / "backups", connection=PostgresqlConnection())

    assert list((site / "backups").iterdir()) == []


@pytest.mark.django_db(transaction=False)
def test_after_a_restore_the_operator_is_told_about_migrations_to_run_or_unknown_ones():
    assert migration_notes(connection) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM django_migrations WHERE app = 'claims'")
        cursor.execute("DELETE FROM django_migrations WHERE id = %s", [cursor.fetchone()[0]])
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('claims', '9999_future', %s)", ["2030-01-01"]
        )

    notes = " ".join(migration_notes(connection))

    assert "run `python manage.py migrate`" in notes
    assert "newer version" in notes and "claims.9999_future" in notes
