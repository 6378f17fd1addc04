"""House style rule 20: the tests and the product read nothing outside the repository.

A clone with nothing beside it must run the whole suite; only bench/ scripts may read ../shared.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["articles", "claims", "config", "ops", "tests"]
# A folder beside the repository (../shared, parent / "shared", parents[2].parent) or an
# absolute path into the machine the project happened to be written on.
OUTSIDE = re.compile(
    r"""\.\./shared\b|["']\.\.["']\s*/\s*["']shared["']|\.parent\s*/\s*["']shared["']"""
    r"""|["']shared["']\s*/\s*["']seeds["']|parents\[\d\]\.parent\b|["']/work/"""
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


def test_the_check_catches_the_ways_the_seeds_were_once_read():
    for line in [
        'SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"',
        'SEEDS = Path("/work/shared/seeds")',
        'SEEDS_DIR = REPO / ".." / "shared" / "seeds"',
        "open('../shared/seeds/001.txt')",
    ]:
        assert OUTSIDE.search(line), line
