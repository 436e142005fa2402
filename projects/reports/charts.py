"""Bar charts as inline SVG, drawn on the server: they work offline and need no JavaScript.

A chart is a title, labelled bars and a value formatter; negative values are not expected
(trends and counts), and an empty series draws an empty frame with a "no data" note.
"""

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tracker import formatting

WIDTH, HEIGHT = 560, 220
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 12, 36, 44


def compact_amount(value) -> str:
    """Short bar labels: "3.27亿" / "327m"; the tables carry the full figures."""
    return formatting.format_amount_short(value)


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
            'xmlns="http://www.w3.org/2000/svg"><title>{}</title>',
            WIDTH,
            HEIGHT,
            title,
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
