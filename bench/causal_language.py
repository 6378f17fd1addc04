"""Score the relationship reader (claims/text/relationship.py) against labelled sentences; bench/integrity.py prints it.

Two sets, four labels each: 0 no relationship, 1 direct causal, 2 conditional causal (a cause hedged by a modal),
3 correlational. The reader's reading maps onto them as NONE -> 0, CAUSE not hedged -> 1, CAUSE hedged -> 2,
ASSOCIATION (hedged or not) -> 3.

- The PubMed causal-language set (Yu, Li and Wang, EMNLP 2019; GPL-3.0), read at run time from
  ../shared/data/causal-language-pubmed/ beside the repository and never copied into it. It was split once, before
  any relationship cue was written, into a development part (70%) and a held-out part (30%):
  bench/gold/causal_split.json keeps the seed, the file's sha256 and the held-out row numbers, no sentence. The cues
  were tuned on the development part only; the held-out part is scored only with --held-out, meant to be run once.
- bench/gold/relationship_news.tsv: health-news sentences written for the project and labelled before the reader
  first rated them; never used to tune it.

Conventions of the PubMed labels that differ from the product's strength scale (claims/text/wording.py): a
reporting frame ("our results suggest that X reduces Y") is labelled by the claim inside it (direct causal), where
the strength scale reads "suggest" as POSSIBLE; "can reduce" is direct; an association is correlational whether
hedged or not.
"""

import csv
import hashlib
import json
import statistics
import time
from pathlib import Path

from claims.text.relationship import load_relationship_cues, read_relationship

REPO = Path(__file__).resolve().parent.parent
PUBMED_DIR = REPO / ".." / "shared" / "data" / "causal-language-pubmed"
PUBMED_CSV = PUBMED_DIR / "pubmed_causal_language_use.csv"
SPLIT = REPO / "bench" / "gold" / "causal_split.json"
NEWS = REPO / "bench" / "gold" / "relationship_news.tsv"
CLASSES = ("no relationship", "direct causal", "conditional causal", "correlational")
NEWS_LABELS = {"none": 0, "direct": 1, "conditional": 2, "correlational": 3}
# BioBERT fine-tuned on the whole set, 5-fold cross-validation (Yu, Li and Wang 2019): the reference to compare with.
BIOBERT = {"accuracy": 0.900, "macro": 0.883, "f1": (0.909, 0.873, 0.834, 0.915)}
TARGET_MACRO, TARGET_CLASS = 0.80, 0.72  # on the held-out part


def load_pubmed():
    """{"development": [(sentence, label)], "held-out": [...]}, or (None, why) when the set cannot be read."""
    if not PUBMED_CSV.exists():
        return None, f"the PubMed causal-language set was not found in {PUBMED_DIR.resolve()}: its scores are skipped"
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    raw = PUBMED_CSV.read_bytes()
    if hashlib.sha256(raw).hexdigest() != split["sha256"]:
        return None, f"{PUBMED_CSV.name} differs from the file the split was made for (sha256): its scores are skipped"
    rows = list(csv.DictReader(raw.decode("utf-8").splitlines()))
    if len(rows) != split["rows"]:
        return (
            None,
            f"{PUBMED_CSV.name} has {len(rows)} rows, the split expects {split['rows']}: its scores are skipped",
        )
    held = set(split["held_out"])
    parts = {"development": [], "held-out": []}
    for number, row in enumerate(rows):
        parts["held-out" if number in held else "development"].append((row["sentence"], int(row["label"])))
    return parts, None


def load_news(path=NEWS):
    """(style, sentence, label) rows of the news set; lines starting with # are its header comment."""
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return [
        (record["style"], record["sentence"], NEWS_LABELS[record["label"]])
        for record in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    ]


def scores(pairs):
    """Confusion matrix (rows: label, columns: reading), per-class (precision, recall, F1), macro-F1, accuracy."""
    matrix = [[0] * 4 for _ in range(4)]
    for gold, got in pairs:
        matrix[gold][got] += 1
    per_class = []
    for c in range(4):
        hits, predicted, gold = matrix[c][c], sum(row[c] for row in matrix), sum(matrix[c])
        precision = hits / predicted if predicted else 0.0
        recall = hits / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class.append((precision, recall, f1))
    accuracy = sum(matrix[c][c] for c in range(4)) / len(pairs) if pairs else 0.0
    return matrix, per_class, sum(f1 for _, _, f1 in per_class) / 4, accuracy


