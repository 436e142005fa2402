"""How a project's yield gain is stated: "40% → 90% (+50 pp, +125%)", in Chinese
"40% → 90%（+50个百分点，+125%）".

The absolute gain is in percentage points and the relative change in percent; both are shown,
each with its unit, so nobody reads +125% as the yield itself. The wording and the rounding
are ``tracker.formatting``'s; these filters only take the figures off the project.
"""

from django import template

from tracker import formatting

register = template.Library()


@register.filter
def gain_sentence(project) -> str:
    """ "40% → 90% (+50 pp, +125%)"; "—" until the project has two runs."""
    return formatting.format_yield_journey(
        project.yield_first_pct,
        project.yield_latest_pct,
        project.yield_gain_pp,
        project.yield_gain_relative_pct,
    )


@register.filter
def short_pct(value) -> str:
    """A yield for tables: "66.7%"; "—" when undefined."""
    return formatting.format_short_percent(value)
