"""Bar charts drawn as SVG on the server, the same drawing for the page and the board pack.

Each chart is an image with a title and a description that says what it shows; the page and the
pack print the same figures in a table beside it, so nobody needs the picture to read them.
The shapes are plain rectangles and text, which both browsers and WeasyPrint draw alike. Fonts and
colours are presentation attributes, not a ``<style>`` element, so the page's Content Security
Policy has no inline style to allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from reporting.figures import Row

INVESTED = "#505a5f"
VALUE = "#00625e"
TEXT = "#0b0c0c"
WIDTH = 640
LABEL_WIDTH = 190
VALUE_ROOM = 96
BAR = 14
GAP = 2
GROUP_GAP = 12
TOP = 34
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    invested: Decimal
    value: Decimal


def _pounds(amount: Decimal) -> str:
    if amount >= 1_000_000:
        return f"£{amount / 1_000_000:.2f}m"
    if amount >= 10_000:
        return f"£{amount / 1_000:.0f}k"
    return f"£{amount:,.0f}"


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bars_from(rows: list[Row]) -> list[Bar]:
    return [
        Bar(
            label=row.label,
            invested=row.figures.invested,
            value=row.figures.value.present_value if row.figures.value else Decimal(0),
        )
        for row in rows
    ]


def invested_and_value(title: str, bars: list[Bar], *, for_print: bool = False) -> SafeString:
    """Two bars per group: the money invested and the present value of its outcomes.

    On a page a screen reader reads the title, then the figures in words (the description). A
    tagged PDF takes its alternative text from the title alone, so ``for_print`` puts the figures
    in the title too."""
    ident = f"chart-{next(_ids)}"
    largest = max([bar.invested for bar in bars] + [bar.value for bar in bars] + [Decimal(1)])
    scale = Decimal(WIDTH - LABEL_WIDTH - VALUE_ROOM) / largest
    height = TOP + len(bars) * (2 * BAR + GAP + GROUP_GAP) + 4
    shapes = []
    y = TOP
    for bar in bars:
        shapes.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>',
                LABEL_WIDTH - 8,
                y + BAR + 4,
                _short(bar.label),
            )
        )
        for offset, amount, colour in ((0, bar.invested, INVESTED), (BAR + GAP, bar.value, VALUE)):
            length = max(float(amount * scale), 1.0)
            shapes.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="11">{}</text>',
                    LABEL_WIDTH,
                    y + offset,
                    f"{length:.1f}",
                    BAR,
                    colour,
                    f"{LABEL_WIDTH + length + 4:.1f}",
                    y + offset + BAR - 3,
                    _pounds(amount),
                )
            )
        y += 2 * BAR + GAP + GROUP_GAP
    description = "; ".join(
        f"{bar.label}: {_pounds(bar.invested)} invested, {_pounds(bar.value)} of social value" for bar in bars
    )
    legend = format_html(
        '<rect x="{}" y="6" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="16" font-size="12">Invested</text>'
        '<rect x="{}" y="6" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="16" font-size="12">Social value (present value)</text>',
        LABEL_WIDTH,
        INVESTED,
        LABEL_WIDTH + 18,
        LABEL_WIDTH + 100,
        VALUE,
        LABEL_WIDTH + 118,
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="sroi-chart" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<g font-family="Pack Sans, Arial, sans-serif" fill="{text}">{legend}{shapes}</g></svg>',
        w=WIDTH,
        h=height,
        id=ident,
        text=TEXT,
        title=f"{title}. {description or 'No investments to show.'}" if for_print else title,
        desc=description or "No investments to show.",
        legend=legend,
        shapes=format_html_join("", "{}", ((shape,) for shape in shapes)),
    )


def report_charts(report, *, for_print: bool = False) -> dict[str, SafeString]:
    """The charts the page and the pack show, by breakdown."""
    return {
        "tier": invested_and_value(
            "Invested and social value by tier", bars_from(report.by_tier), for_print=for_print
        ),
        "place": invested_and_value(
            "Invested and social value by place", bars_from(report.by_place), for_print=for_print
        ),
        "theme": invested_and_value(
            "Invested and social value by theme", bars_from(report.by_theme), for_print=for_print
        ),
        "year": invested_and_value(
            "Invested and social value by the financial year investments started",
            bars_from(report.by_year),
            for_print=for_print,
        ),
    }


@dataclass(frozen=True)
class Section:
    heading: str
    rows: list[Row]
    chart: SafeString | None

    @property
    def caption(self) -> str:
        return f"By {self.heading[0].lower()}{self.heading[1:]}"


def report_sections(report, *, for_print: bool = False) -> list[Section]:
    """Each breakdown but the investments, with its chart: the order the page and the pack use."""
    charts = report_charts(report, for_print=for_print)
    return [
        Section(heading=heading, rows=rows, chart=charts.get(slug))
        for slug, heading, rows in report.breakdowns
        if slug != "investment"
    ]
