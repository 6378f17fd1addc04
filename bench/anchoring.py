"""Time re-anchoring 300 claims in a 5,000-word article; count claims misplaced among sibling sentences.

Run: DEBUG=1 .venv/bin/python bench/anchoring.py [--siblings [--edits 1000] [--seed 1]]

Timing (the default): the text work alone (read the new HTML, split sentences, find every claim)
and the whole save through Django (render Markdown, re-anchor, write the claims) on a throw-away
SQLite database.

--siblings: random edits (delete, reword, reorder, insert) of articles full of near-identical
sentences, each saved through Django as an editor would; every sentence is numbered, so the run
knows which sentence each claim ends on and counts the claims misplaced, wrongly orphaned or
re-attached after being orphaned.
"""

import argparse
import random
import statistics
import time
from collections import Counter

from scratch_django import start_django

WORDS_TARGET = 5_000
CLAIMS = 300
RUNS = 20
VOCABULARY = (  # noqa: SIM905 (prose is easier to read than a list of words)
    "lung scarring stem cells trial patients infusion fibrosis immune marrow transplant dose inflammation "
    "symptoms breathing evidence safety study results disease therapy months function decline oxygen clinic "
    "research growth tissue repair donor blood quality benefit risk outcome cough exercise rehabilitation "
    "medicine guideline nurses sleep children adults kidney skin heart liver joints pain swelling fatigue "
    "fever infection vaccine antibody protein hormone insulin pressure nerve brain muscle bone scan biopsy"
).split()


def make_article(rng):
    paragraphs, words = [], 0
    while words < WORDS_TARGET:
        paragraph = []
        for _ in range(rng.randint(2, 5)):
            sentence = rng.sample(VOCABULARY, rng.randint(8, 16))
            sentence[0] = sentence[0].capitalize()
            paragraph.append(" ".join(sentence) + ".")
            words += len(sentence)
        paragraphs.append(paragraph)
    return paragraphs


def markdown(paragraphs):
    return "\n\n".join(" ".join(p) for p in paragraphs)


