"""Generated articles, claims and edits: claims stay on their sentences or are flagged, never lost.

Each generated sentence starts with a unique marker word ("Topic7"), so a test can always tell
which sentence a claim landed on.
"""

import itertools
import os
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.rendering import render_markdown
from articles.text import read_html, wrap_ranges
from claims.text.anchoring import DISTINCTIVE_QUOTE, Found, Outcome, anchor_at, locate, locate_all

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


@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
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


# --- Near-identical sentences -----------------------------------------------------------------
#
# Siblings differ by one word or a few ("... tested for lupus." / "... tested for lupus nephritis."),
# so no marker word can tell them apart: every generated sentence carries a number, and the
# sentences are found in the rendered text in order, which says where each one is after an edit.

SIBLING_TEMPLATES = (
    "Stem-cell infusions are being tested for {}.",
    "Mesenchymal stem cells may calm the immune attack in {}.",
    "Bone marrow transplants have been tried in severe {}.",
)
QUESTION_TEMPLATES = (
    "Is stem-cell therapy safe for {}?",
    "Can {} join a stem-cell trial?",
    "How long do {} wait for a transplant?",
)
SIBLING_CONDITIONS = (
    *("lupus", "lupus nephritis", "rheumatoid arthritis", "psoriatic arthritis", "juvenile arthritis"),
    *("systemic sclerosis", "multiple sclerosis", "type 1 diabetes", "Crohn disease", "vasculitis"),
)
GROUPS = (
    *("children", "adults", "older people", "pregnant women", "people on dialysis"),
    *("people with diabetes", "smokers", "athletes", "teenagers", "carers"),
)


@st.composite
def families(draw):
    """A sentence with a gap, what may fill it, and the fillers used: its members differ in that word."""
    kind = draw(st.sampled_from(["condition", "question", "word"]))
    if kind == "condition":
        template, fillers = draw(st.sampled_from(SIBLING_TEMPLATES)), SIBLING_CONDITIONS
    elif kind == "question":
        template, fillers = draw(st.sampled_from(QUESTION_TEMPLATES)), GROUPS
    else:  # any sentence, one word of it changed
        words = draw(st.lists(st.sampled_from(WORDS), min_size=6, max_size=12, unique=True))
        gap = draw(st.integers(1, len(words) - 1))
        template = " ".join([words[0].capitalize(), *words[1:gap], "{}", *words[gap + 1 :]]) + "."
        fillers = tuple(w for w in WORDS if w not in words)
    members = draw(st.lists(st.sampled_from(fillers), min_size=2, max_size=4, unique=True))
    return template, fillers, members


class Numbered:
    """The sentences of a generated article, each with a number that follows it through edits."""

    def __init__(self):
        self.blocks, self.families, self.next, self.seen = [], [], 1, set()

    def sentence(self, text, family=None, filler=None):
        self.seen.add(text)
        self.next += 1
        return {"number": self.next - 1, "text": text, "family": family, "filler": filler}

    def sentences(self):
        return [s for _, block in self.blocks for s in block]

    def markdown(self):
        return "\n\n".join(
            "\n".join(f"- {s['text']}" for s in block) if kind == "list" else " ".join(s["text"] for s in block)
            for kind, block in self.blocks
        )

    def spans(self, text):
        """(start, end, sentence) of each sentence in `text`, found in order."""
        found, position = [], 0
        for sentence in self.sentences():
            start = text.index(sentence["text"], position)
            found.append((start, start + len(sentence["text"]), sentence))
            position = start + len(sentence["text"])
        return found

    def snapshot(self):
        return {s["number"]: s["text"] for s in self.sentences()}


@st.composite
def sibling_articles(draw):
    article, used = Numbered(), set()
    for _ in range(draw(st.integers(2, 5))):
        block = [article.sentence(draw(sentences(article.next, used))) for _ in range(draw(st.integers(0, 2)))]
        if draw(st.integers(0, 3)):
            template, fillers, members = draw(families())
            article.families.append((template, fillers))
            siblings = [article.sentence(template.format(m), len(article.families) - 1, m) for m in members]
            at = draw(st.integers(0, len(block)))
            block[at:at] = siblings
        if block:
            article.blocks.append((draw(st.sampled_from(["paragraph", "list"])), block))
    if not article.blocks:
        article.blocks.append(("paragraph", [article.sentence(draw(sentences(article.next, used)))]))
    if draw(st.booleans()):  # a sentence said twice, word for word, in two places
        copied = draw(st.sampled_from(article.sentences()))
        _, block = draw(st.sampled_from(article.blocks))
        block.insert(
            draw(st.integers(0, len(block))), article.sentence(copied["text"], copied["family"], copied["filler"])
        )
    return article, used


