from django.core.management.base import BaseCommand

from claims import pages


class Command(BaseCommand):
    help = (
        "Build the stored claim-annotated pages of articles: the stale and missing ones, or all with --all. "
        "Pages also rebuild themselves on their next reading, so this only saves the first readers a wait."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Rebuild every article's page, fresh or not.")

    def handle(self, *args, **options):
        built = pages.rebuild_all(stale_only=not options["all"])
        self.stdout.write(f"Built {built} article page{'' if built == 1 else 's'}.")
