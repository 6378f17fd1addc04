"""Images dropped into the Markdown editor: only real still images are stored, re-encoded, under random names."""

import io
import re
import struct
import warnings
import zlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from articles.images import STORED_MAX_SIDE, UPLOAD_MAX_BYTES, UPLOAD_MAX_PIXELS, RefusedImage, prepare_image
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/markdownx/upload/"
AJAX = {"x-requested-with": "XMLHttpRequest"}
STORED = re.compile(r"^\n\n!\[\]\(/media/uploads/(\d{4})/(\d{2})/([0-9a-f]{32})\.(png|jpg|gif|webp)\)\n\n$")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def encoded(image, image_format, **options):
    output = io.BytesIO()
    image.save(output, image_format, **options)
    return output.getvalue()


def picture(mode="RGB", size=(120, 80)):
    """A picture with distinct quadrants, so rotation and scaling can be seen in the stored pixels."""
    image = Image.new(mode, size, "white" if mode != "P" else 0)
    width, height = size
    image.paste("red" if mode != "P" else 1, (0, 0, width // 2, height // 2))
    image.paste("blue" if mode != "P" else 2, (width // 2, height // 2, width, height))
    return image


def upload(client, data, name="picture.png", content_type="image/png"):
    return client.post(UPLOAD_URL, {"image": SimpleUploadedFile(name, data, content_type=content_type)}, headers=AJAX)


def stored_file(media, response):
    match = STORED.match(response.json()["image_code"])
    assert match, response.json()
    return media / "uploads" / match[1] / match[2] / f"{match[3]}.{match[4]}"


def files_under(folder: Path):
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def refusal(response):
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == ["image"] and "image_code" not in body
    return " ".join(body["image"])


# What staff may upload ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image_format", "options", "extension"),
    [
        ("PNG", {}, "png"),
        ("JPEG", {"quality": 95}, "jpg"),
        ("GIF", {}, "gif"),
        ("WEBP", {"quality": 95}, "webp"),
        ("WEBP", {"lossless": True}, "webp"),
    ],
)
def test_a_real_image_is_stored_in_its_format_under_a_random_name_in_a_dated_folder(
    editor_client, media, image_format, options, extension
):
    source = picture()
    response = upload(editor_client, encoded(source, image_format, **options), name="../../etc/My Photo.png")

    assert response.status_code == 201
    stored = stored_file(media, response)
    assert stored.suffix == f".{extension}"
    assert "My Photo" not in str(stored) and "etc" not in stored.parts
    assert [stored] == files_under(media)
    with Image.open(stored) as image:
        assert image.format == image_format and image.size == source.size
        pixels = image.convert("RGB")
        assert pixels.getpixel((10, 10))[0] > 200 > pixels.getpixel((10, 10))[2]  # red corner stays red
        assert pixels.getpixel((110, 70))[2] > 200 > pixels.getpixel((110, 70))[0]  # blue corner stays blue


def test_the_stored_format_follows_the_bytes_not_the_name_or_declared_type(editor_client, media):
    response = upload(editor_client, encoded(picture(), "JPEG"), name="diagram.png", content_type="image/png")

    assert stored_file(media, response).suffix == ".jpg"


def test_two_uploads_of_the_same_file_never_share_a_name(editor_client, media):
    data = encoded(picture(), "PNG")

    first, second = stored_file(media, upload(editor_client, data)), stored_file(media, upload(editor_client, data))

    assert first != second and first.exists() and second.exists()


def test_uploads_go_to_the_storage_the_deployment_configures_not_to_the_local_disk(editor_client, media, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.InMemoryStorage",
            "OPTIONS": {"base_url": "https://media.example.org/"},
        },
    }

    response = upload(editor_client, encoded(picture(), "PNG"))

    assert response.status_code == 201
    match = re.search(
        r"\(https://media\.example\.org/(uploads/\d{4}/\d{2}/[0-9a-f]{32}\.png)\)", response.json()["image_code"]
    )
    assert match, response.json()
    with default_storage.open(match[1]) as stored, Image.open(stored) as image:
        assert image.format == "PNG" and image.size == picture().size
    assert files_under(media) == []


def test_a_photo_loses_its_location_and_comments_but_stays_upright(editor_client, media):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: show the picture rotated 90° clockwise
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 26.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
    }
    data = encoded(picture(size=(120, 80)), "JPEG", exif=exif, comment=b"<script>alert(1)</script>")
    with Image.open(io.BytesIO(data)) as original:  # the test file really carries what must go
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo) and original.info["comment"]

    stored = stored_file(media, upload(editor_client, data, name="IMG_0001.jpg", content_type="image/jpeg"))

    raw = stored.read_bytes()
    assert b"Exif" not in raw and b"PhoneMaker" not in raw and b"<script" not in raw
    with Image.open(stored) as image:
        assert not image.getexif() and "comment" not in image.info and "exif" not in image.info
        assert image.size == (80, 120)  # turned upright
        assert image.convert("RGB").getpixel((70, 10))[0] > 200  # the red corner is now top right