def sibling_claims(draw, article, text):
    """Claims on whole sentences, or on words of one that include the word its siblings lack."""
    spans = article.spans(text)
    chosen = draw(st.lists(st.sampled_from(spans), min_size=1, max_size=6, unique_by=lambda s: s[2]["number"]))
    claims = []
    for start, end, sentence in chosen:
        words = sentence["text"].split(" ")
        if len(words) >= 5 and draw(st.booleans()):
            first = draw(st.integers(0, len(words) - 3))
            last = draw(st.integers(first + 3, len(words)))
            if sentence["filler"]:
                first, last = sibling_part(draw, article, sentence, words)
            if len(" ".join(words[first:last])) >= DISTINCTIVE_QUOTE:
                start += len(" ".join(words[:first])) + (1 if first else 0)
                end = start + len(" ".join(words[first:last]))
        claims.append((sentence["number"], anchor_at(text, start, end)))
    return claims


# Of a sibling, only parts that hold the filled-in words and leave at most this much of the
# sentence out on each side are claimed. An anchor keeps 32 characters either side of its words:
# siblings share everything else, so beyond that reach no anchor could tell them apart. Parts are
# long enough to be found without their surroundings (DISTINCTIVE_QUOTE).
SIBLING_PART_MARGIN = 16


def sibling_part(draw, article, sentence, words):
    """(first, last) word indexes of a claimable part of a sibling sentence."""
    template = article.families[sentence["family"]][0].split(" ")
    first_gap = next(i for i, w in enumerate(template) if "{}" in w)
    last_gap = first_gap + len(sentence["filler"].split())
    firsts = [i for i in range(min(first_gap, len(words) - 3) + 1) if len(" ".join(words[:i])) <= SIBLING_PART_MARGIN]
    first = draw(st.sampled_from(firsts))
    lasts = [
        j
        for j in range(max(first + 3, last_gap), len(words) + 1)
        if len(" ".join(words[j:])) <= SIBLING_PART_MARGIN and len(" ".join(words[first:j])) >= DISTINCTIVE_QUOTE
    ]
    return first, draw(st.sampled_from(lasts)) if lasts else len(words)


def edit_siblings(draw, article, used):
    """One to three edits: delete, reword, reorder, insert a sibling or another sentence."""
    for _ in range(draw(st.integers(1, 3))):
        edit = draw(st.sampled_from(["delete", "delete", "reword", "reorder", "sibling", "insert"]))
        everything = article.sentences()
        if edit == "delete" and len(everything) > 1:
            gone = draw(st.sampled_from(everything))
            article.blocks = [(k, [s for s in b if s is not gone]) for k, b in article.blocks]
            article.blocks = [(k, b) for k, b in article.blocks if b]
        elif edit == "reword":
            sentence = draw(st.sampled_from(everything))
            words = sentence["text"].split(" ")
            at = draw(st.integers(0, len(words) - 1))
            words[at] = ("Unexpectedly" if at == 0 else "unexpectedly") + words[at][-1] * (not words[at][-1].isalnum())
            sentence["text"] = " ".join(words)
        elif edit == "reorder":
            _, block = draw(st.sampled_from(article.blocks))
            if len(block) > 1 and draw(st.booleans()):
                block.insert(draw(st.integers(0, len(block) - 1)), block.pop(draw(st.integers(0, len(block) - 1))))
            elif len(article.blocks) > 1:
                moved = article.blocks.pop(draw(st.integers(0, len(article.blocks) - 1)))
                article.blocks.insert(draw(st.integers(0, len(article.blocks))), moved)
        elif edit == "sibling" and any(s["family"] is not None for s in everything):
            beside = draw(st.sampled_from([s for s in everything if s["family"] is not None]))
            template, fillers = article.families[beside["family"]]
            # A new sibling: never a deleted one back, nor a copy of another family's.
            fresh = [f for f in fillers if template.format(f) not in article.seen]
            if not fresh:
                continue
            filler = draw(st.sampled_from(fresh))
            new = article.sentence(template.format(filler), beside["family"], filler)
            block = next(b for _, b in article.blocks if any(s is beside for s in b))
            block.insert(next(i for i, s in enumerate(block) if s is beside) + draw(st.integers(0, 1)), new)
        else:
            _, block = draw(st.sampled_from(article.blocks))
            block.insert(draw(st.integers(0, len(block))), article.sentence(draw(sentences(article.next, used))))


