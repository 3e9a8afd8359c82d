"""Update photos as pages show them: a small JPEG, turned upright, without the camera's metadata
(which can hold where the photo was taken).

The photo the group sent stays private in the default storage (S3 in production) and is never
shown as it is. Its thumbnail is made the first time someone allowed to see it asks, and kept next
to it under a name derived from the photo's own random key, so later requests only read it back.
Pages load thumbnails from the portal's own address, because the Content Security Policy allows
images from 'self' only: the view passes the bytes on rather than redirecting to S3.
"""

from __future__ import annotations

import io
import logging
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from PIL import ExifTags, Image

logger = logging.getLogger(__name__)

THUMBNAIL_WIDTH = 640  # pixels in the thumbnail file
SHOWN_WIDTH = 320  # CSS pixels on the page: fits a 390px-wide phone, and stays sharp on 2x screens
THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024  # a kept thumbnail is far smaller; anything larger is not served
JPEG_QUALITY = 82
# How long a browser may keep a thumbnail it was allowed to see. Pages add the photo's version to
# the address, so a replaced photo is fetched afresh at once.
PRIVATE_MAX_AGE = 60 * 60

_TURNED = {5, 6, 7, 8}  # camera orientations that swap width and height


def _upright_size(image: Image.Image) -> tuple[int, int]:
    width, height = image.size
    if image.getexif().get(ExifTags.Base.Orientation) in _TURNED:
        return height, width
    return width, height


def read_size(file: IO[bytes]) -> tuple[int, int] | None:
    """The photo's width and height the right way up, or None if it cannot be read as an image.
    Only the header is read."""
    try:
        with Image.open(file) as image:
            return _upright_size(image)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        file.seek(0)


def thumbnail_size(width: int, height: int) -> tuple[int, int]:
    """The thumbnail's size: the photo's, made no wider than ``THUMBNAIL_WIDTH`` (never enlarged)."""
    if width <= THUMBNAIL_WIDTH:
        return width, height
    return THUMBNAIL_WIDTH, max(1, round(height * THUMBNAIL_WIDTH / width))


def shown_size(width: int, height: int) -> tuple[int, int]:
    """The size a page gives the thumbnail (its ``width`` and ``height`` attributes)."""
    thumb_width, thumb_height = thumbnail_size(width, height)
    if thumb_width <= SHOWN_WIDTH:
        return thumb_width, thumb_height
    return SHOWN_WIDTH, max(1, round(thumb_height * SHOWN_WIDTH / thumb_width))


def thumbnail_name(photo_name: str) -> str:
    """Where a photo's thumbnail is kept: beside it, named after it and the thumbnail's width, so
    a different width makes new thumbnails rather than serving old ones."""
    path = PurePosixPath(photo_name)
    return str(path.with_name(f"{path.stem}-w{THUMBNAIL_WIDTH}.jpg"))


class PhotoTooLarge(ValueError):
    """A stored photo has more pixels than the upload limit allows (kept from before the limit)."""


# Camera orientations and how to turn a picture upright for each (as ``ImageOps.exif_transpose``).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
BAND_ROWS = 128  # rows of the shrunk picture made at a time


def _shrunk(image: Image.Image, factor: int, mode: str) -> Image.Image:
    """``image`` in ``mode``, shrunk by a whole ``factor``, a band of rows at a time.

    Pillow shrinks a transparent picture by first copying it whole (premultiplied), and a
    palette picture must be turned into colours first: done on the full picture, either costs
    as much memory again as the decoded photo. Averaging blocks of ``factor`` pixels is the same
    band by band, so only one band is ever copied.
    """
    width, height = image.size
    if factor == 1 and image.mode == mode:
        return image.copy()  # already small: within twice the size wanted
    out = Image.new(mode, (-(-width // factor), -(-height // factor)))
    step = BAND_ROWS * factor
    for top in range(0, height, step):
        band = image.crop((0, top, width, min(top + step, height)))
        if band.mode != mode:
            band = band.convert(mode)
        out.paste(band.reduce(factor) if factor > 1 else band, (0, top // factor))
    return out


def small_copy(file: IO[bytes], *, fit: tuple[int, int], quality: int = JPEG_QUALITY) -> bytes:
    """The photo as an upright JPEG no bigger than ``fit`` (never enlarged), without the camera's
    metadata. The one place a stored photo is decoded: for page thumbnails and the board pack.

    A photo over ``UPLOAD_MAX_PIXELS`` is refused from its header, never decoded. A JPEG decodes
    straight at a fraction of its size; a PNG decodes whole and is shrunk band by band to just over
    the size wanted (``_shrunk``), and only that small copy is turned, flattened and resized.
    """
    with Image.open(file, formats=["JPEG", "PNG"]) as image:
        if image.width * image.height > settings.UPLOAD_MAX_PIXELS:
            raise PhotoTooLarge(f"A photo of {image.width:,} × {image.height:,} pixels is too large")
        width, height = _upright_size(image)
        scale = min(fit[0] / width, fit[1] / height, 1)
        target = (max(1, round(width * scale)), max(1, round(height * scale)))
        orientation = image.getexif().get(ExifTags.Base.Orientation)
        stored = (target[1], target[0]) if orientation in _TURNED else target
        image.draft("RGB", stored)
        transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        # Shrink by the largest whole factor that keeps at least the size wanted; a resize does the rest.
        factor = max(1, min(image.width // stored[0], image.height // stored[1]))
        small = _shrunk(image, factor, "RGBA" if transparent else "RGB")
    if transparent:
        # Transparent parts show as white, not black.
        flat = Image.new("RGB", small.size, "white")
        flat.paste(small, mask=small.getchannel("A"))
        small = flat
    if orientation in _UPRIGHT:
        small = small.transpose(_UPRIGHT[orientation])
    if small.size != target:
        small = small.resize(target, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif= argument: the camera's metadata, location included, is left behind.
    small.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def make_thumbnail(file: IO[bytes]) -> bytes:
    """The photo as a JPEG no wider than ``THUMBNAIL_WIDTH``, upright and without metadata."""
    return small_copy(file, fit=(THUMBNAIL_WIDTH, 10 * THUMBNAIL_WIDTH))


def thumbnail(photo: FieldFile) -> bytes | None:
    """The photo's thumbnail, made and kept on first use; None if the photo cannot be read."""
    if not photo.name:
        return None
    storage = photo.storage
    name = thumbnail_name(photo.name)
    try:
        with storage.open(name, "rb") as kept:
            data = kept.read(THUMBNAIL_MAX_BYTES + 1)
        if len(data) <= THUMBNAIL_MAX_BYTES:
            return data
    except FileNotFoundError:
        pass
    try:
        with storage.open(photo.name, "rb") as original:
            data = make_thumbnail(original)
    except (OSError, ValueError, Image.DecompressionBombError):
        # PhotoTooLarge included: a photo kept from before the pixel limit is not decoded here.
        logger.warning("Could not make a thumbnail of %s", photo.name, exc_info=True)
        return None
    # Two first requests at once may both make it; on S3 the second write replaces the first.
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(data))
    return data


def delete_photo(storage, name: str) -> None:
    """Remove a photo and its thumbnail, if one was made."""
    storage.delete(name)
    storage.delete(thumbnail_name(name))


def photo_response(photo: FieldFile, *, cache_control: dict) -> HttpResponse:
    """The photo's thumbnail as a response, for someone already allowed to see it."""
    data = thumbnail(photo)
    if data is None:
        raise Http404("The photo cannot be shown.")
    response = HttpResponse(data, content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    patch_cache_control(response, **cache_control)
    return response
