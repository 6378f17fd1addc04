"""How strongly a sentence words its claim, and whether that is stronger than its evidence allows.

Plain Python with no Django import. The words it looks for are data, in claims/text/cues/wording.toml,
which editors extend without touching code; this module holds only the rules below.

Scale. Strength runs UNCERTAIN < POSSIBLE < PROBABLE < DEFINITE, matching the wording that
evidence-grading groups ask for: very low certainty "we don't know", low "may", moderate
"probably", high a plain statement. A claim overclaims when its wording is stronger than its grade
allows (is_overclaiming).

Rules, applied to one sentence (or part of one):
1. Cues are matched as whole words in any case, straight or curly apostrophes alike; where two
   start at the same word the longer wins ("could not exclude" is a hedge, "could not" a denial,
   "could" a hedge), otherwise the first, except that a hedge or absence phrase overlapping the
   end of a denial wins over it ("are not sure" is doubt, not the denial "are not").
2. The sentence is cut into clauses at "but", ", yet", "whereas", ";", ", so" and ", and so"
   (not ", so that", which joins a purpose to its clause). Each clause is judged on
   its own and the strongest clause sets the sentence's strength: "X may help, but it is still
   being studied" is POSSIBLE; "X won't cure it, but it can control it" is DEFINITE.
3. In a clause, hedging cues (probable, hedge, uncertain, absence) set its level, the weakest
   one winning, and soften every strong word in the clause: "stem cells may reverse fibrosis" is
   POSSIBLE. Hopeful or claimed attribution ("researchers hope", "supporters say", "results
   suggest") sets the level only when no such modal word stands in the clause, because the
   reported words then say more ("results suggest that it is probably safe" is PROBABLE).
4. Absence of evidence ("no evidence that", "it is not known whether", "has not been shown", "we found
   no trials", "no conclusions can be drawn") makes its clause UNCERTAIN, and strong and hype words in
   that clause do not count: the "can" of "no conclusions can be drawn" claims nothing.
5. A denial ("does not cure", "did not improve", "cannot") is a firm statement: DEFINITE, with
   `negated` set. A negation in a dependent part ("people who have not responded", "if other
   treatments have not worked") neither denies the claim nor counts.
6. A clause with strong words and no hedge is DEFINITE; a clause with no cue at all is neutral.
   A sentence whose clauses are all neutral has no hedge anywhere and reads as a plain statement
   of fact: DEFINITE.
7. Hype: hype words and superlatives (breakthrough, miracle, guaranteed, revolutionise, best,
   most effective) make the sentence DEFINITE wherever they stand and whatever hedge is near,
   because no hedge makes "breakthrough" fit weak evidence: "this breakthrough could transform
   care" is DEFINITE. They stop counting only under an absence-of-evidence phrase or after a
   negation in their clause ("it is not a miracle cure" is a denial; "there is no evidence that
   it is a breakthrough" is UNCERTAIN).
8. A conceded clause ("Although the mechanism is unclear, ...", "..., while the studies were
   small") is background: its cues do not count, except hype words (rule 7).
9. A reported hope or claim that a later clause rebuts is background too: in "Some clinics claim
   that MSCs can cure lupus, but no trial has shown this" the sentence reports the claim in order to
   deny it, so the claim's clause (hype words included) does not count and the rebuttal, an
   absence of evidence (UNCERTAIN) or a denial, sets the strength. Likewise a denial that gives the
   reason for a doubting consequence ("None of the trials measured survival, so its effect is
   unknown") is background, and the doubt sets the strength.

10. A call for research ("further research is needed") has no strength of its own: it is set aside,
   and so are the words after it in its clause (what it asks about) and an attribution of the call
   ("experts agree that more research is needed"). A sentence that says nothing but calls for research
   claims nothing: UNCERTAIN. "X reduces Y; further research is needed" is DEFINITE, from its first clause.
11. Some words are set aside where they stand, as the data says: a hedging adverb before an adjective
   (`describes_before`: "potentially fatal" says firmly that it can kill) and "could" in a sentence set
   in a finished study (`past_after`: "In the trial, the device could reduce the wait" reports past
   ability). Only a clear past setting counts; "the device could reduce the wait" stays a hedge.
12. Promotional words ("promising", "encouraging") and hype words ("revolutionary", "game-changing") are
   named in the explanation as promotional or hype (`Rating.promotional`), counted or not.

Known limits: no parsing, so the scope of a hedge is its clause; "will" is treated as a claim
except before the procedural verbs listed in the data ("patients will be asked to");
proper nouns written at the start of a sentence are lower-cased in rewordings.
"""

