"""The board pack: the SROI report laid out for print and rendered to PDF by WeasyPrint.

``kit.pdf`` renders it, handing the renderer only the project's static files and the print copies
of the photos of the stories in this report.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Mapping
from functools import partial

from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone
from PIL import Image
from weasyprint import Attachment

from investments.models import ProgressUpdate
from investments.photos import PhotoTooLarge, small_copy
from kit.downloads import write_csv
from kit.pdf import RefusedURL, Rendered, render_pdf
from reporting.charts import report_sections
from reporting.figures import CSV_HEADER, Row, SroiReport, csv_name, csv_rows

logger = logging.getLogger(__name__)

IMAGE_PATH = "/report-images/"
# A story's photo prints at most 60 mm wide: 1,600 pixels on its longest side is well over
# 300 dots per inch, and keeps the renderer from ever decoding a camera-sized picture.
PRINT_LONGEST_SIDE = 1600


def print_copy(original: bytes) -> bytes:
    """A photo made ready for print: upright, no bigger than ``PRINT_LONGEST_SIDE``, as a JPEG.

    Photos bigger than the upload limit (kept from before it existed) are refused, not decoded.
    """
    try:
        return small_copy(io.BytesIO(original), fit=(PRINT_LONGEST_SIDE, PRINT_LONGEST_SIDE), quality=85)
    except PhotoTooLarge as error:
        raise RefusedURL(f"{error} to print") from error


def story_images(report: SroiReport) -> dict[str, Callable[[], bytes]]:
    """The photos of the report's stories, by the address the pack uses for each, as print copies."""
    with_photos = [story.update_pk for story in report.stories if story.has_photo]
    images: dict[str, Callable[[], bytes]] = {}
    for update in ProgressUpdate.objects.filter(pk__in=with_photos):

        def read(photo: FieldFile = update.photo) -> bytes:
            with photo.open("rb") as file:
                original = file.read()
            try:
                return print_copy(original)
            except (OSError, ValueError, Image.DecompressionBombError) as error:
                # The pack is still made, without this photo; the log says which.
                logger.warning("Board pack: left out the photo %s: %s", photo.name, error)
                raise RefusedURL(f"The photo {photo.name} cannot be printed") from error

        images[f"{IMAGE_PATH}{update.pk}"] = read
    return images


def made_ahead(images: Mapping[str, Callable[[], bytes]]) -> dict[str, Callable[[], bytes]]:
    """``images`` made now, one after another, and handed out when WeasyPrint asks for them.

    Made before the pages are laid out, a photo's print copy (up to about 50 MB while it is made)
    does not add to the memory the layout holds. One that could not be made fails when asked for,
    as it would have, and is left out of the pack."""
    made: dict[str, Callable[[], bytes]] = {}
    for path, read in images.items():
        try:
            made[path] = partial(_handed, read())
        except Exception as error:
            made[path] = partial(_handed, error)
    return made


def _handed(made: bytes | Exception) -> bytes:
    if isinstance(made, Exception):
        raise made
    return made


MOST_VALUED = 10  # investments listed in the appendix; the attached spreadsheet has every one


def _most_valued(report: SroiReport) -> list[Row]:
    valued = [row for row in report.by_investment if row.figures.value is not None]
    return sorted(valued, key=lambda row: row.figures.value.present_value, reverse=True)[:MOST_VALUED]  # type: ignore[union-attr]


def spreadsheet(report: SroiReport) -> Attachment:
    """The report's spreadsheet (every investment's figures), attached to the PDF."""
    out = io.StringIO()
    write_csv(out, CSV_HEADER, csv_rows(report))
    return Attachment(
        string=out.getvalue(),
        name=csv_name(report.fund),
        description="Every investment's figures, one row each",
    )


def pack_html(report: SroiReport, *, author: str) -> str:
    return render_to_string(
        "reporting/pack/board_pack.html",
        {
            "report": report,
            "most_valued": _most_valued(report),
            "attachment_name": csv_name(report.fund),
            "sections": report_sections(report, for_print=True),
            "author": author,
            "made_at": timezone.localtime(report.as_of),
            "image_path": IMAGE_PATH,
        },
    )


def make_pack(
    report: SroiReport, *, author: str, progress: Callable[[int, str], None] | None = None
) -> Rendered:
    """The report as a PDF. ``progress`` hears (percent, stage) as the work goes on."""
    progress = progress or (lambda percent, stage: None)
    progress(40, "Drawing the charts and tables")
    html = pack_html(report, author=author)
    progress(50, "Preparing the photos")
    images = made_ahead(story_images(report))
    progress(60, "Laying out the pages")
    return render_pdf(html, images, [spreadsheet(report)])
