"""Which relationship a sentence claims (none, an association, a cause) and whether a modal hedges the cause.

Plain Python with no Django import. The words it looks for are data, in claims/text/cues/relationship.toml
(loaded by relationship_cues.py; part of wording_cues.cues_version, so a change to it re-rates stored
claims); this module holds only the rules below. A claim is read with its sentence, as claims/models/claim.py
does for its wording: pass the quote with its prefix and suffix.

Rules, applied to one sentence:
1. Cues are matched as whole words in any case, the longer phrase winning where two start at the same word
   (as in wording.py). Clauses end at "but", "whereas", "which", ";" ...; stretches end there and at commas.
2. A call for research or an open question ("further studies are needed", "whether") or advice ("should",
   "is recommended") claims no finding: the cause, association and comparison words after it in the
   sentence, and those up to ten words before it in its stretch ("the association between X and Y requires
   further study"), are set aside. When the sentence opens with a concession ("Although larger trials are needed,
   ..."), the call for research ends at its comma; when it opens with a reason ("Because of its cost, the test
   should ..."), the reason stands with the advice. "regardless of whether" asks no question. "if" after a word for
   asking or not knowing ("it is not known if", "to test if") asks one, and so does a hypothesis put to the test ("we
   hypothesised that ..."), unless findings support or confirm it ("support the hypothesis that ...").
3. A cause word ("reduces", "led to", "effective", "the effect of") is set aside when it states no effect: an aim
   ("strategies to reduce falls", "ways of improving care") or an action or state named as a thing ("with worsening
   kidney function"). An aim after "may", "might", "could" or "would" in its clause says what something may serve to
   do ("X could be used as a way to improve Y"): a cause, hedged by that modal. A past form describing a state
   ("with reduced risk", "Elevated CRP levels were ...") counts as a comparison, except where it opens the sentence,
   follows a comma or "a"/"an" and no level or risk follows within three words: then it names a thing ("Prolonged
   labour was the most common reason ...", "an improved version") and is set aside; a change observed without its cause
   ("levels fell by 30%", "risk increases with age", "was improved" with no "by") counts as a change. A cause verb
   that is also a noun for a change, after a determiner, "no" or "of" or before "of" or "in" ("this increase was not
   linked to ...", "a decrease of 2 points"), counts as a change. An -ing form right after a noun describes that
   noun ("events resulting in admission", "scores contributing to the index"), not the finding, and is set aside.
   A cause verb in "who ..." after a word for picking people out ("identify patients who may benefit from X")
   says whom to pick out, and a cause after a comma and a hedging adverb ("..., probably because of X") guesses
   why the finding came about: both are set aside and the finding is read as it stands. So is a cause verb just
   after "who" ("patients who reduced their intake had ..."), which names a group by what its members did, and a
   cause verb whose subject is a study ("these findings contribute to ...", "this study strengthens ..."), which
   says what the study does, not what a treatment or exposure does. "help" followed by the people who give care,
   do research or make policy ("may help clinicians explain ...") is no effect on health (a guard in the cue file).
   "was used to" or "were used to" ("scores were used to reduce bias") says how a study was done: an aim.
   "affects" followed by a count ("affects 2% of adults", "affects millions of people") says how common a
   condition is and is set aside. "used to" with a word for how often ("is widely used to prevent ...") describes a
   practice, an aim, as does "lower" after "to" ("prescribed to lower ..."), unless a modal makes it a hedged cause.
   A cause verb's base form opening the sentence, with no subject before it, names a thing ("damage control
   surgery", "boost sessions") and is set aside; "effect" before "estimate" or "size" is no cue, nor is a cause word
   after "adjusting for", "controlling for" ... ("controlling for the effect of age" names a confounder): guards in
   the cue file.
   An adjective judging an effect ("effective", "promising", "useful", "protective") before a noun claims an
   effect only when a treatment or an effect follows within four words ("a useful option for", "a protective
   factor"); otherwise it describes a thing ("promising trends", "an effective way to recruit") and is set aside.
   "promising", "useful", "valuable", "helpful" said after "be" of a finding or a means of knowing ("these results
   are promising", "the score was useful in practice") judge a way of finding out, not an effect: set aside.
3b. What was studied is not a finding: a cue in the subject of a study verb in the passive ("the effects of X on
   Y were studied", "patients with reduced kidney function were excluded", "an improved method is described"),
   or a topic noun up to two words after a study verb, a research verb or a noun for studying ("we measured the
   effect of ...", "not designed to detect an effect", "an estimate of the effect of ..."), is set aside, as is a
   cue that is itself a study verb in the passive ("the two doses were compared with placebo"). For a topic noun
   the passive may follow a modal ("the effect of age could not be assessed").
3a. "X is critical to reducing Y", "X is essential for recovery", "X may be necessary to keep Y": X is claimed
   needed for an outcome, a cause (hedged by a modal before it). It is advice instead when "it" is its subject ("it
   may be important to ask ...") and a call for research when a research verb follows ("are necessary to confirm");
   it claims nothing when no "to", "for" or "in" + -ing follows ("clear labels are important"; "is essential",
   "necessary" or "crucial" stay advice), when findings are its subject ("these findings are important to inform
   policy"), when people follow ("important for patients") or when an association word follows ("important in
   predicting").
4. What a reporting frame reports is the claim: when "X suggest(s) that", "we found that" ... is followed
   by a relationship word, the words before the frame (its subject) are set aside.
4a. A cause word in the subject of an association verb ("Reducing screen time was associated with ...",
   "increased intake is linked to ...") is part of what is associated, not a cause claimed: it is set aside.
4b. An action opening its clause ("Improving access remains a challenge", "... that reducing salt lowers ...") is
   the subject: what the sentence says of it is the claim, so the action itself is set aside, unless a modal follows
   it in its clause (rule 6: "reducing salt intake may be key").
4c. A cause in a background part in the present tense, an opening "although/while/since ...," or a ", which
   ...," between commas ("Although smoking causes cancer, ...", "statins, which lower cholesterol, ..."), states
   what is known: when the main part states an association, the cause is set aside and the association read.
5. A counted cause word makes the sentence a CAUSE, whatever association words stand beside it, except
   when an association word comes before every cause word and no modal hedges a cause ("X was associated
   with higher mortality, which improved after ..." is an association). Otherwise an association word
   ("associated with", "linked to", "predictor", "risk factor", "more likely", "odds"), a comparison
   ("higher", "compared with", "more ... than": "than" counts only after a comparative and not before a
   number) or an observed change makes it an ASSOCIATION; a rate named alone ("the prevalence was 12%")
   does not. With none of these, NONE.
6. The cause is hedged when a modal ("may", "might", "could", "would", "potentially", "appears to",
   "likely", "is likely to", "it is possible that") stands before a counted cause word, in the same clause and
   within modal_reach words ("may help reduce", "could potentially improve"), or when the cause is an action
   opening its clause and the modal its verb ("reducing salt intake may be key"). A modal before an association
   does not change it ("may be linked to" is still an association).
7. A reporting frame ("our results suggest that", "we found that") does not hedge the claim it reports:
   "our results suggest that X reduces Y" is a direct cause. Nor does "can": "X can reduce Y" is direct.
8. A negation ("did not reduce", "no effect of") keeps the class: a denied cause is still a claim about
   cause, direct unless a modal hedges it, and "no association" is still an association.

The four labels of the PubMed causal-language set (Yu, Li and Wang, EMNLP 2019), which bench/integrity.py
scores against (`RelationshipReading.label`): NONE -> 0 (no relationship), CAUSE not hedged -> 1 (direct
causal), CAUSE hedged -> 2 (conditional causal), ASSOCIATION -> 3 (correlational, hedged or not).

Where that set's conventions differ from the product's own strength scale (wording.py): there, a reporting
frame such as "results suggest" softens a claim to POSSIBLE and "can" or a denial is DEFINITE; here the frame
and "can" are ignored (the inner claim's relationship is what counts), and an association has no strength,
hedged or not. The set also reads comparisons of groups and changes over time as correlational, and
recommendations and calls for research as no relationship. The two readings answer different questions (how
sure; how much is claimed, a link or a cause) and are meant to be read together.

Known limits: no parsing, so which words a modal qualifies is a matter of distance in its clause, and whether
a past form is a verb or an adjective is guessed from the words beside it; a sentence stating both an
association and a cause is read by rule 5 alone.
"""

