"""Text work on claims with no Django and no database: plain Python, given strings, returning values.

- anchoring: anchor a quote in an article's plain text and find it again after an edit.
- punctuation: whether two wordings differ only in punctuation, spacing, quote marks, dashes or case.
- identifiers: recognise, normalise and link the identifiers of sources (PMID, DOI, NCT, URL).
- wording: how strongly a sentence words its claim, and whether that is more than its grade allows.
- wording_cues: the wording scale and the cue data in cues/wording.toml, parsed into a CueSet.
- rewording: example rewordings of a sentence that fit a weaker grade (advice()).
- causal_wording: a claimed cause its grade or its observational sources cannot support, and
  association rewordings (relationship: whether a sentence claims a cause or an association).
- phrases: whole-word phrase patterns (names, cue words) compiled as one trie-shaped regular expression.
- suggestions: sentences that make a health claim nobody has graded (cue words in cues/health_claims.toml).
- health_sentences: whether a sentence naming no known condition states a health relationship, and
  the disease-like phrases in it (words in cues/health_outcomes.toml).
- integrity: the editorial-integrity check of one article, with wording, rewording and suggestions.

Nothing here imports Django, claims' models or anything that does. The callers that read the
database (claims.models, claims.services, claims.reports, the admin) pass plain values in. This
module imports nothing, and claims/__init__.py neither, so importing claims.text loads no Django.
import-linter's contract "The text package imports no Django" (pyproject.toml) and
tests/claims/text/test_no_django.py hold the package to that.
"""