from dataclasses import dataclass, field

from claims.text.wording_cues import (
    CALL_FAMILY,
    DEFAULT_CUES_PATH,
    FIRM_FAMILIES,
    HYPE_FAMILIES,
    TOKEN,
    WEAK_FAMILIES,
    CueEntry,
    CueSet,
    Form,
    Strength,
    cues_version,
    inflect,
    load_cues,
    norm,
)

__all__ = [
    "DEFAULT_CUES_PATH",
    "Cue",
    "CueSet",
    "Rating",
    "Strength",
    "cues_version",
    "inflect",
    "is_overclaiming",
    "load_cues",
    "rate",
]


@dataclass(frozen=True)
class Cue:
    """One matched cue in the rated text."""

    text: str
    start: int
    end: int
    family: str
    level: Strength  # the level this cue pushes towards (a denial is DEFINITE)
    reason: str  # what it does in this sentence, in words for an editor
    entry: CueEntry = field(compare=False, repr=False)
    form: Form = field(compare=False, repr=False)


@dataclass(frozen=True)
class Rating:
    strength: Strength
    negated: bool
    cues: tuple[Cue, ...]  # the cues that drove the rating, in text order
    set_aside: tuple[Cue, ...] = ()  # cues found but not counted, each with its reason

    @property
    def promotional(self) -> tuple[Cue, ...]:
        """Words that sell the result rather than state it, counted or set aside (rule 12), in text order."""
        found = {c.start: c for c in self.cues + self.set_aside if c.entry.promotional}
        return tuple(found[start] for start in sorted(found))

    def promotion_note(self) -> str:
        """The promotional and hype words in a sentence for an editor; "" when there are none."""
        hype = [c.text for c in self.promotional if c.family in HYPE_FAMILIES]
        selling = [c.text for c in self.promotional if c.family not in HYPE_FAMILIES]
        notes = []
        if hype:
            notes.append(
                f"Hype: {_quoted(hype)} promote{'s' if len(hype) == 1 else ''} the result beyond any evidence."
            )
        if selling:
            notes.append(
                f"Promotional: {_quoted(selling)} sell{'s' if len(selling) == 1 else ''} the result as good news "
                "rather than saying what was found."
            )
        return " ".join(notes)

    def explanation(self) -> str:
        head = self.strength.label.capitalize() + (", a denial" if self.negated else "")
        promotion = (" " + self.promotion_note()) if self.promotional else ""
        if not self.cues:
            notes = "".join(f" “{text}” {reason}." for text, reason in _merged(self.set_aside, same_reason=True))
            return f"{head}: no hedging word, so it reads as a plain statement of fact.{notes}{promotion}"
        parts = [f"“{text}” {reason}" for text, reason in _merged(self.cues)]
        sentence = f"{head}: " + "; ".join(parts)
        hedged = any(c.family in WEAK_FAMILIES or c.level < Strength.DEFINITE for c in self.cues + self.set_aside)
        if self.strength == Strength.DEFINITE and not hedged:
            sentence += "; no hedging word softens it"
        notes = [f" “{text}” {reason}." for text, reason in _merged(self.set_aside, same_reason=True)]
        return sentence + "." + "".join(notes) + promotion


def _quoted(words) -> str:
    quoted = [f"“{w}”" for w in dict.fromkeys(words)]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


# --- finding cues and clauses --------------------------------------------------------------------


@dataclass
class Hit:
    """A cue found in the text (claims/text/rewording.py edits the text at these)."""

    form: Form
    start: int
    end: int
    index: int  # token index of its first word
    conceded: bool = False
    dependent: bool = False
    aside: str = ""  # why the data sets it aside where it stands (rule 11), or why a call for research does (10)

    @property
    def entry(self) -> CueEntry:
        return self.form.entry

    @property
    def counts(self) -> bool:
        return not self.conceded and not self.dependent and not self.aside


@dataclass
class Clause:
    first: int  # token range
    last: int
    start: int  # character range
    end: int
    hits: list
    level: Strength | None = None
    negated: bool = False
    counted: list = field(default_factory=list)
    aside: list = field(default_factory=list)  # (hit, reason)
    calls_only: bool = False  # nothing in it but a call for research (rule 10)


