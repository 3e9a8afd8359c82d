"""What the fund accepts as a document: the type read from the file's content, not its name."""

from __future__ import annotations

from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

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


def megabytes(size: int) -> str:
    """A size limit as people write it: 10MB, or 500KB for small ones."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f}MB"
    return f"{max(size // 1024, 1)}KB"


def _size_problems(upload: UploadedFile, what: str, fix: str) -> list[str]:
    if upload.size == 0:
        return [f"The selected {what} is empty. {fix}"]
    if upload.size > settings.UPLOAD_MAX_BYTES:
        return [f"The selected {what} must be smaller than {megabytes(settings.UPLOAD_MAX_BYTES)}"]
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
    return content_type, []


PHOTO_TYPES = {"image/jpeg": {".jpg", ".jpeg"}, "image/png": {".png"}}


def photo_problems(photo: UploadedFile) -> list[str]:
    """A photo for a progress update: a JPG or PNG by its content, within the size limit."""
    if problems := _size_problems(photo, "photo", "Choose a JPG or PNG photo"):
        return problems
    kind = filetype.guess(photo.read(8192))
    photo.seek(0)
    if kind is None or kind.mime not in PHOTO_TYPES:
        return ["The selected file must be a photo: a JPG or PNG"]
    return []
