from django import forms
from django.utils.dateformat import format as format_date
from taggit.utils import edit_string_for_tags, parse_tags

from .importing import MAX_BYTES, ImportRefused, check_upload
from .models import Article
from .versioning import VersionedForm, comparable


class ArticleForm(VersionedForm):
    """The admin's article form: refused, with a comparison, when the article was saved meanwhile."""

    class Meta:
        model = Article
        fields = "__all__"

    def differences_from(self, current):
        statuses = dict(Article.Status.choices)
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
            ("Status", statuses.get(self.typed("status"), self.typed("status")), current.get_status_display()),
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


class ArticleImportForm(forms.Form):
    """A plain-text article to import: an uploaded file or pasted text, and an optional slug."""

    file = forms.FileField(
        required=False,
        label="Text file",
        help_text="A plain-text (.txt) file in UTF-8, up to 1 MB. The first line is the title.",
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