@dataclass
class Analysis:
    spans: list  # (start, end) of each token
    words: list  # each token, normalised
    clauses: list


def _scan(text: str, cues: CueSet):
    """Tokens (with offsets) and the cue hits among them, longest match first, left to right."""
    spans = [m.span() for m in TOKEN.finditer(text)]
    normalised = norm(text)  # the same length as `text`: only single characters are swapped
    words = [normalised[s:e] for s, e in spans]
    hits, i = [], 0
    while i < len(words):
        form = _match_at(text, spans, words, i, cues)
        if form is None:
            i += 1
            continue
        n = len(form.tokens)
        if form.entry.family == "negation" and _doubt_overlaps(text, spans, words, i, n, cues):
            i += 1  # "are not sure": the doubt starting at "not" wins over the denial "are not"
            continue
        hit = Hit(form, spans[i][0], spans[i + n - 1][1], i)
        hit.aside = _set_aside_where_it_stands(text, hit)
        hits.append(hit)
        i += n
    return spans, words, hits


def _set_aside_where_it_stands(text: str, hit: Hit) -> str:
    """Why the data sets this cue aside where it stands (rule 11), or ""."""
    entry = hit.entry
    if entry.describes_before:
        described = entry.describes_before.match(text[hit.end : hit.end + 40])
        if described:
            return f"qualifies “{described.group(0).strip()}”, not the claim, so it hedges nothing"
    if entry.past_after:
        setting = list(entry.past_after.finditer(text[: hit.start]))
        if setting:
            return (
                f"tells what was possible in a finished study (“{setting[-1].group(0)}”): "
                "a report of what happened, not a hedge"
            )
    return ""


def _match_at(text, spans, words, i, cues: CueSet) -> Form | None:
    for n in range(min(cues.longest.get(words[i], 0), len(words) - i), 0, -1):
        form = cues.forms.get(tuple(words[i : i + n]))
        if form is not None and not _guarded(text, spans[i][0], spans[i + n - 1][1], form.entry):
            return form
    return None


def _doubt_overlaps(text, spans, words, i, n, cues: CueSet) -> bool:
    """True when a hedge or absence phrase starts inside the denial at token i and runs past its end."""
    for j in range(i + 1, i + n):
        other = _match_at(text, spans, words, j, cues)
        if other and other.entry.family in WEAK_FAMILIES and j + len(other.tokens) > i + n:
            return True
    return False


def _guarded(text: str, start: int, end: int, entry: CueEntry) -> bool:
    if entry.not_after and entry.not_after.search(text[max(0, start - 40) : start]):
        return True
    if entry.not_before and entry.not_before.search(text[end : end + 40]):
        return True
    if entry.capitalised_is_name and text[start].isupper() and text[start + 1 : end].islower():
        return bool(text[:start].strip(" \t\"'“‘(["))  # "in May", but not "MAY" or a sentence's first word
    return False


def _starts_with(words, i, phrases):
    """The length of the phrase (from a first-word index) that starts at token i, or 0."""
    candidates = phrases.get(words[i], ()) if i < len(words) else ()
    return next((len(p) for p in candidates if tuple(words[i : i + len(p)]) == p), 0)


def _clauses(words, cues: CueSet):
    """Token ranges of the clauses, and the conceded ranges within them."""
    clauses, conceded, start, i = [], [], 0, 0
    while i < len(words):
        joined = _starts_with(words, i, cues.clause_joins)
        n = 0 if joined else _starts_with(words, i, cues.clause_breaks)
        if joined:
            i += joined
        elif n:
            clauses.append((start, i))
            start = i = i + n
        else:
            i += 1
    clauses.append((start, len(words)))
    for first, last in clauses:
        opening = next((i for i in range(first, last) if words[i][0].isalnum()), last)
        openers = [opening] + [i + 1 for i in range(opening, last - 1) if words[i] == ","]
        found = next((i for i in openers if _starts_with(words, i, cues.concessive)), None)
        if found is None:
            continue
        # "Although X, Y" concedes X; "Y, although X" concedes the rest of the clause.
        end = next((j for j in range(found, last) if words[j] == ","), last) if found == opening else last
        if end < last or found > opening:
            conceded.append((found, end))
    return [c for c in clauses if c[1] > c[0]], conceded


