"""House style rule 20: the tests and the product read nothing outside the repository.

A clone with nothing beside it must run the whole suite; only bench/ scripts may read the shared
folder next to the repository.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["articles", "claims", "config", "notifications", "ops", "tests"]
# A folder beside the repository (reached by a relative "up one level", a parent joined with the
# folder's name, or parents[N].parent) or an absolute path into the machine the project was written on.
OUTSIDE = re.compile(
    r"""\.\./shared\b|["']\.\.["']\s*/\s*["']shared["']|\.parent\s*/\s*["']shared["']"""
    r"""|["']shared["']\s*/\s*["']seeds["']|parents\[\d\]\.parent\b|["'](?:/)work/"""
)


def test_no_code_names_a_path_beside_or_outside_the_repository():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in CHECKED
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OUTSIDE.search(line)
    ]
    assert found == []


# The ways the seeds were once read, assembled from parts so that this file names no such path itself.
FOLDER, UP, MACHINE = "shared", "..", "/work"
ONCE_READ = [
    f'SEEDS = Path(__file__).resolve().parents[2].parent / "{FOLDER}" / "seeds"',
    f'SEEDS = Path("{MACHINE}/{FOLDER}/seeds")',
    f'SEEDS_DIR = REPO / "{UP}" / "{FOLDER}" / "seeds"',
    f"open('{UP}/{FOLDER}/seeds/001.txt')",
]


def test_the_check_catches_the_ways_the_seeds_were_once_read():
    for line in ONCE_READ:
        assert OUTSIDE.search(line), line
