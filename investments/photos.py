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
import struct
import zlib
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from PIL import ExifTags, Image, ImageFile

logger = logging.getLogger(__name__)

THUMBNAIL_WIDTH = 640  # pixels in the thumbnail file
SHOWN_WIDTH = 320  # CSS pixels on the page: fits a 390px-wide phone, and stays sharp on 2x screens
THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024  # a kept thumbnail is far smaller; anything larger is not served
JPEG_QUALITY = 82
# How long a browser may keep a thumbnail it was allowed to see. Pages add the photo's version to
# the address, so a replaced photo is fetched afresh at once.
PRIVATE_MAX_AGE = 60 * 60

_TURNED = {5, 6, 7, 8}  # camera orientations that swap width and height


def _orientation(image: ImageFile.ImageFile) -> int | None:
    """The camera's orientation (EXIF tag 274), read without decoding the picture.

    Pillow decodes a whole PNG to look for an eXIf chunk after the picture: for a PNG of the
    largest size accepted, that is 160 MB to read one number. The chunks are walked instead."""
    if image.format == "PNG" and "exif" not in image.info and image.fp is not None:
        image.info["exif"] = next((data for _, data in _png_chunks(image.fp, {b"eXIf"}) if data), None)
    return image.getexif().get(ExifTags.Base.Orientation)


def _upright_size(image: ImageFile.ImageFile) -> tuple[int, int]:
    width, height = image.size
    if _orientation(image) in _TURNED:
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
BAND_PIXELS = 1_000_000  # pixels of the photo decoded and shrunk at a time (4 MB at most)


