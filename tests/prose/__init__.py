"""Short health articles written for the tests, laid out as text copied from a web page arrives.

Each is one block a line with no blank lines, like the web articles the importer was built for,
and each carries the quirks the import and sentence tests rely on.
"""

from pathlib import Path

FOLDER = Path(__file__).resolve().parent

# The first line is a sentence longer than 120 characters (a title and the opening paragraph) whose
# slug must be cut at a word; three headings, one with an apostrophe; em and en dashes, "°", "[1]".
KNEE = FOLDER / "knee_physiotherapy.txt"
KNEE_HEADINGS = ["Getting the Knee's Muscles Working Again", "What the Trials Show", "In Short"]

# A real title with a colon, no headings, curly apostrophes, "<110" and "µg/L", no final newline;
# one sentence names three conditions with three claim cues.
IRON = FOLDER / "iron_in_pregnancy.txt"
IRON_TITLE = "Iron Supplements in Pregnancy: Who Needs Them and Why"

# Five numbered steps ("1. Keep the Same Hours:"), each followed by a paragraph, so each is a list
# of its own that keeps its number; a straight apostrophe.
SLEEP = FOLDER / "sleep_and_migraine.txt"

ARTICLES = [KNEE, IRON, SLEEP]
HEADINGS = {KNEE.name: KNEE_HEADINGS, IRON.name: [], SLEEP.name: []}


def read(path):
    return path.read_text(encoding="utf-8")