def test_text_chunks_and_colour_profiles_are_not_kept(editor_client, media):
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "<html><script>alert(1)</script></html>")
    text.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta><rdf:Description author='someone'/></x:xmpmeta>")
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encoded(picture(), "PNG", pnginfo=text, icc_profile=profile)

    stored = stored_file(media, upload(editor_client, data))

    raw = stored.read_bytes()
    assert b"<script" not in raw and b"xmpmeta" not in raw and b"iCCP" not in raw and b"tEXt" not in raw
    with Image.open(stored) as image:
        assert image.info == {} or set(image.info) <= {"dpi"}


def swapped_primaries_profile():
    """sRGB with its red and blue primaries exchanged: pixels stored as red mean blue under this profile."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    entries = {bytes(profile[132 + 12 * i : 136 + 12 * i]): 132 + 12 * i for i in range(profile[131])}
    red, blue = entries[b"rXYZ"] + 4, entries[b"bXYZ"] + 4
    profile[red : red + 8], profile[blue : blue + 8] = profile[blue : blue + 8], profile[red : red + 8]
    return bytes(profile)


def test_colours_are_converted_to_srgb_before_the_profile_is_dropped(editor_client, media):
    data = encoded(Image.new("RGB", (20, 20), "red"), "JPEG", quality=95, icc_profile=swapped_primaries_profile())

    stored = stored_file(media, upload(editor_client, data, content_type="image/jpeg"))

    with Image.open(stored) as image:
        assert "icc_profile" not in image.info
        red, _green, blue = image.getpixel((10, 10))
        assert blue > 200 > 50 > red  # what the photo's profile said it looks like


@pytest.mark.parametrize("image_format", ["PNG", "GIF"])
@pytest.mark.parametrize("mode", ["RGBA", "P"])
def test_transparency_is_kept(editor_client, media, image_format, mode):
    if mode == "P":  # a palette with one transparent entry, as GIFs and small PNGs have
        source = Image.new("P", (40, 40), 0)
        source.putpalette([255, 255, 255, 0, 128, 0])
        source.paste(1, (10, 10, 30, 30))
        options = {"transparency": 0}
    else:
        source = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
        source.paste((0, 128, 0, 255), (10, 10, 30, 30))
        options = {}

    stored = stored_file(media, upload(editor_client, encoded(source, image_format, **options)))

    with Image.open(stored) as image:
        assert image.format == image_format
        rgba = image.convert("RGBA")
        assert rgba.getpixel((0, 0))[3] == 0 and rgba.getpixel((20, 20)) == (0, 128, 0, 255)


def test_a_large_photo_is_scaled_down_to_the_stored_size(editor_client, media):
    source = picture(size=(4000, 1000))

    stored = stored_file(media, upload(editor_client, encoded(source, "JPEG"), content_type="image/jpeg"))

    with Image.open(stored) as image:
        assert image.size == (STORED_MAX_SIDE, STORED_MAX_SIDE // 4)


def test_a_camera_jpeg_with_extra_pictures_is_stored_as_its_main_photo(editor_client, media):
    data = encoded(picture(), "MPO", save_all=True, append_images=[Image.new("RGB", (120, 80), "green")])

    stored = stored_file(media, upload(editor_client, data, name="portrait.jpg", content_type="image/jpeg"))

    with Image.open(stored) as image:
        assert image.format == "JPEG" and getattr(image, "n_frames", 1) == 1
        assert image.convert("RGB").getpixel((10, 10))[0] > 200


def test_a_sixteen_bit_grey_scan_keeps_its_tones(editor_client, media):
    source = Image.new("I;16", (4, 1))
    for x, value in enumerate([0, 16384, 32768, 65535]):
        source.putpixel((x, 0), value)

    stored = stored_file(media, upload(editor_client, encoded(source, "PNG")))

    with Image.open(stored) as image:
        assert [image.getpixel((x, 0)) for x in range(4)] == [0, 64, 128, 255]


def test_a_jpeg_with_data_appended_is_stored_without_it(editor_client, media):
    # Phones append videos and vendor data after a photo, so JPEG is cleaned rather than refused.
    data = encoded(picture(), "JPEG") + b"<html><script>alert(1)</script></html>"

    stored = stored_file(media, upload(editor_client, data, content_type="image/jpeg"))

    assert b"<html" not in stored.read_bytes()


# What is refused ----------------------------------------------------------------------------------------------


def png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def bomb_png(width, height):
    """A valid 1-bit PNG of the given size whose compressed pixels take a few kilobytes."""
    row = b"\0" + b"\0" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", pixels) + png_chunk(b"IEND", b"")


def broken_checksum(data):
    """The PNG with its pixel chunk's CRC wrong: the pixels still decode, the file is still damaged."""
    start = data.index(b"IDAT") - 4
    crc = start + 8 + struct.unpack(">I", data[start : start + 4])[0]
    return data[:crc] + bytes([data[crc] ^ 0xFF]) + data[crc + 1 :]


