"""The Markdown editor's preview and upload endpoints, open only to staff who may write articles.

An uploaded image is trusted for nothing but its pixels: the bytes must decode as a PNG, JPEG, GIF
or WebP image within the limits below, whatever the file's name or declared type, and what is stored
is a fresh encoding of those pixels under a random name. Metadata (EXIF with GPS positions, comments,
text chunks, XMP, colour profiles) and anything hidden around the pixels never reach the server's disk.
"""

import io
import logging
import math
import uuid
import warnings
from dataclasses import dataclass
from functools import wraps
from pathlib import PurePath

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponseBadRequest, HttpResponseForbidden, HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.utils import timezone
from markdownx.forms import ImageForm
from markdownx.settings import MARKDOWNX_MEDIA_PATH
from markdownx.views import ImageUploadView, MarkdownifyView
from PIL import Image, ImageCms, ImageOps

logger = logging.getLogger(__name__)

# A photo straight from a phone fits; anything larger should be scaled down before it is uploaded.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
# Decoding costs memory by pixels, not bytes (a 1 MB PNG can hold 20,000 × 20,000 pixels), so the
# header's dimensions are checked before any pixel is decoded. 25 megapixels is 5000 × 5000.
UPLOAD_MAX_PIXELS = 25_000_000
# The article column is 46rem wide; 2000 pixels stays sharp on high-density screens at that width.
STORED_MAX_SIDE = 2000
JPEG_QUALITY = 85
WEBP_QUALITY = 85

# The only decoders Pillow may try, whatever the file claims to be.
DECODERS = ["PNG", "JPEG", "GIF", "WEBP"]
# How each format Pillow reports is stored. MPO is how Pillow reads a camera's JPEG that carries
# extra pictures (depth maps, previews); its first picture is the photo itself.
STORED_AS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG", "GIF": "GIF", "WEBP": "WEBP"}
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
ACCEPTED_NAMES = "PNG, JPEG, GIF or WebP"


class RefusedImage(ValueError):
    """An upload that is not stored; the message is shown to the editor as it is."""


@dataclass(frozen=True)
class PreparedImage:
    data: bytes
    extension: str


def megabytes(size):
    # Rounded up, so that a file just over the limit never reads as being at the limit.
    return f"{math.ceil(size * 10 / 1024 / 1024) / 10:g} MB"


def megapixels(pixels):
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


def prepare_image(data: bytes, name: str) -> PreparedImage:
    """Check an upload's bytes and re-encode its pixels, or raise RefusedImage saying why."""
    label = f"“{display_name(name)}”"
    if len(data) > UPLOAD_MAX_BYTES:
        raise RefusedImage(too_large_message(name, len(data)))
    if looks_like_svg(data):
        raise RefusedImage(
            f"{label} is an SVG drawing. SVG files can carry scripts, so they are not accepted: "
            f"export the drawing as PNG and upload that."
        )
    try:
        image = open_checked(data)
    except RefusedImage as refusal:
        raise RefusedImage(f"{label} {refusal}") from None
    except Exception as error:
        # Pillow reports damaged files with many exception types; each means "not a usable image".
        logger.info("Editor upload %r could not be decoded: %r", name, error)
        raise RefusedImage(
            f"{label} is not a complete {ACCEPTED_NAMES} image (whatever its name says): the file is of "
            f"another kind, or damaged, or cut short."
        ) from None
    stored_format = STORED_AS[image.format]
    try:
        encoded = encode(image, stored_format, lossless=image.format == "WEBP" and webp_is_lossless(data))
    except Exception as error:
        logger.warning("Editor upload %r decoded but could not be re-encoded: %r", name, error)
        raise RefusedImage(
            f"{label} could not be converted for the web; save it as PNG or JPEG and try again."
        ) from None
    return PreparedImage(encoded.getvalue(), EXTENSIONS[stored_format])


def too_large_message(name, size):
    return (
        f"“{display_name(name)}” is {megabytes(size)}; an image can be at most "
        f"{megabytes(UPLOAD_MAX_BYTES)}. Save it smaller (fewer pixels or lower quality) and try again."
    )


def open_checked(data: bytes) -> Image.Image:
    """Decode the first picture of an accepted format, enforcing every limit before pixels are decoded."""
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice it; here that is as fatal as beyond it.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=DECODERS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise RefusedImage(too_many_pixels_message(None)) from None
    width, height = image.size
    if width * height > UPLOAD_MAX_PIXELS:
        raise RefusedImage(too_many_pixels_message((width, height)))
    if image.format in {"PNG", "GIF", "WEBP"} and getattr(image, "is_animated", False):
        raise RefusedImage(
            "is animated. Only still images are accepted: readers cannot pause an animation in an article."
        )
    image.verify()  # checksums and structure, where the format has them (PNG's CRCs)
    image = Image.open(io.BytesIO(data), formats=DECODERS)
    if image.format in {"JPEG", "MPO"}:
        # Decode big photos at a reduced scale straight away: they are scaled down anyway.
        scale = STORED_MAX_SIDE / max(width, height)
        if scale < 1:
            image.draft(image.mode, (round(width * scale) + 1, round(height * scale) + 1))
    image.load()  # every pixel: a truncated or corrupt stream fails here
    if has_data_after_image(data, image.format):
        raise RefusedImage(
            "has other data hidden after the end of the image, as files disguised as images do. "
            "Open it in an image editor, save it again and upload that."
        )
    return image


