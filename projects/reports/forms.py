"""The report filter form: the scope a signed-in user asks for, among what they may see.

Used by the page, the JSON and the exports alike (``views.ScopedReportMixin``); the command line
builds its ``Scope`` from its options instead.
"""

from django import forms
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from platforms.choices import Sector
from platforms.models import Platform, Zone
from projects.models import Project
from projects.returns.models import PeriodReturn, ReportingPeriod
from tracker.validators import EARLIEST_YEAR, LATEST_YEAR

from .scope import Scope


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
    period = forms.ModelChoiceField(
        label=_("Reporting round"),
        queryset=ReportingPeriod.objects.none(),
        to_field_name="code",
        required=False,
    )
    basis = forms.ChoiceField(
        label=_("Basis"),
        required=False,
        choices=[("live", _("Live records")), ("returns", _("Approved returns"))],
    )

    def __init__(self, *args, user, with_year_choices=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["zone"].queryset = Zone.objects.visible_to(user)
        self.fields["platform"].queryset = Platform.objects.visible_to(user).select_related("zone")
        self.fields["sector"].choices = [("", _("All sectors")), *Sector.choices]
        self.fields["period"].queryset = ReportingPeriod.objects.filter(
            pk__in=PeriodReturn.objects.visible_to(user).values("period_id")
        )
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
        if data.get("basis") == "returns" and data.get("period") is None:
            self.add_error("period", _("Choose the reporting round the approved returns are of."))
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
            period=data.get("period"),
            basis=data.get("basis") or "live",
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
