"""An uploaded image's checks, and the fresh encoding of its pixels that is stored (articles.editor says why).

Plain Python and Pillow, no Django: the limits are here, the upload form and endpoints in articles.editor.
"""

import io
import logging
import math
import warnings
from dataclasses import dataclass
from pathlib import PurePath

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