def too_many_pixels_message(size):
    limit = f"an image can have at most {megapixels(UPLOAD_MAX_PIXELS)} megapixels"
    if size is None:
        return f"has far too many pixels; {limit}. Scale it down and try again."
    width, height = size
    return (
        f"is {width:,} × {height:,} pixels ({megapixels(width * height)} megapixels); {limit} "
        f"(for example 5000 × 5000). Scale it down and try again."
    )


def looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in head


def has_data_after_image(data: bytes, image_format: str) -> bool:
    """Whether bytes follow the format's own end marker (the usual shape of an image-plus-something polyglot).

    JPEG is not checked: phones append legitimate data after a photo (motion-photo videos, vendor
    trailers), and re-encoding drops whatever follows the image anyway.
    """
    find_end = {"PNG": png_end, "GIF": gif_end, "WEBP": riff_end}.get(image_format)
    if find_end is None:
        return False
    end = find_end(data)  # raises when the structure has no end; the caller reports a damaged file
    return end < len(data)


def png_end(data: bytes):
    position = 8
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            return position
    raise ValueError("PNG without an IEND chunk")


def gif_end(data: bytes):
    position = 13 + colour_table_size(data[10])
    while position < len(data):
        block = data[position]
        if block == 0x3B:  # trailer
            return position + 1
        if block == 0x21:  # extension: introducer and label, then sub-blocks
            position = skip_sub_blocks(data, position + 2)
        elif block == 0x2C:  # image descriptor, local colour table, LZW code size, then sub-blocks
            position = skip_sub_blocks(data, position + 10 + colour_table_size(data[position + 9]) + 1)
        else:
            raise ValueError(f"unknown GIF block {block:#x}")
    raise ValueError("GIF without a trailer")


def colour_table_size(flags: int) -> int:
    return 3 * (2 << (flags & 7)) if flags & 0x80 else 0


def skip_sub_blocks(data: bytes, position: int) -> int:
    while True:
        size = data[position]
        position += 1 + size
        if size == 0:
            return position


def riff_end(data: bytes):
    return 8 + int.from_bytes(data[4:8], "little")


def webp_is_lossless(data: bytes) -> bool:
    """Whether the WebP's picture is in the lossless VP8L encoding (screenshots, diagrams)."""
    position, end = 12, min(riff_end(data), len(data))
    while position + 8 <= end:
        kind = data[position : position + 4]
        if kind == b"VP8L":
            return True
        if kind == b"VP8 ":
            return False
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        position += 8 + size + (size & 1)
    return False


def encode(image: Image.Image, stored_format: str, *, lossless: bool = False) -> io.BytesIO:
    """A new file holding only the pixels: upright, in sRGB, at most STORED_MAX_SIDE wide and high."""
    transparency = image.info.get("transparency")
    icc_profile = image.info.get("icc_profile")
    try:
        image = ImageOps.exif_transpose(image)  # phones store photos sideways and say so in EXIF
    except Exception as error:
        logger.info("Ignoring unreadable EXIF orientation in an editor upload: %r", error)
    image = to_srgb(image, icc_profile)
    if image.mode in {"I", "I;16", "I;16B", "I;16L", "I;16N", "F"}:
        # 16-bit greys (scanner and imaging exports) would clip to white if converted directly.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
        transparency = None
    if max(image.size) > STORED_MAX_SIDE:
        if image.mode in {"P", "1"}:  # palette images would be resized by dropping pixels
            image = image.convert("RGBA" if transparency is not None else "RGB")
            transparency = None
        image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE), Image.Resampling.LANCZOS)
    image = to_storable_mode(image, stored_format)
    if image.mode not in {"P", "L", "RGB"}:
        transparency = None
    # A copy with an empty info dict, so that no format writer carries metadata over from the upload.
    clean = image.copy()
    clean.info = {}
    options = {
        "JPEG": {"quality": JPEG_QUALITY, "optimize": True, "progressive": True},
        "PNG": {"optimize": True},
        "GIF": {"optimize": True},
        "WEBP": {"lossless": True} if lossless else {"quality": WEBP_QUALITY},
    }[stored_format]
    if transparency is not None and stored_format in {"PNG", "GIF"}:
        options["transparency"] = transparency
    output = io.BytesIO()
    clean.save(output, stored_format, **options)
    return output


def to_srgb(image: Image.Image, icc_profile):
    """Apply an embedded colour profile (a phone's Display P3, a printer's CMYK) so it can be dropped."""
    if not icc_profile or image.mode not in {"RGB", "RGBA", "CMYK"}:
        return image
    output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        return ImageCms.profileToProfile(
            image, io.BytesIO(icc_profile), ImageCms.createProfile("sRGB"), outputMode=output_mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError) as error:
        logger.info("Ignoring an unusable colour profile in an editor upload: %r", error)
        return image


