"""The layout fingerprint (claims.pages.stored.layout_version) changes with every file that shapes a stored public
page, config's modules among them, so a deployment changing only those rebuilds the stored pages."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from claims.pages.stored import PAGE_CODE, layout_version


@pytest.fixture
def code_copy(settings, tmp_path):
    """A copy of the code the fingerprint reads, as BASE_DIR; the fingerprint is worked out afresh."""
    for name in PAGE_CODE:
        shutil.copytree(Path(django_settings.BASE_DIR) / name, tmp_path / name)
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "load.py").write_text("RUNS = 1\n")
    settings.BASE_DIR = tmp_path
    layout_version.cache_clear()
    yield tmp_path
    layout_version.cache_clear()


@pytest.mark.parametrize("module", ["config/sitemaps.py", "config/urls.py", "config/settings.py", "claims/views.py"])
def test_a_change_to_a_fingerprinted_module_changes_the_fingerprint(code_copy, module):
    before = layout_version()
    path = code_copy / module
    path.write_text(path.read_text() + "\n# A deployment changed this.\n")
    layout_version.cache_clear()

    assert layout_version() != before


def test_a_change_outside_the_code_of_pages_leaves_the_fingerprint(code_copy):
    before = layout_version()
    (code_copy / "bench" / "load.py").write_text("RUNS = 2\n")
    layout_version.cache_clear()

    assert layout_version() == before
