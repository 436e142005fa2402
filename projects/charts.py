"""The yield journey as a small server-rendered SVG line chart: no JavaScript library needed.

The chart's geometry is computed here and drawn by ``projects/_yield_chart.html``; the y axis
is always 0–100 % so that two projects' charts can be compared by eye.
"""

from dataclasses import dataclass

from tracker.formatting import short_percent

WIDTH, HEIGHT = 600, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 36, 20, 40
GRID_PERCENTS = (0, 25, 50, 75, 100)


@dataclass
class Point:
    x: float
    y: float
    label: str
    percent: str

    @property
    def label_y(self):
        """Where the percentage is written: just above the point."""
        return round(self.y - 9, 1)


def yield_chart(runs) -> dict | None:
    """Coordinates for runs in journey order; None when there is nothing to draw."""
    runs = [run for run in runs if run.yield_pct is not None]
    if not runs:
        return None
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(runs) - 1, 1)

    def y_of(percent):
        return round(TOP + plot_h * (1 - float(percent) / 100), 1)

    points = [
        Point(
            x=round(LEFT + (step * index if len(runs) > 1 else plot_w / 2), 1),
            y=y_of(run.yield_pct),
            label=run.label,
            percent=short_percent(run.yield_pct),
        )
        for index, run in enumerate(runs)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "label_y": HEIGHT - BOTTOM + 18,
        "grid": [{"y": y_of(percent), "percent": percent} for percent in GRID_PERCENTS],
        "points": points,
        "polyline": " ".join(f"{point.x},{point.y}" for point in points),
    }
