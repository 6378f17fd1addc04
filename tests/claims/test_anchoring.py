import pytest

from articles.sentences import split_sentences
from claims.anchoring import Outcome, anchor_at, locate

TEXT = (
    "Antifibrotic medicines slow the loss of lung function in IPF. "
    "Stem-cell infusions may be safe in small early trials. "
    "We do not know whether they slow the disease."
)


def anchor_on(text, words):
    start = text.index(words)
    return anchor_at(text, start, start + len(words))


def find(new_text, anchor):
    return locate(new_text, anchor, split_sentences(new_text))


def test_unchanged_text_keeps_the_claim_in_place():
    anchor = anchor_on(TEXT, "Stem-cell infusions may be safe in small early trials.")
    found = find(TEXT, anchor)
    assert found.outcome is Outcome.KEPT and found.anchor == anchor


def test_text_added_before_moves_the_claim_with_its_words():
    anchor = anchor_on(TEXT, "Stem-cell infusions may be safe in small early trials.")
    found = find("A new opening sentence. " + TEXT, anchor)
    assert found.outcome is Outcome.MOVED
    assert found.anchor.start == anchor.start + len("A new opening sentence. ")


def test_repeated_sentence_is_told_apart_by_its_context():
    text = "First context here. Rest helps recovery a lot. Second context there. Rest helps recovery a lot. End."
    second = text.rindex("Rest helps")
    anchor = anchor_at(text, second, second + len("Rest helps recovery a lot."))
    found = find("Inserted. " + text, anchor)
    assert found.anchor.start == len("Inserted. ") + second


def test_changed_words_follow_the_most_similar_sentence_and_say_so():
    anchor = anchor_on(TEXT, "Antifibrotic medicines slow the loss of lung function in IPF.")
    new_text = TEXT.replace("slow the loss of", "slow the decline of")
    found = find(new_text, anchor)
    assert found.outcome is Outcome.CHANGED
    assert found.anchor.quote == "Antifibrotic medicines slow the decline of lung function in IPF."


def test_changed_words_inside_a_longer_sentence_follow_to_whole_words():
    text = "In trials, antifibrotic medicines slow the loss of lung function in people with IPF over a year."
    anchor = anchor_on(text, "antifibrotic medicines slow the loss of lung function")
    found = find(text.replace("slow the loss", "slowed the loss"), anchor)
    assert found.outcome is Outcome.CHANGED
    assert found.anchor.quote == "antifibrotic medicines slowed the loss of lung function"


def test_a_deleted_sentence_orphans_its_claim():
    anchor = anchor_on(TEXT, "Stem-cell infusions may be safe in small early trials.")
    found = find(TEXT.replace("Stem-cell infusions may be safe in small early trials. ", ""), anchor)
    assert found.outcome is Outcome.ORPHANED and found.anchor is None


def test_a_rewritten_sentence_orphans_its_claim():
    anchor = anchor_on(TEXT, "Stem-cell infusions may be safe in small early trials.")
    rewritten = TEXT.replace("Stem-cell infusions may be safe in small early trials.", "Cord blood is banked.")
    found = find(rewritten, anchor)
    assert found.outcome is Outcome.ORPHANED


def test_a_short_quote_is_not_attached_to_the_same_words_elsewhere():
    text = "Oxygen helps lung function. Another sentence about lung function entirely."
    anchor = anchor_at(text, 13, 26)  # "lung function" in the first sentence
    found = find("Another sentence about lung function entirely.", anchor)
    assert found.outcome is Outcome.ORPHANED


@pytest.mark.parametrize("quote", ["", "short"])
def test_empty_or_tiny_quotes_are_never_matched_approximately(quote):
    anchor = anchor_at("x " + quote, 2, 2 + len(quote))
    assert find("completely different words now.", anchor).outcome is Outcome.ORPHANED
