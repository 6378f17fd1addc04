"""Example rewordings of a sentence that fit a weaker evidence grade, made by rule from the cue data.

Plain Python with no Django import; advice() is the way in. It imports claims.text.wording,
which never imports it. The rules:
- hype words and superlatives take their neutral `replace` form at every level ("this
  breakthrough treatment" -> "this new treatment");
- in place, for probable and possible: hedges stronger than the level take their softer form
  ("probably" -> "possibly"); in each clause with no hedge weak enough, the first strong word,
  denial or firm attribution takes its softer form ("can" -> "may", "does not" -> "may not",
  "studies have shown that" -> "early studies suggest that"); a verb without one of its own is
  softened by the [rewording.verb] patterns ("cures" -> "may cure", "eased symptoms" -> "may have
  eased symptoms", "has cured" -> "has possibly cured", never "possibly eased"; a past form
  followed by a preposition or nothing may be a participle and is left alone); a bare form takes
  "may" only after an auxiliary, a pronoun or a plural ("cells repair", never "support tissue
  repair", where it is a noun), else the templates below stand alone;
- templates, for every level: the sentence inside the level's templates ("It is not known
  whether ..."), with attributions dropped and hedges made plain ("may" -> "can"); a grade that
  says the evidence is against ("Not supported by evidence", `denial_fits`) takes the `against`
  templates instead, an absence of evidence ("There is no good evidence that ..."), never the open
  question of "very uncertain";
- a sentence that opens with a framing phrase and a comma ("In a large study of adults, ...",
  `framing` in wording.toml) gets no template put before it, only its verbs softened in place;
- a sentence of several clauses that no template fits has each clause that is too strong
  wrapped on its own;
- every suggestion is rated again and kept only if it fits the level; at most three are kept.
"""

import re
from dataclasses import dataclass

from claims.text.wording import (
    FIRM_FAMILIES,
    HYPE_FAMILIES,
    Clause,
    CueEntry,
    CueSet,
    Hit,
    Rating,
    Strength,
    _starts_with,
    analyse,
    inflect,
    load_cues,
    rate,
)

MAX_REWORDINGS = 3


@dataclass(frozen=True)
class Advice:
    words_to_soften: tuple[str, ...]
    rewordings: tuple[str, ...]


def advice(
    text: str, rating: Rating, allowed: Strength, cues: CueSet | None = None, *, denial_fits: bool = False
) -> Advice:
    """The words that push `text` above `allowed`, and up to three rewordings of it that fit; empty when it fits."""
    return suggest(text.strip(), rating, allowed, cues or load_cues(), denial_fits=denial_fits)


def suggest(text: str, rating: Rating, allowed: Strength, cues: CueSet, *, denial_fits: bool = False) -> Advice:
    if rating.strength <= allowed:
        return Advice((), ())
    words = words_to_soften(rating, allowed)
    candidates = [_in_place(text, allowed, cues)] if allowed > Strength.UNCERTAIN else []
    framed = _framed(text, cues)
    if not framed:
        body = _template_body(text, allowed, cues)
        templates = cues.denial_templates if denial_fits and cues.denial_templates else cues.templates.get(allowed, ())
        candidates += [template.format(s=body) for template in templates]
    kept = _fitting(candidates, text, allowed, cues)
    if not kept and not framed:
        kept = _fitting([_clause_by_clause(text, allowed, cues)], text, allowed, cues)
    return Advice(words, tuple(kept[:MAX_REWORDINGS]))


def words_to_soften(rating: Rating, allowed: Strength) -> tuple[str, ...]:
    """The words that push a rating above `allowed`, hype words always, each once in text order."""
    return tuple(dict.fromkeys(c.text for c in rating.cues if c.level > allowed or c.family in HYPE_FAMILIES))


def _fitting(candidates, text, allowed, cues):
    kept = []
    for candidate in candidates:
        candidate = _tidy(candidate) if candidate else None
        if candidate and candidate != text and candidate not in kept and rate(candidate, cues).strength <= allowed:
            kept.append(candidate)
    return kept


def _in_place(text: str, allowed: Strength, cues: CueSet) -> str | None:
    """The sentence with its strong words softened where they stand, or None when a word has no softer form."""
    analysis = analyse(text, cues)
    edits = _hype_edits(text, analysis)
    for clause in analysis.clauses:
        main = [h for h in clause.hits if h.counts]
        weak = [h for h in main if h.entry.level < Strength.DEFINITE]
        for hit in weak:
            if hit.entry.level > allowed:
                softer = hit.entry.softer_form(allowed.label)
                if softer is None:
                    return None
                edits.append(_edit(text, analysis, clause, hit, softer))
        if weak:
            continue  # its hedges, softened where needed, already fit
        strong = [h for h in main if h.entry.family in FIRM_FAMILIES or h.entry.family in ("negation", "reported")]
        if not strong:
            continue
        softer = strong[0].entry.softer_form(allowed.label) or _verb_pattern(strong[0], analysis, allowed, cues)
        if softer is None:
            return None
        edits.append(_edit(text, analysis, clause, strong[0], softer))
    return _apply(text, edits)


# Words after which a bare verb form is a verb ("they repair"), as after a plural ("cells repair").
SUBJECT_PRONOUNS = {"i", "we", "you", "they", "these", "those", "both", "many", "most", "some", "others"}


def _framed(text: str, cues: CueSet) -> bool:
    """True when the sentence opens with a framing phrase and a comma: "In a large study of adults, ..."."""
    if "," not in text or text.split(maxsplit=1)[0].lower() not in cues.framing:
        return False  # most sentences: no need to read the words
    words = analyse(text, cues).words
    return bool(words) and bool(_starts_with(words, 0, cues.framing)) and "," in words