def check_sibling_outcomes(claims, outcomes, before, after, spans):
    """Each claim ends on its own sentence or is orphaned, as its sentence's fate requires.

    `claims` are (number, anchor), `outcomes` their Found, `before`/`after` number -> text, `spans`
    the new text's (start, end, sentence). A sentence said word for word in several places (its
    twins) cannot be told from them by anything: its claim may end on a twin, but never shares a
    sentence with another claim, and is never lost while a twin with its words stands free.
    """
    placed_on, lost = {}, []
    for (number, anchor), found in zip(claims, outcomes, strict=True):
        twins = {n for n, text in before.items() if text == before[number]}  # itself included
        standing = {n for n in twins if after.get(n) == before[number]}
        if found.anchor is None:
            if number in standing:
                lost.append((anchor, standing))
            continue
        landed = next(s for low, high, s in spans if low <= found.anchor.start < high)["number"]
        assert landed not in placed_on, (anchor.quote, "shares a sentence with", placed_on.get(landed))
        placed_on[landed] = anchor.quote
        assert landed in twins, (anchor.quote, "ended on", after[landed])
        if landed in standing:  # words unchanged: found as they are
            assert found.outcome in {Outcome.KEPT, Outcome.MOVED} and found.anchor.quote == anchor.quote
    for anchor, standing in lost:
        assert all(n in placed_on for n in standing), (anchor.quote, "lost its standing sentence")


@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(st.data())
def test_claims_never_move_to_a_near_identical_sentence(data):
    article, used = data.draw(sibling_articles())
    text = document_of(article.markdown()).text
    claims = sibling_claims(data.draw, article, text)
    before = article.snapshot()
    edit_siblings(data.draw, article, used)
    document = document_of(article.markdown())
    spans = [(s.start, s.end) for s in document.sentences()]
    outcomes = locate_all(document.text, [anchor for _, anchor in claims], spans)
    check_sibling_outcomes(claims, outcomes, before, article.snapshot(), article.spans(document.text))


# Through the service an article's save calls, twice in a row: orphans of the first edit must stay
# orphaned through the second, even when a new sibling would fit them. Each example writes an
# article, so there are fewer of them.
SAVED_EXAMPLES = max(EXAMPLES // 5, 10)
_slugs = itertools.count()


@pytest.mark.django_db
@settings(
    max_examples=SAVED_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.data())
def test_saved_edits_of_siblings_never_move_a_claim_to_another_sentence_nor_revive_an_orphan(data):
    from articles.models import Article
    from claims.models import Claim
    from tests.factories import ConditionFactory, EditorFactory, evidence

    model, used = data.draw(sibling_articles())
    author = EditorFactory()
    number = next(_slugs)
    article = Article.objects.create(
        title=f"Siblings {number}", slug=f"siblings-{number}", body=model.markdown(), author=author
    )
    claims = {}  # pk -> the number of the sentence it is on, and its anchor
    for sentence_number, anchor in sibling_claims(data.draw, model, article.body_text):
        claim = Claim.objects.create(
            article=article,
            quote=anchor.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            start=anchor.start,
            condition=ConditionFactory(),
            evidence_status=evidence(),
            created_by=author,
            last_changed_by=author,
        )
        claims[claim.pk] = (sentence_number, anchor)
    orphans = set()
    for _ in range(2):
        before = model.snapshot()
        edit_siblings(data.draw, model, used)
        article.body = model.markdown()
        article.save()
        saved = {c.pk: c for c in Claim.objects.filter(article=article)}
        assert {pk for pk in orphans if not saved[pk].is_orphaned} == set(), "an orphan was re-attached"
        live = [pk for pk in claims if pk not in orphans]
        outcomes = [found_in_database(saved[pk], claims[pk][1]) for pk in live]
        spans = model.spans(article.body_text)
        check_sibling_outcomes([claims[pk] for pk in live], outcomes, before, model.snapshot(), spans)
        for pk, found in zip(live, outcomes, strict=True):
            if found.anchor is None:
                orphans.add(pk)
            else:  # the sentence it ended on, its own or a word-for-word twin, is its own from now on
                on = next(s for low, high, s in spans if low <= found.anchor.start < high)["number"]
                claims[pk] = (on, found.anchor)


def found_in_database(claim, anchor):
    """What re-anchoring did to a saved claim, read back as `locate` would have said it."""
    if claim.is_orphaned:
        return Found(Outcome.ORPHANED, None)
    if claim.quote != anchor.quote:
        return Found(Outcome.CHANGED, claim.anchor)
    return Found(Outcome.KEPT if claim.start == anchor.start else Outcome.MOVED, claim.anchor)
