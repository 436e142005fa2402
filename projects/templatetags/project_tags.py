"""How a project's yield gain is stated: "40% → 90% (+50 pp, +125%)".

The absolute gain is in percentage points and the relative change in percent; both are shown,
each with its unit, so nobody reads +125% as the yield itself.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


def short_percent(value: Decimal) -> str:
    """One decimal at most, trailing zeros dropped: 40.0000 → "40", 66.6667 → "66.7"."""
    text = f"{Decimal(value).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}"
    return text[:-2] if text.endswith(".0") else text


def _signed(value: Decimal) -> str:
    text = short_percent(value)
    return text if text.startswith("-") or text == "0" else "+" + text


@register.filter
def gain_sentence(project) -> str:
    """ "40% → 90% (+50 pp, +125%)"; "—" until the project has two runs."""
    if project.yield_gain_pp is None:
        return "—"
    first, latest = project.yield_first_pct, project.yield_latest_pct
    parts = [f"{_signed(project.yield_gain_pp)} pp"]
    relative = project.yield_gain_relative_pct
    if relative is not None:
        parts.append(f"{_signed(relative)}%")
    return f"{short_percent(first)}% → {short_percent(latest)}% ({', '.join(parts)})"


@register.filter
def short_pct(value) -> str:
    """A yield for tables: "66.7%"; "—" when undefined."""
    return "—" if value is None else f"{short_percent(value)}%"
