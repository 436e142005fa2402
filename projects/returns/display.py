"""A return's figures as the page and the print layout show them: this period, the previous
approved return and the change, in the user's language (counts, 万元/亿元, pp)."""

from django.utils.translation import get_language

from tracker.formatting import format_amount, format_count, format_points

from .models import PeriodReturn

SHOWN = (
    ("projects_cumulative", "count", "projects_increment"),
    ("projects_new", "count", None),
    ("projects_active", "count", None),
    ("enterprises_cumulative", "count", "enterprises_increment"),
    ("new_products_cumulative", "count", "new_products_increment"),
    ("service_revenue_cumulative", "money", "service_revenue_increment"),
    ("output_value_cumulative", "money", "output_value_increment"),
    ("financing_period", "money", None),
    ("financing_cumulative", "money", "financing_increment"),
    ("yield_gain_pp_mean", "points", None),
)


def show(value, kind) -> str:
    language = get_language()
    if kind == "money":
        return format_amount(value, language)
    if kind == "points":
        return format_points(value, 1, language)
    return format_count(value, language)


def _signed(text: str, value) -> str:
    return f"+{text}" if value is not None and value > 0 else text


def figure_rows(state) -> list[dict]:
    baseline = state.baseline
    rows = []
    for name, kind, increment in SHOWN:
        value = getattr(state.figures, name)
        change = state.increments.get(increment) if increment else None
        rows.append(
            {
                "label": str(PeriodReturn._meta.get_field(name).verbose_name),
                "name": name,
                "value": show(value, kind),
                "previous": show(getattr(baseline, name), kind) if baseline else "—",
                "change": _signed(show(change, kind), change) if increment else "",
            }
        )
    return rows