def _verb_pattern(hit: Hit, analysis, allowed: Strength, cues: CueSet) -> str | None:
    if not hit.form.kind:
        return None
    before = analysis.words[hit.index - 1] if hit.index > 0 else ""
    if hit.form.kind == "base" and before not in cues.auxiliaries and not _may_be_subject(before):
        return None  # "support tissue repair": a noun, where "may" would make no sense
    after = (
        analysis.words[hit.index + len(hit.form.tokens)]
        if hit.index + len(hit.form.tokens) < len(analysis.words)
        else ""
    )
    participle = not after or after in cues.participle_followers
    if allowed == Strength.POSSIBLE and hit.form.kind == "ed" and before not in cues.auxiliaries and participle:
        return None  # "function restored to normal": perhaps a participle, where "may have" would make no sense
    keys = []
    if hit.index > 0 and analysis.words[hit.index - 1] in cues.auxiliaries:
        keys.append(f"after_auxiliary_{allowed.label}")
    keys += [f"{allowed.label}_{'past' if hit.form.kind == 'ed' else hit.form.kind}", allowed.label]
    return next((cues.verb_softer[key] for key in keys if key in cues.verb_softer), None)


def _may_be_subject(word: str) -> bool:
    return word in SUBJECT_PRONOUNS or (len(word) > 2 and word.endswith("s") and not word.endswith("ss"))


def _template_body(text: str, allowed: Strength, cues: CueSet) -> str:
    """The sentence as it reads inside a template: hype replaced, attributions dropped, hedges made plain."""
    analysis = analyse(text, cues)
    edits = _hype_edits(text, analysis)
    for clause in analysis.clauses:
        for hit in clause.hits:
            plain = hit.entry.softer_form("plain")
            if hit.entry.family not in HYPE_FAMILIES and plain is not None and _made_plain(hit.entry, allowed):
                edits.append(_edit(text, analysis, clause, hit, plain, dropping=not plain))
    opening_kept = all(start > len(text) - len(text.lstrip()) for start, _, _ in edits)
    body = _tidy(_apply(text, edits), capitalise=False).rstrip(" .!?")
    first, _, rest = body.partition(" ")
    # "Stem cells ..." becomes "stem cells ..."; "MSCs ...", "Dr Lee ..." and "Mayor Thompson ..." keep theirs.
    common_word = first[:1].isupper() and (first[1:].islower() or len(first) == 1) and first != "I"
    if opening_kept and common_word and not rest[:1].isupper():
        body = body[0].lower() + body[1:]
    return body


def _made_plain(entry: CueEntry, allowed: Strength) -> bool:
    if allowed == Strength.UNCERTAIN:
        return True  # "It is not known whether stem cells can (not: may) ..."
    if entry.family == "negation":
        return False  # "It is likely that X does not ..." keeps the denial
    return entry.family == "reported" or allowed < entry.level < Strength.DEFINITE


def _clause_by_clause(text: str, allowed: Strength, cues: CueSet) -> str:
    pieces = []
    for clause in analyse(text, cues).clauses:
        piece = text[clause.start : clause.end].strip(" ,;:.")
        if rate(piece, cues).strength > allowed:
            piece = cues.templates[allowed][0].format(s=_template_body(piece, allowed, cues)).rstrip(".")
            piece = piece[0].lower() + piece[1:] if pieces else piece
        pieces.append(piece)
    return "; ".join(pieces) + "."


# --- editing the text ----------------------------------------------------------------------------


def _hype_edits(text: str, analysis) -> list:
    return [
        (hit.start, hit.end, _fill(hit.entry.replace, hit, text))
        for clause in analysis.clauses
        for hit in clause.hits
        if hit.entry.family in HYPE_FAMILIES and hit.entry.replace is not None
    ]


def _edit(text: str, analysis, clause: Clause, hit: Hit, template: str, *, dropping: bool = False):
    """(start, end, replacement); an attribution goes with its subject ("Clinical studies have shown that")."""
    start = hit.start
    if hit.entry.attribution == "subject" or hit.entry.attribution and dropping:
        commas = [j for j in range(clause.first, hit.index) if analysis.words[j] == ","]
        start = analysis.spans[commas[-1] + 1][0] if commas else clause.start
    return start, hit.end, _fill(template, hit, text)


def _fill(template: str, hit: Hit, text: str) -> str:
    form = text[hit.start : hit.end]
    first, _, rest = form.partition(" ")
    last = form.rpartition(" ")[2]
    template = re.sub(r"\{as:(\w+)\}", lambda m: inflect(m.group(1), hit.form.kind or "base"), template)
    return template.format(form=form, base=hit.form.base, first=first, rest=rest, last=last)


def _apply(text: str, edits) -> str:
    """The text with each (start, end, replacement) made, right to left; an edit inside a wider one is dropped."""
    edits = [e for e in edits if not any(o is not e and o[0] <= e[0] and e[1] <= o[1] for o in edits)]
    for start, end, replacement in sorted(edits, reverse=True):
        if replacement and text[start].isupper() and not text[:start].strip():
            replacement = replacement[0].upper() + replacement[1:]
        before, after = text[:start], replacement + text[end:]
        # Keep "a" or "an" right for the word that now follows it.
        article = re.search(r"\b(an?)(\s+)$", before, re.IGNORECASE)
        following = re.match(r"\s*(\w+)", after)
        if article and following:
            wanted = "an" if following.group(1)[0].lower() in "aeiou" else "a"
            wanted = wanted.capitalize() if article.group(1)[0].isupper() else wanted
            before = before[: article.start()] + wanted + article.group(2)
        text = before + after
    return text


def _tidy(text: str, *, capitalise: bool = True) -> str:
    text = re.sub(r"\s{2,}", " ", text).strip()
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return text[0].upper() + text[1:] if text and capitalise else text
