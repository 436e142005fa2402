"""Template filters for amounts, counts and yields, in the user's language, and the error
summary of forms.

Thin wrappers over ``tracker.formatting``, where the rounding rule (half up) is explained, and
``tracker.error_summary``.
"""

from django import template

from tracker import error_summary as summary
from tracker import formatting

register = template.Library()


@register.filter
def amount(value):
    """{{ project.service_revenue|amount }} → "18.35亿元" / "1.83 billion yuan"."""
    return formatting.format_amount(value)


@register.filter
def wan(value):
    """{{ value|wan }} → "123.46万元", the figure shown beside money inputs."""
    return formatting.format_wan(value)


@register.filter
def count(value):
    return formatting.format_count(value)


@register.filter
def pct(value, places=1):
    """A percentage (already in percent) to ``places`` decimals: 66.6667 → "66.7%"."""
    return formatting.format_percent(value, int(places))


@register.filter
def pp(value, places=1):
    """A gain in percentage points with its sign: 50 → "+50.0个百分点" / "+50.0 pp"."""
    return formatting.format_points(value, int(places))


@register.filter
def change(value):
    """A year-on-year change: 12.5 → "+12.5%"; None → "—"."""
    return formatting.format_change(value)


@register.inclusion_tag("tracker/_error_summary.html")
def error_summary(*forms):
    """{% error_summary form runs financing %}: every error of a failed submission, above the
    form, each linked to its field (``tracker.error_summary``)."""
    return {"errors": summary.collect(*forms)}
