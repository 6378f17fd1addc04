"""Generated articles, claims and edits: claims stay on their sentences or are flagged, never lost.

Each generated sentence starts with a unique marker word ("Topic7"), so a test can always tell
which sentence a claim landed on.
"""

import os
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.rendering import render_markdown
from articles.text import read_html, wrap_ranges
from claims.anchoring import Outcome, anchor_at, locate

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "300"))
WORDS = [
    *("lung", "scarring", "stem", "cells", "trial", "patients", "infusion", "fibrosis", "immune", "marrow"),
    *(
        "transplant",
        "dose",
        "inflammation",
        "symptoms",
        "breathing",
        "evidence",
        "safety",
        "study",
        "results",
        "disease",
    ),
    *("therapy", "months", "function", "decline", "oxygen", "clinic", "research", "growth", "tissue", "repair"),
    *("donor", "blood", "reviewers", "quality", "benefit", "risk", "outcome", "cough", "exercise", "rehabilitation"),
    *("medicine", "guideline", "nurses", "sleep", "children", "adults", "kidney", "skin", "heart", "liver"),
    *("joints", "pain", "swelling", "fatigue", "fever", "infection", "vaccine", "antibody", "protein", "enzyme"),
    *("hormone", "insulin", "glucose", "pressure", "vessel", "artery", "vein", "nerve", "brain", "spine"),
    *("muscle", "bone", "cartilage", "tendon", "scan", "biopsy", "sample", "cohort", "placebo", "control"),
    *(
        "randomised",
        "register",
        "protocol",
        "consent",
        "ethics",
        "funding",
        "hospital",
        "doctor",
        "specialist",
        "surgeon",
    ),
    *("pharmacist", "carer", "family", "diet", "weight", "smoking", "alcohol", "stress", "mood", "memory"),
    *("vision", "hearing", "balance", "movement", "strength", "stamina", "recovery", "relapse", "remission", "flare"),
    *(
        "steroid",
        "antifibrotic",
        "nintedanib",
        "pirfenidone",
        "chemotherapy",
        "radiotherapy",
        "antibiotics",
        "inhaler",
        "mask",
        "ventilator",
    ),
    *("monitor", "device", "implant", "graft", "rejection", "tolerance", "marker", "gene", "cytokine", "receptor"),
    *("signal", "pathway", "model", "mouse", "laboratory", "culture", "dish", "assay", "measure", "follow"),
    *("visit", "week", "year", "decade"),
]


def _trigrams(words):
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


@st.composite
def sentences(draw, marker, used):
    """A sentence whose words are its own: real articles do not repeat their sentences.

    `used` holds the word triples of the article's other sentences; none may recur.
    """
    words = draw(
        st.lists(st.sampled_from(WORDS), min_size=6, max_size=14, unique=True).filter(
            lambda ws: not _trigrams(ws) & used and len(set(ws) & {w for t in used for w in t}) < len(ws) // 2 + 1
        )
    )
    used |= _trigrams(words)
    return f"Topic{marker} " + " ".join(words) + "."


@st.composite
def articles(draw):
    """Paragraphs of sentences: [[(marker, sentence), ...], ...]."""
    counter = iter(range(1, 10_000))
    used = set()
    paragraphs = []
    for _ in range(draw(st.integers(3, 7))):
        paragraph = []
        for _ in range(draw(st.integers(1, 5))):
            marker = next(counter)
            paragraph.append((marker, draw(sentences(marker, used))))
        paragraphs.append(paragraph)
    return paragraphs, counter, used


def to_markdown(paragraphs, soft_breaks=frozenset(), bold=frozenset()):
    blocks = []
    for paragraph in paragraphs:
        parts = []
        for marker, sentence in paragraph:
            if marker in bold:  # inline markup inside a sentence does not change its text
                words = sentence.split(" ")
                words[2] = f"**{words[2]}**"
                sentence = " ".join(words)
            parts.append(sentence)
            parts.append("\n" if marker in soft_breaks else " ")
        blocks.append("".join(parts[:-1]))
    return "\n\n".join(blocks)


def document_of(markdown):
    return read_html(render_markdown(markdown))


def marker_at(text, start):
    """The marker of the sentence containing text[start]."""
    at = text.rfind("Topic", 0, start + len("Topic"))
    return int(re.match(r"Topic(\d+)", text[at:]).group(1)) if at >= 0 else None


