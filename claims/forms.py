"""The claim form: pick a sentence (or part of one), a condition, a grade and sources, typed or chosen.

Saved by ClaimAdmin through claims.services.claim_save; values that name no row are form errors.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.text import slugify

from articles.forms import StatedLimitsMixin, StatedLimitsModelForm
from articles.versioning import VersionedForm, comparable

from .models import Claim, Condition
from .text import identifiers
from .text.anchoring import anchor_at

MAX_SOURCES_PER_CLAIM = 20
UNKNOWN_SOURCE = (
    "One of the chosen sources is not in the list (it may have been deleted): pick the sources again, "
    "or paste their identifiers into “Add sources by identifier”."
)


def sentence_value(sentence):
    return f"{sentence.start}:{sentence.end}"


class ConditionForm(StatedLimitsModelForm):
    """A condition as the Condition admin adds it, and as the claim form's "Or add a new condition" does.

    A name already taken, whatever its capitals ("asthma" beside "Asthma"), is refused, naming the condition
    to pick instead; so is a name whose web address another condition has.
    """

    class Meta:
        model = Condition
        fields = ["name", "slug", "icd10_code", "mesh_id", "synonyms", "description"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        existing = Condition.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if existing is not None:
            raise ValidationError(
                f"“{existing.name}” is already a condition: pick it in the list rather than adding it again.",
                code="duplicate",
            )
        return name

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        existing = Condition.objects.filter(slug=slug).exclude(pk=self.instance.pk).first()
        if existing is not None:
            raise ValidationError(
                f"The web address “{slug}” is already the condition “{existing.name}”'s: pick that condition, "
                "or give this one a name that differs by more than punctuation.",
                code="duplicate",
            )
        return slug


def new_condition_form(name):
    """The Condition admin's form filled in from a name alone, its web address made from it."""
    return ConditionForm(data={"name": name, "slug": slugify(name)})


class SentenceChoiceField(forms.ChoiceField):
    default_error_messages = {
        "invalid_choice": "That sentence is no longer in the article (it was edited meanwhile): pick it again.",
        "required": "Pick the sentence this claim is about.",
    }