from dataclasses import dataclass
from enum import Enum

from claims.text.relationship_cues import (
    DEFAULT_RELATIONSHIP_PATH,
    Form,
    RelationshipCues,
    load_relationship_cues,
)
from claims.text.wording_cues import TOKEN, norm

__all__ = [
    "DEFAULT_RELATIONSHIP_PATH",
    "RelationCue",
    "Relationship",
    "RelationshipCues",
    "RelationshipReading",
    "load_relationship_cues",
    "read_relationship",
]

MIN_COMPARISONS = 1
SCOPE_BEFORE = 10  # words before a call for research or advice that stand with it ("larger studies are needed")


class Relationship(Enum):
    NONE = "none"
    ASSOCIATION = "association"
    CAUSE = "cause"


# --- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelationCue:
    """One matched cue in the read text, with what it did there in words for an editor."""

    text: str
    start: int
    end: int
    family: str
    reason: str


@dataclass(frozen=True)
class RelationshipReading:
    relationship: Relationship
    hedged: bool  # a modal hedges the cause (only ever True for CAUSE)
    cues: tuple  # RelationCue: the cues that drove the reading, in text order
    set_aside: tuple = ()  # RelationCue: cues found but not counted, each with its reason

    @property
    def label(self) -> int:
        """The PubMed causal-language label: 0 none, 1 direct causal, 2 conditional causal, 3 correlational."""
        if self.relationship is Relationship.CAUSE:
            return 2 if self.hedged else 1
        return 3 if self.relationship is Relationship.ASSOCIATION else 0

    def explanation(self) -> str:
        head = {
            Relationship.NONE: "No relationship claimed",
            Relationship.ASSOCIATION: "An association",
            Relationship.CAUSE: "A hedged cause" if self.hedged else "A cause, not hedged",
        }[self.relationship]
        if not self.cues:
            sentence = f"{head}: no word says that one thing goes with or changes another."
        else:
            sentence = f"{head}: " + "; ".join(f"“{c.text}” {c.reason}" for c in self.cues) + "."
        return sentence + "".join(f" “{c.text}” {c.reason}." for c in self.set_aside)