@st.composite
def scenarios(draw):
    paragraphs, counter, used = draw(articles())
    all_sentences = [item for paragraph in paragraphs for item in paragraph]
    document = document_of(to_markdown(paragraphs))
    text = document.text

    # Claims: whole sentences, or three or more words inside one.
    claimed = draw(st.lists(st.sampled_from(all_sentences), min_size=1, max_size=6, unique_by=lambda s: s[0]))
    claims = []
    for marker, sentence in claimed:
        start = text.index(sentence)
        if draw(st.booleans()):
            end = start + len(sentence)
        else:
            words = sentence.split(" ")
            first = draw(st.integers(1, len(words) - 3))
            last = draw(st.integers(first + 3, len(words)))
            start += len(" ".join(words[:first])) + 1
            end = start + len(" ".join(words[first:last]))
        claims.append((marker, anchor_at(text, start, end)))
    claimed_markers = {marker for marker, _ in claims}

    deleted, reworded = set(), set()
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(st.sampled_from(["insert", "delete", "rewrite", "reword", "move", "split"]))
        if edit == "insert":
            marker = next(counter)
            at = draw(st.integers(0, len(paragraphs)))
            paragraphs.insert(at, [(marker, draw(sentences(marker, used)))])
        elif edit == "delete" and len(paragraphs) > 1:
            gone = paragraphs.pop(draw(st.integers(0, len(paragraphs) - 1)))
            deleted |= {marker for marker, _ in gone}
        elif edit == "rewrite":
            # Replace an unclaimed sentence with a new one.
            spots = [
                (p, i) for p, par in enumerate(paragraphs) for i, (m, _) in enumerate(par) if m not in claimed_markers
            ]
            if spots:
                p, i = draw(st.sampled_from(spots))
                deleted.add(paragraphs[p][i][0])
                marker = next(counter)
                paragraphs[p][i] = (marker, draw(sentences(marker, used)))
        elif edit == "reword":
            # Change one word of a claimed sentence.
            spots = [(p, i) for p, par in enumerate(paragraphs) for i, (m, _) in enumerate(par)]
            spots = [(p, i) for p, i in spots if paragraphs[p][i][0] in claimed_markers]
            if spots:
                p, i = draw(st.sampled_from(spots))
                marker, sentence = paragraphs[p][i]
                words = sentence.split(" ")
                position = draw(st.integers(1, len(words) - 1))
                words[position] = "unexpectedly" + ("." if words[position].endswith(".") else "")
                paragraphs[p][i] = (marker, " ".join(words))
                reworded.add(marker)
        elif edit == "move" and len(paragraphs) > 1:
            moved = paragraphs.pop(draw(st.integers(0, len(paragraphs) - 1)))
            paragraphs.insert(draw(st.integers(0, len(paragraphs))), moved)
        elif edit == "split":
            # Break a paragraph in two: the text of every sentence stays the same.
            p = draw(st.integers(0, len(paragraphs) - 1))
            if len(paragraphs[p]) > 1:
                cut = draw(st.integers(1, len(paragraphs[p]) - 1))
                paragraphs[p : p + 1] = [paragraphs[p][:cut], paragraphs[p][cut:]]
    markers = [m for paragraph in paragraphs for m, _ in paragraph]
    soft_breaks = frozenset(draw(st.lists(st.sampled_from(markers), max_size=3)))
    bold = frozenset(draw(st.lists(st.sampled_from(markers), max_size=3)))
    new_markdown = to_markdown(paragraphs, soft_breaks, bold)
    return claims, deleted - reworded, reworded, new_markdown


class _WellFormed(HTMLParser):
    VOID = {"br", "hr", "img"}

    def __init__(self):
        super().__init__()
        self.stack, self.ok, self.text = [], True, []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.ok = False

    def handle_data(self, data):
        self.text.append(data)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_claims_follow_their_sentences_through_generated_edits(scenario):
    claims, deleted, reworded, new_markdown = scenario
    document = document_of(new_markdown)
    text = document.text
    spans = [(s.start, s.end) for s in document.sentences()]
    placed = []
    for index, (marker, anchor) in enumerate(claims):
        found = locate(text, anchor, spans)
        if marker in deleted:
            assert found.outcome is Outcome.ORPHANED, (marker, anchor.quote)
        elif marker in reworded:
            assert found.outcome in {Outcome.CHANGED, Outcome.ORPHANED, Outcome.KEPT, Outcome.MOVED}
            if found.outcome in {Outcome.KEPT, Outcome.MOVED}:
                # Only a claim on part of the sentence, away from the changed word, keeps its words.
                assert found.anchor.quote == anchor.quote
            if found.anchor is not None:
                assert marker_at(text, found.anchor.start) == marker
        else:
            assert found.outcome in {Outcome.KEPT, Outcome.MOVED}, (marker, anchor.quote)
            assert found.anchor.quote == anchor.quote
            assert text[found.anchor.start : found.anchor.end] == anchor.quote
            assert marker_at(text, found.anchor.start) == marker
        if found.anchor is not None:
            placed.append((found.anchor.start, found.anchor.end, index))

    wrapped = wrap_ranges(
        document, placed, lambda key, first: f'<span class="claim" data-claim="{key}">', after=lambda keys: ""
    )
    parser = _WellFormed()
    parser.feed(wrapped)
    parser.close()
    assert parser.ok and not parser.stack
    assert read_html(wrapped).text == text
