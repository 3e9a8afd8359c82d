"""The board pack: the SROI report laid out for print and rendered to PDF by WeasyPrint.

WeasyPrint asks ``PackFetcher`` for every stylesheet, font and image the pack refers to. It
serves only the project's own static files and the photos of the stories in this report, from
an address that can never be reached over a network; it refuses everything else, so nothing
written into a story or a name can make the renderer read a local file or call out.
"""

from __future__ import annotations

import io
import logging
import mimetypes
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone
from PIL import Image
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

from investments.models import ProgressUpdate
from investments.photos import PhotoTooLarge, small_copy
from kit.downloads import write_csv
from reporting.charts import report_sections
from reporting.figures import CSV_HEADER, Row, SroiReport, csv_name, csv_rows

logger = logging.getLogger(__name__)

PACK_HOST = "board-pack.invalid"  # .invalid never resolves (RFC 2606)
BASE_URL = f"https://{PACK_HOST}/"
IMAGE_PATH = "/report-images/"
# A story's photo prints at most 60 mm wide: 1,600 pixels on its longest side is well over
# 300 dots per inch, and keeps the renderer from ever decoding a camera-sized picture.
PRINT_LONGEST_SIDE = 1600


class RefusedURL(ValueError):
    pass


class PackFetcher(URLFetcher):
    """Serves the project's static files and the report's own images; refuses the rest."""

    def __init__(self, images: Mapping[str, Callable[[], bytes]] | None = None):
        super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False)
        self.images = images or {}

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.netloc != PACK_HOST or parts.query:
            raise RefusedURL(f"The board pack may not load {url}")
        path = unquote(parts.path)
        if path in self.images:
            # Every report image is served as a print copy: a JPEG (see print_copy).
            return URLFetcherResponse(url, body=self.images[path](), headers={"Content-Type": "image/jpeg"})
        static = settings.STATIC_URL
        if path.startswith(static):
            relative = path.removeprefix(static)
            segments = relative.split("/")
            if relative and not any(segment in ("", ".", "..") or "\\" in segment for segment in segments):
                found = finders.find(relative)
                if found:
                    with open(found, "rb") as file:
                        return URLFetcherResponse(url, body=file.read(), headers=_content_type(found))
        raise RefusedURL(f"The board pack may not load {url}")


def _content_type(name: str) -> dict[str, str]:
    kind = mimetypes.guess_type(name)[0]
    if name.endswith(".ttf"):
        kind = "font/ttf"
    return {"Content-Type": kind or "application/octet-stream"}


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


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    html: str


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


def render_pdf(
    html: str,
    images: Mapping[str, Callable[[], bytes]] | None = None,
    attachments: list[Attachment] | None = None,
) -> Rendered:
    # A tagged PDF (PDF/UA-1): headings, tables with their header cells, reading order, the
    # language and each image's alternative text reach a screen reader, as the accessibility
    # regulations ask of board papers a council publishes.
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=PackFetcher(images)).render(
        pdf_variant="pdf/ua-1"
    )
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", attachments=attachments or [])
    return Rendered(pdf=pdf, pages=len(document.pages), html=html)


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
