"""Backups of the whole site, the database and the uploaded media, in one .tar.gz file.

A backup holds `manifest.json`, the database (`database.sqlite3`, a consistent copy made with
SQLite's online backup API, or `database.pgdump`, pg_dump's custom format) and `media/`, a copy of
MEDIA_ROOT. Restoring replaces both the database and MEDIA_ROOT with what the backup holds.
"""

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection as default_connection
from django.db.migrations.executor import MigrationExecutor

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Where DATABASES["default"]["OPTIONS"] keys go when the PostgreSQL client tools connect.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """Why a backup or a restore could not be done; the message is written for the operator."""


@dataclass(frozen=True)
class Backup:
    path: Path
    vendor: str
    media_files: int
    size: int


def default_directory() -> Path:
    return Path(settings.BASE_DIR) / "backups"


def database_label(connection=default_connection) -> str:
    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        host = connection.settings_dict.get("HOST") or "the local server"
        return f"the PostgreSQL database “{name}” on {host}"
    return f"the SQLite database {name}"


def supported_vendor(connection) -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups cover SQLite and PostgreSQL; this site's database is {connection.vendor}.")
    return connection.vendor


# Making a backup ------------------------------------------------------------------------------------------------


def create_backup(directory: Path | None = None, *, connection=default_connection, now=None) -> Backup:
    """Write a new backup file into `directory` (backups/ by default) and describe it."""
    vendor = supported_vendor(connection)
    directory = Path(directory or default_directory())
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = now or datetime.datetime.now(datetime.UTC)
    target, partial, handle = new_private_file(directory, f"backup-{now:%Y%m%d-%H%M%S}Z")
    try:
        with os.fdopen(handle, "wb") as file, tempfile.TemporaryDirectory() as work:
            database = Path(work) / DATABASE_FILES[vendor]
            dump_database(connection, database)
            with tarfile.open(fileobj=file, mode="w:gz") as archive:
                media_files = add_media(archive, Path(settings.MEDIA_ROOT), skip=directory)
                manifest = {
                    "format": FORMAT,
                    "created_at": now.isoformat(timespec="seconds"),
                    "site": settings.SITE_NAME,
                    "database": {"vendor": vendor, "file": database.name},
                    "media_files": media_files,
                }
                add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                archive.add(database, arcname=database.name)
        os.replace(partial, target)  # only a finished backup carries a backup's name
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Backup(target, vendor, media_files, target.stat().st_size)


def new_private_file(directory: Path, stem: str):
    """A new file readable by its owner only (it holds password hashes), never overwriting one."""
    for attempt in range(1, 100):
        target = directory / (f"{stem}.tar.gz" if attempt == 1 else f"{stem}-{attempt}.tar.gz")
        partial = target.with_name(f"{target.name}.partial")
        if target.exists():
            continue
        try:
            return target, partial, os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
    raise BackupError(f"Could not find a free file name for a backup in {directory}.")


def dump_database(connection, target: Path):
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot even while the site is writing.
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        run([pg_tool("pg_dump"), "--format=custom", f"--file={target}"], connection)


def add_media(archive: tarfile.TarFile, media_root: Path, *, skip: Path) -> int:
    count = 0
    if not media_root.is_dir():
        return count
    skip = skip.resolve()
    for folder, folders, files in os.walk(media_root):
        folders[:] = sorted(name for name in folders if (Path(folder) / name).resolve() != skip)
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue  # only real files are site content; links could point anywhere
            archive.add(path, arcname=str(PurePosixPath(MEDIA, path.relative_to(media_root).as_posix())))
            count += 1
    return count


def add_bytes(archive: tarfile.TarFile, name: str, data: bytes):
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.datetime.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


# Reading and restoring a backup ---------------------------------------------------------------------------------


@dataclass
class OpenedBackup:
    """A backup unpacked into a temporary folder and checked, ready to replace the site's data."""

    path: Path
    manifest: dict
    folder: Path

    @property
    def vendor(self) -> str:
        return self.manifest["database"]["vendor"]

    @property
    def created_at(self) -> str:
        return self.manifest["created_at"]

    @property
    def media_files(self) -> int:
        return sum(1 for path in (self.folder / MEDIA).rglob("*") if path.is_file())

    @property
    def database(self) -> Path:
        return self.folder / self.manifest["database"]["file"]


@contextmanager
def open_backup(path, *, connection=default_connection):
    """Unpack and check a backup file; refuse (BackupError) anything this site could not restore whole."""
    path = Path(path)
    vendor = supported_vendor(connection)
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        manifest = unpack(path, folder)
        backup_vendor = manifest["database"]["vendor"]
        if backup_vendor != vendor:
            raise BackupError(
                f"{path} holds a {DATABASE_NAMES.get(backup_vendor, backup_vendor)} database, but this site uses "
                f"{DATABASE_NAMES[vendor]}. Restore it on a site using {DATABASE_NAMES.get(backup_vendor)} "
                f"(then move the data with dumpdata and loaddata if needed)."
            )
        backup = OpenedBackup(path, manifest, folder)
        check_database_file(backup, connection)
        yield backup


def unpack(path: Path, folder: Path) -> dict:
    not_a_backup = f"{path} is not a backup made by `manage.py backup`"
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            members = archive.getmembers()
            manifest = read_manifest(archive, members, not_a_backup)
            expected = {MANIFEST, manifest["database"]["file"]}
            for member in members:
                name = PurePosixPath(member.name)
                inside = member.name in expected or (name.parts[:1] == (MEDIA,) and ".." not in name.parts)
                if name.is_absolute() or not inside or not (member.isfile() or member.isdir()):
                    raise BackupError(f"{not_a_backup}: it holds “{member.name}”, which a backup never holds.")
            # The "data" filter also refuses anything that would land outside the folder.
            archive.extractall(folder, filter="data")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(f"{not_a_backup}, or it is damaged: {error}.") from None
    if not (folder / manifest["database"]["file"]).is_file():
        raise BackupError(f"{not_a_backup}: it has no database file.")
    return manifest


