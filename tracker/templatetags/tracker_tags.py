"""Template filters for amounts, counts and yields, in the user's language."""

from decimal import Decimal

from django import template

from tracker import money

register = template.Library()


@register.filter
def amount(value):
    """{{ project.service_revenue|amount }} → "18.35亿元" / "1.83 billion yuan"."""
    return money.format_amount(value)


@register.filter
def wan(value):
    """{{ value|wan }} → "123.46万元", the figure shown beside money inputs."""
    return money.format_wan(value)


@register.filter
def count(value):
    return money.format_count(value)


@register.filter
def pct(value, places=1):
    """A percentage (already in percent) to ``places`` decimals: 66.6667 → "66.7%"."""
    if value is None or value == "":
        return "—"
    quantum = Decimal(1).scaleb(-int(places))
    return f"{Decimal(value).quantize(quantum):f}%"


@register.filter
def pp(value, places=1):
    """A gain in percentage points with its sign: 50 → "+50.0 pp"."""
    if value is None or value == "":
        return "—"
    quantum = Decimal(1).scaleb(-int(places))
    number = Decimal(value).quantize(quantum)
    sign = "+" if number > 0 else ""
    return f"{sign}{number:f} pp"
