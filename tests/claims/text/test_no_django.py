"""claims.text is plain Python: importing every module of it, and using the checker once, loads no Django.

The same holds for articles.text, articles.sentences and articles.images.

import-linter's contract "The text package imports no Django" (pyproject.toml) reads the imports; this
test runs them, in a fresh interpreter, so an import made inside a function counts too.
"""

import pkgutil
import subprocess
import sys
from pathlib import Path

import claims.text

REPO = Path(__file__).resolve().parents[3]
MODULES = sorted(f"claims.text.{module.name}" for module in pkgutil.iter_modules(claims.text.__path__))
# The articles app's own plain-Python modules: its text, sentence splitting and image checks.
PLAIN_ARTICLES_MODULES = ["articles.images", "articles.sentences", "articles.text"]

CODE = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
from claims.text import rewording, wording
sentence = "Stem cells cure lupus."
rewording.advice(sentence, wording.rate(sentence), wording.Strength.POSSIBLE)
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print("\\n".join(loaded))
"""


def test_importing_every_module_of_the_text_package_loads_no_django():
    assert {"claims.text.anchoring", "claims.text.identifiers", "claims.text.wording"} <= set(MODULES)
    result = subprocess.run(
        [sys.executable, "-c", CODE, *MODULES, *PLAIN_ARTICLES_MODULES],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [], f"claims.text loaded Django: {result.stdout.split()[:5]}"
