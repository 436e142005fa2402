"""The report's charts as PNG images for the Word document, drawn with matplotlib (Agg).

The machine has no CJK font, and a document must not depend on one: the images carry only
numbers and Latin labels (years, gain bins); the chart's title and unit are in the document's
caption, in the reader's language, where Word or WPS renders them with its own fonts. Amounts
are drawn in the unit the caption names (万元 / million yuan), as the report tables show them.
"""

import io

from tracker import formatting

WIDTH_INCHES, HEIGHT_INCHES, DPI = 6.2, 2.4, 150
BAR_COLOUR = "#0b5cad"


def bar_png(points, *, money: bool = False) -> bytes:
    """A bar chart of (label, value) points, each bar labelled with its value."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    labels = [str(label) for label, _value in points]
    values = [_scaled(value, money) for _label, value in points]
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    axes = figure.add_subplot()
    bars = axes.bar(range(len(values)), values, color=BAR_COLOUR, width=0.7)
    axes.set_xticks(range(len(labels)), labels, fontsize=8)
    axes.tick_params(axis="y", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    texts = [formatting.format_number(value, 2 if money else 0) for value in values]
    axes.bar_label(bars, labels=texts, fontsize=7, padding=2)
    if not values:
        axes.text(0.5, 0.5, "—", ha="center", va="center", transform=axes.transAxes)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _scaled(value, money: bool) -> float:
    """Amounts in the table unit (万元 / million yuan); counts as they are."""
    return float(formatting.in_table_unit(value) if money else value)
