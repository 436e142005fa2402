"""The site's charts as inline SVG, drawn on the server: they work offline, need no JavaScript
and carry no inline style (the page's Content-Security-Policy forbids it).

Two kinds, each fed by the app that owns the data (it names no app, and no app draws SVG):

* ``bar_chart`` — a title, labelled bars and a value formatter (the report's trends and
  distributions, ``projects/reports/charts.py``); its ``<desc>`` lists every bar's label and
  value as the text alternative, and its labels are 12 px (``tracker.css``). Negative values
  are not expected (trends and counts), and an empty series draws an empty frame with a "no
  data" note.
* ``percent_line_chart`` — labelled points on a 0–100 % axis (a project's yield journey,
  ``projects/charts.py``). The y axis is always 0–100 % so that two charts can be compared by
  eye.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tracker import formatting

WIDTH, HEIGHT = 560, 220
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 12, 36, 44
# The line chart's frame and its horizontal grid lines (percent).
LINE_WIDTH, LINE_HEIGHT = 600, 240
LINE_LEFT, LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 48, 36, 20, 40
GRID_PERCENTS = (0, 25, 50, 75, 100)
LINE_COLOUR, GRID_COLOUR, GRID_TEXT_COLOUR = "#0b5cad", "#d9e2ec", "#616e7c"


def compact_amount(value) -> str:
    """Short bar labels: "3.27亿" / "327m"; the tables carry the full figures."""
    return formatting.format_amount_short(value)


def chart_description(points: Sequence[tuple[str, Decimal | int]], formatter: Callable) -> str:
    """The chart's text alternative: every bar's label and value, "2023: 12; 2024: 30"."""
    if not points:
        return _("No data")
    return "; ".join(f"{label}: {formatter(value)}" for label, value in points)


def bar_chart(
    title: str, points: Sequence[tuple[str, Decimal | int]], formatter: Callable = str
) -> str:
    """An accessible SVG bar chart: one <rect> per point with its value above and label below."""
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    peak = max((float(value) for _label, value in points), default=0) or 1
    slot = (WIDTH - 2 * MARGIN_LEFT) / max(len(points), 1)
    bar_width = max(slot * 0.7, 2)
    parts = [
        format_html(
            '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" '
            'xmlns="http://www.w3.org/2000/svg"><title>{}</title><desc>{}</desc>',
            WIDTH,
            HEIGHT,
            title,
            chart_description(points, formatter),
        ),
        format_html('<text x="{}" y="16" class="chart-title">{}</text>', MARGIN_LEFT, title),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-axis"/>',
            MARGIN_LEFT,
            HEIGHT - MARGIN_BOTTOM,
            WIDTH - MARGIN_LEFT,
            HEIGHT - MARGIN_BOTTOM,
        ),
    ]
    if not points:
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart-empty">{}</text>',
                WIDTH / 2,
                HEIGHT / 2,
                _("No data"),
            )
        )
    for index, (label, value) in enumerate(points):
        height = max(float(value), 0) / peak * plot_height
        x = MARGIN_LEFT + index * slot + (slot - bar_width) / 2
        y = HEIGHT - MARGIN_BOTTOM - height
        centre = x + bar_width / 2
        text = formatter(value)
        parts.append(
            format_html(
                "<g><title>{}: {}</title>"
                '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"/>'
                '<text x="{}" y="{}" class="chart-value">{}</text>'
                '<text x="{}" y="{}" class="chart-label">{}</text></g>',
                label,
                text,
                f"{x:.1f}",
                f"{y:.1f}",
                f"{bar_width:.1f}",
                f"{height:.1f}",
                f"{centre:.1f}",
                f"{y - 4:.1f}",
                text,
                f"{centre:.1f}",
                HEIGHT - MARGIN_BOTTOM + 16,
                label,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (parts are escaped)


@dataclass(frozen=True)
class _Point:
    x: float
    y: float
    label: str
    text: str


def _percent_y(percent) -> float:
    plot_height = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM
    return round(LINE_TOP + plot_height * (1 - float(percent) / 100), 1)


def _line_points(points: Sequence[tuple[str, Decimal]], formatter: Callable) -> list[_Point]:
    """Evenly spaced along x (one point sits in the middle), y from 0 % (bottom) to 100 %."""
    plot_width = LINE_WIDTH - LINE_LEFT - LINE_RIGHT
    step = plot_width / max(len(points) - 1, 1)
    return [
        _Point(
            x=round(LINE_LEFT + (step * index if len(points) > 1 else plot_width / 2), 1),
            y=_percent_y(value),
            label=label,
            text=formatter(value),
        )
        for index, (label, value) in enumerate(points)
    ]


def percent_line_chart(
    title: str, name: str, points: Sequence[tuple[str, Decimal]], formatter: Callable = str
) -> str:
    """An accessible SVG line chart of percentages: a circle per point, its value above it and
    its label below the axis; ``name`` makes the id of the title (``<name>-chart-title``).

    Empty ``points`` draw nothing (""): the caller shows the chart only when there is a point.
    """
    if not points:
        return ""
    title_id = f"{name}-chart-title"
    drawn = _line_points(points, formatter)
    label_y = LINE_HEIGHT - LINE_BOTTOM + 18
    parts = [
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}">'
            '<title id="{}">{}</title>',
            LINE_WIDTH,
            LINE_HEIGHT,
            title_id,
            title_id,
            title,
        )
    ]
    for percent in GRID_PERCENTS:
        y = _percent_y(percent)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" '
                'font-size="11" fill="{}">{}%</text>',
                LINE_LEFT,
                LINE_WIDTH - LINE_RIGHT,
                y,
                y,
                GRID_COLOUR,
                LINE_LEFT - 6,
                y,
                GRID_TEXT_COLOUR,
                percent,
            )
        )
    parts.append(
        format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
            " ".join(f"{point.x},{point.y}" for point in drawn),
            LINE_COLOUR,
        )
    )
    for point in drawn:
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="4" fill="{}"><title>{}: {}</title></circle>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
                point.x,
                point.y,
                LINE_COLOUR,
                point.label,
                point.text,
                point.x,
                round(point.y - 9, 1),
                point.text,
                point.x,
                label_y,
                point.label,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (parts are escaped)