@dataclass
class _Hit:
    form: Form
    start: int
    end: int
    index: int
    clause: int = 0  # clauses end at "but", "whereas", ";" ...
    stretch: int = 0  # stretches end there and at commas too
    counts_as: str | None = None
    why: str = ""
    reach: int = 0  # how far before it a modal still hedges it, when more than modal_reach

    def __post_init__(self):
        self.counts_as = self.form.entry.family

    @property
    def family(self) -> str:
        return self.form.entry.family


def _scan(text: str, cues: RelationshipCues):
    spans = [m.span() for m in TOKEN.finditer(text)]
    normalised = norm(text)
    words = [normalised[s:e] for s, e in spans]
    hits, clause, stretch, i, count = [], 0, 0, 0, len(words)
    clause_breaks, longest = cues.clause_breaks, cues.longest
    while i < count:
        word = words[i]
        breaks = clause_breaks.get(word)
        if breaks and any(tuple(words[i : i + len(b)]) == b for b in breaks):
            clause += 1
            stretch += 1
        elif word == ",":
            stretch += 1
        form = _match_at(text, spans, words, i, cues) if word in longest else None
        if form is None:
            i += 1
            continue
        n = len(form.tokens)
        hits.append(_Hit(form, spans[i][0], spans[i + n - 1][1], i, clause, stretch))
        i += n
    return words, hits


def _match_at(text, spans, words, i, cues: RelationshipCues):
    for n in range(min(cues.longest.get(words[i], 0), len(words) - i), 0, -1):
        form = cues.forms.get(tuple(words[i : i + n]))
        if form is None:
            continue
        entry = form.entry
        start, end = spans[i][0], spans[i + n - 1][1]
        if entry.not_after and entry.not_after.search(text[max(0, start - 40) : start]):
            continue
        if entry.not_before and entry.not_before.search(text[end : end + 40]):
            continue
        return form
    return None


BE = frozenset({"is", "are", "was", "were", "be", "been", "being"})
INTRANSITIVE_NEXT = frozenset(
    {"", ".", ",", ";", ":", ")", "with", "in", "after", "over", "during", "from", "at", "among", "between",
     "across", "until", "when", "as", "throughout", "within", "following", "to", "and", "or", "but", "for", "more",
     "less"}
)  # fmt: skip

PRESENT_INTRANSITIVE_NEXT = frozenset({"", ".", ",", ";", ":", ")", "with", "over", "after", "during"})
NUMBER_WORDS = frozenset({"half", "one", "two", "three", "four", "five", "six", "ten", "twice"})
OPENING_MARKS = frozenset({'"', "“", "‘", "(", "[", ",", ":", ";"})
NOT_ADVERBS = frozenset({"daily", "weekly", "monthly", "yearly", "early", "only", "likely", "elderly", "family"})
AUXILIARIES = frozenset({"to", "may", "might", "could", "would", "can", "will", "should", "not"})
REPORTS = frozenset({"findings", "results", "data", "study", "studies", "evidence", "observations", "work", "research"})
DETERMINERS = frozenset({"the", "a", "an", "their", "its", "his", "her", "our", "this", "these", "those", "both"})


def _adverb(word: str) -> bool:
    return word.endswith("ly") and word not in NOT_ADVERBS


NOT_NOUNS = (
    AUXILIARIES | DETERMINERS | BE | INTRANSITIVE_NEXT | OPENING_MARKS
    | {"thereby", "thus", "hence", "therefore", "so", "by", "of", "on", "that", "which", "who", "has", "have", "had",
       "is", "also", "further", "while", "whilst", "when", "without", "through", "via", "into", "not", "start",
       "started", "starting", "begin", "began", "keep", "kept", "stop", "stopped", "cause", "causes", "caused"}
)  # fmt: skip


def _noun_before(word: str) -> bool:
    """True when `word` may be a noun an -ing form describes ("events resulting in", "measures contributing to")."""
    return word[:1].isalpha() and word not in NOT_NOUNS and not _adverb(word) and not word.endswith("ed")


EXPLAINING = frozenset({"because", "owing", "as", "due", "attributable", "resulting", "result"})
HEDGING_ADVERBS = frozenset({"probably", "perhaps", "possibly", "likely", "presumably", "potentially", "maybe"})


LINKS = frozenset({"against", "toward", "towards", "than", "because", "if", "since", "per", "across", "versus", "vs"})


def _names_a_thing(i: int, words, cues: RelationshipCues) -> bool:
    """True when an adjective such as "promising" stands before a noun that is no treatment: "promising trends"."""
    following = words[i + 1 : i + 5]
    if not following or not following[0][:1].isalpha() or following[0] in NOT_NOUNS or following[0] in LINKS:
        return False  # "was effective.", "effective in", "effective and safe"
    return not any(w in cues.treatment_nouns for w in following)


def _picks_out(i: int, words, cues: RelationshipCues) -> bool:
    """True for a cause verb in "who ..." after a word for picking people out: "identify women who will benefit"."""
    j = i - 1
    while j >= 0 and (words[j] in AUXILIARIES or _adverb(words[j]) or words[j] in ("most", "best", "likely")):
        j -= 1
    if j < 0 or words[j] not in ("who", "whom"):
        return False
    return any(w in cues.pick_out_words for w in words[max(0, j - 4) : j])


STUDY_ADVERBS = frozenset({"also", "further", "thus", "therefore"})
GROUP_SKIP = frozenset({"had", "have", "has", "also", "then", "later", "subsequently", "successfully"})