def print_scores(title, pairs, *, reference=True):
    matrix, per_class, macro, accuracy = scores(pairs)
    print(f"{title}: {len(pairs)} sentences")
    print("    Confusion matrix (rows: label, columns: reading)")
    print("    " + " " * 20 + "".join(f"{name:>20}" for name in CLASSES) + f"{'total':>8}")
    for c, name in enumerate(CLASSES):
        print(f"    {name:<20}" + "".join(f"{n:>20}" for n in matrix[c]) + f"{sum(matrix[c]):>8}")
    head = f"    {'class':<20}{'precision':>10}{'recall':>8}{'F1':>7}" + (f"{'BioBERT F1':>12}" if reference else "")
    print(head)
    for c, (precision, recall, f1) in enumerate(per_class):
        shown = f"{BIOBERT['f1'][c]:>12.3f}" if reference else ""
        print(f"    {CLASSES[c]:<20}{precision:>10.3f}{recall:>8.3f}{f1:>7.3f}{shown}")
    against = f" (BioBERT {BIOBERT['accuracy']:.3f} and {BIOBERT['macro']:.3f})" if reference else ""
    print(f"    accuracy {accuracy:.3f}, macro-F1 {macro:.3f}{against}")
    return per_class, macro


def print_misses(pairs, sentences):
    for (gold, got), sentence in zip(pairs, sentences, strict=True):
        if gold != got:
            print(f"  label {gold} read {got}  {sentence}")
            print(f"      {read_relationship(sentence).explanation()}")


def report(*, held_out=False, misses=False):
    """Print every score; return (met, notes): met is None unless the held-out part was scored."""
    print("\n(e) Relationship claimed (claims/text/relationship.py): none -> 0, cause -> 1, hedged cause -> 2,")
    print("    association -> 3. A reporting frame does not hedge the claim it reports (the PubMed set's convention).")
    cues = load_relationship_cues()
    parts, why = load_pubmed()
    met = None
    if parts is None:
        print(f"NOTE: {why}")
    else:
        dev = [(label, read_relationship(sentence, cues).label) for sentence, label in parts["development"]]
        print_scores("\n    PubMed causal language, development part (the cues were tuned on it)", dev)
        if held_out:
            held = [(label, read_relationship(sentence, cues).label) for sentence, label in parts["held-out"]]
            per_class, macro = print_scores("\n    PubMed causal language, HELD-OUT part (never tuned on)", held)
            met = macro >= TARGET_MACRO and all(f1 >= TARGET_CLASS for _, _, f1 in per_class)
            print(
                f"    Targets on the held-out part: macro-F1 >= {TARGET_MACRO} and every class F1 >= {TARGET_CLASS}: "
                f"{'met' if met else 'MISSED'}"
            )
        else:
            print("    (the held-out part is scored only with --held-out)")
        if misses:
            print("\nMisses on the development part:")
            print_misses(dev, [sentence for sentence, _ in parts["development"]])
    news = load_news()
    pairs = [(label, read_relationship(sentence, cues).label) for _, sentence, label in news]
    print_scores(
        "\n    News set (bench/gold/relationship_news.tsv, written for the project, never tuned on)",
        pairs,
        reference=False,
    )
    if misses:
        print("\nMisses on the news set:")
        print_misses(pairs, [sentence for _, sentence, _ in news])
    return met


def time_reading(sentences, runs):
    """Median and maximum ms to read the relationship of every sentence, after one warm-up, and ms per sentence."""
    cues = load_relationship_cues()
    for sentence in sentences:
        read_relationship(sentence, cues)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        for sentence in sentences:
            read_relationship(sentence, cues)
        times.append((time.perf_counter() - began) * 1000)
    median = statistics.median(times)
    return median, max(times), median / len(sentences)
