"""The data of a project's yield chart: its runs in journey order, as (label, yield %) points.

``tracker.charts.percent_line_chart`` draws it (a 0–100 % axis, so that two projects' charts
can be compared by eye); this module only decides which runs are drawn and how a yield reads.
"""

from django.utils.translation import gettext as _

from tracker.charts import percent_line_chart
from tracker.formatting import short_percent


def _percent_text(value) -> str:
    return f"{short_percent(value)}%"


def yield_chart(runs) -> str:
    """The SVG of the runs that have a yield, in the given (journey) order; "" when none has."""
    points = [(run.label, run.yield_pct) for run in runs if run.yield_pct is not None]
    return percent_line_chart(_("Yield by run"), "yield", points, _percent_text)
