import pytest

from articles.sentences import split_sentences
from claims.text.anchoring import Outcome, anchor_at, locate, locate_all

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


# Near-identical sentences: a claim about one condition must never end on a sentence about another.

SIBLINGS = (
    "Cord blood is stored at birth in some countries. "
    "Stem-cell infusions are being tested for lupus nephritis. "
    "Stem-cell infusions are being tested for lupus. "
    "Stem-cell infusions are being tested for systemic sclerosis. "
    "Trials are small and results are early."
)
NEPHRITIS = "Stem-cell infusions are being tested for lupus nephritis."
LUPUS = "Stem-cell infusions are being tested for lupus."
SCLEROSIS = "Stem-cell infusions are being tested for systemic sclerosis."


def find_all(new_text, anchors):
    return locate_all(new_text, anchors, split_sentences(new_text))


def test_a_deleted_sentence_does_not_pass_its_claim_to_a_sibling_one_word_away():
    anchor = anchor_on(SIBLINGS, NEPHRITIS)
    found = find(SIBLINGS.replace(NEPHRITIS + " ", ""), anchor)
    assert found.outcome is Outcome.ORPHANED


def test_a_deleted_sentence_between_two_siblings_orphans_its_claim():
    text = "Cord blood is stored at birth. " + LUPUS + " " + NEPHRITIS + " Trials are small."
    anchor = anchor_on(text, LUPUS)
    assert find(text.replace(LUPUS + " ", ""), anchor).outcome is Outcome.ORPHANED


def test_a_deleted_question_in_a_list_of_similar_questions_orphans_its_claim():
    questions = [
        "Is stem-cell therapy safe for children with lupus?",
        "Is stem-cell therapy safe for adults with lupus?",
        "Is stem-cell therapy safe for older people with lupus?",
    ]
    text = "\n\n".join(["Common questions about lupus.", *questions, "Ask your specialist."])
    for deleted in questions:
        anchor = anchor_on(text, deleted)
        assert find(text.replace(deleted + "\n\n", ""), anchor).outcome is Outcome.ORPHANED, deleted


def test_a_sentence_reworded_among_siblings_never_hands_its_claim_to_one_of_them():
    anchor = anchor_on(SIBLINGS, LUPUS)
    reworded = LUPUS.replace("are being tested", "are now tested")
    new_text = SIBLINGS.replace(LUPUS, reworded)
    found = find(new_text, anchor)
    assert found.outcome is Outcome.ORPHANED or found.anchor.start == new_text.index(reworded)


def test_a_claim_on_words_its_siblings_share_is_not_moved_into_a_sibling_when_its_sentence_goes():
    words = "Stem-cell infusions are being tested"
    anchor = anchor_at(SIBLINGS, SIBLINGS.index(LUPUS), SIBLINGS.index(LUPUS) + len(words))
    found = find(SIBLINGS.replace(LUPUS + " ", ""), anchor)
    assert found.outcome is Outcome.ORPHANED


def test_a_claim_on_part_of_a_sentence_is_flagged_when_the_words_right_after_it_change():
    text = "Cord blood is stored at birth. Mesenchymal stem cells reversed kidney damage in mice with lupus. End."
    anchor = anchor_on(text, "Mesenchymal stem cells reversed kidney damage")
    found = find(text.replace("in mice with lupus", "in people with lupus"), anchor)
    assert found.outcome is Outcome.CHANGED and found.anchor.quote == anchor.quote


def test_a_sentence_whose_sibling_was_deleted_keeps_its_claim_and_the_siblings_claim_is_orphaned():
    nephritis, lupus = anchor_on(SIBLINGS, NEPHRITIS), anchor_on(SIBLINGS, LUPUS)
    new_text = SIBLINGS.replace(NEPHRITIS + " ", "")
    found_nephritis, found_lupus = find_all(new_text, [nephritis, lupus])
    assert found_nephritis.outcome is Outcome.ORPHANED
    assert found_lupus.outcome is Outcome.MOVED and found_lupus.anchor.start == new_text.index(LUPUS)


def test_a_claim_moved_in_as_a_rewording_is_refused_when_another_claims_words_fit_that_sentence_better():
    # The lupus sentence, reworded, is moved to where the systemic sclerosis sentence was deleted from.
    text = "Cord blood is stored at birth. " + SCLEROSIS + " Trials are small.\n\nLater. " + LUPUS + " The end."
    sclerosis, lupus = anchor_on(text, SCLEROSIS), anchor_on(text, LUPUS)
    moved = LUPUS.replace("being tested", "now tested")
    new_text = "Cord blood is stored at birth. " + moved + " Trials are small.\n\nLater. The end."
    found_sclerosis, found_lupus = find_all(new_text, [sclerosis, lupus])
    assert found_sclerosis.outcome is Outcome.ORPHANED
    assert found_lupus.outcome in {Outcome.CHANGED, Outcome.ORPHANED}