def _describes_group(i: int, words) -> bool:
    """True for a cause verb just after "who": "patients who reduced their intake had ..." names a group."""
    j = i - 1
    while j >= 0 and (words[j] in GROUP_SKIP or _adverb(words[j])):
        j -= 1
    return j >= 0 and words[j] in ("who", "whom")


def _study_does(i: int, words, cues: RelationshipCues) -> bool:
    """True when a study is the subject of the cause verb at `i`: "these findings contribute to ...", "our work"."""
    j = i - 1
    while j >= 0 and (words[j] in AUXILIARIES or words[j] in STUDY_ADVERBS or _adverb(words[j])):
        j -= 1
    if j < 1 or words[j] not in cues.study_subjects:
        return False
    return any(w in DETERMINERS or w in ("present", "current", "such") for w in words[max(0, j - 3) : j])


HABITUAL = frozenset(
    {"commonly", "widely", "often", "frequently", "routinely", "usually", "traditionally", "increasingly", "generally",
     "typically", "mainly", "mostly", "primarily", "currently", "already", "sometimes", "classically"}
)  # fmt: skip


def _aim(i: int, words, cues: RelationshipCues) -> bool:
    """True when the verb at `i` follows "to" and names an aim: "strategies to reduce", "commonly used to prevent".

    "to" counts after the words of to_counts_after ("helps to reduce", "shown to improve", "can be used to lower"),
    but not after "used" with a word saying how often ("is widely used to prevent"), which describes a practice, nor
    after "was used" or "were used" ("scores were used to reduce bias"), which describes how a study was done.
    """
    if not i or words[i - 1] != "to":
        return False
    j = i - 2
    while j > 0 and _adverb(words[j]) and words[j] not in HABITUAL:
        j -= 1  # "was found significantly to improve"
    if j < 0 or words[j] not in cues.to_counts_after:
        return True
    if words[j] != "used":
        return False
    k = j - 1
    while k >= 0 and _adverb(words[k]) and words[k] not in HABITUAL:
        k -= 1
    if k >= 0 and words[k] in ("was", "were"):
        return True  # "propensity scores were used to reduce bias": how the study was done
    return any(w in HABITUAL for w in words[max(0, j - 3) : j])


QUANTITIES = frozenset(
    {"about", "approximately", "around", "nearly", "almost", "roughly", "up", "over", "more", "millions", "thousands",
     "hundreds", "many", "most", "half", "one", "two", "three", "estimated", "as"}
)  # fmt: skip


def _affects_whom(i: int, n: int, words) -> bool:
    """True for "affect" followed by how many it touches: "affects 2% of adults", "affects millions of people".

    Not for a group named alone ("affected women more than men"), which may be a difference in effect.
    """
    if words[i] not in ("affect", "affects", "affected", "affecting"):
        return False
    k = i + n
    while k < len(words) and _adverb(words[k]) and words[k] not in ("mainly", "mostly", "primarily"):
        k += 1
    first = words[k] if k < len(words) else ""
    second = words[k + 1] if k + 1 < len(words) else ""
    return first[:1].isdigit() or first in QUANTITIES or (first == "an" and second == "estimated")


PREPOSITIONS = frozenset({"in", "of", "with", "for", "on", "by", "from", "about", "into", "using"})
WEAK_JUDGING = frozenset({"promising", "useful", "valuable", "helpful", "encouraging"})
JUDGE_SKIP = frozenset({"also", "not", "very", "particularly", "especially", "still", "therefore", "thus", "quite"})


def _judges_a_means(i: int, words, cues: RelationshipCues) -> bool:
    """True for "promising", "useful" ... said of a finding or a means of knowing: "the score was useful"."""
    j = i - 1
    while j >= 0 and (words[j] in JUDGE_SKIP or _adverb(words[j])):
        j -= 1
    if j < 1 or words[j] not in BE:
        return False
    k = j - 1
    while k >= 0 and (words[k] in AUXILIARIES or words[k] in JUDGE_SKIP or _adverb(words[k])):
        k -= 1
    if k < 0 or not (words[k] in cues.study_subjects or words[k] in cues.measuring_nouns):
        return False
    m = k - 1 - (k >= 1 and words[k - 1] in DETERMINERS)
    return not (m >= 0 and words[m] in PREPOSITIONS)  # "training in this technique was useful": not the subject


