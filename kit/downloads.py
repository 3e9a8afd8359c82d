"""Files people download: spreadsheets made on the fly and files kept in private storage."""

import csv
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


FORMULA_STARTS = frozenset("=+-@")


def spreadsheet_safe(row: Iterable[Any]) -> list[Any]:
    """A row whose text cannot run as a formula: a cell starting with = + - @ would, in a
    spreadsheet, so it gets a leading apostrophe."""
    return [f"'{cell}" if isinstance(cell, str) and cell[:1] in FORMULA_STARTS else cell for cell in row]


# A byte-order mark first: without it Excel reads the UTF-8 file as the PC's old code page, and
# "£2,000" opens as "Â£2,000". Other programs skip it.
BYTE_ORDER_MARK = "\ufeff"


def write_csv(out: "SupportsWrite[str]", header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    out.write(BYTE_ORDER_MARK)
    writer = csv.writer(out)
    writer.writerow(spreadsheet_safe(header))  # a heading may be words an officer typed
    for row in rows:
        writer.writerow(spreadsheet_safe(row))


class _Echo:
    """A file that hands back what is written to it, so csv.writer's lines can be streamed."""

    def write(self, value: str) -> str:
        return value


ROWS_PER_CHUNK = 500


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The file ``write_csv`` makes, a chunk of rows at a time."""
    writer = csv.writer(_Echo())
    chunk = [BYTE_ORDER_MARK, writer.writerow(header)]
    for row in rows:
        chunk.append(writer.writerow(spreadsheet_safe(row)))
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> StreamingHttpResponse:
    """A CSV download sent as it is written, so a long one neither waits nor fills memory: give it
    rows read with ``.iterator()`` or ``values_list``."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def private_file(file: FieldFile, *, filename: str, content_type: str) -> HttpResponseBase:
    """A stored file for someone already checked: the file itself from local storage (which no
    public address serves), or a short-lived signed address on S3."""
    storage = file.storage
    if isinstance(storage, FileSystemStorage):
        return FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    disposition = 'attachment; filename="{}"'.format(filename.replace('"', ""))
    response = HttpResponseRedirect(
        # S3Storage.url takes ``parameters``; the stubs know only the base Storage.url.
        storage.url(file.name, parameters={"ResponseContentDisposition": disposition})  # type: ignore[call-arg]
    )
    response["Cache-Control"] = "private, no-store"
    return response