class ClaimForm(StatedLimitsMixin, VersionedForm):
    """A claim is made by picking a sentence of the article, never by retyping it."""

    sentence = SentenceChoiceField(widget=forms.RadioSelect, help_text="The sentence that makes the claim.")
    part = forms.CharField(
        required=False,
        label="Only part of the sentence",
        widget=forms.TextInput(attrs={"size": 80, "autocomplete": "off"}),
        help_text="Optional. Leave empty to claim the whole sentence, or select words in the sentence above "
        "(or copy them here) to claim only those.",
    )
    new_sources = forms.CharField(
        required=False,
        label="Add sources by identifier",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="One per line: a PubMed ID, a DOI, an NCT number or a web address. "
        f"Existing sources are reused; new ones are created. A claim cites up to {MAX_SOURCES_PER_CLAIM} sources.",
    )

    new_condition = forms.CharField(
        required=False,
        max_length=Condition._meta.get_field("name").max_length,
        label="Or add a new condition",
        widget=forms.TextInput(attrs={"size": 30, "autocomplete": "off"}),
        help_text="Not in the list? Type its name (e.g. Lung fibrosis) and leave the list empty: it is added to "
        "the site's conditions when the claim is saved. Codes, synonyms and a description can follow on its "
        "own page.",
    )

    submit_for_review = forms.BooleanField(
        required=False,
        initial=True,
        label="Submit for review when saved",
        help_text="Untick to keep working on it as a draft. Reviewers only see submitted claims.",
    )

    class Meta:
        model = Claim
        fields = ["condition", "evidence_status", "sources", "explanation", "reviewer_note"]
        # What the lists sent is not one of their rows: a stale page, or a value typed into the request.
        error_messages = {
            "condition": {
                "invalid_choice": "That condition is not in the list (it may have been deleted): pick it again."
            },
            "evidence_status": {"invalid_choice": "That evidence status is not in the list: pick it again."},
            "sources": {
                "invalid_choice": UNKNOWN_SOURCE,
                "invalid_pk_value": UNKNOWN_SOURCE,
            },
        }

    new_condition_form = None  # the condition typed into "Or add a new condition", checked and not yet saved

    def __init__(self, *args, article=None, may_add_condition=False, **kwargs):
        super().__init__(*args, **kwargs)
        if may_add_condition:
            # Either the list or the name typed beside it says the condition: clean() asks for one of them.
            self.fields["condition"].required = False
        else:
            self.fields.pop("new_condition", None)
        self.article = article or (self.instance.article if self.instance.pk else None)
        if self.article is not None and self.instance.pk is None:
            self.instance.article = self.article
        self.sentences = self.article.sentences() if self.article else []
        self.fields["sentence"].choices = [(sentence_value(s), s.text) for s in self.sentences]
        self.fields[
            "evidence_status"
        ].help_text = "How strong the evidence is. Claims left at “Not yet rated” cannot be approved."
        self.fields["sources"].help_text = f"Up to {MAX_SOURCES_PER_CLAIM} sources per claim."
        if self.instance.pk and self.instance.is_orphaned:
            # The admin shows help text as HTML, so the article's words are escaped here.
            self.fields["sentence"].help_text = format_html(
                "<strong>This claim lost its sentence</strong> when the article was edited. Its words were: “{}”. "
                "Pick the sentence it belongs to now and save to re-attach it, or delete the claim.",
                self.instance.quote,
            )
        elif self.instance.pk and self.instance.text_changed:
            self.fields["sentence"].help_text = format_html(
                "<strong>The words of this claim changed</strong> in an edit of the article, so it waits for a "
                "reviewer again. The words last approved were: “{}”.",
                self.instance.previous_quote,
            )
        if self.instance.pk and not self.instance.is_orphaned:
            for sentence in self.sentences:
                if sentence.start <= self.instance.start < sentence.end:
                    self.initial["sentence"] = sentence_value(sentence)
                    if self.instance.quote != sentence.text:
                        self.initial["part"] = self.instance.quote
                    break

    def clean_new_sources(self):
        values, errors = [], []
        for line in self.cleaned_data["new_sources"].splitlines():
            if not line.strip():
                continue
            try:
                identifiers.detect(line)
                values.append(line.strip())
            except identifiers.IdentifierError as error:
                errors.append(f"“{line.strip()[:80]}”: {error}")
        if errors:
            raise ValidationError(errors)
        return values

    def clean_new_condition(self):
        name = " ".join(self.cleaned_data.get("new_condition", "").split())
        if not name:
            return ""
        if not slugify(name):
            raise ValidationError(f"“{name}” has no letter or digit, so the condition could not have a page.")
        form = new_condition_form(name)
        if not form.is_valid():
            raise ValidationError([message for errors in form.errors.values() for message in errors])
        self.new_condition_form = form
        return name

    def clean(self):
        cleaned = super().clean()
        self._check_source_count(cleaned)
        if "new_condition" in self.fields:
            self._check_one_condition(cleaned)
        choice = cleaned.get("sentence")
        if not choice or self.article is None:
            return cleaned
        start, end = (int(n) for n in choice.split(":"))
        text = self.article.body_text
        sentence_text = text[start:end]
        part = " ".join(cleaned.get("part", "").split())
        if part:
            offset = sentence_text.find(part)
            if offset < 0:
                self.add_error(
                    "part",
                    "These words are not in the chosen sentence exactly as written: select them in the sentence "
                    "rather than retyping them.",
                )
                return cleaned
            start, end = start + offset, start + offset + len(part)
        self.anchor = anchor_at(text, start, end)
        condition = cleaned.get("condition")
        if condition is not None:
            clash = Claim.objects.filter(
                article=self.article, condition=condition, start=self.anchor.start, is_orphaned=False
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("condition", "This sentence already has a claim about that condition: edit that one.")
        return cleaned

    def _check_one_condition(self, cleaned):
        typed = self.data.get(self.add_prefix("new_condition"), "").strip()
        if cleaned.get("condition") is not None and typed:
            self.add_error(
                "new_condition",
                "Pick a condition in the list or type a new one, not both: empty the list to add this one.",
            )
        elif cleaned.get("condition") is None and not typed and "condition" not in self.errors:
            self.add_error("condition", "Pick the condition this claim is about, or type a new one beside the list.")

    def save_new_condition(self):
        """Add the condition typed beside the list, if one was, and make it the claim's; return it or None."""
        if self.new_condition_form is None or self.cleaned_data.get("condition") is not None:
            return None
        condition = self.new_condition_form.save()
        self.instance.condition = condition
        return condition

    def _check_source_count(self, cleaned):
        cited = {(source.kind, source.identifier) for source in cleaned.get("sources") or []}
        cited |= {identifiers.detect(value) for value in cleaned.get("new_sources") or []}
        if len(cited) > MAX_SOURCES_PER_CLAIM:
            self.add_error(
                "new_sources" if cleaned.get("new_sources") else "sources",
                f"A claim cites at most {MAX_SOURCES_PER_CLAIM} sources; this one would cite {len(cited)}. "
                "Keep the ones that support the grade best.",
            )

    def apply_anchor(self):
        """Put the picked anchor on the instance; returns the fields that changed."""
        claim = self.instance
        before = {"quote": claim.quote, "start": claim.start}
        claim.article = self.article
        claim.set_anchor(self.anchor)
        claim.is_orphaned = False
        return {field for field, value in before.items() if getattr(claim, field) != value}

    # Conflicts: the editor's claim beside the one saved meanwhile -----------------------------------

    def differences_from(self, current):
        saved_words = current.quote + (" (it has lost its sentence)" if current.is_orphaned else "")
        return [
            ("Words claimed", self._typed_words(), saved_words),
            ("Condition", self._typed_choice("condition"), str(current.condition)),
            ("Evidence", self._typed_choice("evidence_status"), str(current.evidence_status)),
            ("Sources", self._typed_sources(), "\n".join(sorted(s.citation_label for s in current.sources.all()))),
            ("Explanation for readers", self.typed("explanation"), comparable(current.explanation)),
            ("Note to the reviewer", self.typed("reviewer_note"), comparable(current.reviewer_note)),
        ]

    def conflict_notes(self, current, opened):
        state = current.get_review_state_display()
        if opened is not None and opened.review_state == current.review_state:
            return []
        decision = current.decisions.select_related("actor").first()
        note = f"Its review state is now “{state}”"
        if decision is not None:
            note += f" after the latest decision: {decision}"
            if decision.comment:
                comment = decision.comment.strip()
                # The comment's own closing punctuation ends the note; never “….”.
                ending = "" if comment[-1:] in ".!?…" else "."
                return [f"{note}, saying “{comment}{ending}”"]
        return [note + "."]

    def _typed_words(self):
        anchor = getattr(self, "anchor", None)
        if anchor is not None:
            return anchor.quote
        chosen = self.data.get(self.add_prefix("sentence"), "")
        for sentence in self.sentences:
            if sentence_value(sentence) == chosen:
                return sentence.text
        return "(no sentence picked)"

    def _typed_choice(self, name):
        if name == "condition" and self.cleaned_data.get("new_condition"):
            return f"{self.cleaned_data['new_condition']} (to add)"
        value = self.cleaned_data.get(name)
        return str(value) if value is not None else "(none chosen)"

    def _typed_sources(self):
        chosen = self.cleaned_data.get("sources")
        labels = [source.citation_label for source in chosen] if chosen is not None else []
        labels += [f"{value} (to add)" for value in self.cleaned_data.get("new_sources") or []]
        return "\n".join(sorted(labels))