def _not_a_claim(hit: _Hit, words, cues: RelationshipCues):
    """(family it counts as instead or None, why) when a cause word states no effect; None when it claims one."""
    i, n = hit.index, len(hit.form.tokens)
    before = words[i - 1] if i else ""
    after = words[i + n] if i + n < len(words) else ""
    kind = hit.form.kind
    if kind == "base" and _aim(i, words, cues):
        return None, "names an aim (“to …”), not a finding"
    if kind == "ing" and before in cues.ing_aim_after:
        return None, "names an aim or a topic, not a finding"
    if kind in ("base", "s") and n == 1 and hit.form.tokens[0] not in ("help", "helps", "benefit", "benefits"):
        beyond = words[i + 2] if i + 2 < len(words) else ""
        adverb = _adverb(after) and beyond not in DETERMINERS
        ending = kind == "s" and after in PRESENT_INTRANSITIVE_NEXT
        if before not in AUXILIARIES and (adverb or ending or after in ("over", "with", "after", "during")):
            return "change", "reports a change observed, not what caused it"  # "risk increases with age"
    noun_place = before in DETERMINERS or before in ("no", "any", "each", "that", "of") or after in ("of", "in")
    change_noun = kind in ("base", "s") and n == 1 and hit.form.tokens[0] in cues.change_nouns
    if change_noun and noun_place and before not in AUXILIARIES:
        return "change", "names a change as a thing (“the increase of …”), not what caused it"
    if kind == "base" and n == 1 and (not i or before in OPENING_MARKS) and before != ",":
        return None, "names a thing (“damage control …”): a verb's base form with no subject before it is no finding"
    if hit.form.tokens[0] in EXPLAINING and i >= 2 and words[i - 1] in HEDGING_ADVERBS and words[i - 2] == ",":
        return None, "offers a guess at why the finding came about (“…, perhaps because of …”), not the finding itself"
    if n == 1 and hit.form.tokens[0] in cues.judging_adjectives and _names_a_thing(i, words, cues):
        return None, "describes a thing (“a promising trend”), not an effect on health"
    if _picks_out(i, words, cues):
        return None, "describes whom to pick out (“identify patients who may benefit”), not a finding"
    if hit.form.tokens[0] in WEAK_JUDGING and _judges_a_means(i, words, cues):
        return None, "judges a finding or a means of knowing (“these results are promising”), not an effect on health"
    if _affects_whom(i, n, words):
        return None, "says whom a condition touches (“affects 2% of adults”), how common it is, not what it changes"
    if _describes_group(i, words):
        return None, "describes a group by what its members did (“patients who reduced their intake”), not a finding"
    if hit.form.kind is not None and _study_does(i, words, cues):
        return None, "says what a study does (“these findings contribute to …”), not what a treatment or exposure does"
    if hit.form.tokens[0].endswith("ing") and _noun_before(before):
        return None, "describes the thing named before it (“events resulting in …”), not the finding claimed"
    if kind == "ing" and n == 1 and before in ("with", "the", "a", "an") and after[:1].isalpha():
        return None, "names an action or a state (“with worsening kidney function”), not the effect claimed"
    if kind != "ed" or n > 1 or after in DETERMINERS:
        return None
    j = i - 1
    while j >= 0 and (words[j].endswith("ly") or words[j] in ("not", "also", "further")):
        j -= 1  # "with significantly reduced risk", "was not improved"
    before = words[j] if j >= 0 else ""
    if (
        (before in cues.state_after or j < 0 or before in OPENING_MARKS)
        and after[:1].isalpha()
        and after not in ("by", "in", "after")
    ):
        names_thing = j < 0 or before in OPENING_MARKS or before in ("a", "an")
        if names_thing and not any(w in MEASURED for w in words[i + n : i + n + 3]):
            return None, "names a thing by a state (“prolonged stay was …”), not something caused"
        return "comparison", "describes a state (“with reduced …”), not something caused"
    if after == "by" and i + n + 1 < len(words) and words[i + n + 1][:1].isdigit():
        return "change", "reports a change observed, not what caused it"  # "fell by 30%"
    if before in BE and after != "by":
        return "change", "reports a change observed, not what caused it"
    if after in INTRANSITIVE_NEXT or _adverb(after):
        return "change", "reports a change observed, not what caused it"
    return None


# After a state ("increased risk", "reduced HDL levels"), one of these makes it a comparison even where it opens the
# sentence: a level compared, not a thing named.
MEASURED = frozenset(
    {"risk", "risks", "odds", "likelihood", "chance", "probability", "incidence", "prevalence", "rate", "rates",
     "mortality", "morbidity", "level", "levels", "concentration", "concentrations", "frequency", "hazard"}
)  # fmt: skip
CONCESSIONS = frozenset({"although", "though", "while", "whilst", "despite", "even"})
AIM_REACH = 10  # "could be used as an alternative to improve": the modal hedges the aim this far on
SERVES_TO = "says what something may serve to do (“could be used to improve …”): a cause, hedged by the modal"


def _serves_to(hit: _Hit, hits, words, instead, *, verb=False) -> bool:
    """True when an aim ("to improve") follows a modal in its clause: "X could be used to improve Y" claims X may.

    `verb`: the cue is a verb though its form is not marked as one ("to lower").
    """
    base = verb or hit.form.kind == "base"
    if instead[0] is not None or not base or not hit.index or words[hit.index - 1] != "to":
        return False
    return any(
        h.family == "modal" and h.form.tokens[0] in ("may", "might", "could", "would") and h.clause == hit.clause
        and 0 < hit.index - h.index <= AIM_REACH
        for h in hits
    )  # fmt: skip


ACTION_SUBJECT = (
    "names an action as the subject (“reducing waiting times is a priority”): what is said of it is the claim"
)


def _action_as_subject(hit: _Hit, hits, words) -> bool:
    """True for an -ing cause word opening its clause with no modal after it: "Improving access remains a challenge".

    Whatever the sentence claims of the action is said by its verb ("reducing salt lowers blood pressure": "lowers"),
    so the action itself is set aside; with a modal after it, the modal hedges it ("reducing salt may be key").
    """
    if hit.form.kind != "ing" or len(hit.form.tokens) != 1:
        return False
    before = words[hit.index - 1] if hit.index else ""
    if hit.index and (before not in OPENING_MARKS or before == ",") and before != "that":
        return False  # after a comma it describes ("stretching, improving posture, eased pain")
    return not any(h.family == "modal" and h.clause == hit.clause and h.index > hit.index for h in hits)


