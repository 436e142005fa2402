"""The logic checks of a return, in the spirit of the Torch survey's 审核 (domain.md).

Errors block submission; warnings do not, but a submission with a warning needs a written
explanation. Every check is listed, so the platform fixes everything at once rather than one
refusal at a time.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

# "More than 100,000,000 yuan in one quarter": the limit grows with the period's length.
QUARTER_INCREMENT_LIMIT = Decimal(100_000_000)
INCREMENT_JUMP_FACTOR = 3

CHECKED_FIGURES = (
    "projects_cumulative",
    "projects_new",
    "projects_active",
    "enterprises_cumulative",
    "new_products_cumulative",
    "service_revenue_cumulative",
    "output_value_cumulative",
    "financing_period",
    "financing_cumulative",
)


def figure_label(name: str) -> str:
    from .models import PeriodReturn

    return str(PeriodReturn._meta.get_field(name).verbose_name)


@dataclass
class CheckResult:
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def increment_limit(months: int) -> Decimal:
    """100,000,000 yuan per quarter, pro rata: a year 400,000,000, a month 33,333,333.33."""
    return (QUARTER_INCREMENT_LIMIT * months / 3).quantize(Decimal("0.01"))


def run_checks(figures, incs, period_return, *, months: int, baseline, evidence_count: int):
    """Errors and warnings for ``figures`` (``PeriodFigures``) with increments ``incs``.

    ``baseline`` is the previous approved return (or None); ``period_return`` gives the manual
    fields.
    """
    result = CheckResult()
    for name in CHECKED_FIGURES:
        if getattr(figures, name) < 0:
            result.errors.append(
                _("%(figure)s is negative.") % {"figure": figure_label(name).capitalize()}
            )
    cumulative = figures.projects_cumulative
    if figures.projects_new > cumulative:
        result.errors.append(_("New projects exceed the cumulative projects."))
    if figures.enterprises_cumulative > cumulative:
        result.errors.append(_("Enterprises served exceed the cumulative projects."))
    if figures.new_products_cumulative > cumulative:
        result.errors.append(_("New products exceed the cumulative projects."))
    if evidence_count == 0:
        result.errors.append(_("No evidence file: upload the signed and stamped return."))
    for name, message in (
        ("grants", _("Enter the grants received in the period (0 if none).")),
        ("staff_headcount", _("Enter the staff headcount.")),
        ("incubated_firms", _("Enter the firms incubated in the period (0 if none).")),
    ):
        if getattr(period_return, name) is None:
            result.errors.append(message)

    if baseline is not None:
        for name in CHECKED_FIGURES:
            if name.endswith("_cumulative") and getattr(figures, name) < getattr(baseline, name):
                result.warnings.append(
                    _("%(figure)s is below the previous approved return's (a correction).")
                    % {"figure": figure_label(name).capitalize()}
                )
    limit = increment_limit(months)
    for column, label in (
        ("service_revenue_increment", _("Service revenue")),
        ("output_value_increment", _("Output value")),
    ):
        increment = incs[column]
        previous = getattr(baseline, column, None) if baseline is not None else None
        if previous is not None and previous > 0 and increment > INCREMENT_JUMP_FACTOR * previous:
            result.warnings.append(
                _("%(figure)s grew more than three times the previous period's increment.")
                % {"figure": label}
            )
        if increment > limit:
            result.warnings.append(
                _("%(figure)s grew by more than %(limit)s yuan in the period.")
                % {"figure": label, "limit": f"{limit:,.2f}"}
            )
    if figures.projects_new == 0 and figures.projects_active > 0:
        result.warnings.append(_("No new project in a period with active projects."))
    grants = period_return.grants
    if grants is not None and grants > incs["service_revenue_increment"]:
        result.warnings.append(_("Grants exceed the service revenue increment."))
    return result
