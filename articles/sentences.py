"""Split a paragraph of medical prose into sentences, with offsets.

Plain Python with no Django import: articles/text.py calls it for each unit of an article, and
bench/segmentation.py scores it against the gold set in bench/gold/.

How it decides. Every run of terminal punctuation that is followed by whitespace is a candidate
boundary (a stop glued to the next character is a decimal, a URL, a DOI or "e.g.,", never one).
A candidate is kept unless
- the next word cannot open a sentence: a plain lower-case word ("approx. thirty", "etc. and",
  "“Will it hurt?” is") or a symbol. Mixed-case terms do open one ("mRNA vaccines", "iPSCs are",
  "eGFR fell", "p53 was"): prose starts sentences with them, never a plain lower-case word;
- it falls inside a parenthesis that closes later ("(You may feel warm. This is normal.)" is one
  sentence, brackets included);
- it is a full stop after a list number at the start of a sentence ("1. Wash your hands.");
- it is a full stop after an abbreviation (the word lists below), where some abbreviations
  only hold before a number ("Fig. 2") and some may also end a sentence ("et al.", "U.S.").

Known limits, by design: a capital initial before a capital word is taken as an initial ("by
Jane K. The..." stays one sentence); "Ph.D.", "U.S.", "et al." end a sentence only before a
word in SENTENCE_STARTERS; a sentence that opens with a plain lower-case word is not split off;
a bare number opening a sentence is read as a list number ("Deaths? 12. The rest..." stays whole
after "Deaths?").
"""

import re

# Abbreviations that never end a sentence: titles before a name, and the Latin and English
# short forms that always lead into something ("e.g. salmeterol", "vs. placebo", "approx. 30").
# Compared in lower case, without the final full stop.
NEVER_FINAL = {
    "a.k.a", "approx", "ca", "cf", "dept", "dr", "e.g", "eg", "esp", "i.e", "ie", "incl", "mr", "mrs",
    "ms", "prof", "st", "viz", "vs", "wt",
}  # fmt: skip
# Abbreviations that hold only before a number: "Fig. 2", "No. 5", "pp. 12–14", "sect. 1.6",
# "Sept. 2025". Before anything else the full stop is a real one ("Did it differ? No. The ...").
BEFORE_NUMBER = {
    "art", "ch", "eq", "fig", "figs", "no", "nos", "p", "para", "pp", "ref", "refs", "sec", "sect",
    "suppl", "tab", "vol",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}  # fmt: skip
# Abbreviations that end a sentence as often as not ("...reported by Lindqvist et al. The trial
# stopped"). They end one only before a word in SENTENCE_STARTERS.
MAY_END = {"al", "co", "corp", "etc", "inc", "jr", "ltd", "sr"}
# Capitalised journal-title words ("N. Engl. J. Med.", "Am. J. Respir. Crit. Care Med."): they
# behave like MAY_END, since a citation can close a sentence ("...in Lancet Respir. Med.").
JOURNAL_WORDS = {
    "Acad", "Am", "Ann", "Assoc", "Biol", "Br", "Clin", "Crit", "Dis", "Engl", "Eur", "Immunol",
    "Int", "Intern", "Med", "Nat", "Natl", "Pharmacol", "Proc", "Pulm", "Res", "Respir", "Rev",
    "Rheumatol", "Sci", "Ther", "Transl",
}  # fmt: skip
# Words that commonly open a sentence; after a MAY_END abbreviation they mark a new one. Names and
# nouns are left out on purpose: "the U.S. Food and Drug Administration" must stay whole.
SENTENCE_STARTERS = {
    "A", "After", "All", "Although", "An", "As", "At", "Before", "Both", "But", "Each", "Few",
    "For", "He", "Her", "His", "However", "If", "In", "It", "Its", "Many", "Most", "No", "None",
    "On", "One", "Only", "Other", "Others", "Our", "She", "Several", "Some", "Such", "That", "The",
    "Their", "There", "These", "They", "This", "Those", "Thus", "We", "When", "While", "You",
}  # fmt: skip
# A single capital letter before a full stop is an initial ("J. R. Hartley", "N. Engl.") unless a
# word like these names it: "vitamin D.", "Stage I.", "hepatitis B.", "arm B." end sentences.
LABEL_WORDS = {
    "appendix", "arm", "category", "class", "cohort", "factor", "grade", "group", "hepatitis",
    "influenza", "level", "part", "phase", "plan", "protein", "schedule", "stage", "step", "type",
    "vitamin", "zone",
}  # fmt: skip

OPENERS = "\"'“‘«(["
CLOSERS = "\"'”’»)]"

