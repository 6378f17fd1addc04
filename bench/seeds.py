"""The seed articles kept beside the repository (../shared/seeds), read by the benches that label their sentences.

Labels name a sentence by seed file, line and offsets, and record the file's sha256: a seed that is missing or
has changed is skipped with a note, never read wrongly.
"""

import hashlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO / ".." / "shared" / "seeds"


def read_seed(name, sha256, notes):
    """The seed's lines, or None (with a note) when it is missing or not the file the labels were made for."""
    path = SEEDS_DIR / name
    if not path.exists():
        notes.append(f"seed {name} skipped: not found in {SEEDS_DIR.resolve()}")
        return None
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != sha256:
        notes.append(f"seed {name} skipped: sha256 differs from the one the labels were made for")
        return None
    return raw.decode("utf-8").splitlines()
