"""One way to split a long list into pages, for every table in the portal.

``paginate`` reads ``?page=`` and gives Django's ``Page`` with ``links``: what the GOV.UK
pagination component (``components/pagination.html``) shows, each address keeping the list's
filters and sort. A page number out of range shows the nearest page rather than an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 25


@dataclass(frozen=True)
class PageLink:
    """One item in the pagination list: a page number with its address, or a gap (``number`` None)."""

    number: int | None
    href: str = ""
    current: bool = False


@dataclass(frozen=True)
class Links:
    previous: str
    next: str
    pages: list[PageLink]


def _address(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


def page_numbers(current: int, last: int) -> list[int | None]:
    """The numbers GOV.UK pagination shows: the first, the last, the current one and those either
    side of it, with ``None`` for each gap, e.g. 1 … 4 5 6 … 20."""
    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def paginate(request: HttpRequest, items: QuerySet[Any] | Sequence[Any], *, per_page: int = PER_PAGE) -> Page:
    """The page of ``items`` the address asks for, with ``page.links`` for the pagination component."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    page.links = Links(  # type: ignore[attr-defined]  # read by components/pagination.html
        previous=_address(request, page.previous_page_number()) if page.has_previous() else "",
        next=_address(request, page.next_page_number()) if page.has_next() else "",
        pages=[
            PageLink(number, _address(request, number), number == page.number) if number else PageLink(None)
            for number in page_numbers(page.number, page.paginator.num_pages)
        ],
    )
    return page
