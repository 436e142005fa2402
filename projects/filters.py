"""FilterSets of the project and enterprise lists.

Choice lists come from the scoping querysets: a staff user is offered only their own platforms
(and a zone manager those of their zones), so a filter can never reveal another platform's name.
Every custom filter is followed directly by its ``filter_<name>`` method. Numbers in the query
string are bounded (years 1949–2100, gains −100…100 pp): a URL with year 0 or 10^20 gets a
message on the page, never a server error. Codes typed into the search are normalised the way
they are stored (``searchable_code``).
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from platforms.choices import Sector
from platforms.filters import visible_zones
from platforms.models import Platform
from tracker.validators import EARLIEST_YEAR, LATEST_YEAR

from .choices import ACTIVE, ProjectStatus, Stage, Track
from .models import Enterprise, Project
from .search import search_enterprises, search_projects


class YearFilter(django_filters.NumberFilter):
    """A whole year within the years dates may have; anything else is a form error.

    The ``year`` lookups turn the number into a date range in Python, so an unbounded number
    (0, -5, 10000, 99999999999999999999) crashed the query before it reached the database.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", EARLIEST_YEAR)
        kwargs.setdefault("max_value", LATEST_YEAR)
        super().__init__(*args, **kwargs)


def visible_platforms(request):
    if request is None:
        return Platform.objects.none()
    return Platform.objects.visible_to(request.user)


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    platform = django_filters.ModelChoiceFilter(label=_("Platform"), queryset=visible_platforms)
    zone = django_filters.ModelChoiceFilter(
        label=_("Zone"), queryset=visible_zones, field_name="platform__zone"
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), choices=Sector.choices, field_name="platform__sector"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(ACTIVE.value, ACTIVE.label), *ProjectStatus.choices],
        method="filter_status",
    )
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)
    track = django_filters.ChoiceFilter(label=_("Track"), choices=Track.choices)
    start_year_from = YearFilter(
        label=_("Started from year"), field_name="start_on", lookup_expr="year__gte"
    )
    start_year_to = YearFilter(
        label=_("Started up to year"), field_name="start_on", lookup_expr="year__lte"
    )
    new_product = django_filters.BooleanFilter(
        label=_("New product"),
        widget=forms.Select(
            choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))],
        ),
    )
    # A gain is a difference of two percentages: -100 to 100 pp, stored with 4 decimals.
    min_gain = django_filters.NumberFilter(
        label=_("Minimum yield gain (pp)"),
        field_name="yield_gain_pp",
        lookup_expr="gte",
        min_value=-100,
        max_value=100,
        max_digits=7,
        decimal_places=4,
    )

    class Meta:
        model = Project
        fields = []

    def filter_status(self, queryset, name, value):
        """One status, or the "active projects" group (``choices.ACTIVE``), so that a count on
        the home or platform page links to exactly the projects it counts."""
        if value == ACTIVE.value:
            return queryset.filter(status__in=ACTIVE.statuses)
        return queryset.filter(status=value)

    def filter_q(self, queryset, name, value):
        """An exact project or credit code, else code, client name, and title or product where
        the user may read them (``projects.search`` states the rule and why it is fast)."""
        user = self.request.user if self.request is not None else None
        return search_projects(queryset, value, user)


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices)

    class Meta:
        model = Enterprise
        fields = ["q", "sector", "size", "srdi_level", "is_high_tech"]

    def filter_q(self, queryset, name, value):
        """Name, or USCC (a prefix is enough)."""
        return search_enterprises(queryset, value)