PAST = frozenset({"was", "were", "had", "did", "found", "showed", "observed"})
BACKGROUND_OPENERS = frozenset({"although", "though", "while", "whilst", "since", "given", "as"})
BACKGROUND = (
    "stands in a background part (“although X causes Y, …”, “…, which lowers Y, …”): the main part is the finding"
)


def _background(words) -> set:
    """Indexes of words in a background part: an opening "although ...," or a ", which ...," between commas.

    Only a part in the present tense states what is known: "although the drug eased pain, ..." reports a finding.
    """
    parts = []
    start = next((k for k, w in enumerate(words) if w[:1].isalpha()), None)
    if start is not None and words[start] in BACKGROUND_OPENERS:
        comma = next((k for k in range(start, len(words)) if words[k] == ","), None)
        if comma is not None and comma < len(words) - 2:
            parts.append(range(start, comma))
    for k in range(1, len(words)):
        if words[k] == "which" and words[k - 1] == ",":
            close = next((m for m in range(k + 1, len(words)) if words[m] in (",", ";", ":")), None)
            if close is not None and words[close] == "," and close < len(words) - 2:
                parts.append(range(k, close))
    return {k for part in parts if not any(words[m] in PAST for m in part) for k in part}


def _hedges(modal: _Hit, cause: _Hit, cues: RelationshipCues) -> bool:
    """True when the modal stands before the cause, in its clause, within modal_reach words."""
    gap = cause.index - (modal.index + len(modal.form.tokens) - 1)
    return modal.clause == cause.clause and 0 < gap <= max(cues.modal_reach, cause.reach)


def _compares(than: _Hit, words, cues: RelationshipCues) -> bool:
    """True when a comparative stands within six words before "than" and no number follows ("more than 400")."""
    following = words[than.index + 1] if than.index + 1 < len(words) else ""
    before = set(words[max(0, than.index - 6) : than.index])
    return bool(cues.comparatives & before) and not following[:1].isdigit() and following not in NUMBER_WORDS


def _hedges_subject(modal: _Hit, cause: _Hit, words) -> bool:
    """True when the cause is an action opening its clause and the modal its verb: "reducing salt may be key"."""
    opens = cause.index == 0 or words[cause.index - 1] in OPENING_MARKS or words[cause.index - 1] == "that"
    action = cause.form.tokens[0].endswith("ing")
    return action and opens and modal.clause == cause.clause and modal.index > cause.index


def _need(hit: _Hit, hits, words, cues: RelationshipCues):
    """How "X is critical to/for/in ..." reads: ("cause" | "advice" | None, why); None when it names no outcome."""
    i, n = hit.index, len(hit.form.tokens)
    following = words[i + n] if i + n < len(words) else ""
    if following not in ("to", "for", "in"):
        if hit.form.tokens[-1] in ("essential", "necessary", "crucial"):
            return "advice", "recommends an action (“… is necessary”): what stands with it is advice, not a finding"
        return None, "values something without naming an outcome it is needed for"
    j = i - 1
    while j >= 0 and (words[j] in AUXILIARIES or words[j] in ("also", "still") or _adverb(words[j])):
        j -= 1  # "it may be important to ...", "it would also be necessary to ..."
    if j >= 0 and words[j] in ("it", "this", "that", "what"):
        return "advice", "recommends an action (“it is important to …”): what follows is advice, not a finding"
    k = i + n + 1
    while k < len(words) and _adverb(words[k]):
        k += 1  # "necessary to accurately define"
    then = words[k] if k < len(words) else ""
    whom = words[k + 1] if then in DETERMINERS and k + 1 < len(words) else then
    if following in ("for", "to") and whom in cues.people_nouns:
        return None, "says for whom something matters (“important for patients”), not what it changes"
    if following == "in" and not then.endswith("ing"):
        return None, "values something in a setting (“necessary in some cases”), without naming an outcome"
    if then in cues.research_verbs:
        return "advice", f"calls for research (“… {following} {then}”): what follows is not claimed"
    if j >= 0 and words[j] in REPORTS:
        return None, "says what a finding is good for, not what causes what"  # "these findings are important to"
    later = next((h for h in hits if h.index == i + n + 1), None)
    if later is not None and later.family == "association":
        return None, "names what something predicts, which the association beside it says"
    return "cause", hit.form.entry.reason


ASSOCIATION_VERBS = frozenset({"associated", "correlated", "linked", "related"})


def _association_verb(hit: _Hit, words) -> bool:
    """True for "associated", "correlated" ... after a form of "be": the verb of its clause ("was associated with")."""
    j = hit.index - 1
    while j >= 0 and (_adverb(words[j]) or words[j] in ("not", "also", "been")):
        j -= 1
    return hit.form.tokens[0] in ASSOCIATION_VERBS and j >= 0 and words[j] in BE


def _subject_of(cause: _Hit, verb: _Hit, words) -> bool:
    """True when `cause` stands in the subject of the association verb: before it, with no clause or verb between."""
    if cause.clause != verb.clause or cause.index >= verb.index:
        return False
    between = words[cause.index + len(cause.form.tokens) : verb.index]
    be_at = [k for k, w in enumerate(between) if w in BE]
    if len(be_at) != 1 or any(w in SUBJECT_BREAKS for w in between[: be_at[0]]):
        return False
    return cause.form.kind not in ("s",) and not (cause.form.kind == "ed" and between[:1] and between[0] in DETERMINERS)