def two_frames(image_format):
    return encoded(
        Image.new("RGB", (30, 20), "red"), image_format, save_all=True, append_images=[Image.new("RGB", (30, 20))]
    )


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>'
HOSTILE = {
    "html named .png": (b"<!doctype html><html><script>alert(document.cookie)</script></html>", "not a complete"),
    "svg": (SVG, "SVG"),
    "svg named .png": (b"\xef\xbb\xbf  " + SVG.replace(b"<?xml", b"<?XML"), "SVG"),
    "svg without xml declaration": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', "SVG"),
    "png + html polyglot": (encoded(picture(), "PNG") + b"<html><script>alert(1)</script>", "hidden after"),
    "gif + zip polyglot": (encoded(picture("P"), "GIF") + b"PK\x03\x04" + b"\0" * 26, "hidden after"),
    "webp + html polyglot": (encoded(picture(), "WEBP") + b"<script>alert(1)</script>", "hidden after"),
    "gif header that is also javascript": (b"GIF89a=/*" + b"\0" * 8 + b"*/=alert(1);", "not a complete"),
    "truncated png": (encoded(picture(), "PNG")[:-40], "not a complete"),
    "truncated jpeg": (encoded(picture(size=(400, 300)), "JPEG")[:-300], "not a complete"),
    "truncated gif": (encoded(picture("P", size=(400, 300)), "GIF")[:60], "not a complete"),
    "png with a broken checksum": (broken_checksum(encoded(picture(), "PNG")), "not a complete"),
    "decompression bomb": (bomb_png(50_000, 50_000), "far too many pixels"),
    "bomb within pillow's warning range": (bomb_png(10_000, 10_000), "far too many pixels"),
    "too many pixels": (bomb_png(6000, 5000), "6,000 × 5,000 pixels (30 megapixels)"),
    "animated gif": (two_frames("GIF"), "animated"),
    "animated png": (two_frames("PNG"), "animated"),
    "animated webp": (two_frames("WEBP"), "animated"),
    "bmp": (encoded(picture(), "BMP"), "not a complete"),
    "tiff": (encoded(picture(), "TIFF"), "not a complete"),
    "ico": (encoded(picture(size=(32, 32)), "ICO"), "not a complete"),
    "pdf": (b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF", "not a complete"),
    "php": (b"<?php system($_GET['c']); ?>", "not a complete"),
    "zip": (b"PK\x03\x04" + b"\0" * 100, "not a complete"),
    "png signature only": (b"\x89PNG\r\n\x1a\n", "not a complete"),
    "random bytes": (bytes(range(256)) * 8, "not a complete"),
}


@pytest.mark.parametrize(("data", "expected"), list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_file_that_is_not_a_plain_still_image_is_refused_with_a_reason(editor_client, media, data, expected):
    response = upload(editor_client, data, name="x.png", content_type="image/png")

    message = refusal(response)
    assert expected in message and "“x.png”" in message
    assert files_under(media) == []


def test_a_bomb_pillow_only_warns_about_is_refused_before_decoding_even_where_warnings_are_ignored():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as a production server may run
        with pytest.raises(RefusedImage, match="far too many pixels"):
            prepare_image(bomb_png(10_000, 10_000), "bomb.png")


def test_the_pixel_limit_is_stated_when_refusing():
    with pytest.raises(RefusedImage, match=f"at most {UPLOAD_MAX_PIXELS // 1_000_000} megapixels"):
        prepare_image(bomb_png(6000, 5000), "scan.png")


def test_a_file_over_the_size_limit_is_refused_before_it_is_decoded(editor_client, media):
    data = encoded(picture(), "PNG")
    oversized = data + b"\0" * (UPLOAD_MAX_BYTES + 1 - len(data))

    message = refusal(upload(editor_client, oversized, name="scan.png"))

    assert "“scan.png” is 5.1 MB; an image can be at most 5 MB" in message
    assert files_under(media) == []


def test_an_empty_or_missing_file_is_refused(editor_client, media):
    assert "empty" in refusal(upload(editor_client, b""))
    assert "No image was received" in refusal(editor_client.post(UPLOAD_URL, {}, headers=AJAX))
    assert files_under(media) == []


def test_a_long_file_name_is_shortened_in_the_message(editor_client, media):
    message = refusal(upload(editor_client, b"not an image", name="a" * 300 + ".png"))

    assert "a" * 57 + "…" in message and "a" * 58 not in message


def test_the_answer_is_json_without_the_ajax_header_and_get_is_not_allowed(editor_client, media):
    no_header = editor_client.post(UPLOAD_URL, {"image": SimpleUploadedFile("x.png", b"<html>")})
    get = editor_client.get(UPLOAD_URL)

    assert "not a complete" in refusal(no_header)
    assert get.status_code == 405 and get["Allow"] == "POST" and "dropping or pasting" in get.json()["image"][0]


@pytest.mark.parametrize("is_staff", [False, None], ids=["not staff", "anonymous"])
def test_an_upload_refused_for_want_of_a_staff_session_says_so_in_json(client, media, is_staff):
    if is_staff is not None:
        client.force_login(UserFactory(username="reader", is_staff=is_staff))

    response = upload(client, encoded(picture(), "PNG"))

    assert response.status_code == 403
    assert "Sign in to the editorial site" in response.json()["image"][0]
    assert files_under(media) == []


# Damaged variants of real images: refused with a message or stored as a clean image, never an error --------


def sample_images():
    return [
        encoded(picture(), "PNG"),
        encoded(picture(), "JPEG"),
        encoded(picture("P"), "GIF"),
        encoded(picture(), "WEBP"),
        encoded(picture(), "WEBP", lossless=True),
    ]


@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sample=st.sampled_from(sample_images()),
    edits=st.lists(st.tuples(st.integers(min_value=0, max_value=10_000), st.integers(0, 255)), max_size=6),
    cut=st.none() | st.integers(min_value=0, max_value=10_000),
)
def test_a_damaged_image_is_refused_or_stored_clean_never_a_crash(sample, edits, cut):
    data = bytearray(sample)
    for offset, value in edits:
        data[offset % len(data)] = value
    data = bytes(data[:cut] if cut is not None else data)

    try:
        prepared = prepare_image(data, "damaged.png")
    except RefusedImage as refused:
        assert "damaged.png" in str(refused)
    else:
        with Image.open(io.BytesIO(prepared.data)) as image:
            image.load()
            assert image.format.lower().replace("jpeg", "jpg") == prepared.extension
            assert not image.getexif()


def test_an_image_dropped_before_a_heading_is_a_paragraph_of_its_own_and_keeps_the_heading(editor_client, media):
    from articles.rendering import render_markdown

    code = upload(editor_client, encoded(picture("RGB", (40, 30)), "PNG")).json()["image_code"]
    body = "Intro.\n\n" + code + "## Two kinds of stem cell\n\nText."

    html = render_markdown(body)

    assert "<h2>Two kinds of stem cell</h2>" in html
    assert '<p><img alt="" src="/media/uploads/' in html
