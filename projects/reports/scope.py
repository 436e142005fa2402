"""The scope of a report: which zone, platform, sector and project start years it covers.

A scope only narrows what the user may already see; who may see what is decided by
``Platform.objects.visible_to(user)`` and nothing else. The zone, platform and sector describe
platforms; the start years describe projects. So a year filter changes the project figures but
not the platform count: "96 platforms, of which ... served 812 projects started in 2024".
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext

from platforms.choices import Sector
from platforms.models import Platform, Zone


@dataclass(frozen=True)
class Scope:
    """Zone, platform, sector (platform filters) and an inclusive range of start years."""

    zone: Zone | None = None
    platform: Platform | None = None
    sector: str = ""
    year_from: int | None = None
    year_to: int | None = None
    # A reporting round (``returns.ReportingPeriod``) and the basis of the figures: "live"
    # (today's records, limited to projects started by the period's last day and financing
    # dated by then) or "returns" (the round's approved returns, ``queries.returns``).
    period: object | None = None
    basis: str = "live"

    def platform_q(self, prefix: str = "") -> Q:
        """Condition on platforms, as seen from a model that reaches them through ``prefix``."""
        condition = Q()
        if self.zone is not None:
            condition &= Q(**{f"{prefix}zone": self.zone})
        if self.platform is not None:
            condition &= Q(**{f"{prefix}pk": self.platform.pk})
        if self.sector:
            condition &= Q(**{f"{prefix}sector": self.sector})
        return condition

    def year_q(self, prefix: str = "") -> Q | None:
        """Condition on project start dates (a date range, so the start_on indexes apply)."""
        condition = Q()
        if self.year_from is not None:
            condition &= Q(**{f"{prefix}start_on__gte": dt.date(self.year_from, 1, 1)})
        if self.year_to is not None:
            condition &= Q(**{f"{prefix}start_on__lt": dt.date(self.year_to + 1, 1, 1)})
        return condition or None

    def project_q(self, prefix: str = "") -> Q:
        """Condition on projects, as seen from a model that reaches them through ``prefix``."""
        condition = self.platform_q(f"{prefix}platform__")
        if self.as_of is not None:
            condition &= Q(**{f"{prefix}start_on__lte": self.as_of})
        return condition & (self.year_q(prefix) or Q())

    @property
    def as_of(self):
        """The last day of the scope's period (None without a period)."""
        return None if self.period is None else self.period.end_on

    @property
    def on_returns(self) -> bool:
        return self.period is not None and self.basis == "returns"

    @property
    def has_years(self) -> bool:
        return self.year_from is not None or self.year_to is not None

    def year_label(self) -> str:
        """ "2024", "2022–2024", "2022 onwards" or "" (no year filter)."""
        if self.year_from is not None and self.year_from == self.year_to:
            return str(self.year_from)
        if self.year_from is not None and self.year_to is not None:
            return f"{self.year_from}–{self.year_to}"
        if self.year_from is not None:
            return gettext("%(year)s onwards") % {"year": self.year_from}
        if self.year_to is not None:
            return gettext("up to %(year)s") % {"year": self.year_to}
        return ""

    def parts(self) -> list[str]:
        """Human-readable parts of the scope, for headings and export file names."""
        parts = []
        if self.zone is not None:
            parts.append(self.zone.name)
        if self.platform is not None:
            parts.append(self.platform.name)
        if self.sector:
            parts.append(str(Sector(self.sector).label))
        if self.has_years:
            parts.append(self.year_label())
        if self.period is not None:
            parts.append(self.period.code)
        return parts

    def as_json(self) -> dict:
        """The ``scope`` object of the roll-up JSON."""

        def ref(obj):
            return None if obj is None else {"id": obj.pk, "name": obj.name}

        return {
            "zone": ref(self.zone),
            "platform": ref(self.platform),
            "sector": self.sector or None,
            "year_from": self.year_from,
            "year_to": self.year_to,
        }


def command_user():
    """An unsaved superuser: the command line reports as an administrator would, unscoped.

    Using a user object rather than a "no scoping" flag keeps ``visible_to`` the only place that
    decides visibility, and means a view can never report unscoped by forgetting an argument.
    """
    return get_user_model()(username="rollup-command", is_superuser=True, is_active=True)


def scope_label(scope: Scope, headline) -> str:
    """The scope as a heading names it: its parts, else the one zone the user sees (a manager's
    report without filters is their zone's), else "everything you can see"."""
    parts = scope.parts()
    if parts:
        return " · ".join(parts)
    return headline.zone_name or gettext("Everything you can see")
