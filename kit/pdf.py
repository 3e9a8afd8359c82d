"""Printable documents (the board pack, a meeting's minutes, an offer letter) rendered to PDF by
WeasyPrint.

WeasyPrint asks ``PdfFetcher`` for every stylesheet, font and image a document refers to. It serves
only the project's own static files and the images the caller hands it, from an address that can
never be reached over a network; it refuses everything else, so nothing written into a name or a
story can make the renderer read a local file or call out.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_HOST = "board-pack.invalid"  # .invalid never resolves (RFC 2606)
BASE_URL = f"https://{PDF_HOST}/"


class RefusedURL(ValueError):
    pass


class PdfFetcher(URLFetcher):
    """Serves the project's static files and the document's own images; refuses the rest."""

    def __init__(self, images: Mapping[str, Callable[[], bytes]] | None = None):
        super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False)
        self.images = images or {}

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.netloc != PDF_HOST or parts.query:
            raise RefusedURL(f"The document may not load {url}")
        path = unquote(parts.path)
        if path in self.images:
            # Every image handed in is a print copy: a JPEG.
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
        raise RefusedURL(f"The document may not load {url}")


def _content_type(name: str) -> dict[str, str]:
    kind = mimetypes.guess_type(name)[0]
    if name.endswith(".ttf"):
        kind = "font/ttf"
    return {"Content-Type": kind or "application/octet-stream"}


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    html: str


def render_pdf(
    html: str,
    images: Mapping[str, Callable[[], bytes]] | None = None,
    attachments: list[Attachment] | None = None,
) -> Rendered:
    # A tagged PDF (PDF/UA-1): headings, tables with their header cells, reading order, the
    # language and each image's alternative text reach a screen reader, as the accessibility
    # regulations ask of papers a council publishes.
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=PdfFetcher(images)).render(
        pdf_variant="pdf/ua-1"
    )
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", attachments=attachments or [])
    return Rendered(pdf=pdf, pages=len(document.pages), html=html)


def pdf_response(rendered: Rendered, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
