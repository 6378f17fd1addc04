"""Score sentence splitters on the gold set and time them on 3,000 words.

Run from the repository root: DEBUG=1 .venv/bin/python bench/segmentation.py [--errors]

Gold set (bench/gold/):
- seeds.json: sentence spans, by hand, for each non-empty line of the seed articles in
  ../shared/seeds (their prose stays out of this repository; a file that is missing or whose
  sha256 differs is skipped with a note);
- hard_cases.py: original paragraphs, each a list of gold sentences joined by a single space.

Scoring is exact-boundary: a predicted sentence is right only if its start and its end (both
stripped of surrounding whitespace) are those of a gold sentence. Precision, recall and F1 are
micro-averaged over all sentences. Timing splits a text of 3,000 words (rounded up to a whole
paragraph) made of the hard-case paragraphs repeated, one call per paragraph as articles/text.py
does; the figure is the median of RUNS runs after one warm-up.

Candidates: our articles.sentences.split_sentences and three rule-based libraries pinned in
requirements-dev.txt, all offline (nothing is downloaded at run time): sentencex (released
through 2026), pysbd (last release 2021) and syntok (last release 2022). Each library's output is
mapped back to offsets in the input.
"""

import argparse
import hashlib
import importlib.metadata
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from articles.sentences import split_sentences  # noqa: E402
from bench.gold.hard_cases import HARD_CASES  # noqa: E402

SEEDS_DIR = REPO / ".." / "shared" / "seeds"
SEED_GOLD = REPO / "bench" / "gold" / "seeds.json"
TIMING_WORDS = 3000
RUNS = 20
TARGET_F1 = 0.98
TARGET_MS = 20.0


# --- gold set ------------------------------------------------------------------------------------


def load_seed_items():
    """(name, text, gold spans) for each non-empty seed line whose file matches its recorded sha256."""
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    items, notes = [], []
    for name, entry in gold.items():
        path = SEEDS_DIR / name
        if not path.exists():
            notes.append(f"seed {name} skipped: not found in {SEEDS_DIR.resolve()}")
            continue
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
            notes.append(f"seed {name} skipped: sha256 differs from the one the gold spans were made for")
            continue
        lines = raw.decode("utf-8").splitlines()
        for number, spans in entry["lines"]:
            items.append((f"{name}:{number + 1}", lines[number], [tuple(span) for span in spans]))
    return items, notes


def hard_case_items():
    items = []
    for index, sentences in enumerate(HARD_CASES):
        text = " ".join(sentences)
        spans, offset = [], 0
        for sentence in sentences:
            spans.append((offset, offset + len(sentence)))
            offset += len(sentence) + 1
        items.append((f"hard case {index}", text, spans))
    return items


# --- candidates ----------------------------------------------------------------------------------


def spans_from_pieces(text, pieces):
    """Offsets of the sentence strings a library returned, found in order in `text`."""
    spans, cursor = [], 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        found = text.find(piece, cursor)
        if found < 0:
            raise ValueError(f"cannot map a sentence back to the input: {piece[:60]!r}")
        spans.append((found, found + len(piece)))
        cursor = found + len(piece)
    return spans


def ours(text):
    return split_sentences(text)


def make_pysbd():
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    return lambda text: spans_from_pieces(text, segmenter.segment(text))


def make_syntok():
    from syntok import segmenter

    def split(text):
        spans = []
        for paragraph in segmenter.analyze(text):
            for sentence in paragraph:
                first, last = sentence[0], sentence[-1]
                spans.append((first.offset, last.offset + len(last.value)))
        return spans

    return split


def make_sentencex():
    from sentencex import segment

    return lambda text: spans_from_pieces(text, segment("en", text))


CANDIDATES = [
    ("ours (articles.sentences)", None, lambda: ours),
    ("pysbd", "pysbd", make_pysbd),
    ("syntok", "syntok", make_syntok),
    ("sentencex", "sentencex", make_sentencex),
]


# --- scoring and timing --------------------------------------------------------------------------


def stripped(text, span):
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def score(split, items):
    """(true positives, predicted, gold, wrong items) over `items`."""
    hits = predicted = expected = 0
    wrong = []
    for label, text, gold in items:
        got = {stripped(text, span) for span in split(text)}
        got = {span for span in got if span[1] > span[0]}
        want = set(gold)
        hits += len(got & want)
        predicted += len(got)
        expected += len(want)
        if got != want:
            wrong.append((label, text, sorted(want - got), sorted(got - want)))
    return hits, predicted, expected, wrong