def _dependent(words, index, first, cues: CueSet) -> bool:
    """True when a negation sits after "who", "if"... in its own comma-separated stretch."""
    for j in range(index - 1, first - 1, -1):
        if words[j] == ",":
            return False
        if words[j] in cues.dependent:
            return True
    return False


# --- rating --------------------------------------------------------------------------------------


def _calls(clause: Clause, words) -> None:
    """Set aside a call for research, what it asks about and who calls for it (rule 10)."""
    calls = [h for h in clause.hits if h.counts and h.entry.family == CALL_FAMILY]
    if not calls:
        return
    first = calls[0]
    for hit in clause.hits:
        if hit.aside or hit.conceded or hit.dependent:
            continue
        if hit.entry.family == CALL_FAMILY:
            hit.aside = hit.entry.reason
        elif hit.index > first.index:
            hit.aside = "is part of what the call for research asks about"
        elif hit.entry.family == "reported" and hit.index + len(hit.form.tokens) == first.index:
            hit.aside = "reports the call for research, not a finding"
    # Nothing but the call, and who calls for it, before it in its clause: the clause claims nothing.
    covered = {j for h in clause.hits if h.index <= first.index for j in range(h.index, h.index + len(h.form.tokens))}
    before = [j for j in range(clause.first, first.index) if words[j][0].isalnum() and j not in covered]
    clause.calls_only = not [w for w in before if words[w] not in ("and", "so", "also", "but", "still")]


def _judge(clause: Clause) -> None:
    """Set the clause's level, whether it denies, and which cues count (rules 3 to 8, 10 and 11)."""
    main = [h for h in clause.hits if h.counts]
    for hit in clause.hits:
        if hit.aside and not hit.conceded and not hit.dependent:
            clause.aside.append((hit, hit.aside))
        elif hit.dependent:
            clause.aside.append((hit, "is in a dependent clause and does not deny the claim"))
        elif hit.conceded and hit.entry.family not in HYPE_FAMILIES:
            clause.aside.append((hit, "is in a conceded clause and does not count"))
    absent = [h for h in main if h.entry.family == "absence"]
    negations = [h for h in main if h.entry.family == "negation"]
    modal = [h for h in main if h.entry.family in WEAK_FAMILIES]
    reported = [h for h in main if h.entry.family == "reported"]
    weak_reported = [h for h in reported if h.entry.level < Strength.DEFINITE]
    firm = [h for h in main if h.entry.family in FIRM_FAMILIES] + [h for h in reported if h not in weak_reported]
    weak = modal or weak_reported
    if modal:
        clause.aside += [(h, "is outweighed by the modal word in its clause") for h in weak_reported]
    hype = []
    for hit in (h for h in clause.hits if h.entry.family in HYPE_FAMILIES and not h.aside):
        if absent:
            clause.aside.append((hit, "is inside an absence-of-evidence phrase and does not count"))
        elif any(n.start < hit.start for n in negations):
            clause.aside.append((hit, "is denied, not claimed"))
        else:
            hype.append(hit)
    if weak:
        clause.level = min(h.entry.level for h in weak)
        clause.counted = [h for h in weak if h.entry.level == clause.level]
        clause.aside += [(h, "is outweighed by a weaker word in its clause") for h in weak if h not in clause.counted]
        if absent:
            clause.aside += [(h, "is inside an absence-of-evidence phrase and does not count") for h in firm]
        else:
            clause.aside += [(h, "is softened by the hedge") for h in firm + negations]
    elif firm or negations:
        clause.level = Strength.DEFINITE
        clause.counted = firm + negations
    if hype:
        if weak:
            clause.aside += [(h, "does not soften the hype word") for h in clause.counted]
            clause.counted = []
        clause.level = Strength.DEFINITE
        clause.counted = sorted(clause.counted + hype, key=lambda h: h.start)
    denies = negations or any(h.entry.negates for h in clause.counted)
    clause.negated = bool(denies) and clause.level is not None and clause.level > Strength.UNCERTAIN


def _rebutted(clauses) -> None:
    """Set aside each clause that reports a hope or claim when a later clause says it is unshown or false (rule 9)."""
    for number, clause in enumerate(clauses):
        reported = [h for h in clause.hits if h.counts and h.entry.family == "reported"]
        claimed = [h for h in reported if h.entry.level < Strength.DEFINITE]
        rebuttal = any(
            later.level == Strength.UNCERTAIN or (later.negated and later.level == Strength.DEFINITE)
            for later in clauses[number + 1 :]
        )
        if claimed and rebuttal and clause.level is not None:
            clause.aside += [(h, "reports a claim that the sentence goes on to rebut") for h in clause.counted]
            clause.level, clause.negated, clause.counted = None, False, []


