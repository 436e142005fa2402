"""The scope of a report: which zone, platform, sector and project start years it covers.

A scope only narrows what the user may already see; who may see what is decided by
``Platform.objects.visible_to(user)`` and nothing else. The zone, platform and sector describe
platforms; the start years describe projects. So a year filter changes the project figures but
not the platform count: "96 platforms, of which ... served 812 projects started in 2024".
"""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Max, Min, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from platforms.choices import Sector
from platforms.models import Platform, Zone
from projects.models import Project
from tracker.validators import EARLIEST_YEAR, LATEST_YEAR


@dataclass(frozen=True)
class Scope:
    """Zone, platform, sector (platform filters) and an inclusive range of start years."""

    zone: Zone | None = None
    platform: Platform | None = None
    sector: str = ""
    year_from: int | None = None
    year_to: int | None = None

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
        return condition & (self.year_q(prefix) or Q())

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


class ReportFilterForm(forms.Form):
    """Scope filters; every choice list is limited to what the user may see.

    ``year`` picks one start year; ``year_from``/``year_to`` a range (either end may be open).
    Years are those a date may have (1949–2100, ``tracker.validators``); the drop-downs offer
    the years the user's projects start in, within those bounds even if a record escaped them.
    """

    zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.none(), required=False)
    platform = forms.ModelChoiceField(
        label=_("Platform"), queryset=Platform.objects.none(), required=False
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    year = forms.IntegerField(
        label=_("Start year"), required=False, min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )
    year_to = forms.IntegerField(
        label=_("To year"), required=False, min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )

    def __init__(self, *args, user, with_year_choices=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["zone"].queryset = Zone.objects.visible_to(user)
        self.fields["platform"].queryset = Platform.objects.visible_to(user).select_related("zone")
        self.fields["sector"].choices = [("", _("All sectors")), *Sector.choices]
        if with_year_choices:
            # The drop-downs offer the years the user has projects in; any year validates, so
            # that a JSON client asking for an empty year gets zeros, not an error.
            first, last = year_bounds(user)
            years = [("", "—")]
            if first is not None:
                years += [(year, str(year)) for year in range(last, first - 1, -1)]
            for name in ("year", "year_from", "year_to"):
                self.fields[name].widget = forms.Select(choices=years)

    def clean(self):
        data = super().clean()
        year, year_from, year_to = data.get("year"), data.get("year_from"), data.get("year_to")
        if year is not None and (year_from is not None or year_to is not None):
            raise forms.ValidationError(_("Give either one start year or a range, not both."))
        if year_from is not None and year_to is not None and year_from > year_to:
            self.add_error("year_to", _("The last year cannot be before the first year."))
        zone, platform = data.get("zone"), data.get("platform")
        if zone is not None and platform is not None and platform.zone_id != zone.pk:
            self.add_error("platform", _("This platform is not in the chosen zone."))
        return data

    @staticmethod
    def empty_scope() -> Scope:
        """No filter: everything the user may see."""
        return Scope()

    def scope(self) -> Scope:
        """The scope the (valid) form describes."""
        data = self.cleaned_data
        year = data.get("year")
        return Scope(
            zone=data.get("zone"),
            platform=data.get("platform"),
            sector=data.get("sector") or "",
            year_from=year if year is not None else data.get("year_from"),
            year_to=year if year is not None else data.get("year_to"),
        )


def year_bounds(user) -> tuple[int | None, int | None]:
    """First and last project start year the user can see (an index-only MIN/MAX).

    Clamped to 1949–2100: the database refuses other dates, but a row written before it did
    (0001-01-01, 9999-12-31) must not turn the drop-downs into 10,000 options.
    """
    bounds = (
        Project.objects.visible_to(user)
        .order_by()
        .aggregate(first=Min("start_on"), last=Max("start_on"))
    )
    first, last = bounds["first"], bounds["last"]
    if first is None or last is None:
        return (None, None)
    return (_clamp_year(first.year), _clamp_year(last.year))


def _clamp_year(year: int) -> int:
    return min(max(year, EARLIEST_YEAR), LATEST_YEAR)
