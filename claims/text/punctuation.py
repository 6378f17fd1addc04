"""Whether two wordings of a sentence differ only in punctuation, spacing, quote marks, dashes or case.

An approved claim whose sentence an edit touched only in those ways keeps its approval: what a
reviewer approved are its words and numbers, and they still stand. `same_words` decides that, and
leans towards "not the same": any doubt sends the claim back to review, which costs a reviewer a
minute, where a wrong "same" would let a changed statement keep a badge.

Two texts have the same words when they give the same sequence of tokens, compared without case:
- a word is a run of letters and digits. Punctuation and spaces separate words and are otherwise
  ignored: full stops, commas, colons, semicolons, question and exclamation marks, brackets,
  ellipses, straight and curly quote marks and apostrophes, hyphens and dashes of every width.
  So "stem-cell" and "stem cell" are the same words, but "stem-cell" and "stemcell" are not
  (removing a hyphen inside a word joins two words into another one: "re-treat", "retreat"),
  nor are "don't" and "dont".
- inside a number, punctuation is part of it: "1.5" is not "15", "1,000" is not "1000" nor
  "1 000", "5-10" is not "5 10" (a dash between numbers is a range). Dashes of every width are one
  dash, so "5–10" is "5-10".
- a dash just before a number and not after a letter or digit is a minus sign: "-5" is not "5".
- any other sign is a word of its own: %, <, >, ≤, ±, +, /, °, primes and the like change what is
  said ("50%", "<5", "mg/kg", "5′"), so "50%" is not "50".

Plain Python, no Django.
"""

import re

# Every dash and hyphen is one dash; curly quotes and apostrophes are straight ones.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u00b4": "'", "`": "'"}
_QUOTES |= {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"'}
_TRANSLATION = str.maketrans({**dict.fromkeys(_DASHES, "-"), **_QUOTES})

# Marks that only punctuate: they separate words and say nothing of their own.
PUNCTUATION = frozenset(".,;:!?'\"()[]{}-\u2026\u00b7_")

_TOKEN = re.compile(
    r"""
    (?P<word>(?:[^\W_]|(?<=\d)[.,:/-](?=\d))+)  # a word, or a number with its points, commas and ranges
    | (?P<minus>(?<![^\W_])-(?=\d))              # a minus sign
    | (?P<mark>[^\w\s])                          # any other mark, kept when it is not punctuation
    """,
    re.VERBOSE,
)
MINUS = "\u2212"


def words(text: str) -> list[str]:
    """The words, numbers and signs of `text` in order, without case, punctuation or spacing."""
    tokens = []
    for match in _TOKEN.finditer(text.translate(_TRANSLATION).casefold()):
        if match["word"]:
            tokens.append(match["word"])
        elif match["minus"]:
            tokens.append(MINUS)
        elif match["mark"] not in PUNCTUATION:
            tokens.append(match["mark"])
    return tokens


def same_words(a: str, b: str) -> bool:
    """Whether `a` and `b` differ only in punctuation, spacing, quote marks, dashes or letter case."""
    return words(a) == words(b)
