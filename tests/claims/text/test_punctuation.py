"""same_words: an approved claim keeps its approval only when its words and numbers all still stand."""

import pytest

from claims.text.punctuation import same_words, words

SENTENCE = "Stem-cell transplants may reduce flares in a few people with severe lupus."


@pytest.mark.parametrize(
    "edited",
    [
        SENTENCE,
        "Stem-cell transplants may reduce flares in a few people with severe lupus",  # full stop dropped
        "Stem-cell transplants may reduce flares, in a few people, with severe lupus.",  # commas
        "Stem-cell  transplants may\nreduce flares in a few people with severe lupus .",  # spacing
        "stem-cell transplants MAY reduce flares in a few people with severe Lupus.",  # case
        "Stem–cell transplants may reduce flares in a few people with severe lupus.",  # en dash
        "Stem cell transplants may reduce flares in a few people with severe lupus.",  # hyphen to a space
        "Stem-cell transplants may reduce flares (in a few people) with severe lupus!",  # brackets, mark
        "“Stem-cell transplants” may reduce flares in a few people with severe lupus…",  # curly quotes
    ],
)
def test_punctuation_spacing_dashes_quotes_and_case_leave_the_words_the_same(edited):
    assert same_words(SENTENCE, edited)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Doesn't help with lupus.", "Doesn’t help with lupus."),  # straight and curly apostrophes
        ('He said "rarely".', "He said ‘rarely’."),
        ("Type-2 diabetes", "Type 2 diabetes"),
        ("Rates fell 5–10 percent.", "Rates fell 5-10 percent."),  # dashes in a range are one dash
        ("In 2019, rates fell.", "In 2019 rates fell"),
        ("Take 1.5 mg.", "take 1.5 mg"),  # a full stop after a number is not part of it
    ],
)
def test_same_words_in_other_cases(before, after):
    assert same_words(before, after)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (SENTENCE, SENTENCE.replace("a few", "a fee")),  # a changed word
        (SENTENCE, SENTENCE.replace("may reduce", "may not reduce")),  # "not" added
        (SENTENCE, SENTENCE.replace("may", "will")),
        (SENTENCE, SENTENCE.replace("a few people", "people")),  # words removed
        (SENTENCE, SENTENCE.replace("Stem-cell", "Stemcell")),  # a hyphen removed inside a word joins it
        ("Doesn't help.", "Doesnt help."),  # an apostrophe removed inside a word joins it
        ("Rates fell by 12 percent.", "Rates fell by 13 percent."),  # a changed digit
        ("Take 1.5 mg a day.", "Take 15 mg a day."),  # a decimal point is part of its number
        ("About 1,000 people.", "About 1000 people."),
        ("About 1,000 people.", "About 1 000 people."),
        ("Rates fell 5-10 percent.", "Rates fell 5 10 percent."),  # a range is not two numbers
        ("At -5 degrees.", "At 5 degrees."),  # a minus sign
        ("At −5 degrees.", "At 5 degrees."),
        ("Half (50%) improved.", "Half (50) improved."),  # signs count
        ("Levels <5 mg/kg.", "Levels 5 mg kg."),
        ("Wait 5′.", "Wait 5."),
        ("It works.", "It works. It is cheap."),
    ],
)
def test_a_changed_word_number_or_sign_is_not_the_same_words(before, after):
    assert not same_words(before, after)
    assert not same_words(after, before)


def test_words_lists_words_numbers_and_signs_without_case_or_punctuation():
    assert words("“Stem-cell” grafts cut flares by 1.5%, at -5 °C.") == [
        "stem",
        "cell",
        "grafts",
        "cut",
        "flares",
        "by",
        "1.5",
        "%",
        "at",
        "\u2212",
        "5",
        "°",
        "c",
    ]
