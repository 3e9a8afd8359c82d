"""What the fund accepts as a document: the type read from the file's content, not its name."""

from __future__ import annotations

import warnings
from pathlib import PurePath
from typing import Any

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

# Content type detected -> the file name endings that may carry it.
ACCEPTED = {
    "application/pdf": {".pdf"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.oasis.opendocument.text": {".odt"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
}
ACCEPTED_NAMES = "PDF, DOCX, XLSX, ODT, JPG or PNG"
PHOTO_TYPES = {"image/jpeg": {".jpg", ".jpeg"}, "image/png": {".png"}}


def megabytes(size: int) -> str:
    """A size limit as people write it: 10MB, or 500KB for small ones."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f}MB"
    return f"{max(size // 1024, 1)}KB"


def _size_problems(upload: UploadedFile, what: str, fix: str) -> list[str]:
    size = upload.size or 0
    if size == 0:
        return [f"The selected {what} is empty. {fix}"]
    if size > settings.UPLOAD_MAX_BYTES:
        return [f"The selected {what} must be smaller than {megabytes(settings.UPLOAD_MAX_BYTES)}"]
    return []


def megapixels(pixels: int) -> str:
    """A pixel limit as people write it: 40 megapixels, or 12.5 megapixels."""
    return f"{pixels / 1_000_000:,.1f}".removesuffix(".0") + " megapixels"


def _pixel_problems(upload: UploadedFile, what: str, a_what: str) -> list[str]:
    """An image's width and height, read from its header without decoding it, within the limit.

    A small file can hold a huge picture (a 657 KB PNG of 13,000 by 13,000 pixels decodes to
    half a gigabyte), and every image the portal accepts may later be decoded to print it.
    """
    limit = settings.UPLOAD_MAX_PIXELS
    try:
        # Pillow warns about pictures this big; the limit below is the portal's answer to them.
        with (
            warnings.catch_warnings(action="ignore", category=Image.DecompressionBombWarning),
            Image.open(upload, formats=["JPEG", "PNG"]) as image,
        ):
            width, height = image.size
    except Image.DecompressionBombError:
        # Pillow refuses to even describe an image over twice its own limit.
        return [f"The selected {what} is too large. Choose {a_what} of {megapixels(limit)} or fewer"]
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return [f"The selected {what} could not be opened: it may be damaged. Choose another JPG or PNG"]
    finally:
        upload.seek(0)
    if width * height > limit:
        return [
            f"The selected {what} is too large: {width:,} × {height:,} pixels. "
            f"Choose {a_what} of {megapixels(limit)} or fewer"
        ]
    return []


def upload_problems(upload: UploadedFile) -> tuple[str | None, list[str]]:
    """(the detected content type, problems): an empty list means the file is accepted."""
    if problems := _size_problems(upload, "file", "Choose a file with something in it"):
        return None, problems
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    # Office formats are zip files: filetype needs the start of the archive to tell them apart.
    content_type = kind.mime if kind else None
    suffix = PurePath(upload.name or "").suffix.lower()
    if content_type not in ACCEPTED:
        return content_type, [f"The selected file must be a {ACCEPTED_NAMES}"]
    if suffix not in ACCEPTED[content_type]:
        expected = "/".join(sorted(ending.lstrip(".").upper() for ending in ACCEPTED[content_type]))
        return content_type, [
            f"The selected file’s name ends in {suffix or 'nothing'} but it is a {expected} file. "
            f"Rename it to end in .{expected.split('/')[0].lower()} or choose a different file"
        ]
    if content_type in PHOTO_TYPES:
        return content_type, _pixel_problems(upload, "image", "an image")
    return content_type, []


def photo_problems(photo: UploadedFile) -> list[str]:
    """A photo for a progress update: a JPG or PNG by its content, within the size and pixel limits."""
    if problems := _size_problems(photo, "photo", "Choose a JPG or PNG photo"):
        return problems
    kind = filetype.guess(photo.read(8192))
    photo.seek(0)
    if kind is None or kind.mime not in PHOTO_TYPES:
        return ["The selected file must be a photo: a JPG or PNG"]
    return _pixel_problems(photo, "photo", "a photo")


def attach(instance: Any, field: str, upload: UploadedFile, content_type: str | None) -> None:
    """Store an accepted ``upload`` in ``instance``'s file ``field`` under an unguessable key, and
    keep what the person knows it by in ``<field>_name``, ``_type`` and ``_size`` (not saved yet)."""
    assert content_type is not None and upload.size is not None  # an accepted file has both
    name = upload.name or field
    getattr(instance, field).save(name, upload, save=False)
    setattr(instance, f"{field}_name", name[-200:])
    setattr(instance, f"{field}_type", content_type)
    setattr(instance, f"{field}_size", upload.size)
