"""Score the suggested claims (claims/text/suggestions.py) against hand labels on the seed articles.

Run from the repository root: .venv/bin/python bench/suggestions.py [--misses]   (no Django needed)

The three seed articles are read from ../shared/seeds, beside the repository, and never copied into
it; a seed that is missing, or differs from the file the labels were made for (the sha256 in
bench/gold/suggestions.json), is skipped with a NOTE. Each seed line is a paragraph, split into
sentences as the site splits them (articles.sentences); a line that is one sentence with no closing
. ! or ? is a heading, as Markdown would make it.

How the sentences were judged (bench/gold/suggestions.json says it too, one label a sentence):
- claim: it states a relationship between an exposure or treatment and a health outcome, so a
  medical editor would grade it ("These cells can help reduce inflammation ... beneficial for
  treating multiple sclerosis");
- borderline: a mechanism with no health outcome, a vague promise, the state of the evidence, a
  disease's burden: an editor might grade it or not;
- no: a definition, a description, methods, research plans, advice, the article's framing: a
  reviewer would dismiss it; heading: a heading, never a claim.
The labels were written by the same hand that wrote the cue lists, with these articles in view:
the figures are development figures, not a test on unseen text.

Prints, with the site knowing the demo's eight conditions (claims/demo_content.py CONDITIONS) and
with it knowing none:
- recall: the share of "claim" sentences suggested (target >= 0.90);
- dismissals: the share of suggested sentences labelled "no" or "heading", those a reviewer would
  dismiss (target <= 0.25); borderline suggestions are counted apart, and the share counting them
  as dismissals too is printed beside it;
- with --misses, the claims not suggested and the suggestions a reviewer would dismiss.
A sentence is counted once however many conditions it is suggested for: the gate lists sentences.
It exits with status 1 when a target is missed.
"""

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from articles.sentences import split_sentences  # noqa: E402
from bench.seeds import read_seed  # noqa: E402
from claims.demo_content import CONDITIONS  # noqa: E402
from claims.text.suggestions import ConditionMatcher, ConditionNames, suggest_claims  # noqa: E402

GOLD = REPO / "bench" / "gold" / "suggestions.json"
TARGET_RECALL = 0.90
TARGET_DISMISSED = 0.25
_CLOSING = (".", "!", "?", "”", '"', ")")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    kind: str
    label: str
    where: str  # seed:line:start-end


def labelled_sentences(gold, notes):
    """Every labelled sentence of the seeds found, with offsets as in one article made of them."""
    sentences, position = [], 0
    for name, spec in gold["seeds"].items():
        lines = read_seed(name, spec["sha256"], notes)
        if lines is None:
            continue
        labels = {(line, start, end): label for line, start, end, label in spec["sentences"]}
        for number, line in enumerate(lines):
            spans = split_sentences(line)
            heading = len(spans) == 1 and not line.rstrip().endswith(_CLOSING)
            for start, end in spans:
                label = labels.get((number, start, end))
                if label is None:
                    notes.append(f"{name}:{number}:{start}-{end} has no label: the split differs from the labels'")
                    continue
                kind = "heading" if heading else "paragraph"
                text = line[start:end]
                sentences.append(Sentence(position, position + len(text), text, kind, label, f"{name}:{number}"))
                position += len(text) + 1
            position += 1  # each line a block: a blank line apart, as an article's paragraphs are
    return sentences


def score(sentences, conditions):
    matcher = ConditionMatcher(conditions)
    suggested = {suggestion.start for suggestion in suggest_claims(sentences, matcher, [])}
    picked = [s for s in sentences if s.start in suggested]
    claims = [s for s in sentences if s.label == "claim"]
    found = [s for s in claims if s.start in suggested]
    dismissed = [s for s in picked if s.label in {"no", "heading"}]
    borderline = [s for s in picked if s.label == "borderline"]
    return {
        "recall": len(found) / len(claims) if claims else 0.0,
        "claims": len(claims),
        "found": len(found),
        "suggested": len(picked),
        "dismissed": len(dismissed),
        "borderline": len(borderline),
        "dismissed_share": len(dismissed) / len(picked) if picked else 0.0,
        "strict_share": (len(dismissed) + len(borderline)) / len(picked) if picked else 0.0,
        "missed": [s for s in claims if s.start not in suggested],
        "dismissals": dismissed,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list missed claims and suggestions to dismiss")
    options = parser.parse_args()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    notes = []
    sentences = labelled_sentences(gold, notes)
    for note in notes:
        print(f"NOTE: {note}")
    if not sentences:
        print("No seed article could be read: nothing to score.")
        return 0
    counts = {label: sum(1 for s in sentences if s.label == label) for label in gold["labels"]}
    print(
        f"Suggested claims on the seed articles: {len(sentences)} sentences, "
        + ", ".join(f"{n} {label}" for label, n in counts.items())
    )
    print("Judged by hand: claim = an exposure or treatment linked to a health outcome, which a medical editor")
    print("would grade; no = definition, description, methods, plans, advice, framing; borderline counted apart.")
    print("Development figures: the labels and the cue lists were written with these articles in view.\n")
    demo = [ConditionNames(c["slug"], c["name"], tuple(c["synonyms"])) for c in CONDITIONS]
    missed_target = False
    for title, conditions in (("the demo's conditions", demo), ("no conditions", [])):
        result = score(sentences, conditions)
        recall_ok = result["recall"] >= TARGET_RECALL
        dismissed_ok = result["dismissed_share"] <= TARGET_DISMISSED
        missed_target |= not (recall_ok and dismissed_ok)
        print(f"Site knowing {title} ({len(conditions)}):")
        print(
            f"    recall {result['recall']:.2f} ({result['found']} of {result['claims']} claims suggested; "
            f"target >= {TARGET_RECALL:.2f}: {'met' if recall_ok else 'MISSED'})"
        )
        print(
            f"    a reviewer would dismiss {result['dismissed_share']:.2f} of the suggestions ({result['dismissed']} "
            f"of {result['suggested']}; target <= {TARGET_DISMISSED:.2f}: {'met' if dismissed_ok else 'MISSED'}); "
            f"{result['borderline']} borderline, {result['strict_share']:.2f} counting them as dismissed too"
        )
        if options.misses:
            for sentence in result["missed"]:
                print(f"    missed    {sentence.where}: {sentence.text}")
            for sentence in result["dismissals"]:
                print(f"    dismiss   {sentence.where}: {sentence.text}")
    return 1 if missed_target else 0


if __name__ == "__main__":
    sys.exit(main())
