"""The profile form: a photo is checked and re-encoded as an editor's image upload is (articles.images)."""

from django import forms
from django.core.files.base import ContentFile

from articles.images import UPLOAD_MAX_BYTES, RefusedImage, prepare_image, too_large_message

from .models import Profile

PROFILE_FIELDS = ["display_name", "credentials", "specialty", "bio", "photo", "conflicts_of_interest"]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = PROFILE_FIELDS
        widgets = {"bio": forms.Textarea(attrs={"rows": 5}), "conflicts_of_interest": forms.Textarea(attrs={"rows": 3})}

    def clean_display_name(self):
        return " ".join(self.cleaned_data["display_name"].split())

    def clean_photo(self):
        """A new upload is kept only as a fresh encoding of its pixels, under a new name."""
        photo = self.cleaned_data.get("photo")
        if not photo or photo == self.initial.get("photo") or not hasattr(photo, "content_type"):
            return photo
        try:
            if photo.size > UPLOAD_MAX_BYTES:  # refused before a large file is read into memory
                raise RefusedImage(too_large_message(photo.name, photo.size))
            prepared = prepare_image(photo.read(), photo.name)
        except RefusedImage as refusal:
            raise forms.ValidationError(str(refusal), code="refused") from None
        if prepared.extension == "gif":
            raise forms.ValidationError("A photo must be a PNG, JPEG or WebP image, not a GIF.", code="refused")
        return ContentFile(prepared.data, name=f"photo.{prepared.extension}")