SUBJECT_BREAKS = frozenset(
    {"and", "but", ",", ";", ":", "that", "which", "who", "whereas", "while", "may", "might", "could", "would", "can",
     "will", "should", "did", "does", "do", "has", "have", "had"}
)  # fmt: skip
NOUN_TOO = frozenset({"study", "test", "measure", "monitor"})  # research verbs that are also nouns ("our study")
# Nouns for studying something: a topic noun just after one ("an estimate of the effect of ...") is what was studied.
STUDY_NOUNS = frozenset(
    {"estimate", "estimates", "estimation", "assessment", "evaluation", "measurement",
     "investigation", "examination", "exploration", "quantification"}
)  # fmt: skip
STUDY_SCAN = 15  # words after a cue in which the verb of its clause is looked for ("... were studied")
PASSIVE_SKIP = frozenset({"also", "been", "being", "not", "then", "further", "first"})
SUBJECT_STOPS = frozenset({";", ":", "that", "which", "who", "whereas", "but", "while", "although", "than"})


def _studied(hit: _Hit, words, cues: RelationshipCues) -> bool:
    """True when the cue names what was studied: "the effect of X on Y was assessed", "we evaluated the effect of"."""
    j = hit.index - 1
    while j >= 0 and _adverb(words[j]):
        j -= 1
    if hit.form.tokens[0] in cues.study_verbs and j >= 0 and words[j] in BE:
        return True  # "the two doses were compared with placebo": the cue is the study verb itself
    first = hit.form.tokens[1] if hit.form.tokens[0] in ("a", "an") and len(hit.form.tokens) > 1 else hit.form.tokens[0]
    end = hit.index + len(hit.form.tokens)
    for k in range(end, min(len(words), end + STUDY_SCAN)):
        word = words[k]
        if word in AUXILIARIES and word != "to" and first in cues.topic_nouns:
            b = k + 1 + (k + 1 < len(words) and words[k + 1] == "not")
            if b >= len(words) or words[b] != "be":
                break
            k, word = b, "be"  # "the effect of X could not be assessed"
        if word in SUBJECT_STOPS or word in AUXILIARIES:
            break
        if word in BE:
            v = k + 1
            while v < len(words) and (words[v] in PASSIVE_SKIP or _adverb(words[v])):
                v += 1
            if v < len(words) and words[v] in cues.study_verbs:
                return True  # the verb of the clause says it was studied: "... were studied in nurses"
            break
    if first not in cues.topic_nouns:
        return False
    for j in range(hit.index - 1, max(-1, hit.index - 4), -1):
        word = words[j]
        if word in cues.study_verbs or word in STUDY_NOUNS or (word in cues.research_verbs and word not in NOUN_TOO):
            return True  # "we assessed the long-term effect of ...", "not designed to detect an effect"
        if not word[:1].isalpha() or word in BE or word in AUXILIARIES or word in SUBJECT_STOPS:
            return False
    return False


def _cue(text, hit: _Hit, reason: str) -> RelationCue:
    return RelationCue(text[hit.start : hit.end], hit.start, hit.end, hit.family, reason)