def edit(paragraphs, rng, claimed):
    """Insert a paragraph at the top, delete one, and reword five claimed sentences."""
    edited = [list(p) for p in paragraphs]
    edited.insert(0, ["A new opening paragraph about what this article covers and why it matters."])
    del edited[len(edited) // 2]
    for sentence in rng.sample(sorted(claimed), 5):
        for p in edited:
            for i, s in enumerate(p):
                if s == sentence:
                    p[i] = s.replace(" ", " really ", 1)
    return edited


def timing_run():
    start_django()
    from django.contrib.auth import get_user_model

    from articles.models import Article
    from articles.rendering import render_markdown
    from articles.text import read_html
    from claims.models import Claim, Condition, EvidenceStatus
    from claims.text.anchoring import anchor_at, locate

    rng = random.Random(7)
    paragraphs = make_article(rng)
    html = render_markdown(markdown(paragraphs))
    document = read_html(html)
    sentences = document.sentences()
    chosen = rng.sample(sentences, CLAIMS)
    anchors = [anchor_at(document.text, s.start, s.end) for s in chosen]
    new_html = render_markdown(markdown(edit(paragraphs, rng, {s.text for s in chosen})))
    words = len(document.text.split())

    timings, outcomes = [], Counter()
    for _ in range(RUNS):
        start = time.perf_counter()
        new_document = read_html(new_html)
        spans = [(s.start, s.end) for s in new_document.sentences()]
        found = [locate(new_document.text, anchor, spans) for anchor in anchors]
        timings.append((time.perf_counter() - start) * 1000)
        outcomes = Counter(f.outcome.value for f in found)
    print(f"article: {words} words, {len(sentences)} sentences, {CLAIMS} claims")
    print(f"outcomes after the edit: {dict(outcomes)}")
    print(f"text re-anchoring: median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms ({RUNS} runs)")

    author = get_user_model().objects.create(username="bench-author")
    article = Article.objects.create(title="Bench", slug="bench", body=markdown(paragraphs), author=author)
    condition = Condition.objects.create(name="Bench condition", slug="bench-condition")
    status = EvidenceStatus.objects.get(slug="limited")
    Claim.objects.bulk_create(
        Claim(
            article=article,
            quote=a.quote,
            prefix=a.prefix,
            suffix=a.suffix,
            start=a.start,
            condition=condition,
            evidence_status=status,
            created_by=author,
            last_changed_by=author,
        )
        for a in anchors
    )
    save_timings = []
    edited_body = markdown(edit(paragraphs, random.Random(7), {s.text for s in chosen}))
    for index in range(5):
        article.body = edited_body if index % 2 == 0 else markdown(paragraphs)
        start = time.perf_counter()
        article.save()
        save_timings.append((time.perf_counter() - start) * 1000)
    print(f"whole save with re-anchoring (SQLite): median {statistics.median(save_timings):.1f} ms (5 saves)")


# --- Sibling sentences: how often a claim ends on the wrong sentence ------------------------

# Articles often say the same thing about several conditions, or ask a list of near-identical
# questions: each sentence below is filled in with a condition, and its siblings differ by it.
TEMPLATES = (
    "Stem-cell infusions are being tested for {}.",
    "Is stem-cell therapy safe for people with {}?",
    "Mesenchymal stem cells may calm the immune attack in {}.",
    "Ask your specialist whether a trial is recruiting people with {}.",
    "Bone marrow transplants have been tried in severe {}.",
    "We do not yet know whether stem cells help {}.",
)
CONDITIONS = (
    "rheumatoid arthritis",
    "lupus",
    "lupus nephritis",
    "multiple sclerosis",
    "systemic sclerosis",
    "Crohn disease",
    "type 1 diabetes",
    "psoriatic arthritis",
    "scleroderma",
    "vasculitis",
    "myasthenia gravis",
    "ulcerative colitis",
    "juvenile arthritis",
    "Sjogren syndrome",
)
# One word of a sentence (never its condition) is replaced by one of these.
REWORDINGS = ("now", "still", "often", "also", "rarely", "currently", "first", "carefully")
ARTICLES = 50
EDITS_PER_ARTICLE = 20


class Sentence:
    """A sentence of a generated article; its number follows it through every edit."""

    def __init__(self, number, text, template=None, condition=None):
        self.number, self.text, self.template, self.condition = number, text, template, condition


class SiblingArticle:
    """Paragraphs of sentences, some of them lists of siblings, and the edits made to them."""

    def __init__(self, rng):
        self.rng, self.next_number, self.paragraphs = rng, 1, []
        for _ in range(rng.randint(4, 7)):
            kind = rng.choice(["siblings", "siblings", "filler", "mixed", "list"])
            paragraph = []
            if kind in ("filler", "mixed"):
                paragraph += [self.filler() for _ in range(rng.randint(1, 3))]
            if kind != "filler":
                template = rng.randrange(len(TEMPLATES))
                for condition in rng.sample(CONDITIONS, rng.randint(2, 4)):
                    paragraph.insert(rng.randint(0, len(paragraph)), self.sibling(template, condition))
            self.paragraphs.append(("list" if kind == "list" else "paragraph", paragraph))
        if rng.random() < 0.3:  # the same sentence word for word in a second place
            copy = rng.choice(self.sentences())
            other = rng.choice(self.paragraphs)[1]
            other.insert(rng.randint(0, len(other)), self.make(copy.text, copy.template, copy.condition))

    def make(self, text, template=None, condition=None):
        sentence = Sentence(self.next_number, text, template, condition)
        self.next_number += 1
        return sentence

    def filler(self):
        words = self.rng.sample(VOCABULARY, self.rng.randint(8, 14))
        words[0] = words[0].capitalize()
        return self.make(" ".join(words) + ".")

    def sibling(self, template, condition):
        return self.make(TEMPLATES[template].format(condition), template, condition)

    def sentences(self):
        return [s for _, paragraph in self.paragraphs for s in paragraph]

    def markdown(self):
        blocks = []
        for kind, paragraph in self.paragraphs:
            if kind == "list":
                blocks.append("\n".join(f"- {s.text}" for s in paragraph))
            else:
                blocks.append(" ".join(s.text for s in paragraph))
        return "\n\n".join(blocks)

    def edit(self):
        """Make one random edit; return its name and the numbers of the sentences it reworded."""
        rng = self.rng
        siblings = [s for s in self.sentences() if s.template is not None]
        kind = rng.choices(["delete", "reword", "reorder", "insert sibling", "insert"], [35, 20, 15, 20, 10])[0]
        if kind == "delete" and len(self.sentences()) > 3:
            gone = rng.choice(siblings) if siblings and rng.random() < 0.8 else rng.choice(self.sentences())
            for _, paragraph in self.paragraphs:
                if gone in paragraph:
                    paragraph.remove(gone)
            self.paragraphs = [p for p in self.paragraphs if p[1]]
            return kind, set()
        if kind == "reword":
            sentence = rng.choice(self.sentences())
            words = sentence.text[:-1].split(" ")
            kept = set(sentence.condition.split(" ")) if sentence.condition else set()
            position = rng.choice([i for i, w in enumerate(words) if w not in kept])
            words[position] = rng.choice([w for w in REWORDINGS if w != words[position]])
            words[0] = words[0][0].upper() + words[0][1:]
            sentence.text = " ".join(words) + sentence.text[-1]
            return kind, {sentence.number}
        if kind == "reorder":
            if rng.random() < 0.5 and len(self.paragraphs) > 1:
                moved = self.paragraphs.pop(rng.randrange(len(self.paragraphs)))
                self.paragraphs.insert(rng.randint(0, len(self.paragraphs)), moved)
            else:
                paragraph = rng.choice(self.paragraphs)[1]
                paragraph.insert(rng.randint(0, len(paragraph) - 1), paragraph.pop(rng.randrange(len(paragraph))))
            return kind, set()
        if kind == "insert sibling" and siblings:
            beside = rng.choice(siblings)
            used = {s.condition for s in siblings if s.template == beside.template}
            unused = [c for c in CONDITIONS if c not in used]
            if unused:
                for _, paragraph in self.paragraphs:
                    if beside in paragraph:
                        new = self.sibling(beside.template, rng.choice(unused))
                        paragraph.insert(paragraph.index(beside) + rng.randint(0, 1), new)
                return kind, set()
        paragraph = rng.choice(self.paragraphs)[1]
        paragraph.insert(rng.randint(0, len(paragraph)), self.filler())
        return "insert", set()


def sentence_spans(article, text):
    """(start, end, sentence) for each sentence of the article, found in order in its plain text."""
    spans, position = [], 0
    for sentence in article.sentences():
        start = text.index(sentence.text, position)
        spans.append((start, start + len(sentence.text), sentence))
        position = start + len(sentence.text)
    return spans


def sentence_at(spans, start):
    return next((s for low, high, s in spans if low <= start < high), None)


def siblings_run(edits, seed):
    """Edit articles full of sibling sentences through Django and count every misplaced claim."""
    start_django()
    from django.contrib.auth import get_user_model

    from articles.models import Article
    from claims.models import Claim, Condition, EvidenceStatus
    from claims.text.anchoring import anchor_at

    rng = random.Random(seed)
    author = get_user_model().objects.create(username="bench-author")
    status = EvidenceStatus.objects.get(slug="limited")
    conditions = {
        name: Condition.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        for name in (*CONDITIONS, "general")
    }
    counts, by_edit = Counter(), Counter()
    for number in range(-(-edits // EDITS_PER_ARTICLE)):
        model = SiblingArticle(rng)
        article = Article.objects.create(
            title=f"Siblings {number}", slug=f"siblings-{number}", body=model.markdown(), author=author
        )
        text = article.body_text
        claims, own = [], {}
        for low, high, sentence in sentence_spans(model, text):
            if rng.random() < 0.6:
                if rng.random() < 0.2:  # part of the sentence: from its third word
                    low = text.index(" ", text.index(" ", low) + 1) + 1
                a = anchor_at(text, low, high)
                claims.append(
                    Claim(
                        article=article,
                        quote=a.quote,
                        prefix=a.prefix,
                        suffix=a.suffix,
                        start=a.start,
                        condition=conditions[sentence.condition or "general"],
                        evidence_status=status,
                        created_by=author,
                        last_changed_by=author,
                    )
                )
                own[len(claims) - 1] = sentence.number
        claims = Claim.objects.bulk_create(claims)
        own = {claims[i].pk: n for i, n in own.items()}  # a claim's sentence, None once orphaned
        for _ in range(min(EDITS_PER_ARTICLE, edits - counts["edits"])):
            before = {s.number: s.text for s in model.sentences()}
            kind, reworded = model.edit()
            after = {s.number: s.text for s in model.sentences()}
            article.body = model.markdown()
            article.save()
            counts["edits"] += 1
            spans = sentence_spans(model, article.body_text)
            for pk, start, is_orphaned in Claim.objects.filter(pk__in=own).values_list("pk", "start", "is_orphaned"):
                mine = own[pk]
                landed = None if is_orphaned else sentence_at(spans, start)
                if mine is None:
                    if landed is not None:
                        counts["orphan re-attached (wrong)"] += 1
                        by_edit[kind] += 1
                        del own[pk]  # no longer where the run can follow it
                    continue
                fate, wrong = judge(mine, landed, before, after, reworded)
                counts["claims looked for"] += 1
                counts[fate] += 1
                by_edit[kind] += wrong
                if landed is None:
                    own[pk] = None
                elif landed.number != mine:
                    del own[pk]
    print(f"{counts.pop('edits')} edits of {-(-edits // EDITS_PER_ARTICLE)} articles full of sibling sentences")
    for name, count in sorted(counts.items()):
        print(f"  {name}: {count}")
    wrong = sum(c for name, c in counts.items() if name.endswith("(wrong)"))
    print(f"wrong outcomes: {wrong}; by kind of edit: {dict(+by_edit)}")


def judge(mine, landed, before, after, reworded):
    """What became of a claim on sentence `mine` that ended on `landed`, and whether that was wrong.

    A sentence said word for word in two places cannot be told from its copy by anything: its
    claims are counted apart, and ending on the copy is not counted as wrong.
    """
    repeated = sum(text == before[mine] for text in before.values()) > 1
    kind = "word-for-word repeated sentence" if repeated else "sentence"
    fate = "deleted" if mine not in after else "reworded" if mine in reworded else "untouched"
    if landed is None:
        wrong = fate == "untouched" and not repeated
        return f"{kind} {fate}, claim orphaned" + (" (wrong)" if wrong else ""), wrong
    if landed.number == mine:
        return f"{kind} {fate}, claim on it", False
    if landed.text == before[mine]:
        return f"{kind} {fate}, claim on an identical copy", False
    return f"{kind} {fate}, claim on another sentence (wrong)", True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--siblings", action="store_true", help="count misplaced claims among sibling sentences")
    parser.add_argument("--edits", type=int, default=1000, help="edits in the --siblings run (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the --siblings run (default 1)")
    arguments = parser.parse_args()
    if arguments.siblings:
        siblings_run(arguments.edits, arguments.seed)
    else:
        timing_run()


if __name__ == "__main__":
    main()
