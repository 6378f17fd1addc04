from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.importing import MAX_BYTES, ImportRefused, check_upload
from articles.imports import DuplicateArticle, article_import


class Command(BaseCommand):
    help = (
        "Import plain-text files as draft articles with Markdown bodies. The first line is the title; short "
        "lines without final punctuation become headings; lines starting with -, *, • or 1. become lists. "
        "Prints one line per article (title · words · headings · sentences · slug). A file that cannot be "
        "imported (empty, binary, not UTF-8, over 1 MB, a title or slug already used) is reported and creates "
        "nothing; the others are still imported, and the command exits with an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="UTF-8 text files, up to 1 MB each.")
        parser.add_argument(
            "--author",
            metavar="USERNAME",
            help="The staff user who becomes the articles' author. Without it, the only superuser "
            "(refused when there is none or more than one).",
        )
        parser.add_argument(
            "--new-slug",
            action="store_true",
            help="When an article with the same title or slug exists, import under the next free slug "
            "(…-2) instead of refusing. Nothing is ever overwritten.",
        )

    def handle(self, *args, files, author, new_slug, **options):
        user = self._author(author)
        progress = _ProgressBar(self.stderr, total=len(files)) if len(files) > 1 else None
        failed = 0
        for done, path in enumerate(files):
            if progress:
                progress.show(done, path.name)
            try:
                result = self._import(path, user, new_slug)
            except ImportRefused as refusal:
                failed += 1
                self._report(progress, self.stderr, str(refusal), self.style.ERROR)
            else:
                self._report(progress, self.stdout, result.summary(), self.style.SUCCESS)
                for warning in result.warnings:
                    self._report(progress, self.stderr, f"{path}: {warning}", self.style.WARNING)
        if progress:
            progress.finish()
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) not imported; nothing was created for them.")

    def _import(self, path, user, new_slug):
        try:
            with path.open("rb") as file:
                data = file.read(MAX_BYTES + 1)
        except OSError as error:
            raise ImportRefused(f"{path}: cannot be read ({error.strerror}).") from error
        text = check_upload(data, str(path))  # its refusals name the file already
        try:
            return self._create(text, user, new_slug)
        except ImportRefused as refusal:
            raise ImportRefused(f"{path}: {refusal}") from refusal

    def _create(self, text, user, new_slug):
        try:
            return article_import(text=text, author=user)
        except DuplicateArticle as refusal:
            if not new_slug:
                raise ImportRefused(f"{refusal} Run again with --new-slug to import it there.") from refusal
            return article_import(text=text, author=user, slug=refusal.offered_slug)

    def _author(self, username):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            try:
                user = users.get(username=username)
            except get_user_model().DoesNotExist:
                raise CommandError(f"There is no active user “{username}”. Nothing was imported.") from None
            if not user.is_staff:
                raise CommandError(f"“{username}” is not staff and could not edit the drafts. Nothing was imported.")
            return user
        superusers = list(users.filter(is_superuser=True)[:2])
        if len(superusers) != 1:
            found = "there are several" if superusers else "there is none"
            raise CommandError(
                f"Say who the author is with --author USERNAME (without it, the only superuser is; {found})."
            )
        return superusers[0]

    def _report(self, progress, stream, line, style):
        if progress:
            progress.clear()
        stream.write(line, style_func=style)


class _ProgressBar:
    """A one-line progress bar on stderr, cleared while result lines are written."""

    WIDTH = 30

    def __init__(self, stream, total):
        self.stream = stream
        self.total = total
        self.last = ""

    def show(self, done, label):
        filled = self.WIDTH * done // self.total
        self._draw(f"Importing [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{self.total} {label[:40]}")

    def clear(self):
        if self.last:
            self.stream.write("\r" + " " * len(self.last) + "\r", style_func=_plain, ending="")
            self.last = ""

    def finish(self):
        self.show(self.total, "done")
        self.stream.write("", style_func=_plain)

    def _draw(self, line):
        self.clear()
        self.stream.write(line, style_func=_plain, ending="")
        self.stream.flush()
        self.last = line


def _plain(text):
    return text