def test_two_claims_on_two_copies_of_a_sentence_never_share_the_copy_left_after_one_is_deleted():
    repeated = "Talk to your specialist before joining any stem-cell trial."
    text = f"About lupus. {repeated} More on lupus.\n\nAbout arthritis. {repeated} More on arthritis."
    first = anchor_at(text, text.index(repeated), text.index(repeated) + len(repeated))
    second = anchor_at(text, text.rindex(repeated), text.rindex(repeated) + len(repeated))
    new_text = f"About lupus. More on lupus.\n\nAbout arthritis. {repeated} More on arthritis."
    found_first, found_second = find_all(new_text, [first, second])
    assert found_first.outcome is Outcome.ORPHANED
    assert found_second.anchor.start == new_text.index(repeated)


def test_a_sentence_reworded_into_a_copy_of_its_sibling_loses_its_claim_about_another_condition():
    sclerosis, lupus = anchor_on(SIBLINGS, SCLEROSIS), anchor_on(SIBLINGS, LUPUS)
    # The lupus claim's words fit the reworded sentence as well as they fit its own.
    new_text = SIBLINGS.replace(SCLEROSIS, LUPUS)
    found_sclerosis, found_lupus = find_all(new_text, [sclerosis, lupus])
    assert found_lupus.outcome in {Outcome.KEPT, Outcome.MOVED}
    assert found_sclerosis.outcome is Outcome.ORPHANED


# The same, through the service that re-anchors an article's claims when it is saved.

SIBLING_BODY = (
    "## Trials in autoimmune disease\n\n"
    "Cord blood is stored at birth in some countries.\n\n"
    f"- {NEPHRITIS}\n- {LUPUS}\n- {SCLEROSIS}\n\n"
    "Trials are small and results are early.\n"
)


@pytest.fixture
def sibling_claims(editor, reviewer):
    """An article listing three sibling sentences, each with an approved claim about its own condition."""
    from claims.services import claim_approve
    from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory

    article = ArticleFactory(author=editor, body=SIBLING_BODY)
    claims = {}
    for words, name in ((NEPHRITIS, "Lupus nephritis"), (LUPUS, "Lupus"), (SCLEROSIS, "Systemic sclerosis")):
        condition = ConditionFactory(name=name, slug=name.lower().replace(" ", "-"))
        claims[words] = claim_approve(
            claim=ClaimFactory(article=article, text=words, condition=condition), reviewer=reviewer
        )
    return article, claims


def saved(article, body):
    article.body = body
    article.save()
    article.refresh_from_db()
    return article


def sentence_of(article, claim):
    claim.refresh_from_db()
    if claim.is_orphaned:
        return None
    return next(s.text for s in article.sentences() if s.start <= claim.start < s.end)


@pytest.mark.django_db
def test_deleting_a_sibling_orphans_only_its_claim_and_the_others_keep_their_sentences_and_approvals(sibling_claims):
    article, claims = sibling_claims
    article = saved(article, SIBLING_BODY.replace(f"- {NEPHRITIS}\n", ""))
    assert sentence_of(article, claims[NEPHRITIS]) is None
    for words in (LUPUS, SCLEROSIS):
        assert sentence_of(article, claims[words]) == words
        assert claims[words].is_approved and not claims[words].text_changed


@pytest.mark.django_db
def test_a_claim_about_the_same_condition_as_its_deleted_siblings_claim_is_not_pushed_out(editor, reviewer):
    from claims.reanchoring import article_reanchor_claims
    from claims.services import claim_approve
    from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory

    article = ArticleFactory(author=editor, body=SIBLING_BODY)
    autoimmune = ConditionFactory(name="Autoimmune disease", slug="autoimmune-disease")
    # The first claim is read first: before, it took its sibling's place and pushed that claim out.
    deleted = ClaimFactory(article=article, text=NEPHRITIS, condition=autoimmune)
    standing = claim_approve(claim=ClaimFactory(article=article, text=LUPUS, condition=autoimmune), reviewer=reviewer)
    article = saved(article, SIBLING_BODY.replace(f"- {NEPHRITIS}\n", ""))
    assert sentence_of(article, standing) == LUPUS and standing.is_approved
    assert sentence_of(article, deleted) is None
    assert article_reanchor_claims(article=article) == {"kept": 1, "orphaned": 1, "withdrawn": []}


@pytest.mark.django_db
def test_an_orphan_stays_orphaned_when_its_words_come_back_or_a_new_sibling_appears(sibling_claims):
    article, claims = sibling_claims
    orphan = claims[LUPUS]
    article = saved(article, SIBLING_BODY.replace(f"- {LUPUS}\n", ""))
    assert sentence_of(article, orphan) is None
    new_sibling = LUPUS.replace("lupus", "lupus in children")
    article = saved(article, SIBLING_BODY.replace(LUPUS, new_sibling))
    assert sentence_of(article, orphan) is None
    article = saved(article, SIBLING_BODY)
    assert sentence_of(article, orphan) is None
    assert orphan.quote == LUPUS  # kept for the editor who re-attaches it
