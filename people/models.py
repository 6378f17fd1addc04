"""The public profile of an author or medical reviewer: what readers are told of who wrote or reviewed an article."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

PHOTO_FOLDER = "people/"


def photo_name(profile, filename):
    """A new random name for a photo: the stored file is a fresh encoding (people.forms), never the upload's name."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "jpg"
    return f"{PHOTO_FOLDER}{uuid.uuid4().hex}.{extension}"


def account_name(user) -> str:
    """The name an account gives: its full name, else its username."""
    return (user.get_full_name() or user.get_username()).strip()


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="Your name as readers see it on articles and on your page, e.g. “Dr Priya Raman”. Leave blank to "
        "use your account's name.",
    )
    slug = models.SlugField(
        max_length=140,
        unique=True,
        help_text="The end of your page's web address, taken from your name when the profile was made; it never "
        "changes, so links to your page keep working.",
    )
    credentials = models.CharField(
        max_length=120,
        blank=True,
        help_text="Qualifications after your name, e.g. “MD, FRCP”. Readers see them beside your name as reviewer.",
    )
    specialty = models.CharField(max_length=120, blank=True, help_text="e.g. “Respiratory medicine”.")
    bio = models.TextField(
        blank=True,
        max_length=1500,
        help_text="A few plain sentences about you (no formatting). Blank lines start a new paragraph.",
    )
    photo = models.FileField(
        upload_to=photo_name,
        blank=True,
        max_length=200,
        help_text="Optional: a PNG, JPEG or WebP photo of your face, at most 5 MB. It is re-encoded and its metadata "
        "(such as where it was taken) removed.",
    )
    conflicts_of_interest = models.TextField(
        blank=True,
        max_length=1500,
        help_text="Payments, grants, shares or roles that readers should know of. Leave blank if you have none: "
        "your page then says “None declared”.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:person-detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        """The name readers see: the display name, else the account's full name, else its username."""
        return self.display_name or account_name(self.user)

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials.strip())