def read_manifest(archive, members, not_a_backup) -> dict:
    member = next((member for member in members if member.name == MANIFEST and member.isfile()), None)
    if member is None:
        raise BackupError(f"{not_a_backup}: it has no {MANIFEST}.")
    try:
        manifest = json.loads(archive.extractfile(member).read(1_000_000))
        vendor = manifest["database"]["vendor"]
        known = manifest["format"] == FORMAT and manifest["database"]["file"] == DATABASE_FILES[vendor]
    except (ValueError, KeyError, TypeError):
        raise BackupError(f"{not_a_backup}: its {MANIFEST} cannot be read.") from None
    if not known:
        raise BackupError(
            f"{not_a_backup}, or by a version of it this site does not know (format {manifest['format']})."
        )
    return manifest


def check_database_file(backup: OpenedBackup, connection):
    if backup.vendor == "sqlite":
        try:
            database = sqlite3.connect(f"{backup.database.as_uri()}?mode=ro", uri=True)
            try:
                healthy = database.execute("PRAGMA quick_check").fetchone()[0] == "ok"
                django = database.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'").fetchone()
            finally:
                database.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"The database in {backup.path} cannot be read: {error}.") from None
        if not healthy or not django:
            raise BackupError(f"The database in {backup.path} is damaged or is not this site's database.")
    else:
        pg_restore = pg_tool("pg_restore")
        try:
            run([pg_restore, "--list", str(backup.database)], connection, action="read it")
        except BackupError as error:
            raise BackupError(f"The database in {backup.path} cannot be read: {error}") from None


def restore_backup(backup: OpenedBackup, *, connection=default_connection) -> list[str]:
    """Replace the database, then MEDIA_ROOT, with the backup's; return notes for the operator."""
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a database transaction.")
    if backup.vendor == "sqlite":
        load_sqlite(backup.database, connection)
    else:
        load_postgresql(backup.database, connection)
    replace_media(backup.folder / MEDIA, Path(settings.MEDIA_ROOT))
    return migration_notes(connection)


def load_sqlite(source: Path, connection):
    connection.ensure_connection()
    copy = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    try:
        # Replaces every page of the live database in one write transaction: all or nothing.
        copy.backup(connection.connection)
    finally:
        copy.close()


def load_postgresql(dump: Path, connection):
    """Drop the site's tables and load the dump in one transaction: after any error nothing has changed."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    with tempfile.TemporaryDirectory() as work:
        # Tables that only a newer version created would survive --clean, which drops only what the
        # dump holds, and break the next migrate.
        drop = Path(work) / "drop.sql"
        drop.write_text(
            "".join(f"DROP TABLE IF EXISTS {connection.ops.quote_name(name)} CASCADE;\n" for name in tables)
        )
        script = Path(work) / "restore.sql"
        # No owners or grants: the backup may come from a server whose roles this one does not have.
        restore = ["--clean", "--if-exists", "--no-owner", "--no-privileges", f"--file={script}", str(dump)]
        run([pg_tool("pg_restore"), *restore], connection, action="read the database dump")
        connection.close()  # hold no locks while psql drops the tables
        run(
            [pg_tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1",
             f"--file={drop}", f"--file={script}"],
            connection,
            action="restore the database (it is unchanged)",
        )  # fmt: skip


def replace_media(source: Path, media_root: Path):
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if source.is_dir():
        for child in source.iterdir():
            shutil.move(child, media_root / child.name)


def migration_notes(connection) -> list[str]:
    executor = MigrationExecutor(connection)
    notes = []
    unknown = sorted(
        f"{app}.{name}"
        for app, name in executor.loader.applied_migrations
        if (app, name) not in executor.loader.graph.nodes
    )
    if unknown:
        notes.append(
            "The backup was made by a newer version of the site (migrations this version does not know: "
            f"{', '.join(unknown)}). Deploy that version, or expect errors."
        )
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        notes.append(
            f"The backup predates {len(pending)} migration(s) of this version: run `python manage.py migrate` now."
        )
    return notes


# PostgreSQL client tools ----------------------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. It comes with the PostgreSQL client tools (on Debian and Ubuntu: "
            f"apt-get install postgresql-client); use a version at least as new as the database server."
        )
    return path


def libpq_environment(connection) -> dict:
    """Connection settings for the client tools, passed in the environment so no password is in `ps`."""
    settings_dict = connection.settings_dict
    environment = {
        "PGDATABASE": settings_dict["NAME"],
        "PGUSER": settings_dict.get("USER") or "",
        "PGPASSWORD": settings_dict.get("PASSWORD") or "",
        "PGHOST": settings_dict.get("HOST") or "",
        "PGPORT": str(settings_dict.get("PORT") or ""),
    }
    for option, variable in LIBPQ_OPTIONS.items():
        if settings_dict.get("OPTIONS", {}).get(option) is not None:
            environment[variable] = str(settings_dict["OPTIONS"][option])
    return {variable: value for variable, value in environment.items() if value}


def run(command: list[str], connection, *, action="back up the database"):
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **libpq_environment(connection)}
    )
    if result.returncode:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} could not {action}: {result.stderr.strip() or f'exit status {result.returncode}'}")
    return result
