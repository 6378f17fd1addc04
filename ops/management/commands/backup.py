"""`manage.py backup`: the database and the uploaded media, in one file under backups/.

The code lives in ops/backups.py.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from ops.backups import DATABASE_NAMES, BackupError, create_backup, default_directory


def plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


def shown(path: Path) -> str:
    """The path relative to the current folder when it is inside it, as the operator typed it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Command(BaseCommand):
    help = "Back up the database and the uploaded media (MEDIA_ROOT) into one .tar.gz file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", type=Path, default=None, help="Folder for the backup file (default: backups/)."
        )

    def handle(self, *args, output_dir=None, **options):
        try:
            backup = create_backup(output_dir or default_directory())
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up the {DATABASE_NAMES[backup.vendor]} database and {plural(backup.media_files, 'media file')} "
            f"to {shown(backup.path)} ({filesizeformat(backup.size)})."
        )
        return None