def _premised(clauses, words, cues: CueSet) -> None:
    """Set aside a denial that gives the reason for a doubting consequence after ", so" (rule 9)."""
    opened = [p for phrases in cues.consequence.values() for p in phrases]
    for before, after in zip(clauses, clauses[1:], strict=False):
        consequence = any(tuple(words[max(after.first - len(p), 0) : after.first]) == p for p in opened)
        denial = before.negated and before.level == Strength.DEFINITE
        if consequence and denial and after.level == Strength.UNCERTAIN:
            before.aside += [(h, "gives the reason for the doubt that follows") for h in before.counted]
            before.level, before.negated, before.counted = None, False, []


def analyse(text: str, cues: CueSet) -> Analysis:
    """The cues of `text`, clause by clause, each clause judged (shared with claims/text/rewording.py)."""
    spans, words, hits = _scan(text, cues)
    ranges, conceded = _clauses(words, cues)
    clauses = []
    for first, last in ranges:
        inside = [h for h in hits if first <= h.index < last]
        for hit in inside:
            hit.conceded = any(a <= hit.index < b for a, b in conceded)
            hit.dependent = hit.entry.family == "negation" and _dependent(words, hit.index, first, cues)
        clause = Clause(first, last, spans[first][0], spans[last - 1][1], inside)
        _calls(clause, words)
        _judge(clause)
        clauses.append(clause)
    _rebutted(clauses)
    _premised(clauses, words, cues)
    return Analysis(spans, words, clauses)


def _cue(text: str, hit: Hit, reason: str | None = None) -> Cue:
    entry = hit.entry
    return Cue(
        text[hit.start : hit.end],
        hit.start,
        hit.end,
        entry.family,
        entry.level,
        reason or entry.reason,
        entry,
        hit.form,
    )


def rate(text: str, cues: CueSet | None = None) -> Rating:
    """How strongly `text` words its claim, and the words that make it so."""
    cues = cues or load_cues()
    clauses = analyse(text, cues).clauses
    judged = [c for c in clauses if c.level is not None]
    if not judged:
        aside = sorted((_cue(text, h, why) for c in clauses for h, why in c.aside), key=lambda c: c.start)
        calls = [cue for cue in aside if cue.family == CALL_FAMILY]
        if calls and all(c.calls_only for c in clauses):
            # Rule 10: a sentence that only calls for research states no finding to overclaim.
            calls = [
                _cue(text, h, "calls for more research and states no finding of its own")
                for c in clauses
                for h, _ in c.aside
                if h.entry.family == CALL_FAMILY
            ]
            rest = tuple(cue for cue in aside if cue.family != CALL_FAMILY)
            return Rating(Strength.UNCERTAIN, False, tuple(calls), rest)
        return Rating(Strength.DEFINITE, False, (), tuple(aside))
    strength = max(c.level for c in judged)
    top = [c for c in judged if c.level == strength]
    counted = [h for c in top for h in c.counted]
    aside = [(h, why) for c in clauses for h, why in c.aside]
    aside += [(h, "is outweighed by a stronger clause") for c in judged if c.level < strength for h in c.counted]
    return Rating(
        strength=strength,
        negated=all(c.negated for c in top),
        cues=tuple(sorted((_cue(text, h) for h in counted), key=lambda c: c.start)),
        set_aside=tuple(sorted((_cue(text, h, why) for h, why in aside), key=lambda c: c.start)),
    )


def is_overclaiming(rating: Rating, allowed: Strength, *, denial_fits: bool = False) -> bool:
    """True when the wording is stronger than `allowed`; a denial never is when the grade is "not supported"."""
    if denial_fits and rating.negated:
        return False
    return rating.strength > allowed


def _merged(cues, *, same_reason=False):
    """Neighbouring cues as one stretch of words with the first one's reason: “can reverse”, “do not cure”."""
    groups = []
    for cue in cues:
        if groups and cue.start - groups[-1][1] <= 1 and (not same_reason or groups[-1][2] == cue.reason):
            groups[-1][1] = cue.end
            groups[-1][3] += " " + cue.text
        else:
            groups.append([cue.start, cue.end, cue.reason, cue.text])
    return [(text, reason) for _, _, reason, text in groups]
