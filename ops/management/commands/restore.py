"""`manage.py restore FILE`: put back the database and the uploaded media from a backup."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backups import BackupError, create_backup, database_label, default_directory, open_backup, restore_backup

from .backup import plural, shown


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded media (MEDIA_ROOT) with a backup made by `manage.py backup`. "
        "The current data are backed up first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="", help="The backup file (.tar.gz) to restore.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="Do not ask for confirmation."
        )
        parser.add_argument(
            "--no-backup-first",
            action="store_false",
            dest="backup_first",
            help="Do not back up the current data before replacing them (when they are unreadable anyway).",
        )

    def handle(self, *args, file="", interactive=True, backup_first=True, **options):
        if not file:
            raise CommandError(self.which_file())
        try:
            with open_backup(file) as backup:
                if interactive and not self.confirmed(backup):
                    raise CommandError("Nothing was restored.")
                if backup_first:
                    current = create_backup(default_directory())
                    self.stdout.write(f"Saved the current data first, to {shown(current.path)}.")
                restored = backup.media_files  # counted before the files move into MEDIA_ROOT
                notes = restore_backup(backup)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Restored the database and {plural(restored, 'media file')} from {file}.")
        )
        for note in notes:
            self.stdout.write(self.style.WARNING(note))

    def confirmed(self, backup):
        self.stdout.write(
            f"{backup.path} was made at {backup.created_at}. Restoring it replaces\n"
            f"  - everything in {database_label()},\n"
            f"  - every file in {settings.MEDIA_ROOT} (the backup holds {plural(backup.media_files, 'file')})."
        )
        try:
            answer = input('Type "yes" to restore it: ')
        except EOFError:
            answer = ""
        return answer.strip().lower() == "yes"

    @staticmethod
    def which_file():
        found = sorted(default_directory().glob("backup-*.tar.gz"), reverse=True)[:5]
        listing = "".join(f"\n  {shown(path)}" for path in found) or " (none in backups/ yet)"
        return (
            "Say which backup to restore: make restore FILE=backups/backup-….tar.gz "
            f"(or manage.py restore FILE). The newest backups:{listing}"
        )
