"""The data of the report's bar charts: which series each chart shows and how its bars read.

``tracker.charts.bar_chart`` draws them; the tables carry the full figures.
"""

from django.utils.translation import gettext as _

from tracker import formatting
from tracker.charts import bar_chart, compact_amount


def report_charts(report) -> dict:
    """The page's four charts: projects and revenue by start year, financing by year, gains."""
    years = report.years
    return {
        "projects": bar_chart(
            _("Projects by start year"),
            [(row["label"], row["projects"]) for row in years],
            formatting.format_count,
        ),
        "revenue": bar_chart(
            _("Service revenue by start year"),
            [(row["label"], row["service_revenue"]) for row in years],
            compact_amount,
        ),
        "financing": bar_chart(
            _("Financing by year"),
            [(row["label"], row["amount"]) for row in report.financing["year"]],
            compact_amount,
        ),
        "gains": bar_chart(
            _("Projects by yield gain (pp)"),
            [(row["label"], row["projects"]) for row in report.yields.histogram],
            formatting.format_count,
        ),
    }