def read_relationship(text: str, cues: RelationshipCues | None = None) -> RelationshipReading:
    """The relationship `text` claims, whether a modal hedges it, and the words that make it so."""
    cues = cues or load_relationship_cues()
    words, hits = _scan(text, cues)
    counted, aside = [], []
    for hit in hits:
        if hit.family == "need":
            hit.counts_as, hit.why = _need(hit, hits, words, cues)
    # A research question or advice: the first "open" or "advice" cue, or a need read as advice.
    scope = next((h for h in hits if h.family in ("open", "advice") or h.counts_as == "advice"), None)
    # "Although further study is needed, we found ...": a call for research in an opening concession ends at its comma.
    first_word = next((k for k, w in enumerate(words) if w[:1].isalpha()), 0)
    opening = words[first_word] if words else ""
    conceded = scope is not None and opening in CONCESSIONS and words.index(opening) <= scope.index
    for hit in hits:
        family = hit.family
        if family == "need" and hit.counts_as != "cause":
            if hit.counts_as is None:
                aside.append((hit, hit.why))
            continue
        if family == "measure" and hit.form.tokens == ("than",) and _compares(hit, words, cues):
            hit.counts_as = "comparison"
            hit.why = "compares groups (“more … than”): an association unless a cause is stated"
        elif family in ("open", "advice", "measure"):
            continue
        # Research asked for or advice given: what follows is not claimed, nor is the comparison in
        # the words just before it ("larger studies are needed").
        in_scope = (
            scope is not None
            and not (conceded and hit.stretch > scope.stretch)
            and (
                hit.index > scope.index
                or (hit.stretch == scope.stretch and scope.index - hit.index <= SCOPE_BEFORE)
                or (hit.stretch == 0 and hit.index == first_word and hit.form.tokens[0] in EXPLAINING)
            )
        )  # the last: "Because of its cost, the test should ...": the reason given for the advice
        if family in ("cause", "association", "comparison", "change", "need") and in_scope:
            said = scope.why if scope.family == "need" else scope.form.entry.reason
            aside.append((hit, f"stands with “{text[scope.start : scope.end]}”: {said}"))
            continue
        if family in ("cause", "association", "comparison", "change") and _studied(hit, words, cues):
            aside.append((hit, "names what was studied (“the effect of … was assessed”), not a finding"))
            continue
        if family == "comparison" and hit.index and words[hit.index - 1] in hit.form.entry.verb_after:
            if _aim(hit.index, words, cues) and not _serves_to(hit, hits, words, (None, ""), verb=True):
                aside.append((hit, "names an aim (“prescribed to lower …”), not a finding"))
                continue
            hit.counts_as, hit.why = "cause", cues.reasons["cause"]  # "may lower the risk"
        if family == "cause":
            instead = _not_a_claim(hit, words, cues)
            if instead and _serves_to(hit, hits, words, instead):
                hit.counts_as, hit.why, hit.reach = "cause", SERVES_TO, AIM_REACH
            elif instead:
                hit.counts_as, hit.why = instead
                if hit.counts_as is None:
                    aside.append((hit, hit.why))
                    continue
        counted.append(hit)

    # What a reporting frame reports is the claim; what stands before the frame is its subject ("the
    # improvements seen after X suggest that ..."), set aside when the frame reports a relationship.
    frames = [h for h in counted if h.family == "frame" and h.form.tokens[-1] == "that"]
    if frames:
        frame = frames[-1]
        relating = ("cause", "association", "comparison", "change")
        if any(h.index > frame.index and h.counts_as in relating for h in counted):
            before = [h for h in counted if h.index < frame.index and h.counts_as in relating]
            aside += [(h, f"is the subject of “{text[frame.start : frame.end]}”, not what it reports") for h in before]
            counted = [h for h in counted if h not in before]

    # A cause word in the subject of an association verb is part of what is associated: "increasing the dose
    # was associated with fewer relapses".
    verbs = [h for h in counted if h.family == "association" and _association_verb(h, words)]
    for hit in [h for h in counted if h.counts_as == "cause"]:
        verb = next((v for v in verbs if _subject_of(hit, v, words)), None)
        if verb is not None:
            counted.remove(hit)
            aside.append((hit, f"is part of what “{text[verb.start : verb.end]}” links, not a cause claimed"))

    # An action opening its clause is the subject; what the sentence says of it is the claim.
    for hit in [h for h in counted if h.counts_as == "cause" and not h.why and _action_as_subject(h, hits, words)]:
        counted.remove(hit)
        aside.append((hit, ACTION_SUBJECT))

    # A cause in a background part ("Although smoking causes cancer, ...", "statins, which lower cholesterol, ...")
    # gives way to an association the main part states.
    background = _background(words)
    main_links = [h for h in counted if h.family == "association" and h.index not in background]
    if main_links:
        for hit in [h for h in counted if h.counts_as == "cause" and h.index in background and h.form.kind != "ed"]:
            counted.remove(hit)
            aside.append((hit, BACKGROUND))

    causes = [h for h in counted if h.counts_as == "cause"]
    linked = [h for h in counted if h.family == "association"]
    compared = [h for h in counted if h.counts_as in ("comparison", "change")]
    if compared:
        compared += [h for h in hits if h.family == "measure" and not (scope and h.index > scope.index)]
        compared.sort(key=lambda h: h.index)
    modals = [h for h in counted if h.family == "modal"]
    hedges = [m for m in modals if any(_hedges(m, c, cues) or _hedges_subject(m, c, words) for c in causes)]
    if causes and (hedges or not (linked and linked[0].index < causes[0].index)):
        relationship, drivers = Relationship.CAUSE, causes
        aside += [(h, h.why or "goes with a stated cause, which says more") for h in linked + compared]
    elif linked or len(compared) >= MIN_COMPARISONS:
        relationship, drivers, hedges = Relationship.ASSOCIATION, linked or compared, []
        aside += [(h, "comes after an association, which the sentence states first") for h in causes]
        if linked:
            aside += [(h, h.why or "compares groups, as the association does") for h in compared]
    else:
        relationship, drivers, hedges = Relationship.NONE, [], []
        aside += [(h, h.why or "compares, but no relationship is stated") for h in compared]

    found = [_cue(text, h, h.why or h.form.entry.reason) for h in drivers]
    found += [_cue(text, h, h.form.entry.reason) for h in hedges]
    if relationship is Relationship.CAUSE:
        denials = [h for h in counted if h.family == "negation" and h.clause == drivers[0].clause]
        found += [_cue(text, h, h.form.entry.reason) for h in denials if h.index < drivers[0].index]
    unused = {
        Relationship.ASSOCIATION: "hedges an association, which stays an association",
        Relationship.CAUSE: "does not stand just before the cause in its clause, so it does not hedge it",
        Relationship.NONE: "hedges, but no relationship is stated",
    }[relationship]
    aside += [(modal, unused) for modal in modals if modal not in hedges]
    aside += [(h, h.form.entry.reason) for h in counted if h.family == "frame"]
    return RelationshipReading(
        relationship=relationship,
        hedged=bool(hedges),
        cues=tuple(sorted(found, key=lambda c: c.start)),
        set_aside=tuple(sorted((_cue(text, h, why) for h, why in aside), key=lambda c: c.start)),
    )