def _shrunk(
    bands: Iterable[Image.Image], size: tuple[int, int], factor: int, transparent: bool
) -> Image.Image:
    """The picture of ``size`` given as ``bands`` of rows (each a whole multiple of ``factor`` rows
    high but the last), shrunk by a whole ``factor`` one band at a time, in RGB: transparent parts
    show as white, not black.

    Pillow shrinks a transparent picture by first copying it whole (premultiplied), and a
    palette picture must be turned into colours first: done on the full picture, either costs
    as much memory again as the decoded photo. Averaging blocks of ``factor`` pixels is the same
    band by band, so only one band is ever copied.
    """
    width, height = size
    out = Image.new("RGB", (-(-width // factor), -(-height // factor)), "white")
    mode = "RGBA" if transparent else "RGB"
    top = 0
    for band in bands:
        if band.mode != mode:
            band = band.convert(mode)
        small = band.reduce(factor) if factor > 1 else band
        out.paste(small, (0, top // factor), mask=small.getchannel("A") if transparent else None)
        top += band.height
    return out


def _crops(image: Image.Image, rows: int) -> Iterator[Image.Image]:
    """The decoded picture, ``rows`` rows at a time."""
    for top in range(0, image.height, rows):
        yield image.crop((0, top, image.width, min(top + rows, image.height)))


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # by colour type: grey, RGB, palette, grey and alpha, RGBA
# A PNG's rows given to Pillow as a small PNG of their own, by bytes per pixel: one Pillow
# hands back exactly as stored (8-bit grey, grey and alpha, RGB, RGBA), or for 16-bit colour
# (6 and 8 bytes) the same layout, read twice for the high and the low bytes.
_BAND_FORMAT = {1: (8, 0), 2: (8, 4), 3: (8, 2), 4: (8, 6), 6: (16, 2), 8: (16, 6)}


def _png_chunks(file: IO[bytes], wanted: set[bytes]) -> Iterator[tuple[bytes, bytes | None]]:
    """A PNG's chunks in order, as (type, data); the data is read only for the types ``wanted``,
    the rest are skipped over."""
    file.seek(0)
    if file.read(8) != _PNG_SIGNATURE:
        raise OSError("The file is not a PNG")
    while True:
        head = file.read(8)
        if len(head) < 8:
            raise OSError("The PNG ends early")
        length, kind = struct.unpack(">I4s", head)
        if kind in wanted:
            data = file.read(length)
            if len(data) < length:
                raise OSError("The PNG ends early")
            file.seek(4, io.SEEK_CUR)  # the checksum
            yield kind, data
        else:
            file.seek(length + 4, io.SEEK_CUR)
            yield kind, None
        if kind == b"IEND":
            return


def _png_file(width: int, height: int, depth: int, colour: int, rows: bytes | bytearray) -> io.BytesIO:
    """A PNG of ``rows`` (each led by its filter byte), stored without compression: it is read
    back at once, and deflate's stored blocks only need a small header every 64 KB."""
    view = memoryview(rows)
    blocks: list[bytes | memoryview] = [b"\x78\x01"]  # zlib's header
    for start in range(0, len(view), 0xFFFF):
        block = view[start : start + 0xFFFF]
        last = start + 0xFFFF >= len(view)
        blocks += [struct.pack("<BHH", last, len(block), 0xFFFF ^ len(block)), block]
    blocks.append(struct.pack(">I", zlib.adler32(view)))

    def chunk(kind: bytes, parts: list[bytes | memoryview]) -> list[bytes | memoryview]:
        crc = zlib.crc32(kind)
        for part in parts:
            crc = zlib.crc32(part, crc)
        return [struct.pack(">I", sum(map(len, parts))), kind, *parts, struct.pack(">I", crc)]

    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return io.BytesIO(
        b"".join([_PNG_SIGNATURE, *chunk(b"IHDR", [header]), *chunk(b"IDAT", blocks), *chunk(b"IEND", [])])
    )


def _as_stored(png: io.BytesIO, rawmode: str | None = None) -> bytes:
    """The rows of a PNG made by ``_png_file``, unfiltered: the bytes as the picture stores them."""
    png.seek(0)
    with Image.open(png, formats=["PNG"]) as image:
        if rawmode:
            image.tile = [image.tile[0]._replace(args=rawmode)]
        image.load()
        return image.tobytes()


def _streamable_png(image: ImageFile.ImageFile) -> bool:
    """Whether ``_png_bands`` can read this picture: a PNG whose rows come in order (not interlaced)."""
    return image.format == "PNG" and not image.info.get("interlace") and len(image.tile) == 1


def _png_bands(image: ImageFile.ImageFile, rows: int) -> Iterator[Image.Image]:
    """A PNG's picture, ``rows`` rows at a time from the top, in the mode Pillow gives it (with
    its palette and transparency): the picture Pillow decodes, without ever holding all of it.

    The compressed rows are inflated a band at a time. A row is stored filtered against the row
    above it, so each band is handed to Pillow as a small PNG of its own, led by the last row of
    the band before (unfiltered, so it stands alone), in a layout Pillow hands back byte for byte;
    those bytes are then unpacked as the real picture's rows are.
    """
    assert image.fp is not None
    chunks = _png_chunks(image.fp, {b"IHDR", b"IDAT"})
    header = next(data for kind, data in chunks if kind == b"IHDR")
    assert header is not None
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    bits = _PNG_CHANNELS[colour] * depth
    stride = (width * bits + 7) // 8
    per_pixel = max(1, bits // 8)  # the filters' step
    band_depth, band_colour = _BAND_FORMAT[per_pixel]
    rawmode = image.tile[0].args  # how Pillow unpacks a stored row into its mode
    palette = image.palette.copy() if image.palette else None
    transparency = image.info.get("transparency")

    idat = (data for kind, data in chunks if kind == b"IDAT" and data is not None)
    inflate = zlib.decompressobj()

    def inflated(size: int, lead: bytes) -> bytes:
        """``lead``, then the next ``size`` bytes of the picture's inflated rows."""
        parts, got = [lead], 0
        while got < size:
            if inflate.unconsumed_tail:
                part = inflate.decompress(inflate.unconsumed_tail, size - got)
            elif (data := next(idat, None)) is not None and not inflate.eof:
                part = inflate.decompress(data, size - got)
            else:
                raise OSError("The PNG's picture ends early")
            parts.append(part)
            got += len(part)
        return b"".join(parts)

    above: bytes | bytearray = bytes(stride)  # the first row is filtered against a row of zeros
    for top in range(0, height, rows):
        count = min(rows, height - top)
        try:
            png = _png_file(
                stride // per_pixel,
                count + 1,
                band_depth,
                band_colour,
                inflated(count * (stride + 1), b"\0" + above),
            )
        except zlib.error as error:
            raise OSError(f"The PNG's picture is damaged: {error}") from error
        stored: bytes | bytearray
        if per_pixel > 4:  # 16-bit colour: Pillow keeps only the high bytes, so read the low ones too
            high = _as_stored(png)
            stored = bytearray(2 * len(high))
            stored[0::2] = high
            del high
            stored[1::2] = _as_stored(png, rawmode="RGB;16L" if per_pixel == 6 else "RGBA;16L")
        else:
            stored = _as_stored(png)
        del png
        above = stored[-stride:]
        band = Image.frombytes(image.mode, (width, count), memoryview(stored)[stride:], "raw", rawmode)
        if palette is not None:
            band.putpalette(palette)
        if transparency is not None:
            band.info["transparency"] = transparency
        yield band


def small_copy(file: IO[bytes], *, fit: tuple[int, int], quality: int = JPEG_QUALITY) -> bytes:
    """The photo as an upright JPEG no bigger than ``fit`` (never enlarged), without the camera's
    metadata. The one place a stored photo is decoded: for page thumbnails and the board pack.

    A photo over ``UPLOAD_MAX_PIXELS`` is refused from its header, never decoded. A JPEG decodes
    straight at a fraction of its size; a PNG is decoded a band of rows at a time (``_png_bands``;
    an interlaced one, whose rows are not stored in order, whole) and each band shrunk to just over
    the size wanted (``_shrunk``), and only that small copy is turned, flattened and resized.
    """
    with Image.open(file, formats=["JPEG", "PNG"]) as image:
        if image.width * image.height > settings.UPLOAD_MAX_PIXELS:
            raise PhotoTooLarge(f"A photo of {image.width:,} × {image.height:,} pixels is too large")
        width, height = _upright_size(image)
        scale = min(fit[0] / width, fit[1] / height, 1)
        target = (max(1, round(width * scale)), max(1, round(height * scale)))
        orientation = _orientation(image)
        stored = (target[1], target[0]) if orientation in _TURNED else target
        image.draft("RGB", stored)
        transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        # Shrink by the largest whole factor that keeps at least the size wanted; a resize does the rest.
        factor = max(1, min(image.width // stored[0], image.height // stored[1]))
        rows = factor * max(1, BAND_PIXELS // (image.width * factor))
        bands = _png_bands(image, rows) if _streamable_png(image) else _crops(image, rows)
        small = _shrunk(bands, image.size, factor, transparent)
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