_CANDIDATE = re.compile(
    r"[.!?‽…]+"  # terminal punctuation, an ellipsis included
    r"[\"'”’»)\]]*"  # closing quotes and brackets
    r"(?:\s?\[\d+(?:\s?[,–-]\s?\d+)*\])?"  # a citation bracket after the stop: "fibrosis.[3]"
    r"(?=\s)"  # then whitespace
)
# Abbreviations spelled with inner full stops: "U.S", "Ph.D", "b.i.d", "a.m" (the last one is
# the candidate). Longer pieces are domain names ("nice.org.uk"), which end sentences.
_DOTTED = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")
# What a numbered list puts before an item: "1.", "b.", "iv.".
_LIST_MARKER = re.compile(r"\d{1,3}|[A-Za-z]|[ivx]{1,4}|[IVX]{1,4}")
# A lower-case word that still opens a sentence: "mRNA", "iPSCs", "eGFR", "pH", "p53".
_MIXED_CASE = re.compile(r"[a-z]{1,4}[A-Z0-9]")


def _word_before(text, stop, floor):
    """Start of the whitespace-delimited word that ends at `stop` (not before `floor`)."""
    begin = stop
    while begin > floor and not text[begin - 1].isspace():
        begin -= 1
    return begin


def _next_word(text, after, end):
    """The whitespace-delimited word after `after`, with opening quotes and brackets removed."""
    begin = after
    while begin < end and text[begin].isspace():
        begin += 1
    finish = begin
    while finish < end and not text[finish].isspace():
        finish += 1
    return text[begin:finish].lstrip(OPENERS)


def _can_open_sentence(word):
    if not word:
        return False
    first = word[0]
    return first.isupper() or first.isdigit() or bool(_MIXED_CASE.match(word))


def _inside_parenthesis(text, sentence_start, after, end):
    """Whether a parenthesis opened in this sentence is still open at `after` and closes later."""
    still_open = text.count("(", sentence_start, after) > text.count(")", sentence_start, after)
    return still_open and text.find(")", after, end) != -1


def _abbreviation_holds(text, word, word_start, sentence_start, next_word):
    """Whether the full stop after `word` belongs to an abbreviation rather than ending the sentence."""
    lower = word.lower()
    if lower in NEVER_FINAL:
        return True
    if lower in BEFORE_NUMBER:
        return next_word[:1].isdigit()
    if len(word) == 1 and word.isupper():
        label_end = word_start
        while label_end > sentence_start and text[label_end - 1].isspace():
            label_end -= 1
        label = text[_word_before(text, label_end, sentence_start) : label_end]
        return label.lower() not in LABEL_WORDS
    if _DOTTED.fullmatch(word) and word.islower():
        return False  # "b.i.d.", "a.m.": mid-sentence they come before lower case, not a capital
    if lower in MAY_END or word in JOURNAL_WORDS or _DOTTED.fullmatch(word):
        return next_word.rstrip(",;:") not in SENTENCE_STARTERS  # "U.S. Food and Drug" vs "U.S. The"
    return False


def _is_boundary(text, stop, after, sentence_start, end):
    """Whether the candidate from `stop` (its first punctuation mark) to `after` ends a sentence."""
    next_word = _next_word(text, after, end)
    if not _can_open_sentence(next_word):
        return False
    if _inside_parenthesis(text, sentence_start, after, end):
        return False
    if text[stop] != "." or text.startswith("..", stop):
        return True  # "?", "!", "‽", "…" or "...": no abbreviation ends that way
    word_start = _word_before(text, stop, sentence_start)
    word = text[word_start:stop]
    if not word or word[-1] in CLOSERS:
        return True  # the stop follows a bracket or quote: "fibrosis [3].", "“crushing”."
    if "/" in word:
        return True  # a URL, a DOI or a unit: "https://example.org/a.b.", "126 mg/dL."
    if word_start == sentence_start and _LIST_MARKER.fullmatch(word):
        return False  # "1. Wash your hands."
    word = word.lstrip(OPENERS)
    return not _abbreviation_holds(text, word, word_start, sentence_start, next_word)


def split_sentences(text: str, start: int = 0, end: int | None = None):
    """Return (start, end) offsets of the sentences in text[start:end].

    Offsets index `text`; spans are in order and hold no surrounding whitespace, so whatever lies
    between two spans (or before the first, or after the last) is whitespace only.
    """
    end = len(text) if end is None else end
    spans = []
    cursor = start
    while cursor < end and text[cursor].isspace():
        cursor += 1
    for match in _CANDIDATE.finditer(text, cursor, end):
        stop, after = match.span()
        if not _is_boundary(text, stop, after, cursor, end):
            continue
        spans.append((cursor, after))
        cursor = after
        while cursor < end and text[cursor].isspace():
            cursor += 1
    tail = end
    while tail > cursor and text[tail - 1].isspace():
        tail -= 1
    if tail > cursor:
        spans.append((cursor, tail))
    return spans