def prf(hits, predicted, expected):
    precision = hits / predicted if predicted else 0.0
    recall = hits / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def timing_paragraphs():
    """Whole hard-case paragraphs, repeated in order, until they hold at least TIMING_WORDS words."""
    paragraphs, words = [], 0
    while words < TIMING_WORDS:
        for sentences in HARD_CASES:
            paragraph = " ".join(sentences)
            paragraphs.append(paragraph)
            words += len(paragraph.split())
            if words >= TIMING_WORDS:
                break
    return paragraphs


def median_ms(split, paragraphs):
    for paragraph in paragraphs:  # warm up: imports, caches, compiled patterns
        split(paragraph)
    runs = []
    for _ in range(RUNS):
        began = time.perf_counter()
        for paragraph in paragraphs:
            split(paragraph)
        runs.append((time.perf_counter() - began) * 1000)
    return statistics.median(runs)


# --- report --------------------------------------------------------------------------------------


def show_errors(name, wrong):
    print(f"\n{name}: {len(wrong)} unit(s) split differently from the gold set")
    for label, text, missed, extra in wrong:
        if label.startswith("hard case"):
            print(f"  {label}:")
            for span in missed:
                print(f"    missed   {text[span[0] : span[1]]!r}")
            for span in extra:
                print(f"    produced {text[span[0] : span[1]]!r}")
        else:  # seed prose stays out of the output that gets pasted into notes: offsets only
            print(f"  {label}: missed {missed}, produced {extra}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the mistakes of every candidate, not only ours")
    args = parser.parse_args()

    began = time.perf_counter()
    seeds, notes = load_seed_items()
    hard = hard_case_items()
    for note in notes:
        print(f"NOTE: {note}")
    seed_sentences = sum(len(gold) for _, _, gold in seeds)
    hard_sentences = sum(len(gold) for _, _, gold in hard)
    print(
        f"Gold set: {seed_sentences} seed sentences ({len(seeds)} lines), "
        f"{hard_sentences} hard-case sentences ({len(hard)} paragraphs), {seed_sentences + hard_sentences} in all"
    )
    paragraphs = timing_paragraphs()
    words = sum(len(paragraph.split()) for paragraph in paragraphs)
    print(f"Timing: {words} words in {len(paragraphs)} paragraphs, one call each, median of {RUNS} runs")
    print(f"Targets: F1 >= {TARGET_F1} on the whole gold set, < {TARGET_MS:.0f} ms for {TIMING_WORDS} words\n")

    header = (
        f"{'candidate':<26} {'version':<8} {'all P':>6} {'all R':>6} {'all F1':>7} "
        f"{'seeds F1':>9} {'hard P':>7} {'hard R':>7} {'hard F1':>8} {'ms/3k words':>12}  targets"
    )
    print(header)
    print("-" * len(header))
    mistakes = {}
    for name, package, make in CANDIDATES:
        version = importlib.metadata.version(package) if package else "-"
        split = make()
        seed_score = score(split, seeds)
        hard_score = score(split, hard)
        total = [a + b for a, b in zip(seed_score[:3], hard_score[:3], strict=True)]
        all_p, all_r, all_f1 = prf(*total)
        seed_f1 = f"{prf(*seed_score[:3])[2]:.3f}" if seeds else "skipped"
        hard_p, hard_r, hard_f1 = prf(*hard_score[:3])
        ms = median_ms(split, paragraphs)
        met = "both" if all_f1 >= TARGET_F1 and ms < TARGET_MS else ("F1 only" if all_f1 >= TARGET_F1 else "no")
        if ms < TARGET_MS and all_f1 < TARGET_F1:
            met = "speed only"
        print(
            f"{name:<26} {version:<8} {all_p:>6.3f} {all_r:>6.3f} {all_f1:>7.3f} "
            f"{seed_f1:>9} {hard_p:>7.3f} {hard_r:>7.3f} {hard_f1:>8.3f} {ms:>12.2f}  {met}"
        )
        mistakes[name] = seed_score[3] + hard_score[3]

    for name, wrong in mistakes.items():
        if args.errors or name.startswith("ours"):
            show_errors(name, wrong)
    print(f"\nBench took {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
