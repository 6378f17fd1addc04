"""The article admin's forms: the article form (with its stated limits and topic parsing) and the import form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateformat import format as format_date
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags

from .importing import MAX_BYTES, ImportRefused, check_upload
from .limits import BODY_MAX_CHARS, TAG_MAX_CHARS, body_too_long
from .models import Article
from .versioning import VersionedForm, comparable


class StatedLimitsMixin:
    """States each text field's length limit in its help text, so editors meet it before a refusal."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            limit = getattr(field, "max_length", None)
            if limit and "characters" not in str(field.help_text):
                field.help_text = " ".join(filter(None, [str(field.help_text), f"Up to {limit:,} characters."]))


class StatedLimitsModelForm(StatedLimitsMixin, forms.ModelForm):
    """A model form for the admin, its length limits stated."""


class ArticleForm(StatedLimitsMixin, VersionedForm):
    """The admin's article form: refused, with a comparison, when the article was saved meanwhile.

    The body's size and each tag's length and letters are checked here too.
    """

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            body = self.fields["body"]
            body.help_text = f"{body.help_text} Up to {BODY_MAX_CHARS:,} characters (about 8,000 words)."
        if "tags" in self.fields:
            tags = self.fields["tags"]
            tags.help_text = (
                f"{tags.help_text} Each tag up to {TAG_MAX_CHARS} characters, with a letter or digit in it."
            )

    def differences_from(self, current):
        typed_tags = self.typed("tags")
        saved_tags = edit_string_for_tags(list(current.tags.all()))
        if sorted(parse_tags(typed_tags)) == sorted(parse_tags(saved_tags)):
            typed_tags = saved_tags  # the same tags, perhaps written in another order
        return [
            ("Title", self.typed("title"), comparable(current.title)),
            ("Slug", self.typed("slug"), comparable(current.slug)),
            ("Standfirst", self.typed("standfirst"), comparable(current.standfirst)),
            ("Body", self.typed("body"), comparable(current.body)),
            ("Tags", typed_tags, saved_tags),
            ("Public change note", self.typed("change_note"), comparable(current.change_note)),
        ]

    def conflict_notes(self, current, opened):
        if opened is None:
            return []
        notes = []
        if current.is_archived and opened.archived_at is None:
            notes.append("The article was archived meanwhile: readers do not see it.")
        if current.last_reviewed and opened.last_reviewed != current.last_reviewed:
            notes.append(
                f"It was marked as medically reviewed meanwhile, on {format_date(current.last_reviewed, 'j F Y')}."
            )
        return notes

    def _save_m2m(self):
        # Topics typed as they were stored are not written again: setting them reads and compares them all.
        if "tags" in self.cleaned_data and not self._tags_changed():
            tags = self.cleaned_data.pop("tags")
            try:
                super()._save_m2m()
            finally:
                self.cleaned_data["tags"] = tags
            return
        super()._save_m2m()

    def _tags_changed(self):
        if self.instance.pk is None or "tags" not in self.initial:
            return True
        stored = sorted(getattr(tag, "name", tag) for tag in self.initial["tags"] or [])
        return sorted(self.cleaned_data["tags"]) != stored

    def clean_body(self):
        body = self.cleaned_data["body"]
        problem = body_too_long(body)
        if problem:
            raise ValidationError(problem)
        return body

    def clean_tags(self):
        problems = []
        for name in self.cleaned_data["tags"]:
            if len(name) > TAG_MAX_CHARS:
                problems.append(
                    f"“{name[:40]}…” is {len(name):,} characters long; "
                    f"a tag may have at most {TAG_MAX_CHARS} characters."
                )
            elif not Tag().slugify(name):
                # Its web address would be empty: the topic page could not be reached.
                problems.append(f"“{name}” has no letter or digit, so it cannot have a topic page.")
        if problems:
            raise ValidationError(problems)
        return self.cleaned_data["tags"]


class ArticleImportForm(forms.Form):
    """A plain-text article to import: an uploaded file or pasted text, and an optional slug."""

    file = forms.FileField(
        required=False,
        label="Text file",
        help_text=f"A plain-text (.txt) file in UTF-8, up to 1 MB, making an article of up to {BODY_MAX_CHARS:,} "
        "characters. The first line is the title.",
        widget=forms.FileInput(attrs={"accept": ".txt,text/plain"}),
    )
    text = forms.CharField(
        required=False,
        strip=False,
        label="Or paste the text",
        help_text="The first line is the title. Short lines without final punctuation become headings; "
        "lines starting with -, * or 1. become lists.",
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100}),
    )
    slug = forms.SlugField(
        required=False,
        max_length=200,
        help_text="Leave blank to make it from the title. When the title or its slug is taken, "
        "a free slug is offered here.",
    )

    def clean(self):
        cleaned = super().clean()
        upload, pasted = cleaned.get("file"), cleaned.get("text") or ""
        if upload and pasted.strip():
            raise forms.ValidationError("Upload a file or paste the text, not both.")
        if not upload and not pasted.strip():
            raise forms.ValidationError("Upload a text file or paste the text to import.")
        try:
            if upload:
                cleaned["source"] = check_upload(upload.read(MAX_BYTES + 1), upload.name)
            else:
                cleaned["source"] = check_upload(pasted.encode("utf-8", "surrogatepass"), "The pasted text")
        except ImportRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return cleaned
