"""Profiles in the admin: staff edit their own, superusers every one; a photo is stored only as fresh pixels."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from people.models import Profile
from people.profiles import profile_for
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

FIELDS = {
    "display_name": "Dr Priya Raman",
    "credentials": "MD, FRCP",
    "specialty": "Respiratory medicine",
    "bio": "Consultant.",
    "conflicts_of_interest": "",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def change_url(profile):
    return reverse("admin:people_profile_change", args=[profile.pk])


def png_with_a_secret(size=(64, 48)):
    """A PNG carrying a text chunk, as files with hidden metadata do."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret location 51.5N 0.1W")
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def test_staff_opening_profiles_land_on_their_own_made_then(reviewer_client, reviewer):
    response = reviewer_client.get(reverse("admin:people_profile_changelist"))

    profile = Profile.objects.get(user=reviewer)
    assert response.status_code == 302 and response["Location"] == change_url(profile)


def test_staff_edit_their_own_profile_but_not_its_slug(reviewer_client, reviewer):
    profile = profile_for(reviewer)
    slug = profile.slug

    response = reviewer_client.post(change_url(profile), {**FIELDS, "slug": "someone-else"})

    profile.refresh_from_db()
    assert response.status_code == 302
    assert (profile.display_name, profile.credentials, profile.slug) == ("Dr Priya Raman", "MD, FRCP", slug)


def test_the_change_page_links_to_the_public_page(editor_client, editor):
    profile = profile_for(editor)

    content = editor_client.get(change_url(profile)).content.decode()

    assert f'<a href="/people/{profile.slug}/">/people/{profile.slug}/</a>' in content


def test_staff_may_not_open_or_change_another_persons_profile(reviewer_client, editor):
    profile = profile_for(editor)

    assert reviewer_client.get(change_url(profile)).status_code == 403
    assert reviewer_client.post(change_url(profile), FIELDS).status_code == 403
    assert Profile.objects.get(pk=profile.pk).credentials == ""


def test_a_superuser_edits_anyones_profile_and_lists_them_all(root_client, editor, reviewer):
    profile_for(editor), profile_for(reviewer)

    listed = root_client.get(reverse("admin:people_profile_changelist"))
    changed = root_client.post(change_url(profile_for(editor)), FIELDS)

    assert listed.status_code == 200 and listed.context["cl"].result_count == 2
    assert changed.status_code == 302
    assert Profile.objects.get(user=editor).credentials == "MD, FRCP"


def test_a_superuser_adds_a_profile_its_slug_taken_from_the_name(root_client, reviewer):
    response = root_client.post(reverse("admin:people_profile_add"), {**FIELDS, "user": reviewer.pk})

    assert response.status_code == 302
    assert Profile.objects.get(user=reviewer).slug == "dr-priya-raman"


def test_a_photo_is_stored_re_encoded_without_its_metadata_under_a_new_name(editor_client, editor, media):
    profile = profile_for(editor)
    photo = SimpleUploadedFile("../../me at home.png", png_with_a_secret(), content_type="image/png")

    response = editor_client.post(change_url(profile), {**FIELDS, "photo": photo})

    profile.refresh_from_db()
    assert response.status_code == 302
    stored = Path(media) / profile.photo.name
    assert profile.photo.name.startswith("people/") and profile.photo.name.endswith(".png")
    assert "me at home" not in profile.photo.name and stored.is_file()
    assert b"secret location" not in stored.read_bytes()
    with Image.open(stored) as image:
        assert image.size == (64, 48)


def test_a_replaced_or_removed_photo_leaves_the_public_folder(
    editor_client, editor, media, django_capture_on_commit_callbacks
):
    profile = profile_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(change_url(profile), {**FIELDS, "photo": SimpleUploadedFile("a.png", png_with_a_secret())})
    first = Path(media) / Profile.objects.get(pk=profile.pk).photo.name

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(change_url(profile), {**FIELDS, "photo": SimpleUploadedFile("b.png", png_with_a_secret())})
    second = Path(media) / Profile.objects.get(pk=profile.pk).photo.name
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(change_url(profile), {**FIELDS, "photo-clear": "on"})

    assert first != second
    assert not first.exists() and not second.exists()
    assert not Profile.objects.get(pk=profile.pk).photo


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "me.png", "is an SVG drawing"),
        (b"GIF89a not really", "me.gif", "is not a complete PNG, JPEG, GIF or WebP image"),
        (b"MZ\x90\x00 an executable", "me.jpg", "is not a complete PNG, JPEG, GIF or WebP image"),
    ],
)
def test_a_file_that_is_not_a_usable_photo_is_refused_with_the_reason(editor_client, editor, media, data, name, words):
    profile = profile_for(editor)

    response = editor_client.post(change_url(profile), {**FIELDS, "photo": SimpleUploadedFile(name, data)})

    assert response.status_code == 200
    assert words in page_text(response)
    assert not Profile.objects.get(pk=profile.pk).photo
    assert not any(Path(media).rglob("*.*"))


def test_a_gif_is_refused_as_a_photo(editor_client, editor, media):
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, "GIF")

    response = editor_client.post(
        change_url(profile_for(editor)), {**FIELDS, "photo": SimpleUploadedFile("a.gif", buffer.getvalue())}
    )

    assert "A photo must be a PNG, JPEG or WebP image, not a GIF." in page_text(response)
    assert not any(Path(media).rglob("*.*"))


def test_a_photo_too_large_is_refused_before_it_is_read(editor_client, editor, media, settings):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 10))

    response = editor_client.post(change_url(profile_for(editor)), {**FIELDS, "photo": big})

    assert "an image can be at most 5 MB" in page_text(response)
