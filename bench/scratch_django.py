"""Start Django on a throw-away SQLite database, so that benches never touch anyone's data."""

import os
import sys
import tempfile
from pathlib import Path

_directory = None


def start_django():
    """Configure and set up Django on a new, migrated database that lasts as long as the process."""
    global _directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    _directory = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = f"sqlite:///{_directory.name}/bench.sqlite3"

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