def to_storable_mode(image: Image.Image, stored_format: str):
    has_alpha = image.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or (
        image.mode == "P" and image.palette is not None and image.palette.mode == "RGBA"
    )
    allowed = {
        "JPEG": {"L", "RGB"},
        "PNG": {"1", "L", "LA", "P", "RGB", "RGBA"},
        "GIF": {"L", "P"},
        "WEBP": {"RGB", "RGBA"},
    }[stored_format]
    if image.mode in allowed:
        return image
    if stored_format == "JPEG":
        return image.convert("RGB")
    if stored_format == "GIF":
        return image  # Pillow's GIF writer builds a palette, keeping fully transparent pixels transparent
    return image.convert("RGBA" if has_alpha else "RGB")


def display_name(name: str) -> str:
    """The uploaded file's base name, shortened, for messages only (it is never used to store anything)."""
    base = PurePath(str(name or "").replace("\\", "/")).name or "The file"
    return base if len(base) <= 60 else f"{base[:57]}…"


class EditorImageForm(ImageForm):
    """markdownx's upload form, judging the file by its decoded content rather than its declared type."""

    image = forms.FileField(
        allow_empty_file=False,
        error_messages={
            "required": "No image was received: drop or paste an image file into the text.",
            "empty": "The file is empty: no image was received.",
        },
    )

    prepared = None

    def clean_image(self):
        upload = self.cleaned_data["image"]
        try:
            if upload.size > UPLOAD_MAX_BYTES:  # refused before a large file is read into memory
                raise RefusedImage(too_large_message(upload.name, upload.size))
            self.prepared = prepare_image(upload.read(), upload.name)
        except RefusedImage as refusal:
            raise forms.ValidationError(str(refusal), code="refused") from None
        return upload

    def clean(self):
        # markdownx's clean() trusts the Content-Type the browser declared; clean_image() has decided.
        return self.cleaned_data

    def save(self, commit=True):
        """Store the re-encoded image under a new random name in this month's folder; return its URL."""
        today = timezone.localdate()
        name = f"{MARKDOWNX_MEDIA_PATH}{today:%Y/%m}/{uuid.uuid4().hex}.{self.prepared.extension}"
        if not commit:
            return name
        return default_storage.url(default_storage.save(name, ContentFile(self.prepared.data)))


def upload_error(message, status):
    # markdownx's script hands any JSON without "image_code" to the page as a fileUploadError event;
    # static/admin/editor-uploads.js shows the messages listed under "image".
    return JsonResponse({"image": [message]}, status=status)


class EditorImageUploadView(ImageUploadView):
    form_class = EditorImageForm
    http_method_names = ["post"]

    def form_invalid(self, form):
        messages = [str(message) for errors in form.errors.values() for message in errors]
        logger.info("Refused an editor upload from %s: %s", self.request.user, " ".join(messages))
        return JsonResponse({"image": messages}, status=400)

    def form_valid(self, form):
        url = form.save()
        logger.info("Stored an editor upload from %s as %s", self.request.user, url)
        # A paragraph of its own wherever it is dropped: dropped at the start of a heading or inside a
        # sentence, a bare image would turn the heading into text or split the sentence's claim.
        return JsonResponse({"image_code": f"\n\n![]({url})\n\n"}, status=201)

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = upload_error("Images are uploaded by dropping or pasting them into the editor.", 405)
        response["Allow"] = "POST"
        return response


WRITE_PERMISSIONS = ("articles.add_article", "articles.change_article")


def article_writers_only(view, *, json=False):
    """Refuse anyone who could not save what the editor makes.

    Reviewers are staff too, but never write articles: they get no upload space and no preview.
    """

    def refuse(message):
        if json:
            return upload_error(message, 403)
        return HttpResponseForbidden(f"{message}\n", content_type="text/plain")

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            message = "Sign in to the editorial site to use the editor."
            return refuse(
                f"{message} (Your session may have ended: sign in again in another tab.)" if json else message
            )
        if not any(user.has_perm(permission) for permission in WRITE_PERMISSIONS):
            return refuse("Only editors who write articles can use the editor.")
        return view(request, *args, **kwargs)

    return wrapped


def preview_requests_only(view):
    """markdownx's preview fails with a server error on a GET or a post without content: answer those."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if "content" not in request.POST:
            return HttpResponseBadRequest(
                "Nothing to preview: send the Markdown as “content”.\n", content_type="text/plain"
            )
        return view(request, *args, **kwargs)

    return wrapped


markdownx_urlpatterns = [
    path("upload/", article_writers_only(EditorImageUploadView.as_view(), json=True), name="markdownx_upload"),
    path(
        "markdownify/",
        article_writers_only(preview_requests_only(MarkdownifyView.as_view())),
        name="markdownx_markdownify",
    ),
]
